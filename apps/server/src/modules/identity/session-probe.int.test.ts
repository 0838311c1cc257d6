import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';

describe.skipIf(!databaseAvailable())('GET /api/auth/probe: is this browser signed in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const probe = (cookie?: string) => t.app.inject({ method: 'GET', url: '/api/auth/probe', ...(cookie ? { cookies: { yw_session: cookie } } : {}) });

  it('answers 200 signedIn: false, and nothing else, to an anonymous caller and to an unknown or ended session', async () => {
    const anonymous = await probe();
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toStrictEqual({ signedIn: false });
    expect(anonymous.headers['cache-control']).toBe('no-store');
    // The older endpoint still says 401 to API clients that rely on it.
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/session' })).statusCode).toBe(401);

    const unknown = await probe('not-a-session-secret');
    expect([unknown.statusCode, unknown.json()]).toStrictEqual([200, { signedIn: false }]);

    const s = await t.signIn(await t.newUser({ permissions: ['org.unit.read'] }));
    expect((await s.request('POST', '/api/auth/logout')).status).toBe(200);
    expect((await probe(s.cookie)).json()).toStrictEqual({ signedIn: false });
  });

  it('answers the session, as GET /api/auth/session does, to a signed-in caller', async () => {
    const s = await t.signIn(t.admin);
    const res = await probe(s.cookie);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.signedIn).toBe(true);
    expect(body.session).toStrictEqual((await s.request('GET', '/api/auth/session')).json);
    expect(body.session.csrfToken).toBe(s.csrf);
  });

  it('answers a sign-in that waits for a step (password change) with that step, so the UI can send the user there', async () => {
    const user = await t.newUser({ permissions: ['org.unit.read'] });
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: user.password } });
    expect(login.statusCode, login.body).toBe(200);
    const res = await probe(login.cookies.find((c) => c.name === 'yw_session')!.value);
    expect(res.statusCode).toBe(200);
    expect(res.json().signedIn).toBe(true);
    expect(res.json().session.pending).toBe(login.json().pending);
  });
});
