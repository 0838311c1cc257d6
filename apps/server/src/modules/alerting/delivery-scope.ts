import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DispatchAlert } from './dispatch-alerts.js';

/** Remembers which alerts (and their CIs) one delivery of a group message is about: the delivery log's data scope. */
export async function recordDeliveryAlerts(trx: Kysely<Database>, deliveryId: string, about: readonly DispatchAlert[], at: number): Promise<void> {
  const rows = [...new Map(about.map((a) => [a.id, { delivery_id: deliveryId, alert_id: a.id, ci_id: a.ciId, at }])).values()];
  for (let i = 0; i < rows.length; i += 200) {
    await trx.insertInto('alert_delivery_alert').values(rows.slice(i, i + 200)).execute();
  }
}

/**
 * The deliveries of group messages a reader limited to `units` may see: those whose every alert is
 * without a CI (seen by every reader, as in the alert list) or of a CI in those units now. A message
 * about a group holding alerts of other units names them in its title and text: it stays hidden.
 */
export function deliveriesWithin(db: Kysely<Database>, units: readonly string[]) {
  return db
    .selectFrom('alert_delivery_alert as m')
    .select('m.delivery_id')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('alert_delivery_alert as o')
            .select('o.alert_id')
            .whereRef('o.delivery_id', '=', 'm.delivery_id')
            .where('o.ci_id', 'is not', null)
            .where((eb) => (units.length ? eb('o.ci_id', 'not in', eb.selectFrom('cmdb_ci').select('cmdb_ci.id').where('cmdb_ci.org_unit_id', 'in', [...units])) : sql<SqlBool>`1 = 1`)),
        ),
      ),
    );
}
