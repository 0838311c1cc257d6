import { HOST_METRIC_PREFIX, type AgentSample } from '@yunwei/contracts/agents';
import { invalidField } from '../../platform/errors.js';
import { checkSample, isRefusal, seriesRef, type PreparedSample, type SeriesRef } from '../monitoring/series.js';

/** Who pushed: the labels the server sets on every sample, whatever the payload says. */
export interface AgentIdentity {
  agentId: string;
  ciId: string;
}

/**
 * Samples of an agent push, all valid or a 400 naming the first bad field. Only host metrics are
 * accepted, and `ci` / `agent` are set from the agent's identity: a payload cannot write another
 * host's series. Client timestamps are kept, so replayed samples land where they were measured (and
 * a second replay of the same samples rewrites the same points).
 */
export function agentSamples(samples: readonly AgentSample[], who: AgentIdentity, now: number): PreparedSample[] {
  const out: PreparedSample[] = new Array(samples.length);
  const memo = new Map<string, SeriesRef>();
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    if (!s.metric.startsWith(HOST_METRIC_PREFIX)) {
      throw invalidField(`body.samples.${i}.metric`, { zh: `代理只能上报主机指标（名称以 ${HOST_METRIC_PREFIX} 开头）`, en: `agents push host metrics only (names starting with ${HOST_METRIC_PREFIX})` });
    }
    const labels = { ...s.labels, ci: who.ciId, agent: who.agentId };
    const memoKey = `${s.metric}\u0000${JSON.stringify(s.labels ?? {})}`;
    let ref = memo.get(memoKey);
    if (!ref) {
      const r = seriesRef(s.metric, labels);
      if (isRefusal(r)) {
        throw invalidField(`body.samples.${i}.${r.at}`, r.message);
      }
      ref = r;
      memo.set(memoKey, ref);
    }
    const bad = checkSample(s.ts, s.value, now);
    if (bad) {
      throw invalidField(`body.samples.${i}.${bad.at}`, bad.message);
    }
    out[i] = { series: ref, ts: s.ts, value: s.value };
  }
  return out;
}
