import * as OTPAuth from 'otpauth';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The bootstrap administrator of a fresh e2e server, and the password its first sign-in sets. */
export const ADMIN = { username: 'admin', initial: 'Initial#Root1', password: 'Yunwei#Ops2024' };

/**
 * An accessible-name pattern for a button: antd puts a space between two CJK characters ("保 存")
 * and icons add their own label ("plus 新建角色"), so match the characters with optional spaces.
 */
export function named(text: string): RegExp {
  return new RegExp([...text].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s*'));
}

export function totp(secret: string): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate();
}

/**
 * The administrator's first sign-in on a fresh server, in zh-CN: the forced password change, then the
 * forced MFA enrolment, then "later" on the first-day wizard (三员分立, walked by the first-day journey);
 * returns on the home page. (The admin journey walks these steps with its own assertions; the other
 * journeys only need to get past them.)
 */
export async function firstAdminSignIn(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('用户名').fill(ADMIN.username);
  await page.getByLabel('密码', { exact: true }).fill(ADMIN.initial);
  await page.getByTestId('login-submit').click();
  await page.waitForURL('**/change-password');
  await page.getByLabel('当前密码').fill(ADMIN.initial);
  await page.getByLabel('新密码', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('确认新密码').fill(ADMIN.password);
  await page.getByRole('button', { name: named('修改密码') }).click();
  await page.waitForURL('**/mfa-enrol');
  const secret = (await page.getByTestId('mfa-secret').innerText()).replace(/[^A-Z2-7]/g, '');
  await page.getByTestId('mfa-code').locator('input').first().click();
  await page.keyboard.type(totp(secret));
  await page.getByTestId('duty-accounts-later').click();
  await page.getByTestId('home-page').waitFor();
}

/**
 * The same first sign-in through the API, for journeys about something else (the password change and
 * MFA enrolment pages are walked by the journeys above): the page's context then holds a full session.
 * Returns the session's CSRF token.
 */
export async function firstAdminSignInByApi(page: Page, baseUrl: string): Promise<string> {
  let csrf = '';
  const post = async (path: string, data?: object): Promise<{ csrfToken?: string; secret?: string }> => {
    const res = await page.request.post(`${baseUrl}${path}`, { headers: csrf ? { 'x-csrf-token': csrf } : {}, ...(data ? { data } : {}) });
    if (res.status() !== 200) {
      throw new Error(`${path}: ${res.status()} ${await res.text()}`);
    }
    const body = (await res.json()) as { csrfToken?: string; secret?: string };
    csrf = body.csrfToken ?? csrf;
    return body;
  };
  await post('/api/auth/login', { username: ADMIN.username, password: ADMIN.initial });
  await post('/api/auth/password', { currentPassword: ADMIN.initial, newPassword: ADMIN.password });
  const { secret } = await post('/api/auth/mfa/enrol');
  await post('/api/auth/mfa/confirm', { code: totp(secret!) });
  return csrf;
}

/** Signs a user in through the API in `page`'s context (the first sign-in's forced password change included). */
export async function signInByApi(page: Page, baseUrl: string, username: string, initial: string, password: string): Promise<void> {
  let csrf = '';
  const post = async (url: string, data: object): Promise<{ csrfToken?: string; pending?: string | null }> => {
    const res = await page.request.post(`${baseUrl}${url}`, { headers: csrf ? { 'x-csrf-token': csrf } : {}, data });
    expect(res.status(), `${url}: ${await res.text()}`).toBe(200);
    const body = (await res.json()) as { csrfToken?: string; pending?: string | null };
    csrf = body.csrfToken ?? csrf;
    return body;
  };
  const session = await post('/api/auth/login', { username, password: initial });
  if (session.pending === 'password') {
    await post('/api/auth/password', { currentPassword: initial, newPassword: password });
  }
}
