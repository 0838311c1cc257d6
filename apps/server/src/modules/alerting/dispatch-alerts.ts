import type { Kysely } from 'kysely';
import { fromJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { normalise } from './alert-state.js';
import { listAlertsForDispatch, type AlertRow } from './alert.repository.js';
import type { Labels } from './routing-matchers.js';

/**
 * The alerts half's `alert` rows as the routing half uses them (the only file of routing that
 * reads them).
 */
export interface DispatchAlert {
  id: string;
  ruleId: string;
  ruleName: string;
  /** The rule's English name, when it has one (English messages say it). */
  ruleNameEn: string | null;
  severity: 'warning' | 'critical';
  state: 'pending' | 'firing' | 'acknowledged' | 'resolved';
  labels: Labels;
  annotations: { zh?: { summary?: string; description?: string }; en?: { summary?: string; description?: string } };
  value: number | null;
  threshold: number | null;
  ciId: string | null;
  firingAt: number | null;
  ackedAt: number | null;
  resolvedAt: number | null;
}

function view(r: AlertRow): DispatchAlert {
  const labels = fromJson<Record<string, string>>(r.labels);
  return {
    id: r.id,
    ruleId: r.rule_id,
    ruleName: r.rule_name,
    ruleNameEn: r.rule_name_en ?? null,
    severity: r.severity as DispatchAlert['severity'],
    state: r.state as DispatchAlert['state'],
    labels,
    annotations: fromJson<DispatchAlert['annotations'] | null>(r.annotations) ?? {},
    value: r.value,
    threshold: r.threshold,
    ciId: r.ci_id ?? labels.ci ?? null,
    firingAt: r.firing_at,
    ackedAt: r.acked_at,
    resolvedAt: r.resolved_at,
  };
}

/** Every open alert (pending, firing, acknowledged). */
export async function openAlerts(db: Kysely<Database>, now: number): Promise<DispatchAlert[]> {
  const rows = await listAlertsForDispatch(db, { since: now + 1 });
  return rows.filter((r) => r.state !== 'resolved').map(view);
}

/** Alerts by id, whatever their state (those a group notified and that are gone from the open set). */
export async function alertsByIds(db: Kysely<Database>, ids: readonly string[]): Promise<DispatchAlert[]> {
  const out: DispatchAlert[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom('alert').selectAll().where('id', 'in', ids.slice(i, i + 500)).execute();
    out.push(...rows.map((r) => view(normalise(r))));
  }
  return out;
}
