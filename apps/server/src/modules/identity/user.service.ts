import { uuidv7 } from 'uuidv7';
import type { PageOf } from '@yunwei/contracts/common';
import { IDENTITY_PERMISSIONS, type SecurityPolicy, type User, type UserCreate, type UserQuery, type UserUpdate } from '@yunwei/contracts/identity';
import type { AssignmentView, RoleAssignment } from '@yunwei/contracts/access';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { isUniqueViolation } from '../../db/dialect.js';
import { type Actor, requireScope } from '../../platform/actor.js';
import { hashPassword, verifyPassword } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { AccessService } from '../access/access.service.js';
import { OrgService } from '../org/org.service.js';
import { passwordProblems } from './password-rules.js';
import { PolicyService } from './policy.service.js';
import { UserRepository, type UserRow } from './user.repository.js';

export function userView(row: UserRow, roles: AssignmentView[], now = Date.now()): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    phone: row.phone,
    orgUnitId: row.org_unit_id,
    status: row.status,
    locked: row.locked_until !== null && row.locked_until > now,
    lockedUntil: row.locked_until !== null && row.locked_until > now ? row.locked_until : null,
    mfaEnabled: row.mfa_secret !== null,
    mustChangePassword: row.must_change_password === 1,
    passwordChangedAt: row.password_changed_at,
    lastLoginAt: row.last_login_at,
    roles,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A new account's row, before its password is stored: active, must change the password at first sign-in. */
export function newUserRow(input: { username: string; displayName: string; email?: string; phone?: string; orgUnitId: string | null }, now = Date.now()): UserRow {
  return {
    id: uuidv7(),
    username: input.username,
    display_name: input.displayName.trim(),
    email: input.email ?? '',
    phone: input.phone ?? '',
    org_unit_id: input.orgUnitId,
    status: 'active',
    password_hash: '',
    password_changed_at: now,
    must_change_password: 1,
    failed_attempts: 0,
    locked_until: null,
    mfa_secret: null,
    mfa_pending_secret: null,
    mfa_last_step: null,
    last_login_at: null,
    created_at: now,
    updated_at: now,
  };
}

/** Refuses a new password that breaks the policy or repeats a recent one. */
export async function checkNewPassword(repo: UserRepository, policy: SecurityPolicy, password: string, user: { id?: string; username: string }, field = 'body.password'): Promise<void> {
  const problems = passwordProblems(password, policy, user.username);
  if (problems.length) {
    throw new AppError('YW_PASSWORD_POLICY', {
      field,
      fields: problems.map((p) => ({ field, message: p })),
      explanation: { zh: problems.map((p) => p.zh).join('；'), en: problems.map((p) => p.en).join('; ') },
    });
  }
  if (user.id) {
    for (const old of await repo.recentPasswordHashes(user.id, policy.passwordHistory)) {
      if (await verifyPassword(old, password)) {
        throw new AppError('YW_PASSWORD_REUSED', { field, history: policy.passwordHistory });
      }
    }
  }
}

/** Stores a password hash and keeps the history the policy asks for. */
export async function storePassword(trx: Kysely<Database>, repo: UserRepository, policy: SecurityPolicy, userId: string, password: string, mustChange: boolean): Promise<void> {
  const hash = await hashPassword(password);
  const now = Date.now();
  await repo.update(trx, userId, { password_hash: hash, password_changed_at: now, must_change_password: mustChange ? 1 : 0, updated_at: now });
  await repo.addPasswordHistory(trx, userId, hash, policy.passwordHistory);
}

