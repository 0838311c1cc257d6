import type { Kysely } from 'kysely';
import { ROLE_KIND_NAMES } from '@yunwei/contracts/access';
import type { DutyAccountCreated, DutyAccountInput, DutyAccountKind, DutyAccountsCreate, DutyAccountsCreated, DutyAccountsStatus, DutyHolder, DutyState } from '@yunwei/contracts/duty-accounts';
import { IDENTITY_PERMISSIONS, USERNAME_PATTERN } from '@yunwei/contracts/identity';
import type { Database } from '../../db/schema.js';
import { fromJson, isUniqueViolation } from '../../db/dialect.js';
import { type Actor, requirePermission } from '../../platform/actor.js';
import { hashPassword } from '../../platform/crypto.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { AccessRepository } from '../access/access.repository.js';
import { lockGrants, userList } from '../access/separation-of-duties.js';
import { oneTimePassword } from './one-time-password.js';
import { PolicyService } from './policy.service.js';
import { UserRepository } from './user.repository.js';
import { newUserRow, userView } from './user.service.js';

type AdminKind = 'system_admin' | 'security_admin' | 'audit_admin';
const ADMIN_KINDS: readonly AdminKind[] = ['system_admin', 'security_admin', 'audit_admin'];
const USERNAME = new RegExp(USERNAME_PATTERN);
const FIELD: Record<DutyAccountKind, 'securityAdmin' | 'auditAdmin'> = { security_admin: 'securityAdmin', audit_admin: 'auditAdmin' };

interface AdminHolder {
  id: string;
  username: string;
  displayName: string;
  status: 'active' | 'disabled';
  kinds: Set<AdminKind>;
}

/**
 * Everyone holding a built-in administrator role, whatever their status: a disabled security
 * administrator still counts, or a system administrator could disable them and create their own.
 */
async function adminHolders(db: Kysely<Database>): Promise<AdminHolder[]> {
  const rows = await db
    .selectFrom('user_role as ur')
    .innerJoin('role as r', 'r.id', 'ur.role_id')
    .innerJoin('user as u', 'u.id', 'ur.user_id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.status', 'r.kind'])
    .where('r.builtin', '=', 1)
    .where('r.kind', 'in', [...ADMIN_KINDS])
    .orderBy('u.username')
    .execute();
  const byUser = new Map<string, AdminHolder>();
  for (const r of rows) {
    const holder = byUser.get(r.id) ?? { id: r.id, username: r.username, displayName: r.display_name, status: r.status, kinds: new Set<AdminKind>() };
    holder.kinds.add(r.kind as AdminKind);
    byUser.set(r.id, holder);
  }
  return [...byUser.values()];
}

/**
 * Who holds `kind`, and whether `actor` may create its account now:
 * - audit: only while nobody holds it;
 * - security: while nobody holds it, or while its only holder is the caller, who holds it together
 *   with the system duty (the bootstrap `admin` handing it over). On the host (`yunwei init`, a system
 *   actor) while every holder holds it together with the system duty. So a second system
 *   administrator can never make themself a security administrator by creating one.
 */
function dutyState(kind: DutyAccountKind, holders: readonly AdminHolder[], actor: Actor): DutyState {
  const mine = holders.filter((h) => h.kinds.has(kind));
  const views: DutyHolder[] = mine.map((h) => ({ id: h.id, username: h.username, displayName: h.displayName, status: h.status, alsoHolds: ADMIN_KINDS.filter((k) => k !== kind && h.kinds.has(k)) }));
  const handingOver = (h: AdminHolder) => h.kinds.has('system_admin') && (actor.kind === 'system' || h.id === actor.userId);
  const open = mine.length === 0 || (kind === 'security_admin' && mine.every(handingOver));
  return { holders: views, dedicated: views.some((h) => h.alsoHolds.length === 0), open };
}

