import type { Kysely } from 'kysely';
import type { AuditQuery } from '@yunwei/contracts/audit';
import type { Database } from '../../db/schema.js';
import { containsText } from '../../db/dialect.js';
import type { AuditLogTable } from '../../platform/audit/audit.tables.js';

export type AuditRow = Omit<AuditLogTable, 'id'> & { id: number };

/** Read-only queries over the audit trail: there is deliberately no update or delete here. */
export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  #filtered(query: Omit<AuditQuery, 'offset' | 'limit'>) {
    let q = this.db.selectFrom('audit_log');
    if (query.from !== undefined) {
      q = q.where('ts', '>=', query.from);
    }
    if (query.to !== undefined) {
      q = q.where('ts', '<=', query.to);
    }
    if (query.actor) {
      q = q.where('actor_name', '=', query.actor);
    }
    if (query.action) {
      q = q.where('action', 'like', `${query.action.replace(/[\\%_]/g, '')}%`);
    }
    if (query.targetType) {
      q = q.where('target_type', '=', query.targetType);
    }
    if (query.outcome) {
      q = q.where('outcome', '=', query.outcome);
    }
    if (query.q) {
      const text = query.q;
      q = q.where((eb) => eb.or([containsText(this.db, 'actor_name', text), containsText(this.db, 'action', text), containsText(this.db, 'target_id', text), containsText(this.db, 'after', text), containsText(this.db, 'before', text), containsText(this.db, 'ip', text)]));
    }
    return q;
  }

  async search(query: AuditQuery): Promise<{ rows: AuditRow[]; total: number }> {
    const base = this.#filtered(query);
    const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await base.selectAll().orderBy('id', 'desc').offset(query.offset ?? 0).limit(query.limit ?? 50).execute();
    return { rows, total: Number(total) };
  }

  /** Streams matching rows in id order, in pages (exports of any size without loading it all). */
  async *scan(query: Omit<AuditQuery, 'offset' | 'limit'>, pageSize = 2000): AsyncGenerator<AuditRow[]> {
    let after = 0;
    for (;;) {
      const rows = await this.#filtered(query).selectAll().where('id', '>', after).orderBy('id').limit(pageSize).execute();
      if (rows.length) {
        yield rows;
        after = rows[rows.length - 1]!.id;
      }
      if (rows.length < pageSize) {
        return;
      }
    }
  }

  /** The newest entry older than `cutoff`, where a retention purge would stop. */
  lastBefore(cutoff: number): Promise<{ id: number; hash: string } | undefined> {
    return this.db.selectFrom('audit_log').select(['id', 'hash']).where('ts', '<', cutoff).orderBy('id', 'desc').limit(1).executeTakeFirst();
  }
}
