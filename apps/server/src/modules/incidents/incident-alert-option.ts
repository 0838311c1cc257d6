import type { Kysely } from 'kysely';
import type { RuleIncidentOption } from '@yunwei/contracts/incident-alerts';
import type { Database } from '../../db/schema.js';
import { invalidField } from '../../platform/errors.js';

/**
 * An alert rule's 自动创建故障 option, checked where the rule is validated (alerting's rule service): the type and
 * nature it names exist and are enabled. Kept here so the alerting module needs one call and no incident knowledge.
 */
export async function checkIncidentOption(db: Kysely<Database>, option: RuleIncidentOption | null | undefined): Promise<void> {
  if (!option) {
    return;
  }
  if (option.typeId) {
    const row = await db.selectFrom('incident_type').select('enabled').where('id', '=', option.typeId).executeTakeFirst();
    if (!row || row.enabled !== 1) {
      throw invalidField('body.incident.typeId', { zh: '故障类型不存在或已停用', en: 'no such fault type, or it is disabled' });
    }
  }
  if (option.natureId) {
    const row = await db.selectFrom('incident_nature').select('enabled').where('id', '=', option.natureId).executeTakeFirst();
    if (!row || row.enabled !== 1) {
      throw invalidField('body.incident.natureId', { zh: '故障性质不存在或已停用', en: 'no such fault nature, or it is disabled' });
    }
  }
}
