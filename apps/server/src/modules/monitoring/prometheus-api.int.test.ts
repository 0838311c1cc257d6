import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { apiToken, bearer, qs } from './monitoring.testing.js';

const MIN = 60_000;

describe.skipIf(!databaseAvailable())('Prometheus HTTP API extras for Grafana (instant query, labels, POST forms)', () => {
  let t: TestApp;
  let reader: string;
  let writer: string;
  // Whole seconds: Prometheus times in answers are seconds.
  const T = Math.floor((Date.now() - 30 * MIN) / 1000) * 1000;

  beforeAll(async () => {
    t = await createTestApp();
    reader = await apiToken(t, ['monitoring.metric.read']);
    writer = await apiToken(t, ['monitoring.metric.write']);
    const samples = [
      // db-1: fresh samples; db-2: only one 10 minutes before T (outside the 5-minute lookback at T).
      { metric: 'yw_pa_load', labels: { instance: 'db-1:9100', job: 'node', dc: 'bj' }, ts: T - 10 * MIN, value: 9 },
      { metric: 'yw_pa_load', labels: { instance: 'db-1:9100', job: 'node', dc: 'bj' }, ts: T - 2 * MIN, value: 1.5 },
      { metric: 'yw_pa_load', labels: { instance: 'db-1:9100', job: 'node', dc: 'bj' }, ts: T - MIN, value: 2.5 },
      { metric: 'yw_pa_load', labels: { instance: 'db-2:9100', job: 'node', dc: 'sh' }, ts: T - 10 * MIN, value: 7 },
      { metric: 'yw_pa_load', labels: { instance: 'web-1:9100', job: 'web', dc: 'bj' }, ts: T, value: 4 },
      { metric: 'yw_pa_up', labels: { instance: 'web-1:9100', job: 'web' }, ts: T, value: 1 },
    ];
    const res = await bearer(t, writer, 'POST', '/api/v1/metrics', { samples });
    expect(res.status, res.body).toBe(200);
  });
  afterAll(() => t?.close());

  const get = (path: string, params: Record<string, string | number | string[] | undefined>, token = reader) => bearer(t, token, 'GET', `${path}?${qs(params)}`);
  const form = (path: string, params: Record<string, string | string[]>) => bearer(t, reader, 'POST', path, qs(params), { 'content-type': 'application/x-www-form-urlencoded' });

  it('answers an instant selector query with each series\' newest sample of the last 5 minutes, stamped with the evaluation time', async () => {
    const res = await get('/api/v1/query', { query: 'yw_pa_load{job="node"}', time: T / 1000 });
    expect(res.status, res.body).toBe(200);
    expect(res.json).toEqual({ status: 'success', data: { resultType: 'vector', result: [{ metric: { __name__: 'yw_pa_load', instance: 'db-1:9100', job: 'node', dc: 'bj' }, value: [T / 1000, '2.5'] }] } });
    // Nine minutes earlier db-2's sample (T − 10 min) is within the lookback, db-1's newest then is the same one.
    const earlier = await get('/api/v1/query', { query: 'yw_pa_load{job="node"}', time: new Date(T - 9 * MIN).toISOString() });
    expect(earlier.json.data.result.map((r: { metric: { instance: string }; value: [number, string] }) => [r.metric.instance, r.value[1]])).toEqual([
      ['db-1:9100', '9'],
      ['db-2:9100', '7'],
    ]);
    // A time before any sample: an empty vector, not an error.
    expect((await get('/api/v1/query', { query: 'yw_pa_load', time: (T - 60 * MIN) / 1000 })).json.data.result).toEqual([]);
  });

  it('aggregates an instant vector: sum/avg/max/count by or without labels', async () => {
    const q = async (query: string) => (await get('/api/v1/query', { query, time: T / 1000 })).json.data.result;
    expect(await q('sum by (dc) (yw_pa_load)')).toEqual([{ metric: { dc: 'bj' }, value: [T / 1000, '6.5'] }]);
    expect(await q('count(yw_pa_load)')).toEqual([{ metric: {}, value: [T / 1000, '2'] }]);
    expect(await q('max(yw_pa_load) by (job)')).toEqual(
      expect.arrayContaining([
        { metric: { job: 'node' }, value: [T / 1000, '2.5'] },
        { metric: { job: 'web' }, value: [T / 1000, '4'] },
      ]),
    );
    expect(await q('avg without (instance, job) (yw_pa_load)')).toEqual([{ metric: { dc: 'bj' }, value: [T / 1000, '3.25'] }]);
  });

  it("answers Grafana's data-source check (1+1) as a scalar", async () => {
    const res = await get('/api/v1/query', { query: '1+1', time: 1_700_000_000.5 });
    expect(res.json).toEqual({ status: 'success', data: { resultType: 'scalar', result: [1_700_000_000.5, '2'] } });
  });

  it('lists label names and values, over all series or those matching match[]', async () => {
    const names = await get('/api/v1/labels', {});
    expect(names.status, names.body).toBe(200);
    expect(names.json.status).toBe('success');
    expect(names.json.data).toEqual(expect.arrayContaining(['__name__', 'dc', 'instance', 'job']));
    expect(names.json.data).toEqual([...names.json.data].sort());
    expect((await get('/api/v1/labels', { 'match[]': 'yw_pa_up' })).json.data).toEqual(['__name__', 'instance', 'job']);

    const jobs = await get('/api/v1/label/job/values', { 'match[]': ['yw_pa_load', 'yw_pa_up'] });
    expect(jobs.json).toEqual({ status: 'success', data: ['node', 'web'] });
    expect((await get('/api/v1/label/dc/values', {})).json.data).toEqual(expect.arrayContaining(['bj', 'sh']));
    expect((await get('/api/v1/label/__name__/values', {})).json.data).toEqual(expect.arrayContaining(['yw_pa_load', 'yw_pa_up']));
    expect((await get('/api/v1/label/no_such_label/values', {})).json).toEqual({ status: 'success', data: [] });
    // A time window: series seen in it only (every series here was last seen now, so a window in 2001 is empty).
    expect((await get('/api/v1/label/job/values', { start: 978_307_200, end: 978_310_800 })).json.data).toEqual([]);
  });

  it("accepts Grafana's query_range forms: float-second or RFC 3339 times, step as a duration or seconds, GET or form-encoded POST", async () => {
    const start = (T - 3 * MIN) / 1000;
    const end = T / 1000;
    const expected = [
      [start + 60, '1.5'],
      [start + 120, '2.5'],
    ];
    const db1 = (res: { json: { data: { result: { metric: { instance: string }; values: unknown[] }[] } } }) => res.json.data.result.find((r) => r.metric.instance === 'db-1:9100')?.values;
    for (const [s, e, step] of [
      [`${start}.000`, `${end}.000`, '60'],
      [new Date(start * 1000).toISOString(), new Date(end * 1000).toISOString(), '1m'],
      [String(start), String(end), '60.0'],
    ] as const) {
      const res = await get('/api/v1/query_range', { query: 'yw_pa_load', start: s, end: e, step });
      expect(res.status, res.body).toBe(200);
      expect(db1(res)).toEqual(expected);
    }
    const posted = await form('/api/v1/query_range', { query: 'yw_pa_load', start: String(start), end: String(end), step: '60' });
    expect(posted.status, posted.body).toBe(200);
    expect(db1(posted)).toEqual(expected);
    const instant = await form('/api/v1/query', { query: 'sum(yw_pa_load)', time: String(end) });
    expect(instant.json.data.result).toEqual([{ metric: {}, value: [end, '6.5'] }]);
    const series = await form('/api/v1/series', { 'match[]': ['yw_pa_up'] });
    expect(series.json).toEqual({ status: 'success', data: [{ __name__: 'yw_pa_up', instance: 'web-1:9100', job: 'web' }] });
    const labels = await form('/api/v1/labels', { 'match[]': ['yw_pa_up'], limit: '2' });
    expect(labels.json.data).toEqual(['__name__', 'instance']);
  });

  it("refuses bad input with 400 in Prometheus' error envelope, naming the parameter", async () => {
    const cases: [string, Record<string, string>, string][] = [
      ['/api/v1/query', { query: 'rate(yw_pa_load[5m])' }, 'querystring.query'],
      ['/api/v1/query', { query: 'yw_pa_load{job=}' }, 'querystring.query'],
      ['/api/v1/query', { query: 'yw_pa_load', time: 'yesterday' }, 'querystring.time'],
      ['/api/v1/query', { query: 'yw_pa_load', bogus: '1' }, 'querystring.bogus'],
      ['/api/v1/query', {}, 'querystring.query'],
      ['/api/v1/labels', { start: 'soon' }, 'querystring.start'],
      ['/api/v1/labels', { 'match[]': 'not a selector' }, 'querystring.match[]'],
      ['/api/v1/label/bad-name/values', {}, 'params.name'],
    ];
    for (const [path, params, field] of cases) {
      const res = await get(path, params);
      expect(res.status, `${path} ${JSON.stringify(params)}: ${res.body}`).toBe(400);
      expect(res.json).toMatchObject({ status: 'error', errorType: 'bad_data' });
      expect(res.json.error, res.body).toContain(field);
    }
    const posted = await form('/api/v1/query_range', { query: 'yw_pa_load', step: 'often' });
    expect(posted.status).toBe(400);
    expect(posted.json).toMatchObject({ status: 'error', errorType: 'bad_data', code: 'YW_VALIDATION' });
    expect(posted.json.error).toContain('querystring.step');
  });

  it("#10.13 malformed bodies and wrong content types answer 400 in Prometheus' envelope on every POST route, never a 500", async () => {
    const routes = ['/api/v1/query', '/api/v1/query_range', '/api/v1/series', '/api/v1/labels'];
    const bodies: [string, string, string][] = [
      ['malformed JSON', '{"query": ', 'application/json'],
      ['an empty JSON body', '', 'application/json'],
      ['JSON that is not an object', '"up"', 'application/json'],
      ['plain text', 'query=up', 'text/plain'],
      ['XML', '<query>up</query>', 'application/xml'],
      ['a multipart form', '--x\r\n\r\nup\r\n--x--', 'multipart/form-data; boundary=x'],
    ];
    for (const path of routes) {
      for (const [what, body, type] of bodies) {
        const res = await bearer(t, reader, 'POST', path, body, { 'content-type': type });
        expect(res.status, `${path} ${what}: ${res.body}`).toBe(400);
        expect(res.json, `${path} ${what}`).toMatchObject({ status: 'error', errorType: 'bad_data', error: expect.any(String), code: expect.stringMatching(/^YW_/) });
      }
    }
    // Still answers after all that.
    expect((await form('/api/v1/query', { query: 'yw_pa_up', time: String(T / 1000) })).json.data.result).toHaveLength(1);
  });

  it('needs monitoring.metric.read', async () => {
    expect((await get('/api/v1/query', { query: '1' }, writer)).status).toBe(403);
    expect((await get('/api/v1/labels', {}, writer)).status).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/label/job/values' })).statusCode).toBe(401);
  });
});
