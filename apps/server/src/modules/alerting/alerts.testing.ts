/** Test support for the alerting tests (not used by the server). */
import type { TestApp, TestSession } from '../../../test/test-app.js';
import { apiToken, bearer } from '../monitoring/monitoring.testing.js';
import { alertingOf } from './alerts-runtime.js';

export interface AlertingHarness {
  admin: TestSession;
  /** Pushes samples through the ingestion API (`POST /api/v1/metrics`) and waits for the commit. */
  push(samples: { metric: string; labels?: Record<string, string>; ts: number; value: number }[]): Promise<void>;
  rule(body: Record<string, unknown>): Promise<{ id: string }>;
  /** One evaluation cycle at `now`. */
  cycle(now: number): Promise<void>;
  alerts(query?: string): Promise<any[]>;
}

export async function alertingHarness(t: TestApp): Promise<AlertingHarness> {
  const admin = await t.signIn(t.admin);
  const writer = await apiToken(t, ['monitoring.metric.write']);
  return {
    admin,
    async push(samples) {
      const res = await bearer(t, writer, 'POST', '/api/v1/metrics', { samples });
      if (res.status !== 200) {
        throw new Error(`push failed: ${res.body}`);
      }
    },
    async rule(body) {
      const res = await admin.request('POST', '/api/alerting/rules', body);
      if (res.status !== 200) {
        throw new Error(`rule creation failed: ${res.body}`);
      }
      return res.json;
    },
    async cycle(now) {
      await alertingOf(t.ctx).evaluator.cycle(now);
    },
    async alerts(query = '') {
      const res = await admin.request('GET', `/api/alerting/alerts${query}`);
      if (res.status !== 200) {
        throw new Error(`alert list failed: ${res.body}`);
      }
      return res.json.items;
    },
  };
}

/** A minute boundary some minutes ago: sample times that leave room for the test's own timeline. */
export function baseTime(minutesAgo = 30): number {
  return Math.floor((Date.now() - minutesAgo * 60_000) / 60_000) * 60_000;
}
