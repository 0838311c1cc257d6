import type { Kysely } from 'kysely';
import { HOST_METRIC_PREFIX } from '@yunwei/contracts/agents';
import { checkMessageIn, type CheckMessageParams } from '@yunwei/contracts/check-messages';
import type { Locale } from '@yunwei/contracts/i18n';
import type { CauseEventKind } from '@yunwei/contracts/incident-timeline';
import { fromJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { type CauseSeverity, type CauseSignal, spanText } from './cause-timeline.js';
import { CauseTimelineRepository } from './cause-timeline.repository.js';

/** What a source is asked for: events of these CIs in [from, to], worded for `locale`. */
export interface SourceQuery {
  ciIds: readonly string[];
  from: number;
  to: number;
  locale: Locale;
  /** Names of the CIs (every id in `ciIds` has one). */
  ciName(id: string): string;
}

/** An event as a source finds it; the service adds hops, score and reason. */
export interface SourceEvent {
  id: string;
  kind: CauseEventKind;
  at: number;
  ciId: string;
  title: string;
  detail: string;
  severity?: CauseSeverity;
  signal: CauseSignal;
  link: string;
}

/**
 * One kind of evidence on the timeline. Changes and deployments, and logs, are added as further
 * sources (a file each, appended to `timelineSources`) when their modules land.
 */
export interface TimelineSource {
  kind: CauseEventKind;
  collect(query: SourceQuery): Promise<SourceEvent[]>;
}

const zhOf = (locale: Locale) => locale === 'zh-CN';

function alertSource(repo: CauseTimelineRepository): TimelineSource {
  return {
    kind: 'alert',
    async collect({ ciIds, from, to, locale, ciName }) {
      const zh = zhOf(locale);
      const rows = await repo.alertEvents(ciIds, from, to);
      return rows.map((r) => {
        const rule = zh ? r.rule_name : (r.rule_name_en ?? r.rule_name);
        const ci = ciName(r.ci_id);
        const annotations = safeJson<Record<string, { summary?: string } | undefined>>(r.annotations) ?? {};
        const summary = annotations[zh ? 'zh' : 'en']?.summary ?? '';
        const severity = r.severity === 'critical' || r.severity === 'warning' ? r.severity : 'warning';
        const base = { id: `alert:${r.event_id}`, kind: 'alert' as const, at: r.at, ciId: r.ci_id, detail: summary, link: `/alerts/${r.alert_id}` };
        switch (r.to_state) {
          case 'firing':
            return { ...base, title: zh ? `告警「${rule}」触发：${ci}` : `Alert "${rule}" fired on ${ci}`, severity, signal: 'problem' as const };
          case 'acknowledged':
            return { ...base, title: zh ? `告警「${rule}」已确认：${ci}` : `Alert "${rule}" acknowledged on ${ci}`, severity: 'info' as const, signal: 'acknowledgement' as const };
          default:
            return { ...base, title: zh ? `告警「${rule}」恢复：${ci}` : `Alert "${rule}" resolved on ${ci}`, severity: 'info' as const, signal: 'recovery' as const };
        }
      });
    },
  };
}

/** A check's result before the window is looked for this far back. */
const CHECK_LOOKBACK_MS = 3_600_000;

function checkSource(repo: CauseTimelineRepository): TimelineSource {
  return {
    kind: 'check',
    async collect({ ciIds, from, to, locale, ciName }) {
      const zh = zhOf(locale);
      const rows = await repo.checkChanges(ciIds, from, to, CHECK_LOOKBACK_MS);
      return rows.map((r) => {
        const ci = ciName(r.ci_id);
        const down = r.up === 0;
        const message = checkMessageIn({ message: r.message, messageCode: r.message_code, messageParams: safeJson<CheckMessageParams>(r.message_params) }, locale) ?? '';
        return {
          id: `check:${r.id}`,
          kind: 'check' as const,
          at: r.at,
          ciId: r.ci_id,
          title: down ? (zh ? `检查「${r.check_name}」失败：${ci}` : `Check "${r.check_name}" went down on ${ci}`) : zh ? `检查「${r.check_name}」恢复：${ci}` : `Check "${r.check_name}" came back up on ${ci}`,
          detail: message,
          severity: down ? ('critical' as const) : ('info' as const),
          signal: down ? ('problem' as const) : ('recovery' as const),
          link: `/monitoring/checks?q=${encodeURIComponent(r.check_name)}`,
        };
      });
    },
  };
}

/** Fields of a CI's audit record that change with every edit and say nothing about it (`source`: who wrote it, see below). */
const NOISE_FIELDS = new Set(['updatedAt', 'createdAt', 'version', 'source']);
const MAX_FIELDS_SHOWN = 5;

function shortValue(value: unknown): string {
  const text = value === null || value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** "ip: 10.0.0.1 → 10.0.0.2; status: active → maintenance" — the top-level fields (and attributes) that differ. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const flat = (o: Record<string, unknown>) => {
    const out = new Map<string, unknown>();
    for (const [k, v] of Object.entries(o)) {
      if (NOISE_FIELDS.has(k)) {
        continue;
      }
      if (k === 'attributes' && v && typeof v === 'object' && !Array.isArray(v)) {
        for (const [ak, av] of Object.entries(v as Record<string, unknown>)) {
          out.set(`attributes.${ak}`, av);
        }
      } else {
        out.set(k, v);
      }
    }
    return out;
  };
  const b = flat(before);
  const a = flat(after);
  const keys = [...new Set([...b.keys(), ...a.keys()])].sort();
  return keys.filter((k) => JSON.stringify(b.get(k)) !== JSON.stringify(a.get(k))).map((k) => `${k}: ${shortValue(b.get(k))} → ${shortValue(a.get(k))}`);
}

function ciChangeSource(repo: CauseTimelineRepository): TimelineSource {
  return {
    kind: 'change',
    async collect({ ciIds, from, to, locale, ciName }) {
      const zh = zhOf(locale);
      const rows = await repo.ciChanges(ciIds, from, to);
      return rows.map((r) => {
        const ci = ciName(r.target_id);
        const after = safeJson<Record<string, unknown>>(r.after) ?? {};
        const fields = changedFields(safeJson<Record<string, unknown>>(r.before) ?? {}, after);
        // An agent's inventory brought the host CI in line with the machine (agents/host-ci.ts).
        const byAgent = after.source === 'agent';
        const shown = fields.slice(0, MAX_FIELDS_SHOWN).join('; ') + (fields.length > MAX_FIELDS_SHOWN ? (zh ? ` 等 ${fields.length} 项` : ` and ${fields.length - MAX_FIELDS_SHOWN} more`) : '');
        return {
          id: `change:${r.id}`,
          kind: 'change' as const,
          at: r.ts,
          ciId: r.target_id,
          title: byAgent ? (zh ? `代理上报的资产清单变更了 ${ci}` : `The agent's inventory changed ${ci}`) : zh ? `${r.actor_name} 修改了配置项 ${ci}` : `${r.actor_name} changed ${ci}`,
          detail: shown,
          severity: 'info' as const,
          signal: 'change' as const,
          link: `/cmdb/cis/${r.target_id}`,
        };
      });
    },
  };
}

/**
 * Metric anomalies: a 5-minute average in the window more than 3σ from the series' 5-minute averages
 * over the 24 hours before the window. Why not the hour-of-week baseline (alerting/baseline.ts)? It
 * needs weeks of hourly rollups per series — for 50 CIs × their series that is tens of thousands of
 * rows per request, against a 500 ms budget; the preceding day is one aggregate query per chunk of
 * series (count, Σx, Σx² in SQL) plus the window's buckets. Daily rhythms can pass for anomalies,
 * weekly ones cannot be seen — baseline alert rules (which do use the hour of the week) show up as
 * alerts anyway. Only the first bucket of each run of deviating buckets becomes an event, with the
 * run's largest deviation. Rollups lag the samples by a few minutes: the newest minutes are not judged.
 */
export const ANOMALY_SIGMA = 3;
const ANOMALY_MIN_BUCKETS = 12;
const BASELINE_MS = 24 * 3_600_000;
const MAX_SERIES = 2000;
const HIDDEN_LABELS = new Set(['ci', 'ci_name', 'job', 'instance', '__name__']);

function seriesLabel(metric: string, labelsJson: string): string {
  const labels = safeJson<Record<string, string>>(labelsJson) ?? {};
  const shown = Object.entries(labels)
    .filter(([k]) => !HIDDEN_LABELS.has(k))
    .map(([k, v]) => `${k}="${v}"`);
  return shown.length ? `${metric}{${shown.join(',')}}` : metric;
}

function round(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(3);
}

function metricSource(repo: CauseTimelineRepository): TimelineSource {
  return {
    kind: 'metric',
    async collect({ ciIds, from, to, locale, ciName }) {
      const zh = zhOf(locale);
      const series = await repo.seriesOf(ciIds, MAX_SERIES);
      if (series.length === 0) {
        return [];
      }
      const ids = series.map((s) => s.id);
      const stats = new Map((await repo.bucketStats(ids, from - BASELINE_MS, from)).map((s) => [s.series_id, s]));
      const judged = ids.filter((id) => (stats.get(id)?.n ?? 0) >= ANOMALY_MIN_BUCKETS);
      if (judged.length === 0) {
        return [];
      }
      const bySeries = new Map(series.map((s) => [s.id, s]));
      const events: SourceEvent[] = [];
      let run: { seriesId: number; at: number; value: number; z: number } | null = null;
      let lastTs = 0;
      const flush = () => {
        if (!run) {
          return;
        }
        const s = bySeries.get(run.seriesId)!;
        const st = stats.get(run.seriesId)!;
        const mean = st.s1 / st.n;
        const sd = Math.sqrt(Math.max(0, st.s2 / st.n - mean * mean));
        const label = seriesLabel(s.metric, s.labels);
        const ci = ciName(s.ci_id);
        const z = Number.isFinite(run.z) ? `${run.z.toFixed(1)}σ` : '∞σ';
        events.push({
          id: `metric:${run.seriesId}:${run.at}`,
          kind: 'metric',
          at: run.at,
          ciId: s.ci_id,
          title: zh ? `${ci} 的 ${label} 偏离基线` : `${label} on ${ci} left its baseline`,
          detail: zh
            ? `5 分钟均值 ${round(run.value)}，前 24 小时 ${round(mean)} ± ${round(sd)}（${z}）`
            : `5-minute average ${round(run.value)}, previous 24 h ${round(mean)} ± ${round(sd)} (${z})`,
          severity: 'warning',
          signal: 'problem',
          link: `/monitoring/hosts/${s.ci_id}`,
        });
        run = null;
      };
      for (const b of await repo.buckets(judged, from, to)) {
        const st = stats.get(b.series_id)!;
        const mean = st.s1 / st.n;
        const sd = Math.sqrt(Math.max(0, st.s2 / st.n - mean * mean));
        const diff = Math.abs(b.avg - mean);
        // A σ of 0 (a constant history): any change is a deviation (as in alerting/baseline.ts).
        const z = sd > 0 ? diff / sd : diff > 1e-9 * Math.max(1, Math.abs(mean)) ? Number.POSITIVE_INFINITY : 0;
        const deviates = z > ANOMALY_SIGMA;
        const continues = run !== null && run.seriesId === b.series_id && b.bucket_ts - lastTs <= 5 * 60_000;
        if (!deviates || !continues) {
          flush();
        }
        if (deviates) {
          if (run === null) {
            run = { seriesId: b.series_id, at: b.bucket_ts, value: b.avg, z };
          } else if (z > run.z) {
            Object.assign(run, { value: b.avg, z });
          }
        }
        lastTs = b.bucket_ts;
      }
      flush();
      return events;
    },
  };
}

const BUCKET_MS = 5 * 60_000;

/**
 * Agents going silent and coming back, read from the gaps in their host metrics' 5-minute rollups
 * (agents keep only their last contact, no history of it). A gap longer than twice the agent's
 * interval, and at least 10 minutes, is a silence. Only buckets the rollup has finished are judged,
 * so the newest minutes never read as silence.
 */
function agentSource(repo: CauseTimelineRepository): TimelineSource {
  return {
    kind: 'agent',
    async collect({ ciIds, from, to, locale, ciName }) {
      const zh = zhOf(locale);
      const agents = await repo.agentsOf(ciIds);
      if (agents.length === 0) {
        return [];
      }
      const doneUntil = await repo.rollupDoneUntil();
      if (doneUntil === null) {
        return [];
      }
      const series = await repo.hostSeries([...new Set(agents.map((a) => a.ci_id))], HOST_METRIC_PREFIX);
      const seriesOfCi = new Map(series.map((s) => [s.ciId, s.seriesId]));
      const maxGap = Math.max(...agents.map((a) => gapOf(a.interval_seconds)));
      const end = Math.min(to, doneUntil - BUCKET_MS);
      const buckets = await repo.bucketTimes(series.map((s) => s.seriesId), from - maxGap, end);
      const bySeries = new Map<number, number[]>();
      for (const b of buckets) {
        bySeries.set(b.series_id, [...(bySeries.get(b.series_id) ?? []), b.bucket_ts]);
      }
      const events: SourceEvent[] = [];
      for (const agent of agents) {
        const seriesId = seriesOfCi.get(agent.ci_id);
        const times = seriesId === undefined ? [] : (bySeries.get(seriesId) ?? []);
        const gap = gapOf(agent.interval_seconds);
        const ci = ciName(agent.ci_id);
        const silent = (at: number, span: number | null) =>
          events.push({
            id: `agent:${agent.id}:silent:${at}`,
            kind: 'agent',
            at,
            ciId: agent.ci_id,
            title: zh ? `代理 ${agent.hostname} 失联：${ci}` : `Agent ${agent.hostname} on ${ci} went silent`,
            detail: span === null ? (zh ? '此后未再收到指标' : 'no metrics since') : zh ? `${spanText(span, locale)} 未收到指标` : `no metrics for ${spanText(span, locale)}`,
            severity: 'warning',
            signal: 'problem',
            link: `/monitoring/hosts/${agent.ci_id}`,
          });
        const back = (at: number, span: number) =>
          events.push({
            id: `agent:${agent.id}:back:${at}`,
            kind: 'agent',
            at,
            ciId: agent.ci_id,
            title: zh ? `代理 ${agent.hostname} 恢复上报：${ci}` : `Agent ${agent.hostname} on ${ci} reported again`,
            detail: zh ? `中断 ${spanText(span, locale)}` : `after ${spanText(span, locale)} without metrics`,
            severity: 'info',
            signal: 'recovery',
            link: `/monitoring/hosts/${agent.ci_id}`,
          });
        for (let i = 1; i < times.length; i++) {
          const span = times[i]! - times[i - 1]!;
          if (span > gap) {
            const lastSeen = times[i - 1]! + BUCKET_MS;
            if (lastSeen >= from) {
              silent(lastSeen, span - BUCKET_MS);
            }
            if (times[i]! >= from) {
              back(times[i]!, span - BUCKET_MS);
            }
          }
        }
        // Silent until the end of what is judged (an agent enrolled meanwhile has nothing before).
        const last = times.length ? times[times.length - 1]! + BUCKET_MS : Math.max(from, agent.enrolled_at);
        if (end - last > gap && last >= from && last <= to && (times.length > 0 || agent.enrolled_at < from)) {
          silent(last, null);
        }
      }
      return events;
    },
  };
}

/** The gap that counts as silence for an agent pushing every `intervalS` seconds, in whole buckets. */
function gapOf(intervalS: number): number {
  return Math.ceil(Math.max(10 * 60_000, 2 * intervalS * 1000) / BUCKET_MS) * BUCKET_MS;
}

function safeJson<T>(text: string | null): T | null {
  if (text === null) {
    return null;
  }
  try {
    return fromJson<T>(text);
  } catch {
    return null;
  }
}

/** Every source of evidence, in the order of the chart's rows. */
export function timelineSources(db: Kysely<Database>): TimelineSource[] {
  const repo = new CauseTimelineRepository(db);
  return [alertSource(repo), checkSource(repo), metricSource(repo), agentSource(repo), ciChangeSource(repo)];
}
