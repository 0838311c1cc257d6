import { createServer, type Server } from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicStatusPage, StatusPage } from '@yunwei/contracts/status-pages';
import { scopedWorld, type ScopedWorld } from '../../../test/scoped-world.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { alertingHarness, type AlertingHarness } from '../alerting/alerts.testing.js';
import { apiToken, bearer } from '../monitoring/monitoring.testing.js';
import { monitoringOf } from '../monitoring/runtime.js';
import { lastDays } from './status-model.js';
import { statusPagesOf } from './status-pages.runtime.js';

/** Every key the public answer may carry: anything else would be something nobody chose to show. */
const PUBLIC_KEYS = new Set(['slug', 'title', 'description', 'zh', 'en', 'state', 'at', 'timeZone', 'components', 'name', 'uptime24h', 'uptime30d', 'days', 'date', 'uptime', 'notices', 'kind', 'severity', 'phase', 'body', 'startsAt', 'endsAt']);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v) => keysOf(v, into));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      keysOf(v, into);
    }
  }
  return into;
}

describe.skipIf(!databaseAvailable())('status pages', () => {
  let t: TestApp;
  let admin: TestSession;
  let w: ScopedWorld;
  let h: AlertingHarness;
  let portal: Server;
  let healthy = true;
  let portalUrl = '';
  let businessClassId = '';
  let bsA = '';
  let bsB = '';
  let checkId = '';

  /** An anonymous request, as a visitor's browser makes it (no cookie, no token). */
  const anonymous = async (slug: string) => {
    // Public answers are reused for 10 s; the tests drop them instead of waiting (as they expire by themselves).
    statusPagesOf(t.ctx).publicStatus.forget();
    const res = await t.app.inject({ method: 'GET', url: `/api/public/status/${slug}`, headers: { 'accept-language': 'zh-CN' } });
    return { status: res.statusCode, body: res.body, json: (res.statusCode === 200 ? res.json() : undefined) as PublicStatusPage, headers: res.headers };
  };
  const create = async (body: Record<string, unknown>, as: TestSession = admin) => {
    const res = await as.request('POST', '/api/status-pages', { title: { zh: '门户网站状态' }, businessSystemId: bsA, ...body });
    expect(res.status, res.body).toBe(200);
    return res.json as StatusPage;
  };
  const run = async () => {
    const res = await admin.request('POST', `/api/checks/${checkId}/run`);
    expect(res.status, res.body).toBe(200);
    return res.json.status as string;
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    h = await alertingHarness(t);
    w = await scopedWorld(t, admin, 'sp');
    portal = createServer((_req, res) => (healthy ? res.writeHead(200).end('portal ok') : res.writeHead(503).end('down')));
    await new Promise<void>((r) => portal.listen(0, '127.0.0.1', r));
    portalUrl = `http://127.0.0.1:${(portal.address() as net.AddressInfo).port}/health`;
    const classes = (await admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    businessClassId = classes.find((c) => c.code === 'business_system')!.id;
    const bs = async (name: string, orgUnitId: string) => (await admin.request('POST', '/api/cmdb/cis', { classId: businessClassId, name, orgUnitId })).json.id as string;
    bsA = await bs('网上办事大厅', w.unitA);
    bsB = await bs('财务系统', w.unitB);
    const check = await admin.request('POST', '/api/checks', { name: 'portal internal http', type: 'http', ciId: w.ciA, settings: { url: portalUrl }, intervalSeconds: 60, timeoutMs: 3000, retries: 0 });
    expect(check.status, check.body).toBe(200);
    checkId = check.json.id;
    expect(await run()).toBe('up');
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((r) => portal?.close(r));
  });

  it('only a published page is seen anonymously; an unknown slug, an unpublished one and a malformed one get the very same 404', async () => {
    const page = await create({ slug: 'portal-draft', components: [{ checkId, name: '门户网站' }] });
    expect(page).toMatchObject({ slug: 'portal-draft', published: false, businessSystemName: '网上办事大厅', components: [{ kind: 'check', refId: checkId, name: '门户网站', currentName: 'portal internal http' }] });

    const unpublished = await anonymous('portal-draft');
    const unknown = await anonymous('no-such-page');
    const malformed = await anonymous('Not_A..Slug');
    expect(unpublished.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(404);
    expect(unpublished.body).toBe(unknown.body);
    expect(malformed.body).toBe(unknown.body);
    expect(JSON.parse(unknown.body)).toEqual({ code: 'YW_STATUS_PAGE_NOT_FOUND', message: '状态页不存在' });

    // Administrators preview it before publishing.
    const preview = await admin.request('GET', `/api/status-pages/${page.id}/preview`);
    expect(preview.status, preview.body).toBe(200);
    expect(preview.json).toMatchObject({ slug: 'portal-draft', state: 'operational' });

    expect((await admin.request('PATCH', `/api/status-pages/${page.id}`, { published: true })).json.published).toBe(true);
    const seen = await anonymous('portal-draft');
    expect(seen.status, seen.body).toBe(200);
    expect(seen.json).toMatchObject({ slug: 'portal-draft', title: { zh: '门户网站状态', en: '门户网站状态' }, state: 'operational', components: [{ name: '门户网站', state: 'operational', uptime24h: 100 }] });
    expect(seen.headers['set-cookie']).toBeUndefined();

    await admin.request('PATCH', `/api/status-pages/${page.id}`, { published: false });
    expect((await anonymous('portal-draft')).body).toBe(unknown.body);

    const audit = (await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', page.id).orderBy('id').execute()).map((a) => a.action);
    expect(audit).toEqual(['statuspage.page.create', 'statuspage.page.publish', 'statuspage.page.unpublish']);
  });

  it('the public answer holds the chosen display names and nothing else: no ids, targets, host names, labels, internal names or authors', async () => {
    const page = await create({ slug: 'portal-names', published: true, components: [{ checkId, name: '门户网站' }, { ciId: w.ciA, name: '应用服务器' }] });
    await admin.request('POST', `/api/status-pages/${page.id}/notices`, { kind: 'incident', severity: 'minor', title: '部分用户登录缓慢', body: '正在排查' });
    const { status, body, json } = await anonymous('portal-names');
    expect(status, body).toBe(200);
    expect(json.components.map((c) => c.name)).toEqual(['门户网站', '应用服务器']);
    expect(json.components[0]!.days).toHaveLength(30);
    for (const secret of [page.id, checkId, w.ciA, bsA, w.unitA, w.unitA1, 'portal internal http', 'host-a-sp', '网上办事大厅', '127.0.0.1', portalUrl, 'check_up', 'admin', '甲-sp']) {
      expect(body, secret).not.toContain(secret);
    }
    expect(body).not.toMatch(UUID);
    expect([...keysOf(JSON.parse(body))].filter((k) => !PUBLIC_KEYS.has(k))).toEqual([]);
  });

  it('[L3-2.1.1] a down check makes the page an outage when it is all there is, degraded next to a working component; uptime counts its runs', async () => {
    await create({ slug: 'portal-alone', published: true, components: [{ checkId, name: '门户网站' }] });
    await create({ slug: 'portal-pair', published: true, components: [{ checkId, name: '门户网站' }, { ciId: w.ciA, name: '应用服务器' }] });
    healthy = false;
    expect(await run()).toBe('down');
    const alone = (await anonymous('portal-alone')).json;
    expect(alone.state).toBe('outage');
    expect(alone.components[0]).toMatchObject({ name: '门户网站', state: 'outage' });
    const pair = (await anonymous('portal-pair')).json;
    expect(pair.state).toBe('degraded');
    expect(pair.components.map((c) => c.state)).toEqual(['outage', 'operational']);
    // One run UP (before this test), one DOWN.
    expect(alone.components[0]!.uptime24h).toBe(50);
    expect(alone.components[0]!.days.at(-1)).toMatchObject({ uptime: 50, state: 'outage' });
    healthy = true;
    expect(await run()).toBe('up');
    expect((await anonymous('portal-alone')).json.state).toBe('operational');
  });

  it('the 30-day figures and daily bars come from the check_up samples in the metrics store, on local days', async () => {
    const writer = await apiToken(t, ['monitoring.metric.write']);
    const days = lastDays(Date.now(), t.ctx.config.timeZone, 30);
    const yesterday = days.at(-2)!;
    const labels = { check: checkId, type: 'http', ci: w.ciA };
    const samples = [1, 1, 1, 0].map((value, i) => ({ metric: 'check_up', labels, ts: yesterday.from + (i + 1) * 3_600_000, value }));
    const res = await bearer(t, writer, 'POST', '/api/v1/metrics', { samples });
    expect(res.status, res.body).toBe(200);
    const page = (await anonymous('portal-alone')).json;
    const bars = page.components[0]!.days;
    expect(bars.at(-2)).toEqual({ date: yesterday.date, uptime: 75, state: 'outage' });
    expect(bars.slice(0, 28).every((d) => d.state === 'nodata' && d.uptime === null)).toBe(true);
    // Yesterday 3 of 4 UP, today's runs 2 of 3: 5 of 7.
    expect(page.components[0]!.uptime30d).toBe(71.42);
    expect(bars.at(-1)).toMatchObject({ uptime: 66.66, state: 'outage' });

    // Once the rollup job has run, older hours come from the 5-minute and 1-hour rollups: same figures.
    await monitoringOf(t.ctx).rollups.run();
    const rolled = (await anonymous('portal-alone')).json;
    expect(rolled.components[0]!.days).toEqual(bars);
    expect(rolled.components[0]!.uptime30d).toBe(71.42);
  });

  it('an active maintenance window over the business system shows maintenance, even while the check is down', async () => {
    healthy = false;
    expect(await run()).toBe('down');
    const window = await admin.request('POST', '/api/alerting/maintenance', {
      name: '机房割接',
      scope: { ciIds: [], classCodes: [], businessSystemIds: [bsA] },
      schedule: { kind: 'once', startsAt: Date.now() - 60_000, endsAt: Date.now() + 3_600_000 },
    });
    expect(window.status, window.body).toBe(200);
    const page = await anonymous('portal-pair');
    expect(page.json.state).toBe('maintenance');
    expect(page.json.components.map((c) => c.state)).toEqual(['maintenance', 'maintenance']);
    expect(page.body).not.toContain('机房割接');

    // A window over one CI only: the components on it (both here) are under maintenance, and so is the page.
    await admin.request('DELETE', `/api/alerting/maintenance/${window.json.id}`);
    healthy = true;
    expect(await run()).toBe('up');
    await admin.request('POST', '/api/alerting/maintenance', { name: '主机升级', scope: { ciIds: [w.ciA], classCodes: [], businessSystemIds: [] }, schedule: { kind: 'once', startsAt: Date.now() - 60_000, endsAt: Date.now() + 600_000 } });
    const one = (await anonymous('portal-pair')).json;
    expect(one.components.map((c) => c.state)).toEqual(['maintenance', 'maintenance']);
    expect(one.state).toBe('maintenance');
    const others = await admin.request('GET', '/api/alerting/maintenance');
    for (const m of others.json.items as { id: string }[]) {
      await admin.request('DELETE', `/api/alerting/maintenance/${m.id}`);
    }
    expect((await anonymous('portal-pair')).json.state).toBe('operational');
  });

  it('[L3-2.1.1] a CI component is an outage while a critical alert fires on it, and its uptime counts the firing time', async () => {
    const page = await create({ slug: 'app-server', published: true, components: [{ ciId: w.ciA, name: '应用服务器' }] });
    expect((await anonymous('app-server')).json.components[0]).toMatchObject({ state: 'operational', uptime24h: 100 });
    // Evaluated a few seconds in the past, so the alert has been firing for a while when the page is read.
    const now = Date.now() - 5000;
    // Uptime counts from the CI's creation: made an hour ago, the firing seconds fall inside it however fast the tests before ran.
    await t.ctx.db.updateTable('cmdb_ci').set({ created_at: now - 3_600_000 }).where('id', '=', w.ciA).execute();
    await h.push([{ metric: 'yw_sp_temp', labels: { ci: w.ciA }, ts: now, value: 99 }]);
    const rule = await h.rule({ name: '机房温度', spec: { kind: 'metric', selector: 'yw_sp_temp', reducer: 'last', windowSeconds: 300, op: '>', thresholds: { critical: 80 } } });
    await h.cycle(now + 1000);
    expect((await h.alerts(`?ruleId=${rule.id}`)).map((a: { state: string }) => a.state)).toEqual(['firing']);
    const down = (await anonymous('app-server')).json;
    expect(down.state).toBe('outage');
    expect(down.components[0]!.state).toBe('outage');
    expect(down.components[0]!.uptime24h).toBeLessThan(100);
    expect(JSON.stringify(down)).not.toContain('机房温度');

    await h.push([{ metric: 'yw_sp_temp', labels: { ci: w.ciA }, ts: now + 2000, value: 20 }]);
    await h.cycle(now + 3000);
    const after = (await anonymous('app-server')).json;
    expect(after.state).toBe('operational');
    expect(after.components[0]!.uptime24h).toBeLessThan(100);
    await admin.request('DELETE', `/api/status-pages/${page.id}`);
  });

  it('[L4-2.3.1] notices posted by an administrator appear on the public page: active ones raise its state, ended ones stay listed, scheduled maintenance is announced', async () => {
    const page = await create({ slug: 'portal-notices', published: true, components: [{ checkId, name: '门户网站' }] });
    const incident = await admin.request('POST', `/api/status-pages/${page.id}/notices`, { kind: 'incident', severity: 'major', title: '统一身份认证故障', body: '部分用户无法登录，正在处理。' });
    expect(incident.status, incident.body).toBe(200);
    expect(incident.json).toMatchObject({ phase: 'active', createdBy: expect.any(String) });
    const start = Date.now() + 86_400_000;
    const planned = await admin.request('POST', `/api/status-pages/${page.id}/notices`, { kind: 'maintenance', title: '数据库升级', body: '周六凌晨 2 点至 4 点', startsAt: start, endsAt: start + 7_200_000 });
    expect(planned.status, planned.body).toBe(200);

    let seen = (await anonymous('portal-notices')).json;
    expect(seen.state).toBe('degraded');
    expect(seen.notices).toEqual([
      { kind: 'incident', severity: 'major', phase: 'active', title: '统一身份认证故障', body: '部分用户无法登录，正在处理。', startsAt: incident.json.startsAt, endsAt: null },
      { kind: 'maintenance', severity: 'info', phase: 'scheduled', title: '数据库升级', body: '周六凌晨 2 点至 4 点', startsAt: start, endsAt: start + 7_200_000 },
    ]);

    const resolved = await admin.request('PATCH', `/api/status-pages/${page.id}/notices/${incident.json.id}`, { endsAt: Date.now(), body: '已恢复。' });
    expect(resolved.status, resolved.body).toBe(200);
    seen = (await anonymous('portal-notices')).json;
    expect(seen.state).toBe('operational');
    expect(seen.notices.map((n) => `${n.phase}:${n.title}`)).toEqual(['scheduled:数据库升级', 'ended:统一身份认证故障']);

    const bad = await admin.request('POST', `/api/status-pages/${page.id}/notices`, { kind: 'incident', title: 'x', startsAt: 2000, endsAt: 1000 });
    expect(bad.status).toBe(400);
    expect(bad.json.details.field).toBe('body.endsAt');
    const audit = (await t.ctx.db.selectFrom('audit_log').select('action').where('target_type', '=', 'status_page_notice').where('target_id', '=', incident.json.id).execute()).map((a) => a.action);
    expect(audit.sort()).toEqual(['statuspage.notice.create', 'statuspage.notice.update']);
  });

  it('an operator limited to one unit manages the pages of its business systems only, with components from its units only', async () => {
    const op = await w.scopedToA(['statuspage.page.read', 'statuspage.page.write', 'cmdb.ci.read', 'checks.check.read']);
    const other = await create({ slug: 'finance', businessSystemId: bsB, components: [{ ciId: w.ciB }] });
    expect(other.components[0]!.name).toBe('host-b-sp');

    const refused = await op.request('POST', '/api/status-pages', { slug: 'finance-2', title: { zh: '财务' }, businessSystemId: bsB });
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ code: 'YW_OUT_OF_SCOPE', details: { field: 'body.businessSystemId' } });
    const foreignPart = await op.request('POST', '/api/status-pages', { slug: 'mine', title: { zh: '我的' }, businessSystemId: bsA, components: [{ checkId }, { ciId: w.ciB }] });
    expect(foreignPart.status).toBe(403);
    expect(foreignPart.json.details.field).toBe('body.components.1.ciId');

    const mine = await create({ slug: 'mine', components: [{ checkId }] }, op);
    expect(mine.components[0]!.name).toBe('portal internal http');
    const listed = ((await op.request('GET', '/api/status-pages')).json.items as { slug: string }[]).map((p) => p.slug);
    expect(listed).toContain('mine');
    expect(listed).not.toContain('finance');
    for (const [method, url, body] of [
      ['GET', `/api/status-pages/${other.id}`, undefined],
      ['GET', `/api/status-pages/${other.id}/preview`, undefined],
      ['PATCH', `/api/status-pages/${other.id}`, { published: true }],
      ['DELETE', `/api/status-pages/${other.id}`, undefined],
      ['POST', `/api/status-pages/${other.id}/notices`, { kind: 'incident', title: '故障' }],
    ] as const) {
      const res = await op.request(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(res.json.code).toBe('YW_OUT_OF_SCOPE');
    }
    // Moving one's own page to another unit's business system is refused too.
    const moved = await op.request('PATCH', `/api/status-pages/${mine.id}`, { businessSystemId: bsB });
    expect(moved.status).toBe(403);
    expect(moved.json.details.field).toBe('body.businessSystemId');
  });

  it('refuses bad input naming the field: slug, business system, components; a taken slug is a 409', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ slug: 'Portal Status' }, 400, 'body.slug'],
      [{ slug: '-portal' }, 400, 'body.slug'],
      [{ slug: 'p' }, 400, 'body.slug'],
      [{ slug: 'x'.repeat(65) }, 400, 'body.slug'],
      [{ slug: 'portal-alone' }, 409, 'body.slug'],
      [{ slug: 'ok-slug', businessSystemId: w.ciA }, 400, 'body.businessSystemId'],
      [{ slug: 'ok-slug', components: [{ checkId, ciId: w.ciA }] }, 400, 'body.components.0'],
      [{ slug: 'ok-slug', components: [{}] }, 400, 'body.components.0'],
      [{ slug: 'ok-slug', components: [{ checkId }, { checkId }] }, 400, 'body.components.1.checkId'],
      [{ slug: 'ok-slug', components: [{ ciId: '0190e8b4-0000-7000-8000-000000000000' }] }, 400, 'body.components.0.ciId'],
      [{ slug: 'ok-slug', title: { zh: ' ' } }, 400, 'body.title.zh'],
      [{ slug: 'ok-slug', extra: 1 }, 400, 'body.extra'],
    ];
    const before = (await admin.request('GET', '/api/status-pages')).json.total as number;
    for (const [body, status, field] of cases) {
      const res = await admin.request('POST', '/api/status-pages', { title: { zh: '门户' }, businessSystemId: bsA, ...body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(JSON.stringify(res.json.details), JSON.stringify(body)).toContain(field);
    }
    expect((await admin.request('GET', '/api/status-pages')).json.total).toBe(before);
  });

  it('anonymous readers are rate-limited per address (120 a minute), with the catalogue error', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 130 && !statuses.includes(429); i++) {
      const res = await t.app.inject({ method: 'GET', url: '/api/public/status/portal-alone', remoteAddress: '192.0.2.7' });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        expect(res.json().code).toBe('YW_RATE_LIMITED');
      }
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(120);
    expect(statuses.at(-1)).toBe(429);
    // Another address is not held back by it.
    expect((await t.app.inject({ method: 'GET', url: '/api/public/status/portal-alone', remoteAddress: '192.0.2.8' })).statusCode).toBe(200);
  });
});