/** User accounts: list, create, change, reset, unlock, roles — within the actor's data scope. */
export class UserService {
  private readonly repo: UserRepository;
  private readonly access: AccessService;
  private readonly org: OrgService;
  private readonly policy: PolicyService;

  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit' | 'permissions'>) {
    this.repo = new UserRepository(ctx.db);
    this.access = new AccessService(ctx);
    this.org = new OrgService(ctx);
    this.policy = new PolicyService(ctx);
  }

  async list(actor: Actor, query: UserQuery): Promise<PageOf<User>> {
    const scope = actor.kind === 'system' ? 'all' : actor.scopes.get(IDENTITY_PERMISSIONS.userRead);
    const { rows, total } = await this.repo.list({
      offset: query.offset ?? 0,
      limit: query.limit ?? 50,
      q: query.q,
      orgUnitId: query.orgUnitId,
      status: query.status,
      sort: query.sort ?? 'username',
      order: query.order ?? 'asc',
      orgUnits: scope === 'all' ? null : (scope ?? new Set()),
    });
    const roles = await this.access.assignmentsOf(rows.map((r) => r.id));
    const now = Date.now();
    return { items: rows.map((r) => userView(r, roles.get(r.id) ?? [], now)), total };
  }

  async get(actor: Actor, id: string): Promise<User> {
    const row = await this.#find(id);
    requireScope(actor, IDENTITY_PERMISSIONS.userRead, row.org_unit_id);
    return this.#view(row);
  }

  async create(actor: Actor, input: UserCreate): Promise<User> {
    const orgUnitId = input.orgUnitId ?? null;
    requireScope(actor, IDENTITY_PERMISSIONS.userWrite, orgUnitId);
    await this.#requireUnit(orgUnitId);
    if (await this.repo.findByUsername(input.username)) {
      throw new AppError('YW_USERNAME_TAKEN', { field: 'body.username' });
    }
    const policy = await this.policy.get();
    await checkNewPassword(this.repo, policy, input.password, { username: input.username });
    const row = newUserRow({ ...input, orgUnitId });
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        await this.repo.insert(trx, row);
        await storePassword(trx, this.repo, policy, row.id, input.password, true);
        await this.ctx.audit.record(trx, { actor, action: 'identity.user.create', targetType: 'user', targetId: row.id, after: userView(row, []) });
        if (input.roles?.length) {
          await this.access.setAssignments(trx, actor, row.id, input.roles, row.username);
        }
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('YW_USERNAME_TAKEN', { field: 'body.username' });
      }
      throw error;
    }
    return this.#view((await this.repo.find(row.id))!);
  }

  async update(actor: Actor, id: string, input: UserUpdate): Promise<User> {
    const row = await this.#find(id);
    requireScope(actor, IDENTITY_PERMISSIONS.userWrite, row.org_unit_id);
    if (input.orgUnitId !== undefined && input.orgUnitId !== row.org_unit_id) {
      requireScope(actor, IDENTITY_PERMISSIONS.userWrite, input.orgUnitId);
      await this.#requireUnit(input.orgUnitId);
    }
    if (input.status === 'disabled' && actor.userId === id) {
      throw new AppError('YW_CANNOT_CHANGE_SELF', { field: 'body.status' });
    }
    const patch: Partial<UserRow> = {
      display_name: input.displayName?.trim() ?? row.display_name,
      email: input.email ?? row.email,
      phone: input.phone ?? row.phone,
      org_unit_id: input.orgUnitId === undefined ? row.org_unit_id : input.orgUnitId,
      status: input.status ?? row.status,
      updated_at: Date.now(),
    };
    const before = await this.#view(row);
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.repo.update(trx, id, patch);
      if (patch.status === 'disabled') {
        await trx.updateTable('session').set({ revoked_at: Date.now() }).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
      }
      await this.ctx.audit.record(trx, { actor, action: 'identity.user.update', targetType: 'user', targetId: id, before, after: userView({ ...row, ...patch }, before.roles) });
    });
    return this.#view((await this.repo.find(id))!);
  }

  /**
   * Sets a new password the user must change at next login; ends their sessions and, unless
   * `revokeTokens` is false, revokes their API tokens (whoever knew the old password may have made one).
   */
  async resetPassword(actor: Actor, id: string, password: string, revokeTokens = true): Promise<void> {
    const row = await this.#find(id);
    requireScope(actor, IDENTITY_PERMISSIONS.userWrite, row.org_unit_id);
    const policy = await this.policy.get();
    await checkNewPassword(this.repo, policy, password, row);
    await this.ctx.db.transaction().execute(async (trx) => {
      const now = Date.now();
      await storePassword(trx, this.repo, policy, id, password, true);
      await this.repo.update(trx, id, { failed_attempts: 0, locked_until: null });
      await trx.updateTable('session').set({ revoked_at: now }).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
      let tokensRevoked = 0;
      if (revokeTokens) {
        const result = await trx.updateTable('api_token').set({ revoked_at: now }).where('user_id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
        tokensRevoked = Number(result.numUpdatedRows);
      }
      await this.ctx.audit.record(trx, { actor, action: 'identity.user.reset-password', targetType: 'user', targetId: id, after: { username: row.username, mustChangePassword: true, tokensRevoked } });
    });
  }

  /**
   * An administrator's way back for a user who lost the authenticator: clears the enrolled TOTP secret
   * (and any half-done enrolment) and ends the user's sessions; the next sign-in enrols anew when the
   * policy requires MFA. Not on oneself: replacing one's own authenticator needs password + code.
   */
  async resetMfa(actor: Actor, id: string): Promise<void> {
    const row = await this.#find(id);
    requireScope(actor, IDENTITY_PERMISSIONS.mfaReset, row.org_unit_id);
    if (actor.userId === id) {
      throw new AppError('YW_CANNOT_CHANGE_SELF', { id });
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      const now = Date.now();
      await this.repo.update(trx, id, { mfa_secret: null, mfa_pending_secret: null, mfa_last_step: null, updated_at: now });
      await trx.updateTable('session').set({ revoked_at: now }).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
      await this.ctx.audit.record(trx, { actor, action: 'identity.user.mfa-reset', targetType: 'user', targetId: id, before: { username: row.username, mfaEnabled: row.mfa_secret !== null }, after: { mfaEnabled: false, sessionsEnded: true } });
    });
  }

  async unlock(actor: Actor, id: string): Promise<void> {
    const row = await this.#find(id);
    requireScope(actor, IDENTITY_PERMISSIONS.userWrite, row.org_unit_id);
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.repo.update(trx, id, { failed_attempts: 0, locked_until: null, updated_at: Date.now() });
      await this.ctx.audit.record(trx, { actor, action: 'identity.user.unlock', targetType: 'user', targetId: id, before: { lockedUntil: row.locked_until }, after: { lockedUntil: null } });
    });
  }

  async setRoles(actor: Actor, id: string, assignments: RoleAssignment[]): Promise<AssignmentView[]> {
    const row = await this.#find(id);
    requireScope(actor, IDENTITY_PERMISSIONS.userRead, row.org_unit_id);
    try {
      return await this.ctx.db.transaction().execute((trx) => this.access.setAssignments(trx, actor, id, assignments, row.username));
    } catch (error) {
      // A separation-of-duties refusal is a security event: record it after the rollback.
      if (error instanceof AppError && error.code === 'YW_SOD_CONFLICT') {
        await this.ctx.audit.recordNow({ actor, action: 'access.assignment.set', targetType: 'user', targetId: id, outcome: 'failure', after: { user: row.username, refused: error.details } });
      }
      throw error;
    }
  }

  async #find(id: string): Promise<UserRow> {
    const row = await this.repo.find(id);
    if (!row) {
      throw new AppError('YW_USER_NOT_FOUND', { id });
    }
    return row;
  }

  async #requireUnit(orgUnitId: string | null): Promise<void> {
    if (orgUnitId && !(await this.org.exists(orgUnitId))) {
      throw new AppError('YW_ORG_NOT_FOUND', { field: 'body.orgUnitId', id: orgUnitId });
    }
  }

  async #view(row: UserRow): Promise<User> {
    return userView(row, (await this.access.assignmentsOf([row.id])).get(row.id) ?? []);
  }
}
