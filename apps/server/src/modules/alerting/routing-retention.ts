import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** How long the routing half keeps what is over (the audit trail keeps who changed what for longer). */
export const ROUTING_RETENTION = {
  dispatchLogDays: 180,
  expiredSilenceDays: 180,
  /** Groups idle this long are forgotten (a new alert makes a new one). */
  idleGroupDays: 30,
} as const;

const DAY = 86_400_000;

/** Deletes dispatch-log rows, expired silences and idle groups past their retention; returns the counts. */
export async function purgeRouting(db: Kysely<Database>, now = Date.now()): Promise<{ log: number; silences: number; groups: number }> {
  const log = await db.deleteFrom('alert_dispatch_log').where('at', '<', now - ROUTING_RETENTION.dispatchLogDays * DAY).executeTakeFirst();
  // What each delivery was about goes with the dispatch log (the notify module's own log is kept shorter).
  await db.deleteFrom('alert_delivery_alert').where('at', '<', now - ROUTING_RETENTION.dispatchLogDays * DAY).execute();
  const silences = await db.deleteFrom('alert_silence').where('ends_at', '<', now - ROUTING_RETENTION.expiredSilenceDays * DAY).executeTakeFirst();
  const groups = await db.transaction().execute(async (trx) => {
    const idle = trx.selectFrom('alert_group').select('id').where('first_seen_at', 'is', null).where('updated_at', '<', now - ROUTING_RETENTION.idleGroupDays * DAY);
    await trx.deleteFrom('alert_escalation_state').where('group_id', 'in', idle).execute();
    return trx.deleteFrom('alert_group').where('first_seen_at', 'is', null).where('updated_at', '<', now - ROUTING_RETENTION.idleGroupDays * DAY).executeTakeFirst();
  });
  return { log: Number(log.numDeletedRows), silences: Number(silences.numDeletedRows), groups: Number(groups.numDeletedRows) };
}
