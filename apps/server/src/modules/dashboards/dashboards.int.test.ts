import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard, Panel } from '@yunwei/contracts/dashboards';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';

const panel = (over: Partial<Panel> = {}): Panel => ({
  id: 'cpu',
  title: 'CPU',
  type: 'line',
  query: { selector: 'host_cpu_usage_percent', agg: 'avg', step: '1m' },
  grid: { x: 0, y: 0, w: 6, h: 4 },
  unit: 'percent',
  ...over,
});

describe.skipIf(!databaseAvailable())('custom dashboards', () => {
  let t: TestApp;
  let admin: TestSession;
  let operator: TestSession;
  let viewer: TestSession;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    operator = await t.signIn(await t.newUser({ roles: ['operator'] }));
    viewer = await t.signIn(await t.newUser({ roles: ['viewer'] }));
  });
  afterAll(async () => t?.close());

  it('creates, reads, changes and deletes a dashboard, each change audited', async () => {
    const created = await operator.request('POST', '/api/dashboards', { name: '主机概览', description: 'web hosts', panels: [panel(), panel({ id: 'mem', type: 'gauge', grid: { x: 6, y: 0, w: 6, h: 4 } })] });
    expect(created.status, created.body).toBe(200);
    const d = created.json as Dashboard;
    expect(d).toMatchObject({ name: '主机概览', shared: false, editable: true, ownerId: operator.state.user.id });
    expect(d.panels.map((p) => p.id)).toEqual(['cpu', 'mem']);

    const changed = await operator.request('PATCH', `/api/dashboards/${d.id}`, { panels: [panel({ grid: { x: 0, y: 0, w: 12, h: 6 } })] });
    expect(changed.status, changed.body).toBe(200);
    expect((changed.json as Dashboard).panels).toHaveLength(1);

    const list = await operator.request('GET', '/api/dashboards');
    expect(list.json.items.map((x: { id: string }) => x.id)).toContain(d.id);
    expect(list.json.items[0].panels).toBeUndefined();

    expect((await operator.request('DELETE', `/api/dashboards/${d.id}`)).status).toBe(200);
    expect((await operator.request('GET', `/api/dashboards/${d.id}`)).status).toBe(404);

    const auditor = await t.signIn(await t.newUser({ roles: ['audit_admin'] }));
    const audit = await auditor.request('GET', '/api/audit?targetType=dashboard&limit=500');
    expect(audit.status, audit.body).toBe(200);
    const actions = (audit.json.items as { action: string; targetId: string }[])
      .filter((a) => a.targetId === d.id)
      .map((a) => a.action)
      .sort();
    expect(actions).toEqual(['dashboards.dashboard.create', 'dashboards.dashboard.delete', 'dashboards.dashboard.update']);
  });

  it('keeps private dashboards to their owner; shared ones are read by everyone, changed by owner or manager', async () => {
    const mine = (await viewer.request('POST', '/api/dashboards', { name: 'viewer private' })).json as Dashboard;
    expect((await operator.request('GET', `/api/dashboards/${mine.id}`)).status).toBe(404);
    expect((await operator.request('GET', '/api/dashboards')).json.items.map((x: { id: string }) => x.id)).not.toContain(mine.id);
    // Sharing needs dashboards.dashboard.share, which viewers lack.
    const share = await viewer.request('PATCH', `/api/dashboards/${mine.id}`, { shared: true });
    expect(share.status).toBe(403);
    expect(share.json.details.permission).toBe('dashboards.dashboard.share');

    const shared = (await operator.request('POST', '/api/dashboards', { name: 'team board', shared: true, panels: [panel()] })).json as Dashboard;
    const seen = await viewer.request('GET', `/api/dashboards/${shared.id}`);
    expect(seen.status).toBe(200);
    expect(seen.json).toMatchObject({ shared: true, editable: false, ownerName: expect.any(String) });
    expect((await viewer.request('PATCH', `/api/dashboards/${shared.id}`, { name: 'hijack' })).status).toBe(403);
    expect((await viewer.request('DELETE', `/api/dashboards/${shared.id}`)).status).toBe(403);
    // The system administrator manages everyone's shared dashboards.
    expect((await admin.request('GET', `/api/dashboards/${shared.id}`)).json.editable).toBe(true);
    expect((await admin.request('PATCH', `/api/dashboards/${shared.id}`, { name: 'team board 2' })).status).toBe(200);
  });

  it('refuses invalid panels naming the field, and stores nothing', async () => {
    const cases: [unknown, string][] = [
      [[panel({ type: 'pie' as Panel['type'] })], 'body.panels.0.type'],
      [[panel({ query: { selector: 'rate(x[5m])' } })], 'body.panels.0.query.selector'],
      [[panel({ query: { selector: 'x', step: 'soon' } })], 'body.panels.0.query.step'],
      [[panel({ grid: { x: 8, y: 0, w: 6, h: 4 } })], 'body.panels.0.grid.w'],
      [[panel(), panel()], 'body.panels.1.id'],
      [[{ ...panel(), extra: 1 }], 'body.panels.0'],
    ];
    const before = (await operator.request('GET', '/api/dashboards')).json.total as number;
    for (const [panels, field] of cases) {
      const res = await operator.request('POST', '/api/dashboards', { name: 'bad', panels });
      expect(res.status, JSON.stringify(panels)).toBe(400);
      expect(JSON.stringify(res.json.details), JSON.stringify(panels)).toContain(field);
    }
    expect((await operator.request('GET', '/api/dashboards')).json.total).toBe(before);
  });
});
