import type { Kysely } from 'kysely';
import type { AlertGroup, AlertGroupList } from '@yunwei/contracts/alert-routing';
import { fromJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { cisInReach } from './ci-reach.js';

const num = (v: number | null) => (v === null ? null : Number(v));

/**
 * The ids of the groups, of `rows`, whose alerts all lie in `units`: the alerts of their last
 * notification and of every message of the running episode, each without a CI (seen by every
 * reader, as in the alert list) or with a CI of those units now. A group with no alert known yet
 * (waiting for its first message) or holding an alert of another unit is the whole organisation's:
 * its labels, count and escalation speak of other units' alerts.
 */
async function groupsWithin(db: Kysely<Database>, rows: { id: string; first_seen_at: number | null; notified: string }[], units: ReadonlySet<string>): Promise<Set<string>> {
  const members = new Map(rows.map((r) => [r.id, new Set(fromJson<string[]>(r.notified).map((k) => k.split('|')[0]!))]));
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    const logs = await db.selectFrom('alert_dispatch_log').select(['group_id', 'at', 'alert_ids']).where('group_id', 'in', chunk.map((r) => r.id)).execute();
    const since = new Map(chunk.map((r) => [r.id, Number(r.first_seen_at)]));
    logs.filter((l) => Number(l.at) >= since.get(l.group_id)!).forEach((l) => fromJson<string[]>(l.alert_ids).forEach((id) => members.get(l.group_id)!.add(id)));
  }
  const alertIds = [...new Set([...members.values()].flatMap((m) => [...m]))];
  const ciOf = new Map<string, string | null>();
  for (let i = 0; i < alertIds.length; i += 500) {
    (await db.selectFrom('alert').select(['id', 'ci_id']).where('id', 'in', alertIds.slice(i, i + 500)).execute()).forEach((a) => ciOf.set(a.id, a.ci_id));
  }
  const inReach = await cisInReach(db, [...ciOf.values()].filter((c): c is string => c !== null), units);
  const alertInReach = (id: string) => ciOf.has(id) && (ciOf.get(id) === null || inReach.has(ciOf.get(id)!));
  return new Set([...members].filter(([, ids]) => ids.size > 0 && [...ids].every(alertInReach)).map(([id]) => id));
}

/** Current names of the CIs, checks and rules that group labels hold ids of, keyed `label:id`. */
async function idLabelNames(db: Kysely<Database>, labelSets: readonly Record<string, string>[]): Promise<Map<string, string>> {
  const tables = { ci: 'cmdb_ci', check: 'check_definition', rule: 'alert_rule' } as const;
  const out = new Map<string, string>();
  for (const [label, table] of Object.entries(tables) as [keyof typeof tables, (typeof tables)[keyof typeof tables]][]) {
    const ids = [...new Set(labelSets.map((l) => l[label]).filter((v): v is string => v !== undefined))];
    for (let i = 0; i < ids.length; i += 500) {
      for (const r of await db.selectFrom(table).select(['id', 'name']).where('id', 'in', ids.slice(i, i + 500)).execute()) {
        out.set(`${label}:${r.id}`, r.name);
      }
    }
  }
  return out;
}

/**
 * The groups with an episode running (waiting for their first notification or notified), newest
 * first; to a reader limited to `units` (null: unrestricted), those of their alerts only.
 */
export async function listGroups(db: Kysely<Database>, units: ReadonlySet<string> | null): Promise<AlertGroupList> {
  const rows = await db
    .selectFrom('alert_group as g')
    .innerJoin('alert_notification_policy as p', 'p.id', 'g.policy_id')
    .leftJoin('alert_escalation_state as s', 's.group_id', 'g.id')
    .select(['g.id', 'g.policy_id', 'p.name as policy_name', 'p.name_en as policy_name_en', 'g.labels', 'g.first_seen_at', 'g.last_notified_at', 'g.next_flush_at', 'g.notified'])
    .select(['s.policy_id as escalation_policy_id', 's.next_step', 's.next_at', 's.stopped_at', 's.stop_reason'])
    .where('g.first_seen_at', 'is not', null)
    .orderBy('g.first_seen_at', 'desc')
    .limit(500)
    .execute();
  const visible = units === null ? null : await groupsWithin(db, rows, units);
  const shown = rows.filter((r) => visible === null || visible.has(r.id)).map((r) => ({ ...r, labels: fromJson<Record<string, string>>(r.labels) }));
  const names = await idLabelNames(db, shown.map((r) => r.labels));
  const items = shown.map(
    (r): AlertGroup => ({
      id: r.id,
      policyId: r.policy_id,
      policyName: r.policy_name,
      policyNameEn: r.policy_name_en,
      labels: r.labels,
      labelNames: Object.fromEntries(Object.entries(r.labels).flatMap(([k, v]) => (names.has(`${k}:${v}`) ? [[k, names.get(`${k}:${v}`)!]] : []))),
      state: r.last_notified_at === null ? 'waiting' : 'notified',
      alertCount: fromJson<string[]>(r.notified).length,
      firstSeenAt: num(r.first_seen_at),
      lastNotifiedAt: num(r.last_notified_at),
      nextFlushAt: num(r.next_flush_at),
      escalation: r.escalation_policy_id ? { policyId: r.escalation_policy_id, nextStep: Number(r.next_step), nextAt: num(r.next_at), stoppedAt: num(r.stopped_at), stopReason: r.stop_reason } : null,
    }),
  );
  return { items };
}
