import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';

type Method = 'POST' | 'PUT' | 'PATCH';
const HOUR = 3_600_000;

/**
 * JSON.parse turns `1e400` into Infinity, which passed `type: integer`, was stored, and then broke
 * every list that read it back (SQLite) or the write itself (PostgreSQL `bigint out of range`).
 */
describe.skipIf(!databaseAvailable())('numbers are finite and fit their columns', () => {
  let t: TestApp;
  let admin: TestSession;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
  });
  afterAll(() => t?.close());

  /** Sends `json` verbatim, so that `1e400` reaches the server's JSON parser as written. */
  const raw = (method: Method, url: string, json: string) => admin.request(method, url, json, { 'content-type': 'application/json' });

  const expectRefused = (res: { status: number; json: any }, field: string) => {
    expect(res.status, JSON.stringify(res.json)).toBe(400);
    expect(res.json).toMatchObject({ code: 'YW_VALIDATION', details: { field } });
  };

  it('#10.4 a silence ending at 1e400 is refused and the silence list still answers 200', async () => {
    const matchers = JSON.stringify([{ name: 'alertname', op: '=', value: 'x' }]);
    for (const endsAt of ['1e400', '-1e400', '1e300', '9007199254740993', '253402300800000']) {
      expectRefused(await raw('POST', '/api/alerting/silences', `{"matchers":${matchers},"endsAt":${endsAt},"comment":"c"}`), 'body.endsAt');
    }
    expectRefused(await raw('POST', '/api/alerting/silences', `{"matchers":${matchers},"startsAt":1e400,"endsAt":${Date.now() + HOUR},"comment":"c"}`), 'body.startsAt');
    // The last millisecond of year 9999 is still a date.
    expect((await raw('POST', '/api/alerting/silences', `{"matchers":${matchers},"endsAt":253402300799999,"comment":"c"}`)).status).toBe(200);
    const list = await admin.request('GET', '/api/alerting/silences');
    expect(list.status).toBe(200);
    expect(list.json.items).toHaveLength(1);
  });

  it('#10.4 a rule threshold of 1e400 is refused and the rule list still answers 200', async () => {
    const spec = (thresholds: string, extra = '') => `{"kind":"metric","selector":"yw_x","reducer":"last","windowSeconds":60,"op":">","thresholds":${thresholds}${extra}}`;
    const cases: [string, string][] = [
      [spec('{"warning":1e400}'), 'body.spec.thresholds.warning'],
      [spec('{"critical":-1e400}'), 'body.spec.thresholds.critical'],
      [spec('{"warning":1e301}'), 'body.spec.thresholds.warning'],
      [spec('{"warning":5}', ',"recovery":1e400'), 'body.spec.recovery'],
    ];
    for (const [body, field] of cases) {
      const res = await raw('POST', '/api/alerting/rules', `{"name":"r","spec":${body}}`);
      expect(res.status, body).toBe(400);
      // The spec is a union of kinds: the first error names a field of the body's spec.
      expect(res.json.code).toBe('YW_VALIDATION');
      expect(res.json.details.fields.map((f: { field: string }) => f.field), body).toContain(field);
    }
    const forecast = `{"kind":"forecast","selector":"yw_x","threshold":1e400,"horizonSeconds":3600,"lookbackSeconds":3600}`;
    expect((await raw('POST', '/api/alerting/rules', `{"name":"f","spec":${forecast}}`)).status).toBe(400);
    // Big but sane thresholds still work (a 10 PB disk in bytes).
    expect((await admin.request('POST', '/api/v1/metrics', { samples: [{ metric: 'yw_x', value: 1 }] })).status).toBe(200);
    const big = await raw('POST', '/api/alerting/rules', `{"name":"big","spec":${spec('{"warning":1e16}')}}`);
    expect(big.status, big.body).toBe(200);
    const list = await admin.request('GET', '/api/alerting/rules');
    expect(list.status).toBe(200);
    expect(list.json.items.map((r: { name: string }) => r.name)).toEqual(['big']);
  });

  it('#10.4 a maintenance window ending at 1e400 is refused and the window list still answers 200', async () => {
    const scope = '{"ciIds":[],"classCodes":[],"businessSystemIds":[]}';
    for (const [startsAt, endsAt, field] of [
      [`${Date.now()}`, '1e400', 'body.schedule.endsAt'],
      ['1e400', `${Date.now() + HOUR}`, 'body.schedule.startsAt'],
      [`${Date.now()}`, '99999999999999999999', 'body.schedule.endsAt'],
    ]) {
      const res = await raw('POST', '/api/alerting/maintenance', `{"name":"m","scope":${scope},"schedule":{"kind":"once","startsAt":${startsAt},"endsAt":${endsAt}}}`);
      expect(res.status, endsAt).toBe(400);
      expect(res.json.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    const list = await admin.request('GET', '/api/alerting/maintenance');
    expect(list.status).toBe(200);
    expect(list.json.items).toEqual([]);
  });

  it('#10.4 an on-call override ending at 1e400 is refused and the override list still answers 200', async () => {
    const schedule = await admin.request('POST', '/api/oncall/schedules', { name: '值班', rotations: [{ name: '日常', members: [t.admin.id], unit: 'days', length: 1, handoverTime: '00:00', startDate: '2026-01-01', applies: 'all' }] });
    expect(schedule.status).toBe(200);
    const url = `/api/oncall/schedules/${schedule.json.id}/overrides`;
    expectRefused(await raw('POST', url, `{"userId":"${t.admin.id}","start":${Date.now()},"end":1e400}`), 'body.end');
    expectRefused(await raw('POST', url, `{"userId":"${t.admin.id}","start":-1e400,"end":${Date.now()}}`), 'body.start');
    expectRefused(await raw('POST', url, `{"userId":"${t.admin.id}","start":${Date.now()},"end":18446744073709551616}`), 'body.end');
    const list = await admin.request('GET', url);
    expect(list.status).toBe(200);
    expect(list.json.items).toEqual([]);
    expect((await admin.request('GET', `/api/oncall/schedules/${schedule.json.id}/timeline`)).status).toBe(200);
  });

  it('#10.4 a huge but finite integer is refused with 400, never stored or a 500 (32-bit columns on PostgreSQL)', async () => {
    const cases: [Method, string, string, string][] = [
      ['POST', '/api/org-units', '{"name":"o","sortOrder":2147483648}', 'body.sortOrder'],
      ['POST', '/api/monitoring/ci-rules', '{"label":"instance","pattern":"x","ciTemplate":"t","priority":4294967296}', 'body.priority'],
      ['POST', '/api/v1/metrics', '{"samples":[{"metric":"yw_huge","ts":1e300,"value":1}]}', 'body.samples.0.ts'],
      ['POST', '/api/v1/metrics', '{"samples":[{"metric":"yw_huge","ts":9223372036854775808,"value":1}]}', 'body.samples.0.ts'],
      ['POST', '/api/v1/metrics', '{"samples":[{"metric":"yw_huge","value":1e400}]}', 'body.samples.0.value'],
      ['POST', '/api/cmdb/cis', '{"classId":"0190f0f0-0000-7000-8000-000000000000","name":"n","attributes":{"cpu_cores":1e400}}', 'body.attributes.cpu_cores'],
    ];
    for (const [method, url, body, field] of cases) {
      const res = await raw(method, url, body);
      expect(res.status, `${url} ${body}`).toBe(400);
      expect(res.json.code, body).toBe('YW_VALIDATION');
      expect(res.json.details.fields.map((f: { field: string }) => f.field), body).toContain(field);
    }
    expect((await admin.request('GET', '/api/org-units')).status).toBe(200);
    expect((await admin.request('GET', '/api/monitoring/series')).status).toBe(200);
  });

  it('#10.4 coerced query numbers are finite and bounded too', async () => {
    const cases: [string, string][] = [
      ['/api/users?limit=1e400', 'querystring.limit'],
      ['/api/alerting/alerts?from=Infinity', 'querystring.from'],
      ['/api/alerting/alerts?to=1e400', 'querystring.to'],
      ['/api/alerting/stats/rules?from=99999999999999999999', 'querystring.from'],
      ['/api/monitoring/utilisation?query=up&threshold=1e400', 'querystring.threshold'],
      ['/api/monitoring/utilisation?query=up&start=-Infinity', 'querystring.start'],
    ];
    for (const [url, field] of cases) {
      const res = await admin.request('GET', url);
      expect(res.status, url).toBe(400);
      expect(res.json, url).toMatchObject({ code: 'YW_VALIDATION', details: { field } });
    }
  });
});
