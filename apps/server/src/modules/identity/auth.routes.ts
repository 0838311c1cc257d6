import type { FastifyReply, FastifyRequest } from 'fastify';
import { Ok } from '@yunwei/contracts/common';
import { LoginBody, MfaBody, MfaEnrolment, MfaEnrolStart, PasswordChange, SessionProbe, SessionState } from '@yunwei/contracts/identity';
import { safeEqual } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { AuthService, type ClientInfo } from './auth.service.js';
import { SESSION_COOKIE, SessionAuthenticator } from './authenticator.js';

function client(req: FastifyRequest): ClientInfo {
  return { ip: req.ip, userAgent: req.headers['user-agent'] ?? '', locale: req.locale };
}

export function authRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const auth = new AuthService(ctx, ctx.secrets);
  const authenticator = new SessionAuthenticator(ctx);
  const tags = ['auth'];
  const setCookie = (reply: FastifyReply, secret: string) =>
    reply.setCookie(SESSION_COOKIE, secret, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.config.secureCookies });
  const signedIn = { allowPending: true } as const;

  app.post(
    '/api/auth/login',
    { config: { public: true, rateLimit: { max: ctx.config.loginRateLimit, timeWindow: '1 minute' } }, schema: { tags, summary: 'Sign in with user name and password', body: LoginBody, response: { 200: SessionState } } },
    async (req, reply) => {
      const { secret, auth: state } = await auth.login(req.body.username, req.body.password, client(req), req.cookies[SESSION_COOKIE]);
      setCookie(reply, secret);
      return auth.sessionState(state);
    },
  );
  app.post(
    '/api/auth/mfa',
    { config: { public: true, rateLimit: { max: ctx.config.loginRateLimit, timeWindow: '1 minute' } }, schema: { tags, summary: 'Second step of sign-in: the TOTP code', body: MfaBody, response: { 200: SessionState } } },
    async (req, reply) => {
      const { secret, auth: state } = await auth.verifyMfa(req.auth, req.body.code, client(req));
      setCookie(reply, secret);
      return auth.sessionState(state);
    },
  );
  app.get('/api/auth/session', { config: { ...signedIn, public: true }, schema: { tags, summary: 'The current session', response: { 200: SessionState } } }, async (req) => {
    if (!req.auth) {
      throw new AppError('YW_AUTH_REQUIRED');
    }
    return auth.sessionState(req.auth);
  });
  // The web UI's question on every load. A missing, unknown or expired session is `signedIn: false`
  // (the guard treats a bad credential on a public route as none), never a 401.
  app.get(
    '/api/auth/probe',
    { config: { ...signedIn, public: true }, schema: { tags, summary: 'Whether the caller is signed in (200 either way) and, if so, the session', response: { 200: SessionProbe } } },
    async (req) => (req.auth ? { signedIn: true, session: await auth.sessionState(req.auth) } : { signedIn: false }),
  );
  app.post('/api/auth/logout', { config: { ...signedIn, public: true }, schema: { tags, response: { 200: Ok } } }, async (req, reply) => {
    // Public so that an expired session can still clear its cookie, but ending a live session is a
    // write like any other: it needs the session's CSRF token (no cross-site forced sign-out).
    if (req.auth?.via === 'session') {
      const header = req.headers['x-csrf-token'];
      if (typeof header !== 'string' || !req.auth.csrfToken || !safeEqual(header, req.auth.csrfToken)) {
        throw new AppError('YW_AUTH_CSRF');
      }
    }
    if (req.auth) {
      await auth.logout(req.auth);
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });
  app.post('/api/auth/password', { config: { ...signedIn, authenticated: true }, schema: { tags, summary: 'Change my password', body: PasswordChange, response: { 200: SessionState } } }, async (req, reply) => {
    await auth.changePassword(req.auth!, req.body.currentPassword, req.body.newPassword);
    return auth.sessionState(await afterStep(req, reply));
  });
  app.post(
    '/api/auth/mfa/enrol',
    {
      config: { ...signedIn, authenticated: true },
      schema: { tags, summary: 'Start TOTP enrolment (replacing an enrolled authenticator needs currentPassword and a current code)', body: MfaEnrolStart, response: { 200: MfaEnrolment } },
      // The first enrolment sends no body at all: validate it as the empty object.
      preValidation: async (req: FastifyRequest) => {
        req.body ??= {};
      },
    },
    (req) => auth.startMfaEnrolment(req.auth!, req.body ?? {}),
  );
  app.post('/api/auth/mfa/confirm', { config: { ...signedIn, authenticated: true }, schema: { tags, summary: 'Confirm TOTP enrolment with a code', body: MfaBody, response: { 200: SessionState } } }, async (req, reply) => {
    await auth.confirmMfaEnrolment(req.auth!, req.body.code);
    return auth.sessionState(await afterStep(req, reply));
  });

  /**
   * The request's auth after a change that alters what is pending. When the request had a pending
   * sign-in step, the session is rotated (new cookie and CSRF token) now that the step is done.
   */
  async function afterStep(req: FastifyRequest, reply: FastifyReply) {
    const rotated = req.auth ? await auth.rotateAfterPendingStep(req.auth) : null;
    if (rotated) {
      setCookie(reply, rotated);
    }
    const secret = rotated ?? req.cookies[SESSION_COOKIE];
    const state = secret ? await authenticator.fromSessionSecret(secret, req.ip, req.locale) : null;
    return state ?? req.auth!;
  }
}
