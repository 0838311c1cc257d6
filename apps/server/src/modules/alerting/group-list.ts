import type { Kysely } from 'kysely';
import type { AlertGroup, AlertGroupList } from '@yunwei/contracts/alert-routing';
import { fromJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';

const num = (v: number | null) => (v === null ? null : Number(v));

/** The groups with an episode running (waiting for their first notification or notified), newest first. */
export async function listGroups(db: Kysely<Database>): Promise<AlertGroupList> {
  const rows = await db
    .selectFrom('alert_group as g')
    .innerJoin('alert_notification_policy as p', 'p.id', 'g.policy_id')
    .leftJoin('alert_escalation_state as s', 's.group_id', 'g.id')
    .select(['g.id', 'g.policy_id', 'p.name as policy_name', 'g.labels', 'g.first_seen_at', 'g.last_notified_at', 'g.next_flush_at', 'g.notified'])
    .select(['s.policy_id as escalation_policy_id', 's.next_step', 's.next_at', 's.stopped_at', 's.stop_reason'])
    .where('g.first_seen_at', 'is not', null)
    .orderBy('g.first_seen_at', 'desc')
    .limit(500)
    .execute();
  const items = rows.map(
    (r): AlertGroup => ({
      id: r.id,
      policyId: r.policy_id,
      policyName: r.policy_name,
      labels: fromJson<Record<string, string>>(r.labels),
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
