import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LiveServerMessage, LiveSeriesMessage } from '@yunwei/contracts/dashboards';
import { freePort, waitFor } from '../../../test/peers.js';
import { scopedWorld, type ScopedWorld } from '../../../test/scoped-world.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { qs } from './monitoring.testing.js';

const MIN = 60_000;

/**
 * Series of four hosts: `a` on the CI in 甲一, `b` on the CI in 乙 (with a label only it has), `free`
 * with no CI, `ghost` naming a CI that does not exist, and `ruled` mapped to 乙's CI by a mapping rule.
 * The reader's grant reaches 甲 only: they see a and free; the admin sees all five.
 */
describe.skipIf(!databaseAvailable())('monitoring: org-unit data scope of metric reads', () => {
  let t: TestApp;
  let admin: TestSession;
  let w: ScopedWorld;
  let reader: TestSession;
  const T = Math.floor((Date.now() - MIN) / 1000) * 1000;

  const push = async (samples: unknown[]) => {
    const res = await admin.request('POST', '/api/v1/metrics', { samples });
    expect(res.status, res.body).toBe(200);
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    w = await scopedWorld(t, admin, 'metrics');
    reader = await w.scopedToA(['monitoring.metric.read']);
    const rule = await admin.request('POST', '/api/monitoring/ci-rules', { label: 'instance', pattern: 'ruled-host', ciTemplate: w.ciB, priority: 1 });
    expect(rule.status, rule.body).toBe(200);
    const at = (host: string, labels: Record<string, string>, value: number) =>
      [T - 2 * MIN, T].map((ts) => ({ metric: 'yw_scope_cpu', labels: { host, ...labels }, ts, value }));
    await push([
      ...at('a', { ci: w.ciA }, 10),
      ...at('b', { ci: w.ciB, secret_b: 'x' }, 90),
      ...at('free', {}, 50),
      ...at('ghost', { ci: 'no-such-ci' }, 70),
      ...at('ruled', { instance: 'ruled-host' }, 80),
    ]);
  });
  afterAll(() => t?.close());

  const hostsOf = (metrics: { host?: string; metric?: { host: string } }[]) => metrics.map((m) => m.host ?? m.metric!.host).sort();
  const both = async (url: string) => {
    const [mine, all] = [await reader.request('GET', url), await admin.request('GET', url)];
    expect(mine.status, mine.body).toBe(200);
    expect(all.status, all.body).toBe(200);
    return { mine: mine.json, all: all.json };
  };
  const range = { start: (T - 5 * MIN) / 1000, end: T / 1000 + 1 };

  it('GET and POST /api/v1/series list only the series of CIs in scope, and those without a CI', async () => {
    const { mine, all } = await both(`/api/v1/series?${qs({ 'match[]': 'yw_scope_cpu' })}`);
    expect(hostsOf(mine.data)).toEqual(['a', 'free']);
    expect(hostsOf(all.data)).toEqual(['a', 'b', 'free', 'ghost', 'ruled']);
    const form = await reader.request('POST', '/api/v1/series', qs({ 'match[]': 'yw_scope_cpu' }), { 'content-type': 'application/x-www-form-urlencoded' });
    expect(hostsOf(form.json.data)).toEqual(['a', 'free']);
  });

  it('range queries and top-N read only in-scope series (an out-of-scope busiest host is not ranked)', async () => {
    const { mine, all } = await both(`/api/v1/query_range?${qs({ query: 'yw_scope_cpu', step: 60, ...range })}`);
    expect(hostsOf(mine.data.result)).toEqual(['a', 'free']);
    expect(hostsOf(all.data.result)).toEqual(['a', 'b', 'free', 'ghost', 'ruled']);
    const top = await both(`/api/v1/topk?${qs({ query: 'yw_scope_cpu', k: 1, ...range })}`);
    expect(top.mine.data.result.map((r: { metric: { host: string }; value: [number, string] }) => [r.metric.host, r.value[1]])).toEqual([['free', '50']]);
    expect(top.all.data.result[0].metric.host).toBe('b');
  });

  it('instant queries aggregate only in-scope series (filtered before the sum)', async () => {
    const { mine, all } = await both(`/api/v1/query?${qs({ query: 'sum(yw_scope_cpu)', time: T / 1000 })}`);
    expect(mine.data.result).toEqual([{ metric: {}, value: [T / 1000, '60'] }]);
    expect(all.data.result).toEqual([{ metric: {}, value: [T / 1000, '300'] }]);
    const plain = await both(`/api/v1/query?${qs({ query: 'yw_scope_cpu', time: T / 1000 })}`);
    expect(hostsOf(plain.mine.data.result)).toEqual(['a', 'free']);
  });

  it('label names and values do not reveal out-of-scope CIs or their labels', async () => {
    const ci = await both('/api/v1/label/ci/values');
    expect(ci.mine.data).toEqual([w.ciA]);
    expect(ci.all.data).toEqual([w.ciA, w.ciB, 'no-such-ci'].sort());
    const hosts = await both(`/api/v1/label/host/values?${qs({ 'match[]': 'yw_scope_cpu' })}`);
    expect(hosts.mine.data).toEqual(['a', 'free']);
    expect(hosts.all.data).toEqual(['a', 'b', 'free', 'ghost', 'ruled']);
    const names = await both('/api/v1/labels');
    expect(names.mine.data).not.toContain('secret_b');
    expect(names.mine.data).not.toContain('instance');
    expect(names.mine.data).toEqual(expect.arrayContaining(['__name__', 'ci', 'host']));
    expect(names.all.data).toEqual(expect.arrayContaining(['secret_b', 'instance']));
    const matched = await both(`/api/v1/labels?${qs({ 'match[]': 'yw_scope_cpu' })}`);
    expect(matched.mine.data).not.toContain('secret_b');
  });

  it('GET /api/monitoring/series (by selector, by CI, all) and the utilisation analysis stay within scope', async () => {
    const { mine, all } = await both(`/api/monitoring/series?${qs({ match: 'yw_scope_cpu' })}`);
    expect(mine.total).toBe(2);
    expect(hostsOf(mine.items.map((s: { labels: { host: string } }) => s.labels))).toEqual(['a', 'free']);
    expect(all.total).toBe(5);
    // The host page asks by CI: another unit's CI has no series for this reader.
    expect((await both(`/api/monitoring/series?ciId=${w.ciB}`)).mine).toEqual({ items: [], total: 0 });
    expect((await both(`/api/monitoring/series?ciId=${w.ciA}`)).mine.total).toBe(1);
    const everything = await both('/api/monitoring/series?limit=1000');
    expect(everything.mine.items.every((s: { ciId: string | null }) => s.ciId === null || s.ciId === w.ciA)).toBe(true);
    expect(everything.all.items.some((s: { ciId: string | null }) => s.ciId === w.ciB)).toBe(true);
    const use = await both(`/api/monitoring/utilisation?${qs({ query: 'yw_scope_cpu', by: 'host', start: T - 5 * MIN, end: T + 1000 })}`);
    expect(use.mine.groups.map((g: { key: { host: string } }) => g.key.host)).toEqual(['a', 'free']);
    expect(use.all.groups).toHaveLength(5);
  });

  it('a CI moved into the reader\'s unit brings its series into scope at once', async () => {
    const moved = await admin.request('PATCH', `/api/cmdb/cis/${w.ciB}`, { orgUnitId: w.unitA });
    expect(moved.status, moved.body).toBe(200);
    try {
      const { mine } = await both(`/api/v1/series?${qs({ 'match[]': 'yw_scope_cpu' })}`);
      expect(hostsOf(mine.data)).toEqual(['a', 'b', 'free', 'ruled']);
    } finally {
      expect((await admin.request('PATCH', `/api/cmdb/cis/${w.ciB}`, { orgUnitId: w.unitB })).status).toBe(200);
    }
    expect(hostsOf((await reader.request('GET', `/api/v1/series?${qs({ 'match[]': 'yw_scope_cpu' })}`)).json.data)).toEqual(['a', 'free']);
  });

  it('the live WebSocket sends a scoped reader only in-scope series; the admin gets all', async () => {
    const port = await freePort();
    await t.app.listen({ host: '127.0.0.1', port });
    const open = (s: TestSession) =>
      new Promise<{ ws: WebSocket; messages: LiveServerMessage[] }>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/api/monitoring/live`, { headers: { cookie: `yw_session=${s.cookie}` } });
        const messages: LiveServerMessage[] = [];
        ws.on('message', (data) => messages.push(JSON.parse(data.toString()) as LiveServerMessage));
        ws.once('error', reject);
        ws.once('open', () => resolve({ ws, messages }));
      });
    const [mine, all] = [await open(reader), await open(admin)];
    try {
      for (const c of [mine, all]) {
        c.ws.send(JSON.stringify({ subscribe: [{ id: 'cpu', selector: 'yw_scope_live' }] }));
        await waitFor(() => c.messages.find((m) => 'subscribed' in m), 'the subscription ack', 10_000, 20);
      }
      const now = Date.now();
      await push(['a', 'b', 'free', 'ruled'].map((host, i) => ({ metric: 'yw_scope_live', labels: { host, ...(host === 'a' ? { ci: w.ciA } : host === 'b' ? { ci: w.ciB } : host === 'ruled' ? { instance: 'ruled-host' } : {}) }, ts: now, value: i })));
      const hostsSent = async (c: { messages: LiveServerMessage[] }, count: number) => {
        const seen = () => c.messages.filter((m): m is LiveSeriesMessage => 'series' in m).flatMap((m) => m.series.map((s) => s.labels.host!));
        await waitFor(() => (seen().length >= count ? true : undefined), `${count} live series`, 10_000, 20);
        return seen().sort();
      };
      expect(await hostsSent(all, 4)).toEqual(['a', 'b', 'free', 'ruled']);
      // The admin's copy has arrived, so the reader's would have too (same commit, same flush).
      await new Promise((r) => setTimeout(r, 200));
      expect(await hostsSent(mine, 2)).toEqual(['a', 'free']);
    } finally {
      mine.ws.close();
      all.ws.close();
    }
  });
});
