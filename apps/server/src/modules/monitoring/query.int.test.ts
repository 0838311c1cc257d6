import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CiRule, SeriesInfo } from '@yunwei/contracts/monitoring';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { apiToken, bearer, qs } from './monitoring.testing.js';

const M = 60_000;

describe.skipIf(!databaseAvailable())('metric queries and series → CI mapping', () => {
  let t: TestApp;
  let reader: string;
  let admin: TestSession;
  const t0 = Math.floor((Date.now() - 3_600_000) / M) * M;
  const http = [
    { labels: { instance: 'web-1:9100', method: 'get', code: '200' }, values: [1, 2, 3, 4, 5, 6] },
    { labels: { instance: 'web-1:9100', method: 'post', code: '500' }, values: [10, 10, 10, 40, 40, 40] },
    { labels: { instance: 'web-2:9100', method: 'get', code: '200' }, values: [7, 7, 7, 7, 7, 7] },
    { labels: { instance: 'db-7.prod:9100', method: 'get', code: '404' }, values: [100, 0, 0, 0, 0, 0] },
  ];

  beforeAll(async () => {
    t = await createTestApp();
    const writer = await apiToken(t, ['monitoring.metric.write']);
    reader = await apiToken(t, ['monitoring.metric.read']);
    admin = await t.signIn(t.admin);
    const samples = http.flatMap((s) => s.values.map((value, i) => ({ metric: 'yw_q_requests', labels: s.labels, ts: t0 + i * M, value })));
    samples.push({ metric: 'yw_q_other', labels: { instance: 'web-1:9100', method: 'get', code: '200' }, ts: t0, value: 1 });
    expect((await bearer(t, writer, 'POST', '/api/v1/metrics', { samples })).status).toBe(200);
  });
  afterAll(() => t?.close());

  const get = (url: string) => bearer(t, reader, 'GET', url);
  const seriesOf = async (...match: string[]) => {
    const res = await get(`/api/v1/series?${qs({ 'match[]': match })}`);
    expect(res.status, res.body).toBe(200);
    expect(res.json.status).toBe('success');
    return (res.json.data as Record<string, string>[]).map((s) => `${s.__name__}:${s.instance}:${s.method}:${s.code}`).sort();
  };

  it('selects series with =, !=, =~ and !~ and several match[] (Prometheus /api/v1/series)', async () => {
    expect(await seriesOf('yw_q_requests{method="post"}')).toEqual(['yw_q_requests:web-1:9100:post:500']);
    expect(await seriesOf('yw_q_requests{instance=~"web-.*",code!="500"}')).toEqual(['yw_q_requests:web-1:9100:get:200', 'yw_q_requests:web-2:9100:get:200']);
    expect(await seriesOf('yw_q_requests{instance!~"web-.*"}')).toEqual(['yw_q_requests:db-7.prod:9100:get:404']);
    expect(await seriesOf('{__name__=~"yw_q_.*",instance="web-1:9100",method="get"}')).toEqual(['yw_q_other:web-1:9100:get:200', 'yw_q_requests:web-1:9100:get:200']);
    expect(await seriesOf('yw_q_other', 'yw_q_requests{code="404"}')).toEqual(['yw_q_other:web-1:9100:get:200', 'yw_q_requests:db-7.prod:9100:get:404']);
    expect(await seriesOf('yw_q_requests{code="418"}')).toEqual([]);
    const single = await get(`/api/v1/series?${qs({ match: 'yw_q_other' })}`);
    expect(single.json.data).toEqual([{ __name__: 'yw_q_other', code: '200', instance: 'web-1:9100', method: 'get' }]);
  });

  it('aggregates each step with avg, min, max, sum or count, Prometheus-shaped, times in seconds or RFC 3339', async () => {
    const range = async (agg: string, query = 'yw_q_requests{method="post"}') => {
      const res = await get(`/api/v1/query_range?${qs({ query, start: t0 / 1000, end: new Date(t0 + 5 * M).toISOString(), step: '3m', agg })}`);
      expect(res.status, res.body).toBe(200);
      expect(res.json).toMatchObject({ status: 'success', data: { resultType: 'matrix', resolution: 'raw' } });
      return res.json.data.result;
    };
    expect(await range('avg')).toEqual([{ metric: { __name__: 'yw_q_requests', code: '500', instance: 'web-1:9100', method: 'post' }, values: [[t0 / 1000, '10'], [(t0 + 3 * M) / 1000, '40']] }]);
    expect((await range('sum'))[0].values).toEqual([[t0 / 1000, '30'], [(t0 + 3 * M) / 1000, '120']]);
    expect((await range('count'))[0].values).toEqual([[t0 / 1000, '3'], [(t0 + 3 * M) / 1000, '3']]);
    const get200 = await range('max', 'yw_q_requests{instance="web-1:9100",method="get"}');
    expect(get200[0].values).toEqual([[t0 / 1000, '3'], [(t0 + 3 * M) / 1000, '6']]);
    expect((await range('min', 'yw_q_requests{instance="web-1:9100",method="get"}'))[0].values).toEqual([[t0 / 1000, '1'], [(t0 + 3 * M) / 1000, '4']]);
    expect(await range('avg', 'yw_q_requests{code="418"}')).toEqual([]);
  });

  it('ranks the top k series by average or maximum', async () => {
    const top = async (by: string, k: number) => {
      const res = await get(`/api/v1/topk?${qs({ query: 'yw_q_requests', start: t0 / 1000, end: (t0 + 5 * M) / 1000, k, by })}`);
      expect(res.status, res.body).toBe(200);
      expect(res.json.data.resultType).toBe('vector');
      return (res.json.data.result as { metric: Record<string, string>; value: [number, string] }[]).map((r) => [r.metric.instance, r.metric.code, r.value[1]]);
    };
    expect(await top('avg', 2)).toEqual([
      ['web-1:9100', '500', '25'],
      ['db-7.prod:9100', '404', String(100 / 6)],
    ]);
    expect(await top('max', 1)).toEqual([['db-7.prod:9100', '404', '100']]);
  });

  it('refuses bad queries with 400 naming the parameter', async () => {
    const now = Date.now() / 1000;
    const cases: [string, string, string][] = [
      [`/api/v1/query_range?${qs({ query: 'rate(yw_q_requests[5m])' })}`, 'YW_VALIDATION', 'querystring.query'],
      [`/api/v1/query_range?${qs({ query: '{code=~".*"}' })}`, 'YW_VALIDATION', 'querystring.query'],
      [`/api/v1/query_range?${qs({ query: 'yw_q_requests{code=~"("}' })}`, 'YW_VALIDATION', 'querystring.query'],
      [`/api/v1/query_range?${qs({ query: 'yw_q_requests', step: 'soon' })}`, 'YW_VALIDATION', 'querystring.step'],
      [`/api/v1/query_range?${qs({ query: 'yw_q_requests', step: '0' })}`, 'YW_VALIDATION', 'querystring.step'],
      [`/api/v1/query_range?${qs({ query: 'yw_q_requests', start: 'yesterday' })}`, 'YW_VALIDATION', 'querystring.start'],
      [`/api/v1/query_range?${qs({ query: 'yw_q_requests', start: now, end: now - 60 })}`, 'YW_VALIDATION', 'querystring.end'],
      [`/api/v1/query_range?${qs({ query: 'yw_q_requests', start: now - 86_400, end: now, step: '1s' })}`, 'YW_MONITORING_QUERY_TOO_LARGE', 'querystring.step'],
      [`/api/v1/query_range?${qs({ query: 'yw_q_requests', agg: 'median' })}`, 'YW_VALIDATION', 'querystring.agg'],
      [`/api/v1/query_range?${qs({ query: 'yw_q_requests', resolution: '10m' })}`, 'YW_VALIDATION', 'querystring.resolution'],
      ['/api/v1/query_range', 'YW_VALIDATION', 'querystring.query'],
      ['/api/v1/series', 'YW_VALIDATION', 'querystring.match'],
      [`/api/v1/series?${qs({ 'match[]': 'up{' })}`, 'YW_VALIDATION', 'querystring.match[]'],
      [`/api/v1/topk?${qs({ query: 'yw_q_requests', k: 0 })}`, 'YW_VALIDATION', 'querystring.k'],
      [`/api/v1/topk?${qs({ query: 'yw_q_requests', by: 'p99' })}`, 'YW_VALIDATION', 'querystring.by'],
    ];
    for (const [url, code, field] of cases) {
      const res = await get(url);
      expect(res.status, url).toBe(400);
      expect(res.json, url).toMatchObject({ code, details: { field } });
    }
    const position = await get(`/api/v1/query_range?${qs({ query: 'rate(yw_q_requests[5m])' })}`);
    expect(position.json.message).toMatch(/position 5/);
  });

  it('maps series to CIs by rules (create, change, delete re-map stored series; audited) and lists series by CI', async () => {
    const viewer = await t.signIn(await t.newUser({ roles: ['viewer'] }));
    const bad = await admin.request('POST', '/api/monitoring/ci-rules', { label: 'instance', pattern: '(unclosed', ciTemplate: '$1' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.pattern' } });
    expect((await viewer.request('POST', '/api/monitoring/ci-rules', { label: 'instance', pattern: '.*', ciTemplate: 'x' })).status).toBe(403);

    const byHost = await admin.request('POST', '/api/monitoring/ci-rules', { label: 'instance', pattern: '(web-\\d+):\\d+', ciTemplate: 'CI-$1', priority: 20 });
    expect(byHost.status, byHost.body).toBe(200);
    expect(byHost.json.remapped).toBe(4); // three yw_q_requests series and yw_q_other on web-1/web-2
    const rule = byHost.json.rule as CiRule;
    expect(rule).toMatchObject({ label: 'instance', ciTemplate: 'CI-$1', priority: 20, enabled: true });

    const list = async (params: Record<string, string>) => {
      const res = await viewer.request('GET', `/api/monitoring/series?${qs(params)}`);
      expect(res.status, res.body).toBe(200);
      return res.json as { items: SeriesInfo[]; total: number };
    };
    const web1 = await list({ ciId: 'CI-web-1' });
    expect(web1.total).toBe(3);
    expect(web1.items.map((s) => s.metric).sort()).toEqual(['yw_q_other', 'yw_q_requests', 'yw_q_requests']);
    expect((await list({ ciId: 'CI-web-1', match: 'yw_q_requests{method="get"}' })).items).toHaveLength(1);
    expect((await list({ match: 'yw_q_requests{instance=~"db.*"}' })).items[0]!.ciId).toBeNull();

    // A rule before it (lower priority number) wins; changing and deleting re-map.
    const dbRule = await admin.request('POST', '/api/monitoring/ci-rules', { label: 'instance', pattern: '(db-\\d+)\\.prod:\\d+', ciTemplate: 'CI-$1', priority: 10 });
    expect(dbRule.json.remapped).toBe(1);
    expect((await list({ ciId: 'CI-db-7' })).total).toBe(1);
    const changed = await admin.request('PATCH', `/api/monitoring/ci-rules/${rule.id}`, { ciTemplate: 'HOST-$1' });
    expect(changed.json).toMatchObject({ remapped: 4, rule: { ciTemplate: 'HOST-$1', priority: 20 } });
    expect((await list({ ciId: 'HOST-web-2' })).total).toBe(1);
    expect((await list({ ciId: 'CI-web-1' })).total).toBe(0);
    const rules = (await viewer.request('GET', '/api/monitoring/ci-rules')).json as CiRule[];
    expect(rules.map((r) => r.priority)).toEqual([10, 20]);
    const removed = await admin.request('DELETE', `/api/monitoring/ci-rules/${rule.id}`);
    expect(removed.json).toEqual({ rule: null, remapped: 4 });
    expect((await list({ ciId: 'HOST-web-1' })).total).toBe(0);
    expect((await admin.request('DELETE', `/api/monitoring/ci-rules/${rule.id}`)).json.code).toBe('YW_MONITORING_RULE_NOT_FOUND');

    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'after']).where('target_id', '=', rule.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['monitoring.ci-rule.create', 'monitoring.ci-rule.update', 'monitoring.ci-rule.delete']);
    expect(JSON.parse(audit[0]!.after)).toMatchObject({ remapped: 4, pattern: '(web-\\d+):\\d+' });
  });

  it('lets read-only roles query but not write metrics or configuration', async () => {
    const viewer = await t.signIn(await t.newUser({ roles: ['viewer'] }));
    expect((await viewer.request('GET', `/api/v1/series?${qs({ match: 'yw_q_other' })}`)).status).toBe(200);
    expect((await viewer.request('GET', '/api/monitoring/scrape-targets')).status).toBe(200);
    expect((await viewer.request('POST', '/api/v1/metrics', { samples: [{ metric: 'x', value: 1 }] })).status).toBe(403);
    expect((await viewer.request('POST', '/api/monitoring/scrape-targets', { name: 'x', url: 'http://127.0.0.1:9/metrics' })).status).toBe(403);
    expect((await viewer.request('PATCH', '/api/monitoring/settings', { rawRetentionDays: 20 })).status).toBe(403);
    const operator = await t.signIn(await t.newUser({ roles: ['operator'] }));
    expect((await operator.request('POST', '/api/v1/metrics', { samples: [{ metric: 'yw_q_operator', value: 1 }] })).status).toBe(200);
  });
});