/** The API's schema already says this; `yunwei init` reaches the service without it. */
function checkPerson(field: string, person: DutyAccountInput): void {
  if (!USERNAME.test(person.username) || person.username.length < 2 || person.username.length > 64) {
    throw invalidField(`${field}.username`, { zh: '请用 2–64 个字母、数字或 . _ @ -（以字母或数字开头）', en: 'use 2–64 letters, digits or . _ @ - (starting with a letter or digit)' });
  }
  if (person.displayName.trim() === '' || person.displayName.length > 64) {
    throw invalidField(`${field}.displayName`, { zh: '请填写 1–64 个字符的显示名称', en: 'give a display name of 1–64 characters' });
  }
}

function heldMessage(kind: DutyAccountKind, state: DutyState) {
  const name = ROLE_KIND_NAMES[kind];
  const who = userList(state.holders);
  return { zh: `${name.zh}已由 ${who} 担任`, en: `${name.en} is already held by ${who}` };
}

/**
 * The first-day set-up of 三员分立 (web wizard and `yunwei init`): creates the security and the
 * audit administrator with exactly their built-in role and a one-time password, while nobody else
 * holds those duties. Creating the security administrator takes the security role from whoever held
 * it together with the system role, so the three duties end up with three people.
 */
export class DutyAccountsService {
  private readonly policy: PolicyService;

  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit' | 'permissions'>) {
    this.policy = new PolicyService(ctx);
  }

  async status(actor: Actor): Promise<DutyAccountsStatus> {
    const holders = await adminHolders(this.ctx.db);
    return { securityAdmin: dutyState('security_admin', holders, actor), auditAdmin: dutyState('audit_admin', holders, actor) };
  }

  async create(actor: Actor, input: DutyAccountsCreate): Promise<DutyAccountsCreated> {
    requirePermission(actor, IDENTITY_PERMISSIONS.dutySetup);
    const wanted = (['security_admin', 'audit_admin'] as const).flatMap((kind) => (input[FIELD[kind]] ? [{ kind, person: input[FIELD[kind]]! }] : []));
    if (wanted.length === 0) {
      throw invalidField('body', { zh: '请至少填写安全管理员或审计管理员之一', en: 'name a security administrator, an audit administrator or both' });
    }
    for (const { kind, person } of wanted) {
      checkPerson(`body.${FIELD[kind]}`, person);
    }
    if (wanted.length === 2 && wanted[0]!.person.username.toLowerCase() === wanted[1]!.person.username.toLowerCase()) {
      throw invalidField('body.auditAdmin.username', { zh: '审计管理员不能与安全管理员是同一人', en: 'the audit administrator must be another person than the security administrator' });
    }
    const policy = await this.policy.get();
    // Hash before the transaction: argon2id takes a while, and the grants lock is held inside it.
    const prepared = await Promise.all(
      wanted.map(async ({ kind, person }) => {
        const password = oneTimePassword(policy, person.username);
        return { kind, person, password, hash: await hashPassword(password), row: newUserRow({ username: person.username, displayName: person.displayName, orgUnitId: null }) };
      }),
    );
    try {
      return await this.ctx.db.transaction().execute(async (trx) => {
        // Serialised with every grant change (and with another set-up): the holders read below stay true until commit.
        await lockGrants(trx);
        const holders = await adminHolders(trx);
        for (const { kind } of prepared) {
          const state = dutyState(kind, holders, actor);
          if (!state.open) {
            throw new AppError('YW_DUTY_ALREADY_HELD', { field: `body.${FIELD[kind]}`, duty: kind, holders: state.holders.map((h) => h.username), explanation: heldMessage(kind, state) });
          }
        }
        const users = new UserRepository(trx);
        for (const { kind, person } of prepared) {
          if (await users.findByUsername(person.username)) {
            throw new AppError('YW_USERNAME_TAKEN', { field: `body.${FIELD[kind]}.username` });
          }
        }
        const access = new AccessRepository(trx);
        const accounts: DutyAccountCreated[] = [];
        for (const p of prepared) {
          accounts.push(await this.#createAccount(trx, actor, access, users, p, policy.passwordHistory));
        }
        const handedOver = prepared.some((p) => p.kind === 'security_admin') ? await this.#handOverSecurity(trx, actor, access, holders) : [];
        await this.ctx.audit.record(trx, {
          actor,
          action: 'identity.duty.setup',
          targetType: 'user',
          targetId: null,
          after: { accounts: accounts.map(({ id, username, displayName, roleKind }) => ({ id, username, displayName, roleKind })), handedOver: handedOver.map((h) => h.username) },
        });
        return { accounts, handedOver };
      });
    } catch (error) {
      const refusal = error instanceof AppError && (error.code === 'YW_DUTY_ALREADY_HELD' || error.code === 'YW_USERNAME_TAKEN') ? error : isUniqueViolation(error) ? new AppError('YW_USERNAME_TAKEN', { field: 'body' }) : null;
      if (refusal) {
        // A refused set-up is worth knowing about (someone tried to create an administrator): record it after the rollback.
        await this.ctx.audit.recordNow({ actor, action: 'identity.duty.setup', targetType: 'user', outcome: 'failure', after: { requested: wanted.map((w) => ({ roleKind: w.kind, username: w.person.username })), refused: { code: refusal.code, ...refusal.details } } });
        throw refusal;
      }
      throw error;
    }
  }

  async #createAccount(
    trx: Kysely<Database>,
    actor: Actor,
    access: AccessRepository,
    users: UserRepository,
    p: { kind: DutyAccountKind; person: DutyAccountInput; password: string; hash: string; row: ReturnType<typeof newUserRow> },
    passwordHistory: number,
  ): Promise<DutyAccountCreated> {
    const role = await access.findRoleByKind(p.kind);
    if (!role) {
      throw new AppError('YW_ROLE_NOT_FOUND', { kind: p.kind });
    }
    const row = { ...p.row, password_hash: p.hash };
    await users.insert(trx, row);
    await users.addPasswordHistory(trx, row.id, p.hash, passwordHistory);
    await access.replaceAssignments(trx, row.id, [{ role_id: role.id, org_scope: null }]);
    const roles = [{ roleId: role.id, roleName: role.name, roleKind: role.kind, orgUnitIds: null }];
    await this.ctx.audit.record(trx, { actor, action: 'identity.user.create', targetType: 'user', targetId: row.id, after: { ...userView(row, roles), setup: 'duty-accounts' } });
    await this.ctx.audit.record(trx, { actor, action: 'access.assignment.set', targetType: 'user', targetId: row.id, before: { user: row.username, roles: [] }, after: { user: row.username, roles, reason: 'duty-setup' } });
    return { id: row.id, username: row.username, displayName: row.display_name, roleKind: p.kind, initialPassword: p.password };
  }

  /** Takes the security role from those who held it with the system role (dutyState allowed it: the caller, or on the host all of them). */
  async #handOverSecurity(trx: Kysely<Database>, actor: Actor, access: AccessRepository, holders: readonly AdminHolder[]): Promise<{ id: string; username: string; displayName: string }[]> {
    const security = await access.findRoleByKind('security_admin');
    const leaving = holders.filter((h) => h.kinds.has('security_admin') && h.kinds.has('system_admin'));
    for (const h of leaving) {
      const before = (await access.assignmentsOf([h.id])).map((r) => ({ roleId: r.role_id, roleName: r.name, roleKind: r.kind, orgUnitIds: r.org_scope === null ? null : fromJson<string[]>(r.org_scope) }));
      await trx.deleteFrom('user_role').where('user_id', '=', h.id).where('role_id', '=', security!.id).execute();
      await this.ctx.audit.record(trx, {
        actor,
        action: 'access.assignment.set',
        targetType: 'user',
        targetId: h.id,
        before: { user: h.username, roles: before },
        after: { user: h.username, roles: before.filter((r) => r.roleKind !== 'security_admin'), reason: 'duty-handover' },
      });
    }
    return leaving.map(({ id, username, displayName }) => ({ id, username, displayName }));
  }
}
