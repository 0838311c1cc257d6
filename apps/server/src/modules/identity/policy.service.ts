import { DEFAULT_SECURITY_POLICY, type SecurityPolicy, type SecurityPolicyUpdate } from '@yunwei/contracts/identity';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { fromJson, toJson } from '../../db/dialect.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { assertSeparationCanBeEnabled } from '../access/separation-of-duties.js';

const CACHE_MS = 2_000;
const cache = new WeakMap<object, { at: number; policy: SecurityPolicy }>();

/** The security policy (password, lockout, session, MFA, separation of duties, audit retention). */
export class PolicyService {
  /** `permissions` is needed by `update` only (switching separation of duties back on checks every grant). */
  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit'> & Partial<Pick<ModuleContext, 'permissions'>>) {}

  /**
   * Read on every request by the authenticator, so briefly cached per database.
   * `db`: pass the transaction when called inside one (SQLite has a single connection). Then the read
   * bypasses the cache: a write that depends on the policy (separation of duties) must judge by what
   * its own transaction sees, not by a copy up to CACHE_MS old or from before another node's change.
   */
  async get(db: Kysely<Database> = this.ctx.db): Promise<SecurityPolicy> {
    const inTransaction = db !== this.ctx.db;
    const hit = cache.get(this.ctx.db);
    if (!inTransaction && hit && Date.now() - hit.at < CACHE_MS) {
      return hit.policy;
    }
    const row = await db.selectFrom('security_policy').select('policy').where('id', '=', 1).executeTakeFirst();
    const policy = { ...DEFAULT_SECURITY_POLICY, ...(row ? fromJson<Partial<SecurityPolicy>>(row.policy) : {}) };
    if (!inTransaction) {
      cache.set(this.ctx.db, { at: Date.now(), policy });
    }
    return policy;
  }

  async update(actor: Actor, patch: SecurityPolicyUpdate): Promise<SecurityPolicy> {
    if (patch.auditRetentionDays !== undefined && patch.auditRetentionDays < 180) {
      throw new AppError('YW_AUDIT_RETENTION_TOO_SHORT', { field: 'body.auditRetentionDays' });
    }
    const before = await this.get();
    const after: SecurityPolicy = { ...before, ...patch };
    const now = Date.now();
    const enablingSeparation = after.separationOfDuties && !before.separationOfDuties;
    if (enablingSeparation && !this.ctx.permissions) {
      throw new Error('PolicyService.update needs the permission registry to switch separation of duties on');
    }
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        const exists = await trx.selectFrom('security_policy').select('id').where('id', '=', 1).executeTakeFirst();
        if (exists) {
          await trx.updateTable('security_policy').set({ policy: toJson(after), updated_at: now }).where('id', '=', 1).execute();
        } else {
          await trx.insertInto('security_policy').values({ id: 1, policy: toJson(after), updated_at: now }).execute();
        }
        await this.ctx.audit.record(trx, { actor, action: 'identity.policy.update', targetType: 'security_policy', targetId: '1', before, after });
        if (enablingSeparation) {
          // Nobody may be left holding audit and administrative permissions together (三员分立, issue #10.3).
          await assertSeparationCanBeEnabled(trx, this.ctx.permissions!);
        }
      });
    } catch (error) {
      if (error instanceof AppError && error.code === 'YW_SOD_ENABLE_CONFLICT') {
        await this.ctx.audit.recordNow({ actor, action: 'identity.policy.update', targetType: 'security_policy', targetId: '1', outcome: 'failure', before, after: { ...after, refused: error.details } });
      }
      throw error;
    }
    cache.delete(this.ctx.db);
    return after;
  }
}
