import { INHIBIT_SOURCE_LABEL } from '@yunwei/contracts/alert-routing';
import { analyseImpact, type CmdbGraph } from '../cmdb/impact-analysis.js';
import type { DispatchAlert } from './dispatch-alerts.js';

export interface Inhibition {
  /** The source alert. */
  refId: string;
  sourceCiId: string;
  sourceAlertName: string;
}

/** A firing (or acknowledged) alert that says its CI is down. */
export function isInhibitSource(a: DispatchAlert): boolean {
  return a.labels[INHIBIT_SOURCE_LABEL] === 'true' && a.ciId !== null && (a.state === 'firing' || a.state === 'acknowledged');
}

/**
 * Which open alerts are inhibited, and by which source: while a source alert says CI X is down,
 * alerts of the CIs impacted by X (CMDB impact walk: what runs on / depends on X) and the other
 * alerts of X itself are inhibited. A source impacted by another source is inhibited too (the
 * hosts behind a dead switch), so only the root cause is notified. Pure.
 */
export function inhibitions(alerts: readonly DispatchAlert[], graph: CmdbGraph): Map<string, Inhibition> {
  const sources = alerts.filter(isInhibitSource);
  const out = new Map<string, Inhibition>();
  if (!sources.length) {
    return out;
  }
  const sourceOfCi = new Map<string, DispatchAlert>();
  for (const s of sources) {
    if (!sourceOfCi.has(s.ciId!)) {
      sourceOfCi.set(s.ciId!, s);
    }
  }
  // One walk per failed CI (a failed CI is never listed as impacted by a walk that starts at it,
  // so a single walk from all of them would miss a source behind another source).
  const reach = new Map<string, Map<string, number>>();
  for (const ci of sourceOfCi.keys()) {
    reach.set(ci, new Map(analyseImpact(graph, [ci]).impacted.filter((r) => r.kind === 'ci').map((r) => [r.id, r.depth])));
  }
  // The nearest failed CI impacting `ci`; two sources impacting each other (a cycle) do not inhibit each other.
  const nearestRoot = (ci: string): string | undefined => {
    let best: string | undefined;
    let bestDepth = Number.POSITIVE_INFINITY;
    for (const [root, impacted] of reach) {
      const depth = impacted.get(ci);
      if (depth !== undefined && depth < bestDepth && !(sourceOfCi.has(ci) && reach.get(ci)?.has(root))) {
        best = root;
        bestDepth = depth;
      }
    }
    return best;
  };
  for (const a of alerts) {
    if (a.ciId === null) {
      continue;
    }
    const root = nearestRoot(a.ciId) ?? (sourceOfCi.has(a.ciId) && !isInhibitSource(a) ? a.ciId : undefined);
    const source = root === undefined ? undefined : sourceOfCi.get(root);
    if (source && source.id !== a.id) {
      out.set(a.id, { refId: source.id, sourceCiId: source.ciId!, sourceAlertName: source.ruleName });
    }
  }
  return out;
}
