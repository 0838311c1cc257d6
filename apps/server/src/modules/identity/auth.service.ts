import * as OTPAuth from 'otpauth';
import type { MfaEnrolment, MfaEnrolStart, SessionState } from '@yunwei/contracts/identity';
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
import { spendTotpStep, totpOf, totpStep } from './totp.js';
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

  /**
   * Checks the password; returns the new session's secret (for the cookie) and its state. A session the
   * browser still carried (`previousSecret`) is ended: every sign-in gets a fresh session id.
   */
  async login(username: string, password: string, client: ClientInfo, previousSecret?: string): Promise<{ secret: string; auth: RequestAuth }> {
    if (previousSecret) {
      await this.creds.revokeSessionBySecret(previousSecret);
    }
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
      // Same answer (and about the same time) as an unknown name or a wrong password: a locked
      // account must not confirm that the name exists. The lock is audited and shown to administrators.
      await verifyPassword(user.password_hash, password);
      await this.ctx.audit.recordNow({ actor, action: 'identity.login', targetType: 'user', targetId: user.id, outcome: 'failure', after: { reason: 'locked', lockedUntil: user.locked_until } });
      this.ctx.events.emit('identity.login', { outcome: 'failure', reason: 'locked' });
      throw new AppError('YW_AUTH_INVALID_CREDENTIALS');
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

  /**
   * Completes a sign-in waiting for its TOTP code. Wrong codes count towards the lockout; a code is
   * accepted once (replay protection). The session gets a new id and CSRF token: returns its secret.
   */
  async verifyMfa(auth: RequestAuth | null, code: string, client: ClientInfo): Promise<{ secret: string; auth: RequestAuth }> {
    if (!auth || auth.pending !== 'mfa' || !auth.actor.sessionId) {
      throw new AppError('YW_AUTH_REQUIRED');
    }
    const user = (await this.users.find(auth.actor.userId!))!;
    // Wrong codes lock the account like wrong passwords; while locked no code is even checked.
    const locked = user.locked_until !== null && user.locked_until > Date.now();
    if (locked || !(await this.#spendCode(user, user.mfa_secret, code))) {
      if (!locked) {
        await this.#failedAttempt(user, auth.actor, 'wrong or reused one-time code');
      }
      throw new AppError('YW_AUTH_MFA_INVALID', { field: 'body.code' });
    }
    const now = Date.now();
    const secret = await this.ctx.db.transaction().execute(async (trx) => {
      const rotated = await this.creds.rotateSession(trx, auth.actor.sessionId!, { state: 'active' }, now);
      if (!rotated) {
        return null;
      }
      await trx.updateTable('user').set({ failed_attempts: 0, last_login_at: now }).where('id', '=', user.id).execute();
      await this.ctx.audit.record(trx, { actor: auth.actor, action: 'identity.login', targetType: 'user', targetId: user.id, after: { mfa: true } });
      return rotated;
    });
    if (!secret) {
      throw new AppError('YW_AUTH_REQUIRED');
    }
    this.ctx.events.emit('identity.login', { outcome: 'success', reason: null });
    return { secret, auth: (await this.authenticator.fromSessionSecret(secret, client.ip, client.locale))! };
  }

  /**
   * After a pending sign-in step is done (forced password change, first MFA enrolment) the session is
   * worth more than before: it gets a new id and CSRF token. Returns the new secret, or null when the
   * session had nothing pending (then it is kept as it is).
   */
  async rotateAfterPendingStep(auth: RequestAuth): Promise<string | null> {
    if (auth.via !== 'session' || !auth.pending || !auth.actor.sessionId) {
      return null;
    }
    const sessionId = auth.actor.sessionId;
    // One transaction: the old session never ends without its successor being written.
    return this.ctx.db.transaction().execute((trx) => this.creds.rotateSession(trx, sessionId));
  }

  /**
   * The steps a half-signed-in session may take are the second factor and sign-out. Changing the
   * password or the authenticator from there would let a password alone lock the owner out or
   * replace the owner's authenticator (issue #10.1). The refusal is audited under `action`.
   */
  async #refuseWhileCodePending(auth: RequestAuth, action: string): Promise<void> {
    if (auth.pending !== 'mfa') {
      return;
    }
    await this.ctx.audit.recordNow({ actor: auth.actor, action, targetType: 'user', targetId: auth.actor.userId ?? null, outcome: 'failure', after: { reason: 'sign-in waiting for its one-time code' } });
    throw new AppError('YW_AUTH_MFA_REQUIRED');
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

  async changePassword(auth: RequestAuth, currentPassword: string, newPassword: string): Promise<void> {
    await this.#refuseWhileCodePending(auth, 'identity.password.change');
    const actor = auth.actor;
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

  /**
   * Starts TOTP enrolment: a new secret, kept pending until a code from it is confirmed. Refused to a
   * sign-in still waiting for its code (a password alone must not replace the authenticator). Once MFA
   * is on, replacing it needs the password and a current code from the old authenticator; losing the
   * old one is an administrator's MFA reset.
   */
  async startMfaEnrolment(auth: RequestAuth, proof: MfaEnrolStart = {}): Promise<MfaEnrolment> {
    await this.#refuseWhileCodePending(auth, 'identity.mfa.enrol.start');
    const actor = auth.actor;
    const user = (await this.users.find(actor.userId!))!;
    const refuse = async (reason: string, error: AppError) => {
      await this.ctx.audit.recordNow({ actor, action: 'identity.mfa.enrol.start', targetType: 'user', targetId: user.id, outcome: 'failure', after: { reason } });
      throw error;
    };
    const replacing = user.mfa_secret !== null;
    if (replacing) {
      if (!proof.currentPassword || !proof.code) {
        await refuse('password and current code missing', new AppError('YW_AUTH_MFA_REENROL_PROOF', { field: proof.currentPassword ? 'body.code' : 'body.currentPassword' }));
      }
      try {
        await this.confirmPassword(actor, proof.currentPassword!, 'body.currentPassword');
      } catch (error) {
        await refuse('wrong password', error as AppError);
      }
      if (!(await this.#spendCode(user, user.mfa_secret, proof.code!))) {
        await this.#failedAttempt(user, actor, 'wrong or reused one-time code on MFA re-enrolment');
        await refuse('wrong one-time code', new AppError('YW_AUTH_MFA_INVALID', { field: 'body.code' }));
      }
    }
    const secret = new OTPAuth.Secret({ size: 20 });
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.users.update(trx, user.id, { mfa_pending_secret: this.secrets.seal(secret.base32) });
      await this.ctx.audit.record(trx, { actor, action: 'identity.mfa.enrol.start', targetType: 'user', targetId: user.id, after: { replacing } });
    });
    return { secret: secret.base32, otpauthUrl: totpOf(secret.base32, user.username).toString() };
  }

  async confirmMfaEnrolment(auth: RequestAuth, code: string): Promise<void> {
    await this.#refuseWhileCodePending(auth, 'identity.mfa.enrol');
    const actor = auth.actor;
    const user = (await this.users.find(actor.userId!))!;
    if (!user.mfa_pending_secret) {
      throw new AppError('YW_AUTH_MFA_INVALID', { field: 'body.code', reason: 'start enrolment first' });
    }
    const step = totpStep(this.secrets.open(user.mfa_pending_secret), user.username, code);
    if (step === null) {
      await this.ctx.audit.recordNow({ actor, action: 'identity.mfa.enrol', targetType: 'user', targetId: user.id, outcome: 'failure', after: { reason: 'wrong one-time code' } });
      throw new AppError('YW_AUTH_MFA_INVALID', { field: 'body.code' });
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      // The confirming code is spent: it cannot then be replayed to sign in.
      await this.users.update(trx, user.id, { mfa_secret: user.mfa_pending_secret, mfa_pending_secret: null, mfa_last_step: step, updated_at: Date.now() });
      await this.ctx.audit.record(trx, { actor, action: 'identity.mfa.enrol', targetType: 'user', targetId: user.id, before: { mfaEnabled: user.mfa_secret !== null }, after: { mfaEnabled: true } });
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

  /**
   * Counts a failed attempt. The increment happens in SQL and the lock is decided from the value it
   * returns, so parallel wrong answers each count (a read-then-write would let them overwrite each other).
   */
  async #failedAttempt(user: UserRow, actor: Actor, reason: string): Promise<void> {
    const policy = await this.policy.get();
    const lockedUntil = Date.now() + policy.lockoutMinutes * 60_000;
    const lock = await this.ctx.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('user')
        .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
        .where('id', '=', user.id)
        .returning('failed_attempts')
        .executeTakeFirstOrThrow();
      const attempts = Number(row.failed_attempts);
      const lock = attempts >= policy.lockoutThreshold;
      if (lock) {
        await trx.updateTable('user').set({ failed_attempts: 0, locked_until: lockedUntil }).where('id', '=', user.id).execute();
      }
      await this.ctx.audit.record(trx, { actor, action: 'identity.login', targetType: 'user', targetId: user.id, outcome: 'failure', after: { reason, attempts } });
      if (lock) {
        await this.ctx.audit.record(trx, { actor, action: 'identity.user.lock', targetType: 'user', targetId: user.id, after: { lockedUntil, attempts } });
      }
      return lock;
    });
    this.ctx.events.emit('identity.login', { outcome: 'failure', reason });
    if (lock) {
      this.ctx.events.emit('identity.user.locked', { userId: user.id });
    }
  }

  /** True when `code` is right for the sealed TOTP secret and its time step was not spent before. */
  async #spendCode(user: UserRow, sealedSecret: string | null, code: string): Promise<boolean> {
    if (!sealedSecret) {
      return false;
    }
    const step = totpStep(this.secrets.open(sealedSecret), user.username, code);
    return step !== null && (await spendTotpStep(this.ctx.db, user.id, step));
  }

  #anonymous(username: string, client: ClientInfo): Actor {
    return { kind: 'user', userId: null, username, ip: client.ip, locale: client.locale, roleKinds: new Set(), permissions: new Set(), scopes: new Map() };
  }
}
