import type { Kysely } from 'kysely';
import type { PermissionId } from '@yunwei/contracts/access';
import { INSPECTION_PERMISSIONS as P } from '@yunwei/contracts/inspections';
import type { Database } from '../../db/schema.js';
import { type Actor, inScope } from '../../platform/actor.js';
import { requireReach } from '../../platform/data-scope.js';
import { AppError } from '../../platform/errors.js';
import { scopeOf, unitsOfCis } from '../cmdb/cmdb.shared.js';
import type { InspectionResultTable } from './inspections.tables.js';

// Data scope of inspection records, row by row: each row belongs to the CMDB org unit its CI has now
// (a CI deleted since has none: only unrestricted readers see its rows).

/** The rows of `results` whose CI lies in the actor's scope for `permission`. */
export async function resultsInScope(db: Kysely<Database>, actor: Actor, permission: PermissionId, results: InspectionResultTable[]): Promise<InspectionResultTable[]> {
  if (scopeOf(actor, permission) === null) {
    return results;
  }
  const units = await unitsOfCis(db, results.map((r) => r.ci_id));
  return results.filter((r) => inScope(actor, permission, units.get(r.ci_id) ?? null));
}

/** One row for `permission`: outside the reader's scope it does not exist (404); readable only, a 403. */
export async function requireResultReach(db: Kysely<Database>, actor: Actor, permission: PermissionId, row: InspectionResultTable): Promise<void> {
  const unit = (await unitsOfCis(db, [row.ci_id])).get(row.ci_id) ?? null;
  requireReach(actor, unit, permission, P.recordRead, () => new AppError('YW_INSPECTION_RESULT_NOT_FOUND', { recordId: row.record_id, resultId: row.id }));
}
