import type { APIResponse, Page } from 'playwright-core';
import { expect } from 'vitest';

export type Api = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, data?: unknown) => Promise<any>;

/**
 * The API as the signed-in page calls it (its session cookie, and the CSRF token on writes); every
 * call must answer 200, and the assertion says what it answered otherwise. Sign in first.
 */
export async function signedInApi(page: Page, baseUrl: string): Promise<Api> {
  let csrf = '';
  const call: Api = async (method, url, data) => {
    const res: APIResponse = await page.request.fetch(`${baseUrl}${url}`, { method, data, headers: method === 'GET' ? {} : { 'x-csrf-token': csrf } });
    const json: unknown = await res.json().catch(() => null);
    expect(res.status(), `${method} ${url}: ${JSON.stringify(json)}`).toBe(200);
    return json;
  };
  csrf = ((await call('GET', '/api/auth/session')) as { csrfToken: string }).csrfToken;
  return call;
}

export interface Sample {
  metric: string;
  labels?: Record<string, string>;
  ts: number;
  value: number;
}

/**
 * A server CI and samples pushed for it as its agent would send them (`ci` = the CI's id, `agent`);
 * `samples` gets the new CI's id. Returns the id. Pushes in batches the push API accepts.
 */
export async function hostWithSamples(api: Api, host: { name: string; ip?: string; hostname?: string; orgUnitId?: string }, samples: (ciId: string) => Sample[] = () => []): Promise<string> {
  const classes = (await api('GET', '/api/cmdb/classes')) as { id: string; code: string }[];
  const id = ((await api('POST', '/api/cmdb/cis', { classId: classes.find((c) => c.code === 'server')!.id, ...host })) as { id: string }).id;
  const all = samples(id).map((s) => ({ ...s, labels: { ci: id, agent: 'e2e-agent', ...s.labels } }));
  for (let i = 0; i < all.length; i += 1000) {
    await api('POST', '/api/v1/metrics', { samples: all.slice(i, i + 1000) });
  }
  return id;
}
