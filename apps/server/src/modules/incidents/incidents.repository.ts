import { sql, type Kysely } from 'kysely';
import type { IncidentListQuery } from '@yunwei/contracts/incidents';
import type { Database } from '../../db/schema.js';
import type { IncidentTable } from './incidents.tables.js';

const OPEN = ['new', 'in_progress', 'on_hold'] as const;

/** Who may see which incidents in a list: everything, some units (plus their own), or only their own reports. */
export type IncidentVisibility = { all: true } | { all: false; units: readonly string[]; userId: string | null; ownOnly: boolean };

export class IncidentsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async find(id: string): Promise<IncidentTable | undefined> {
    return this.db.selectFrom('incident').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async ciIds(incidentId: string): Promise<string[]> {
    return (await this.db.selectFrom('incident_ci').select('ci_id').where('incident_id', '=', incidentId).execute()).map((r) => r.ci_id);
  }

  async pauses(incidentId: string) {
    return this.db.selectFrom('incident_pause').selectAll().where('incident_id', '=', incidentId).orderBy('from_at').execute();
  }

  /** The next number of the year, by one conditional UPDATE (or the year's first INSERT). */
  async nextNumber(trx: Kysely<Database>, year: number): Promise<number> {
    const updated = await trx.updateTable('incident_number_seq').set((eb) => ({ last_seq: eb('last_seq', '+', 1) })).where('year', '=', year).returning('last_seq').executeTakeFirst();
    if (updated) {
      return Number(updated.last_seq);
    }
    await trx.insertInto('incident_number_seq').values({ year, last_seq: 1 }).execute();
    return 1;
  }

  async list(q: IncidentListQuery, visibility: IncidentVisibility, userId: string | null, groupIds: readonly string[]): Promise<{ rows: IncidentTable[]; total: number }> {
    let query = this.db.selectFrom('incident as i');
    if (!visibility.all) {
      const v = visibility;
      query = v.ownOnly
        ? query.where('i.reporter_id', '=', v.userId ?? '')
        : query.where((eb) =>
            eb.or([
              ...(v.units.length ? [eb('i.org_unit_id', 'in', v.units)] : []),
              eb('i.org_unit_id', 'is', null),
              eb('i.reporter_id', '=', v.userId ?? ''),
              eb('i.assignee_id', '=', v.userId ?? ''),
            ]),
          );
    }
    if (q.status?.length) {
      query = query.where('i.status', 'in', q.status);
    } else if (q.open) {
      query = query.where('i.status', 'in', [...OPEN]);
    }
    if (q.priority?.length) {
      query = query.where('i.priority', 'in', q.priority);
    }
    if (q.typeId) {
      // A type matches its descendants too.
      const ids = await this.#typeAndDescendants(q.typeId);
      query = query.where('i.type_id', 'in', ids);
    }
    if (q.natureId) {
      query = query.where('i.nature_id', '=', q.natureId);
    }
    if (q.assigneeId) {
      query = query.where('i.assignee_id', '=', q.assigneeId);
    }
    if (q.mine) {
      query = query.where((eb) => eb.or([eb('i.assignee_id', '=', userId ?? ''), ...(groupIds.length ? [eb.and([eb('i.assignee_id', 'is', null), eb('i.group_id', 'in', groupIds)])] : [])]));
    }
    if (q.source) {
      query = query.where('i.source', '=', q.source);
    }
    if (q.major !== undefined) {
      query = query.where('i.major', '=', q.major ? 1 : 0);
    }
    if (q.from !== undefined) {
      query = query.where('i.detected_at', '>=', q.from);
    }
    if (q.to !== undefined) {
      query = query.where('i.detected_at', '<', q.to);
    }
    if (q.ciId) {
      // An uncorrelated IN over the (ci_id, incident_id) index: a correlated EXISTS made PostgreSQL scan every incident.
      query = query.where('i.id', 'in', this.db.selectFrom('incident_ci').select('incident_id').where('ci_id', '=', q.ciId));
    }
    const text = q.q?.trim().toLowerCase();
    if (text) {
      const like = `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      query = query.where((eb) => eb.or([eb(sql`lower(i.title)`, 'like', sql`${like} escape '\\'`), eb(sql`lower(i.number)`, 'like', sql`${like} escape '\\'`)]));
    }
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const [rows, count] = await Promise.all([
      query.selectAll('i').orderBy('i.detected_at', 'desc').orderBy('i.id', 'desc').limit(limit).offset(offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    ]);
    return { rows, total: Number(count?.n ?? 0) };
  }

  async #typeAndDescendants(typeId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('incident_type').select(['id', 'parent_id']).execute();
    const out = [typeId];
    for (let i = 0; i < out.length; i++) {
      out.push(...rows.filter((r) => r.parent_id === out[i]).map((r) => r.id));
    }
    return out;
  }
}
