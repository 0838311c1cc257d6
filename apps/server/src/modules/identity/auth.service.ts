import * as OTPAuth from 'otpauth';
import type { MfaEnrolment, SessionState } from '@yunwei/contracts/identity';
import type { Locale } from '@yunwei/contracts/i18n';
import type { Actor } from '../../platform/actor.js';
import { hashPassword, randomToken, type SecretBox, sha256Hex, verifyPassword } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import type { RequestAuth } from '../../platform/http/fastify-augment.js';
import type { ModuleContext } from '../../platform/module.js';
import { AccessService } from '../access/access.service.js';
import { SessionAuthenticator } from './authenticator.js';
import { PolicyService } from './policy.service.js';
import { CredentialRepository } from './session.repository.js';
import { checkNewPassword, storePassword } from './user.service.js';
import { UserRepository, type UserRow } from './user.repository.js';

export interface ClientInfo {
  ip: string;
  userAgent: string;
  locale: Locale;
}

// Verifying against a dummy hash when the user does not exist keeps timing from revealing names.
let dummyHash: Promise<string> | undefined;

/** Sign-in, second factor, sign-out, own password and MFA enrolment. */
export class AuthService {
  private readonly users: UserRepository;
  private readonly creds: CredentialRepository;
  private readonly policy: PolicyService;
  private readonly authenticator: SessionAuthenticator;
  private readonly access: AccessService;

  constructor(
    private readonly ctx: Pick<ModuleContext, 'db' | 'audit' | 'permissions' | 'events'>,
    private readonly secrets: SecretBox,
  ) {
    this.users = new UserRepository(ctx.db);
    this.creds = new CredentialRepository(ctx.db);
    this.policy = new PolicyService(ctx);
    this.authenticator = new SessionAuthenticator(ctx);
    this.access = new AccessService(ctx);
  }

