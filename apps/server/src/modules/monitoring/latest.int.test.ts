import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LatestList, LatestSeries } from '@yunwei/contracts/monitoring';
import { scopedWorld, type ScopedWorld } from '../../../test/scoped-world.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { qs } from './monitoring.testing.js';

const MIN = 60_000;
const DAY = 86_400_000;

/**
 * GET /api/monitoring/latest (最新数据) on real pushed samples: host `a` on a CI in 甲一, host `b` on a CI
 * in 乙, `free` without a CI, `ghost` naming a CI that does not exist. A reader whose grant reaches 甲
 * sees a and free only; the admin sees all four, CIs by name.
 */
describe.skipIf(!databaseAvailable())('monitoring: latest data (最新数据)', () => {
  let t: TestApp;
  let admin: TestSession;
  let w: ScopedWorld;
  let reader: TestSession;
  const T = Math.floor((Date.now() - MIN) / 1000) * 1000;

  const push = async (samples: unknown[]) => {
    const res = await admin.request('POST', '/api/v1/metrics', { samples });
    expect(res.status, res.body).toBe(200);
  };
  const latest = async (s: TestSession, params: Record<string, string | number | undefined>): Promise<LatestList> => {
    const res = await s.request('GET', `/api/monitoring/latest?${qs(params)}`);
    expect(res.status, res.body).toBe(200);
    return res.json as LatestList;
  };
  const hosts = (list: LatestList) => list.items.map((i) => `${i.metric}:${i.labels.host ?? ''}${i.labels.mount ?? ''}`);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    w = await scopedWorld(t, admin, 'latest');
    reader = await w.scopedToA(['monitoring.metric.read']);
    const host = (name: string, labels: Record<string, string>, value: number) => [
      { metric: 'yw_latest_cpu_percent', labels: { host: name, ...labels }, ts: T - 2 * MIN, value: value - 1 },
      { metric: 'yw_latest_cpu_percent', labels: { host: name, ...labels }, ts: T, value },
    ];
    await push([
      ...host('a', { ci: w.ciA }, 11),
      ...host('b', { ci: w.ciB }, 22),
      ...host('free', {}, 33),
      ...host('ghost', { ci: 'no-such-ci' }, 44),
      { metric: 'yw_latest_fs_percent', labels: { host: 'a', ci: w.ciA, mount: '/' }, ts: T, value: 48 },
      { metric: 'yw_latest_fs_percent', labels: { host: 'a', ci: w.ciA, mount: '/data' }, ts: T, value: 93.5 },
    ]);
    // A series silent for three days still shows its last value (no time window on the lookup).
    await push([{ metric: 'yw_latest_old_seconds', labels: { host: 'a', ci: w.ciA }, ts: T - 3 * DAY, value: 7 }]);
  });
  afterAll(() => t?.close());

  it('an operator of 甲 does not see 乙’s series (nor a CI id naming no CI); the admin sees all, by metric then labels', async () => {
    const mine = await latest(reader, { search: 'yw_latest_cpu' });
    expect(hosts(mine)).toEqual(['yw_latest_cpu_percent:a', 'yw_latest_cpu_percent:free']);
    expect(mine.total).toBe(2);
    const all = await latest(admin, { search: 'yw_latest_cpu' });
    // Labels sort as their canonical JSON text: the series of one CI stay together (CI ids are UUIDv7: a before b).
    expect(hosts(all)).toEqual(['yw_latest_cpu_percent:a', 'yw_latest_cpu_percent:b', 'yw_latest_cpu_percent:ghost', 'yw_latest_cpu_percent:free']);
    // Searching for 乙's CI by its name or id finds nothing for the reader.
    expect((await latest(reader, { search: 'host-b-latest' })).total).toBe(0);
    expect((await latest(reader, { ciId: w.ciB })).total).toBe(0);
    expect((await latest(reader, { match: `yw_latest_cpu_percent{ci="${w.ciB}"}` })).total).toBe(0);
    // Without a search: everything in scope, and nothing of 乙.
    const everything = await latest(reader, { limit: 200 });
    expect(everything.items.every((i) => i.ci === null || i.ci.id === w.ciA)).toBe(true);
    expect((await latest(admin, { limit: 200 })).items.some((i) => i.ci?.id === w.ciB)).toBe(true);
  });

  it('each series carries its newest value and time, and its CI by name', async () => {
    const list = await latest(admin, { search: 'yw_latest_cpu' });
    const byHost = new Map(list.items.map((i) => [i.labels.host, i]));
    expect(byHost.get('a')).toMatchObject({ ts: T, value: 11, valueText: '11', ci: { id: w.ciA, name: 'host-a-latest' } });
    expect(byHost.get('b')).toMatchObject({ ts: T, value: 22, ci: { id: w.ciB, name: 'host-b-latest' } });
    expect(byHost.get('free')).toMatchObject({ ts: T, value: 33, ci: null });
    expect(byHost.get('ghost')).toMatchObject({ ts: T, value: 44, ci: { id: 'no-such-ci', name: null } });
    expect(list.at).toBeGreaterThanOrEqual(T);
    const old = (await latest(admin, { search: 'yw_latest_old' })).items;
    expect(old.map((i: LatestSeries) => [i.ts, i.value])).toEqual([[T - 3 * DAY, 7]]);
  });

  it('a late sample older than the newest does not become the latest value', async () => {
    await push([{ metric: 'yw_latest_cpu_percent', labels: { host: 'free' }, ts: T - MIN, value: 999 }]);
    const free = (await latest(admin, { search: 'yw_latest_cpu host=free' })).items;
    expect(free.map((i) => [i.ts, i.value])).toEqual([[T, 33]]);
  });

  it('searches by metric name, label value, label=text, CI name and selector; all words must match', async () => {
    expect(hosts(await latest(admin, { search: 'LATEST_FS' }))).toEqual(['yw_latest_fs_percent:a/', 'yw_latest_fs_percent:a/data']);
    expect(hosts(await latest(admin, { search: 'yw_latest mount=/data' }))).toEqual(['yw_latest_fs_percent:a/data']);
    expect(hosts(await latest(admin, { search: 'yw_latest mount="/data"' }))).toEqual(['yw_latest_fs_percent:a/data']);
    // A plain word is found in label values, and in the name of the series' CI.
    expect(hosts(await latest(admin, { search: 'yw_latest /data' }))).toEqual(['yw_latest_fs_percent:a/data']);
    expect(hosts(await latest(admin, { search: 'cpu host-b-LATEST' }))).toEqual(['yw_latest_cpu_percent:b']);
    expect(hosts(await latest(admin, { search: 'yw_latest_cpu ci=host-a' }))).toEqual(['yw_latest_cpu_percent:a']);
    expect(hosts(await latest(admin, { search: '__name__=fs_percent' }))).toEqual(['yw_latest_fs_percent:a/', 'yw_latest_fs_percent:a/data']);
    expect((await latest(admin, { search: 'yw_latest_cpu nothing-like-this' })).total).toBe(0);
    expect(hosts(await latest(admin, { match: 'yw_latest_fs_percent{mount!="/"}' }))).toEqual(['yw_latest_fs_percent:a/data']);
    expect(hosts(await latest(admin, { match: '{__name__=~"yw_latest_.*"}', search: 'free' }))).toEqual(['yw_latest_cpu_percent:free']);
    expect((await latest(reader, { ciId: w.ciA, search: 'yw_latest' })).total).toBe(4);
  });

  it('pages through the matches with offset and limit; total counts them all', async () => {
    const first = await latest(admin, { search: 'yw_latest_cpu', limit: 3 });
    const second = await latest(admin, { search: 'yw_latest_cpu', limit: 3, offset: 3 });
    expect(first.total).toBe(4);
    expect(second.total).toBe(4);
    expect([...hosts(first), ...hosts(second)]).toEqual(hosts(await latest(admin, { search: 'yw_latest_cpu' })));
    // Without words the database pages (here: one CI's series), in the same order.
    const one = await latest(reader, { ciId: w.ciA, limit: 3 });
    const two = await latest(reader, { ciId: w.ciA, limit: 3, offset: 3 });
    expect([one.total, two.total]).toEqual([4, 4]);
    expect([...hosts(one), ...hosts(two)]).toEqual(['yw_latest_cpu_percent:a', 'yw_latest_fs_percent:a/', 'yw_latest_fs_percent:a/data', 'yw_latest_old_seconds:a']);
    expect(two.items[0]).toMatchObject({ ts: T - 3 * DAY, value: 7, ci: { id: w.ciA, name: 'host-a-latest' } });
  });

  it('bad parameters are a 400 naming the field, never a 500', async () => {
    const bad = async (params: Record<string, string | number>, field: string) => {
      const res = await admin.request('GET', `/api/monitoring/latest?${qs(params)}`);
      expect(res.status, res.body).toBe(400);
      expect(JSON.stringify(res.json), res.body).toContain(field);
    };
    await bad({ limit: 1000 }, 'querystring.limit');
    await bad({ limit: 0 }, 'querystring.limit');
    await bad({ offset: -1 }, 'querystring.offset');
    await bad({ search: 'a b c d e f g h i' }, 'querystring.search');
    await bad({ search: 'x'.repeat(201) }, 'querystring.search');
    await bad({ match: 'yw_latest{' }, 'querystring.match');
    await bad({ other: 1 }, 'other');
    await bad({ search: 'cpu\u0000' }, 'querystring.search');
    // Odd text is just text: LIKE wildcards, quotes and backslashes find nothing, and fail nothing.
    for (const search of ['%', '"', '\\', "'; drop table metric_series; --", 'ci=%', 'yw_latest_o_d']) {
      const res = await admin.request('GET', `/api/monitoring/latest?${qs({ search: `yw_latest_cpu ${search}` })}`);
      expect(res.status, `${search}: ${res.body}`).toBe(200);
      expect(res.json.total, search).toBe(0);
    }
  });

  it('GET /api/monitoring/ci-names names only CIs within the reader’s metric scope', async () => {
    const names = async (s: TestSession, ids: string) => {
      const res = await s.request('GET', `/api/monitoring/ci-names?${qs({ ids })}`);
      expect(res.status, res.body).toBe(200);
      return (res.json.items as { id: string; name: string }[]).map((i) => i.name).sort();
    };
    expect(await names(reader, `${w.ciA},${w.ciB},no-such-ci`)).toEqual(['host-a-latest']);
    expect(await names(admin, `${w.ciA},${w.ciB},no-such-ci`)).toEqual(['host-a-latest', 'host-b-latest']);
    const tooMany = await admin.request('GET', `/api/monitoring/ci-names?${qs({ ids: Array.from({ length: 101 }, (_, i) => `c${i}`).join(',') })}`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toContain('querystring.ids');
  });
});
