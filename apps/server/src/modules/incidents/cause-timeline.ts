import type { Locale } from '@yunwei/contracts/i18n';

/**
 * Ranking of the cause-tracing timeline (L2-2.1.3). Pure: the service gathers the events, this scores
 * and explains them.
 *
 * score = time(Δt) × graph(hops) × weight(signal), rounded to 3 places, in 0–1.
 * - time: a cause comes before its effect. Before the start the weight halves every 30 minutes
 *   (2 h before: 1/16); at or after the start an event is more likely a symptom than a cause, so it
 *   starts at 0.4 and halves every 10 minutes. So the alert that opened the incident (Δt = 0) ranks
 *   below a failure that preceded it.
 * - graph: closer CIs explain more: 1 / (1 + hops / 4) (same CI 1, direct dependency 0.8, 2 hops 0.67).
 *   Time weighs more than hops: the same CI 3 min before (0.93) beats a dependency 2 hops away 1 min
 *   before (0.65), and a dependency 2 hops away 10 min before (0.53) beats the CI itself an hour
 *   before (0.25).
 * - signal: something going wrong (an alert firing, a check going down, a metric leaving its baseline)
 *   is evidence (1); a configuration change is a candidate (0.9); recoveries and acknowledgements
 *   say little about a cause (0.5, 0.3).
 * Ties: severity (critical, warning, info), then the nearer in time, then the earlier.
 */

export type CauseSignal = 'problem' | 'change' | 'recovery' | 'acknowledgement';
export type CauseSeverity = 'critical' | 'warning' | 'info';

export interface RankInput {
  at: number;
  hops: number;
  signal: CauseSignal;
  severity?: CauseSeverity;
}

const MINUTE = 60_000;
export const BEFORE_HALF_LIFE_MS = 30 * MINUTE;
export const AFTER_HALF_LIFE_MS = 10 * MINUTE;
export const AFTER_START_WEIGHT = 0.4;
const SIGNAL_WEIGHT: Record<CauseSignal, number> = { problem: 1, change: 0.9, recovery: 0.5, acknowledgement: 0.3 };
const SEVERITY_ORDER: Record<CauseSeverity, number> = { critical: 0, warning: 1, info: 2 };

export function timeWeight(deltaMs: number): number {
  return deltaMs < 0 ? 2 ** (deltaMs / BEFORE_HALF_LIFE_MS) : AFTER_START_WEIGHT * 2 ** (-deltaMs / AFTER_HALF_LIFE_MS);
}

export function graphWeight(hops: number): number {
  return 1 / (1 + Math.max(0, hops) / 4);
}

export function causeScore(event: RankInput, start: number): number {
  const raw = timeWeight(event.at - start) * graphWeight(event.hops) * SIGNAL_WEIGHT[event.signal];
  return Math.round(Math.min(1, Math.max(0, raw)) * 1000) / 1000;
}

/** `events` scored and sorted best first (a new array; each event gets `score`). */
export function rankEvents<T extends RankInput>(events: readonly T[], start: number): (T & { score: number })[] {
  return events
    .map((e) => ({ ...e, score: causeScore(e, start) }))
    .sort(
      (a, b) =>
        b.score - a.score ||
        SEVERITY_ORDER[a.severity ?? 'info'] - SEVERITY_ORDER[b.severity ?? 'info'] ||
        Math.abs(a.at - start) - Math.abs(b.at - start) ||
        a.at - b.at,
    );
}

/** "3 分钟" / "3 min", "45 秒" / "45 s", "1 小时 5 分钟" / "1 h 5 min". */
export function spanText(ms: number, locale: Locale): string {
  const zh = locale === 'zh-CN';
  const abs = Math.abs(ms);
  if (abs < MINUTE) {
    const s = Math.round(abs / 1000);
    return zh ? `${s} 秒` : `${s} s`;
  }
  const minutes = Math.round(abs / MINUTE);
  if (minutes < 60) {
    return zh ? `${minutes} 分钟` : `${minutes} min`;
  }
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (zh) {
    return m ? `${h} 小时 ${m} 分钟` : `${h} 小时`;
  }
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** Why an event ranks where it does: "依赖 2 跳，开始前 10 分钟" / "2 hops down the dependencies, 10 min before the start". */
export function rankReason(event: Pick<RankInput, 'at' | 'hops'>, start: number, locale: Locale): string {
  const zh = locale === 'zh-CN';
  const delta = event.at - start;
  const where = event.hops === 0 ? (zh ? '同一 CI' : 'same CI') : zh ? `依赖 ${event.hops} 跳` : `${event.hops} ${event.hops === 1 ? 'hop' : 'hops'} down the dependencies`;
  let when: string;
  if (Math.abs(delta) < 1000) {
    when = zh ? '与开始同时' : 'at the start';
  } else if (delta < 0) {
    when = zh ? `开始前 ${spanText(delta, locale)}` : `${spanText(delta, locale)} before the start`;
  } else {
    when = zh ? `开始后 ${spanText(delta, locale)}` : `${spanText(delta, locale)} after the start`;
  }
  return zh ? `${where}，${when}` : `${where}, ${when}`;
}