  /** Checks the password; returns the new session's secret (for the cookie) and its state. */
  async login(username: string, password: string, client: ClientInfo): Promise<{ secret: string; auth: RequestAuth }> {
    const policy = await this.policy.get();
    const user = await this.users.findByUsername(username);
    const anonymous = this.#anonymous(username, client);
    if (!user) {
      await verifyPassword(await (dummyHash ??= hashPassword(randomToken())), password);
      await this.ctx.audit.recordNow({ actor: anonymous, action: 'identity.login', targetType: 'user', targetId: null, outcome: 'failure', after: { username, reason: 'unknown user' } });
      this.ctx.events.emit('identity.login', { outcome: 'failure', reason: 'unknown user' });
      throw new AppError('YW_AUTH_INVALID_CREDENTIALS');
    }
    const now = Date.now();
    const actor = { ...anonymous, userId: user.id };
    if (user.locked_until !== null && user.locked_until > now) {
      await this.ctx.audit.recordNow({ actor, action: 'identity.login', targetType: 'user', targetId: user.id, outcome: 'failure', after: { reason: 'locked' } });
      this.ctx.events.emit('identity.login', { outcome: 'failure', reason: 'locked' });
      throw new AppError('YW_AUTH_ACCOUNT_LOCKED', { lockedUntil: user.locked_until });
    }
    if (!(await verifyPassword(user.password_hash, password))) {
      await this.#failedAttempt(user, actor, 'wrong password');
      throw new AppError('YW_AUTH_INVALID_CREDENTIALS');
    }
    if (user.status !== 'active') {
      await this.ctx.audit.recordNow({ actor, action: 'identity.login', targetType: 'user', targetId: user.id, outcome: 'failure', after: { reason: 'disabled' } });
      this.ctx.events.emit('identity.login', { outcome: 'failure', reason: 'disabled' });
      throw new AppError('YW_AUTH_ACCOUNT_DISABLED');
    }
    const secret = randomToken();
    const mfa = user.mfa_secret !== null;
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('session')
        .values({
          id: sha256Hex(secret),
          user_id: user.id,
          state: mfa ? 'mfa' : 'active',
          csrf_token: randomToken(24),
          ip: client.ip,
          user_agent: client.userAgent.slice(0, 300),
          created_at: now,
          last_seen_at: now,
          expires_at: now + policy.sessionAbsoluteHours * 3_600_000,
          revoked_at: null,
        })
        .execute();
      await trx.updateTable('user').set({ failed_attempts: 0, ...(mfa ? {} : { last_login_at: now }) }).where('id', '=', user.id).execute();
      await this.ctx.audit.record(trx, { actor, action: mfa ? 'identity.login.password' : 'identity.login', targetType: 'user', targetId: user.id, after: { mfaPending: mfa } });
    });
    if (!mfa) {
      this.ctx.events.emit('identity.login', { outcome: 'success', reason: null });
    }
    return { secret, auth: (await this.authenticator.fromSessionSecret(secret, client.ip, client.locale))! };
  }

  /** Completes a sign-in waiting for its TOTP code. Wrong codes count towards the lockout. */
  async verifyMfa(auth: RequestAuth | null, code: string, secret: string, client: ClientInfo): Promise<RequestAuth> {
    if (!auth || auth.pending !== 'mfa' || !auth.actor.sessionId) {
      throw new AppError('YW_AUTH_REQUIRED');
    }
    const user = (await this.users.find(auth.actor.userId!))!;
    if (!user.mfa_secret || !this.#validTotp(this.secrets.open(user.mfa_secret), user.username, code)) {
      await this.#failedAttempt(user, auth.actor, 'wrong one-time code');
      throw new AppError('YW_AUTH_MFA_INVALID', { field: 'body.code' });
    }
    const now = Date.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('session').set({ state: 'active', last_seen_at: now }).where('id', '=', auth.actor.sessionId!).execute();
      await trx.updateTable('user').set({ failed_attempts: 0, last_login_at: now }).where('id', '=', user.id).execute();
      await this.ctx.audit.record(trx, { actor: auth.actor, action: 'identity.login', targetType: 'user', targetId: user.id, after: { mfa: true } });
    });
    this.ctx.events.emit('identity.login', { outcome: 'success', reason: null });
    return (await this.authenticator.fromSessionSecret(secret, client.ip, client.locale))!;
  }

  async logout(auth: RequestAuth): Promise<void> {
    if (auth.via !== 'session' || !auth.actor.sessionId) {
      return;
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('session').set({ revoked_at: Date.now() }).where('id', '=', auth.actor.sessionId!).execute();
      await this.ctx.audit.record(trx, { actor: auth.actor, action: 'identity.logout', targetType: 'user', targetId: auth.actor.userId });
    });
  }

  /**
   * Re-authentication inside a session (password change, signing an inspection record): the signed-in
   * user types the password again. A wrong one counts towards the lockout like a failed sign-in, and a
   * locked account gets no more tries (423), so a session cannot be used to guess the password; `field`
   * names the request field in the 400.
   */
  async confirmPassword(actor: Actor, password: string, field: string): Promise<UserRow> {
    const user = actor.userId ? await this.users.find(actor.userId) : undefined;
    if (!user) {
      throw new AppError('YW_PASSWORD_WRONG', { field });
    }
    // Locked (by earlier wrong answers here or at sign-in): no more guesses until the lock ends.
    if (user.locked_until !== null && user.locked_until > Date.now()) {
      throw new AppError('YW_AUTH_ACCOUNT_LOCKED', { lockedUntil: user.locked_until });
    }
    if (!(await verifyPassword(user.password_hash, password))) {
      await this.#failedAttempt(user, actor, 'wrong password on re-authentication');
      throw new AppError('YW_PASSWORD_WRONG', { field });
    }
    return user;
  }

  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    let user: UserRow;
    try {
      user = await this.confirmPassword(actor, currentPassword, 'body.currentPassword');
    } catch (error) {
      await this.ctx.audit.recordNow({ actor, action: 'identity.password.change', targetType: 'user', targetId: actor.userId ?? null, outcome: 'failure', after: { reason: 'wrong current password' } });
      throw error;
    }
    const policy = await this.policy.get();
    await checkNewPassword(this.users, policy, newPassword, user, 'body.newPassword');
    await this.ctx.db.transaction().execute(async (trx) => {
      await storePassword(trx, this.users, policy, user.id, newPassword, false);
      // Other sessions of this user end; the one that changed the password goes on.
      let others = trx.updateTable('session').set({ revoked_at: Date.now() }).where('user_id', '=', user.id).where('revoked_at', 'is', null);
      if (actor.sessionId) {
        others = others.where('id', '!=', actor.sessionId);
      }
      await others.execute();
      await this.ctx.audit.record(trx, { actor, action: 'identity.password.change', targetType: 'user', targetId: user.id });
    });
  }

  /** Starts TOTP enrolment: a new secret, kept pending until a code from it is confirmed. */
  async startMfaEnrolment(actor: Actor): Promise<MfaEnrolment> {
    const user = (await this.users.find(actor.userId!))!;
    const secret = new OTPAuth.Secret({ size: 20 });
    await this.users.update(this.ctx.db, user.id, { mfa_pending_secret: this.secrets.seal(secret.base32) });
    return { secret: secret.base32, otpauthUrl: this.#totp(secret.base32, user.username).toString() };
  }

  async confirmMfaEnrolment(actor: Actor, code: string): Promise<void> {
    const user = (await this.users.find(actor.userId!))!;
    if (!user.mfa_pending_secret) {
      throw new AppError('YW_AUTH_MFA_INVALID', { field: 'body.code', reason: 'start enrolment first' });
    }
    const pending = this.secrets.open(user.mfa_pending_secret);
    if (!this.#validTotp(pending, user.username, code)) {
      throw new AppError('YW_AUTH_MFA_INVALID', { field: 'body.code' });
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.users.update(trx, user.id, { mfa_secret: user.mfa_pending_secret, mfa_pending_secret: null, updated_at: Date.now() });
      await this.ctx.audit.record(trx, { actor, action: 'identity.mfa.enrol', targetType: 'user', targetId: user.id, after: { mfaEnabled: true } });
    });
  }

  async sessionState(auth: RequestAuth): Promise<SessionState> {
    const user = (await this.users.find(auth.actor.userId!))!;
    const session = auth.actor.sessionId ? await this.creds.findSession(auth.actor.sessionId) : undefined;
    const policy = await this.policy.get();
    return {
      user: { id: user.id, username: user.username, displayName: user.display_name, orgUnitId: user.org_unit_id },
      pending: auth.pending,
      permissions: [...auth.actor.permissions].sort(),
      roleKinds: [...auth.actor.roleKinds].sort(),
      roles: auth.pending === 'mfa' ? [] : ((await this.access.assignmentsOf([user.id])).get(user.id) ?? []).map((r) => ({ id: r.roleId, name: r.roleName, kind: r.roleKind })),
      mfaEnabled: user.mfa_secret !== null,
      csrfToken: auth.csrfToken ?? '',
      idleTimeoutMinutes: policy.sessionIdleMinutes,
      expiresAt: session?.expires_at ?? 0,
    };
  }

  async #failedAttempt(user: UserRow, actor: Actor, reason: string): Promise<void> {
    const policy = await this.policy.get();
    const attempts = user.failed_attempts + 1;
    const lock = attempts >= policy.lockoutThreshold;
    const lockedUntil = Date.now() + policy.lockoutMinutes * 60_000;
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('user')
        .set(lock ? { failed_attempts: 0, locked_until: lockedUntil } : { failed_attempts: attempts })
        .where('id', '=', user.id)
        .execute();
      await this.ctx.audit.record(trx, { actor, action: 'identity.login', targetType: 'user', targetId: user.id, outcome: 'failure', after: { reason, attempts } });
      if (lock) {
        await this.ctx.audit.record(trx, { actor, action: 'identity.user.lock', targetType: 'user', targetId: user.id, after: { lockedUntil, attempts } });
      }
    });
    this.ctx.events.emit('identity.login', { outcome: 'failure', reason });
    if (lock) {
      this.ctx.events.emit('identity.user.locked', { userId: user.id });
    }
  }

  #totp(secret: string, username: string): OTPAuth.TOTP {
    return new OTPAuth.TOTP({ issuer: 'Yunwei', label: username, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
  }

  #validTotp(secret: string, username: string, code: string): boolean {
    return this.#totp(secret, username).validate({ token: code, window: 1 }) !== null;
  }

  #anonymous(username: string, client: ClientInfo): Actor {
    return { kind: 'user', userId: null, username, ip: client.ip, locale: client.locale, roleKinds: new Set(), permissions: new Set(), scopes: new Map() };
  }
}
