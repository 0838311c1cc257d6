import type { Kysely, Migration } from 'kysely';
import { epochType, fromJson } from '../../db/dialect.js';

/**
 * Issue 10: the delivery log follows the data scope. Each delivery of a group message gets the
 * alerts it is about with their CIs, so that the notify module's list can be filtered in SQL (with
 * its count and pages); the dispatch log keeps them as a JSON array, which neither dialect can
 * join without its own functions. Deliveries already sent are filled in from the dispatch log; an
 * alert gone since gets the CI '?' (unknown: only unrestricted readers see that delivery).
 */
export const deliveryAlertsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('alert_delivery_alert')
      .addColumn('delivery_id', 'text', (c) => c.notNull())
      .addColumn('alert_id', 'text', (c) => c.notNull())
      .addColumn('ci_id', 'text')
      .addColumn('at', epochType, (c) => c.notNull())
      .addPrimaryKeyConstraint('alert_delivery_alert_pk', ['delivery_id', 'alert_id'])
      .execute();
    await db.schema.createIndex('alert_delivery_alert_at').on('alert_delivery_alert').column('at').execute();

    const logs: { delivery_id: string; alert_ids: string; at: number }[] = await db.selectFrom('alert_dispatch_log').select(['delivery_id', 'alert_ids', 'at']).where('delivery_id', 'is not', null).execute();
    const ciOf = new Map<string, string | null>();
    const alertIds = [...new Set(logs.flatMap((l) => fromJson<string[]>(l.alert_ids)))];
    for (let i = 0; i < alertIds.length; i += 500) {
      const rows: { id: string; ci_id: string | null }[] = await db.selectFrom('alert').select(['id', 'ci_id']).where('id', 'in', alertIds.slice(i, i + 500)).execute();
      rows.forEach((r) => ciOf.set(r.id, r.ci_id));
    }
    // One delivery id has one dispatch-log row; the map guards against a repeated pair all the same.
    const rows = new Map<string, { delivery_id: string; alert_id: string; ci_id: string | null; at: number }>();
    for (const l of logs) {
      for (const alertId of fromJson<string[]>(l.alert_ids)) {
        rows.set(`${l.delivery_id}\u0000${alertId}`, { delivery_id: l.delivery_id, alert_id: alertId, ci_id: ciOf.has(alertId) ? ciOf.get(alertId)! : '?', at: Number(l.at) });
      }
    }
    const values = [...rows.values()];
    for (let i = 0; i < values.length; i += 200) {
      await db.insertInto('alert_delivery_alert').values(values.slice(i, i + 200)).execute();
    }
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('alert_delivery_alert').execute();
  },
};
