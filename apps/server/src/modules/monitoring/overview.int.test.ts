import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitoringOverview } from '@yunwei/contracts/dashboards';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';

describe.skipIf(!databaseAvailable())('monitoring overview', () => {
  let t: TestApp;
  let admin: TestSession;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    const classes = (await admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    const classId = (code: string) => classes.find((c) => c.code === code)!.id;
    const ci = async (name: string, code: string) => {
      const res = await admin.request('POST', '/api/cmdb/cis', { classId: classId(code), name });
      expect(res.status, res.body).toBe(200);
      ids[name] = res.json.id as string;
    };
    for (const host of ['host-a', 'host-b', 'host-c', 'host-d', 'host-e']) {
      await ci(host, 'server');
    }
    for (const bs of ['支付', '门户', '报表', '空系统']) {
      await ci(bs, 'business_system');
    }
    const relate = async (source: string, target: string, targetKind: 'ci' | 'group' = 'ci') => {
      const res = await admin.request('POST', '/api/cmdb/relations', { sourceId: ids[source], targetId: targetKind === 'ci' ? ids[target] : target, targetKind, type: 'depends_on' });
      expect(res.status, res.body).toBe(200);
    };
    await relate('支付', 'host-a');
    await relate('报表', 'host-d');
    const group = await admin.request('POST', '/api/cmdb/groups', { name: 'web pool', minUp: 1, memberIds: [ids['host-b'], ids['host-c']] });
    expect(group.status, group.body).toBe(200);
    await relate('门户', group.json.id as string, 'group');

    const now = Date.now();
    const res = await admin.request('POST', '/api/v1/metrics', {
      samples: [
        { metric: 'host_cpu_usage_percent', labels: { ci: ids['host-a']!, agent: 'a' }, ts: now - 10_000, value: 30 },
        { metric: 'host_fs_usage_percent', labels: { ci: ids['host-a']!, agent: 'a', mount: '/var', fstype: 'ext4' }, ts: now - 10_000, value: 95.5 },
        { metric: 'host_fs_usage_percent', labels: { ci: ids['host-a']!, agent: 'a', mount: '/', fstype: 'ext4' }, ts: now - 10_000, value: 40 },
        // host-b's agent last spoke five minutes ago
        { metric: 'host_cpu_usage_percent', labels: { ci: ids['host-b']!, agent: 'b' }, ts: now - 300_000, value: 10 },
        { metric: 'host_cpu_usage_percent', labels: { ci: ids['host-c']!, agent: 'c' }, ts: now - 5000, value: 50 },
        { metric: 'check_up', labels: { ci: ids['host-c']!, check: 'chk-c', type: 'icmp' }, ts: now - 5000, value: 1 },
        { metric: 'check_up', labels: { ci: ids['host-d']!, check: 'chk-d', type: 'http' }, ts: now - 5000, value: 0 },
        // an old failure no longer counts
        { metric: 'check_up', labels: { ci: ids['host-e']!, check: 'chk-e', type: 'tcp' }, ts: now - 3_600_000, value: 0 },
      ],
    });
    expect(res.status, res.body).toBe(200);
  });
  afterAll(async () => t?.close());

  it('[L3-2.1.1] counts CIs up/down/unknown, lists problems now and business-system health through redundancy', async () => {
    const res = await admin.request('GET', '/api/monitoring/overview');
    expect(res.status, res.body).toBe(200);
    const o = res.json as MonitoringOverview;
    expect(o.counts).toEqual({ up: 2, down: 2, unknown: 1, total: 5 });
    const state = Object.fromEntries(o.cis.map((c) => [c.name, c.state]));
    expect(state).toEqual({ 'host-a': 'up', 'host-b': 'down', 'host-c': 'up', 'host-d': 'down' });
    expect(o.cis.find((c) => c.name === 'host-b')!.reasons).toEqual(['agent_silent']);
    expect(o.cis.find((c) => c.name === 'host-d')!.reasons).toEqual(['check_down']);
    expect(o.cis.find((c) => c.name === 'host-a')!.cpu).toBe(30);

    const problems = o.problems.map((p) => `${p.kind}:${p.ciName}:${p.subject}`).sort();
    expect(problems).toEqual(['check_down:host-d:http chk-d', 'ci_down:host-b:agent_silent', 'ci_down:host-d:check_down', 'fs_full:host-a:/var']);
    expect(o.problems.find((p) => p.kind === 'fs_full')!.value).toBe(95.5);

    const health = Object.fromEntries(o.businessSystems.map((b) => [b.name, b.health]));
    // 门户 relies on a pool of two with one needed: host-b down is absorbed (degraded, not down).
    expect(health).toEqual({ 支付: 'up', 门户: 'degraded', 报表: 'down', 空系统: 'unknown' });
    expect(o.businessSystems.find((b) => b.name === '门户')!.down.map((d) => d.name)).toEqual(['host-b']);
  });

  it('shows only CIs in the caller’s CMDB scope and needs monitoring.metric.read', async () => {
    const noCmdb = await t.signIn(await t.newUser({ permissions: ['monitoring.metric.read'] }));
    const o = (await noCmdb.request('GET', '/api/monitoring/overview')).json as MonitoringOverview;
    expect(o.counts.total).toBe(0);
    expect(o.businessSystems).toEqual([]);
    const noMetrics = await t.signIn(await t.newUser({ permissions: ['cmdb.ci.read'] }));
    expect((await noMetrics.request('GET', '/api/monitoring/overview')).status).toBe(403);
  });
});
