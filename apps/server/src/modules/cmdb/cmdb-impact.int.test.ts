import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CiClass, DependencyResult, ImpactResult } from '@yunwei/contracts/cmdb';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';

/**
 * A small bank's online services:
 *
 *   统一门户 ──depends_on──▶ 网上营业厅 (business system)
 *   网上营业厅 ──contains──▶ 网厅应用服务 ──runs_on──▶ [网厅 Web 集群: web-vm-01..03, min_up 2]
 *                                  └──depends_on──▶ 网厅数据库 ──hosted_on──▶ 存储阵列-01
 *                                                        └──depends_on──▶ 核心交换机-01
 *   手机银行 (business system) ──contains──▶ 手机银行服务 ──depends_on──▶ 网厅数据库
 *   web-vm-01, web-vm-02 ──hosted_on──▶ 物理机-01;  web-vm-03 ──hosted_on──▶ 物理机-02
 *   物理机-01, 物理机-02 ──connects_to (does not propagate)──▶ 核心交换机-01
 */
describe.skipIf(!databaseAvailable())('impact analysis over a CMDB graph with redundancy', () => {
  let t: TestApp;
  let admin: TestSession;
  const id = new Map<string, string>();
  const nameOf = new Map<string, string>();
  let groupId = '';

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    const classes = new Map(((await admin.request('GET', '/api/cmdb/classes')).json as CiClass[]).map((c) => [c.code, c.id]));
    const hq = (await admin.request('POST', '/api/org-units', { name: '总行科技部' })).json.id as string;
    const storageUnit = (await admin.request('POST', '/api/org-units', { name: '存储中心' })).json.id as string;
    const ci = async (name: string, cls: string, extra: Record<string, unknown> = {}) => {
      const res = await admin.request('POST', '/api/cmdb/cis', { classId: classes.get(cls), name, orgUnitId: hq, ...extra });
      expect(res.status, res.body).toBe(200);
      id.set(name, res.json.id);
      nameOf.set(res.json.id, name);
    };
    await ci('网上营业厅', 'business_system', { attributes: { importance: 'core' } });
    await ci('手机银行', 'business_system');
    await ci('统一门户', 'application');
    await ci('网厅应用服务', 'application');
    await ci('手机银行服务', 'application');
    for (const n of ['web-vm-01', 'web-vm-02', 'web-vm-03']) {
      await ci(n, 'vm');
    }
    await ci('物理机-01', 'server');
    await ci('物理机-02', 'server');
    await ci('网厅数据库', 'database', { attributes: { engine: 'oracle' } });
    await ci('存储阵列-01', 'storage', { subtype: 'array', orgUnitId: storageUnit });
    await ci('核心交换机-01', 'network_device', { subtype: 'switch' });

    const group = await admin.request('POST', '/api/cmdb/groups', { name: '网厅 Web 集群', minUp: 2, memberIds: ['web-vm-01', 'web-vm-02', 'web-vm-03'].map((n) => id.get(n)) });
    expect(group.status, group.body).toBe(200);
    groupId = group.json.id;
    nameOf.set(groupId, '网厅 Web 集群');

    const relate = async (source: string, type: string, target: string, extra: Record<string, unknown> = {}) => {
      const res = await admin.request('POST', '/api/cmdb/relations', { sourceId: id.get(source), targetId: target === '网厅 Web 集群' ? groupId : id.get(target), type, ...extra });
      expect(res.status, res.body).toBe(200);
    };
    await relate('统一门户', 'depends_on', '网上营业厅');
    await relate('网上营业厅', 'contains', '网厅应用服务');
    await relate('网厅应用服务', 'runs_on', '网厅 Web 集群', { targetKind: 'group' });
    await relate('网厅应用服务', 'depends_on', '网厅数据库');
    await relate('手机银行', 'contains', '手机银行服务');
    await relate('手机银行服务', 'depends_on', '网厅数据库');
    await relate('网厅数据库', 'hosted_on', '存储阵列-01');
    await relate('网厅数据库', 'depends_on', '核心交换机-01');
    await relate('web-vm-01', 'hosted_on', '物理机-01');
    await relate('web-vm-02', 'hosted_on', '物理机-01');
    await relate('web-vm-03', 'hosted_on', '物理机-02');
    await relate('物理机-01', 'connects_to', '核心交换机-01');
    await relate('物理机-02', 'connects_to', '核心交换机-01');
  });
  afterAll(() => t?.close());

  const impact = async (name: string, failed: string[] = [], session = admin): Promise<ImpactResult> => {
    const qs = failed.length ? `?failed=${failed.map((n) => id.get(n)).join(',')}` : '';
    const res = await session.request('GET', `/api/cmdb/cis/${id.get(name)}/impact${qs}`);
    expect(res.status, res.body).toBe(200);
    return res.json;
  };
  const names = (items: { id: string }[]) => items.map((i) => nameOf.get(i.id));
  /** Every edge joins two nodes of the answer: the UI can draw it as is. */
  const expectDrawable = (r: { nodes: { id: string }[]; edges: { source: string; target: string }[] }) => {
    const nodes = new Set(r.nodes.map((n) => n.id));
    expect(nodes.size).toBe(r.nodes.length);
    for (const e of r.edges) {
      expect(nodes.has(e.source) && nodes.has(e.target), `${nameOf.get(e.source)} → ${nameOf.get(e.target)}`).toBe(true);
    }
  };

  it('one web VM down: the cluster keeps 2 of 3 up, so nothing up the chain is impacted', async () => {
    const r = await impact('web-vm-01');
    expect(r.failedIds).toEqual([id.get('web-vm-01')]);
    expect(r.affected).toEqual([]);
    expect(r.businessSystems).toEqual([]);
    expect(r.groups).toEqual([{ id: groupId, name: '网厅 Web 集群', minUp: 2, memberCount: 3, downCount: 1, state: 'degraded' }]);
    const states = Object.fromEntries(r.nodes.map((n) => [nameOf.get(n.id), n.state]));
    expect(states).toEqual({ 'web-vm-01': 'failed', '网厅 Web 集群': 'degraded', 'web-vm-02': 'up', 'web-vm-03': 'up' });
    expectDrawable(r);
  });

  it('[L3-2.3.2] a physical host carrying two of the three web VMs: the cluster falls below min_up, the app is impacted and 网上营业厅 is named', async () => {
    const r = await impact('物理机-01');
    expect(names(r.affected)).toEqual(['web-vm-01', 'web-vm-02', '网厅应用服务', '网上营业厅']);
    expect(r.affected.map((a) => a.depth)).toEqual([1, 1, 3, 4]);
    expect(r.businessSystems.map((b) => b.name)).toEqual(['网上营业厅']);
    const bs = r.businessSystems[0]!;
    expect(bs).toMatchObject({ kind: 'ci', classCode: 'business_system', depth: 4, restricted: false });
    expect(bs.path.map((p) => nameOf.get(p))).toEqual(['物理机-01', 'web-vm-02', '网厅 Web 集群', '网厅应用服务', '网上营业厅']);
    expect(r.groups).toEqual([{ id: groupId, name: '网厅 Web 集群', minUp: 2, memberCount: 3, downCount: 2, state: 'down' }]);
    // The walk stops at the business system: what relies on it (统一门户) is not walked; 手机银行 is untouched.
    expect(names(r.affected)).not.toContain('统一门户');
    expect(names(r.affected)).not.toContain('手机银行');
    const node = (name: string) => r.nodes.find((n) => n.id === (id.get(name) ?? groupId))!;
    expect(node('网上营业厅')).toMatchObject({ state: 'impacted', businessSystem: true, name: '网上营业厅', depth: 4 });
    expect(node('web-vm-03')).toMatchObject({ state: 'up', depth: null });
    expect(r.nodes.find((n) => n.id === groupId)).toMatchObject({ kind: 'group', state: 'impacted', minUp: 2, memberCount: 3, downCount: 2 });
    expect(r.edges.filter((e) => e.type === 'member')).toHaveLength(3);
    expectDrawable(r);
  });

  it('the other host carries one web VM only: degraded, not impacted', async () => {
    const r = await impact('物理机-02');
    expect(names(r.affected)).toEqual(['web-vm-03']);
    expect(r.businessSystems).toEqual([]);
    expect(r.groups[0]).toMatchObject({ state: 'degraded', downCount: 1 });
  });

  it('"two of three nodes down" asked with ?failed=: the cluster is down and both failed CIs are roots', async () => {
    const r = await impact('web-vm-01', ['web-vm-03']);
    expect(r.failedIds.map((f) => nameOf.get(f))).toEqual(['web-vm-01', 'web-vm-03']);
    expect(names(r.affected)).toEqual(['网厅应用服务', '网上营业厅']);
    expect(r.groups[0]).toMatchObject({ state: 'down', downCount: 2 });
    for (const [qs, status, code] of [
      [`failed=${randomUUID()}`, 404, 'YW_CMDB_CI_NOT_FOUND'],
      ['failed=not-an-id!', 400, 'YW_VALIDATION'],
      ['maxDepth=0', 400, 'YW_VALIDATION'],
    ] as const) {
      const res = await admin.request('GET', `/api/cmdb/cis/${id.get('web-vm-01')}/impact?${qs}`);
      expect(res.status, qs).toBe(status);
      expect(res.json.code, qs).toBe(code);
      expect(res.json.details.field, qs).toMatch(/^querystring\./);
    }
  });

  it('[L3-2.3.2] the core switch: impact follows depends_on (database → both apps → both business systems), not connects_to (the hosts)', async () => {
    const r = await impact('核心交换机-01');
    expect(names(r.affected)).toEqual(['网厅数据库', '网厅应用服务', '手机银行服务', '网上营业厅', '手机银行']);
    expect(r.businessSystems.map((b) => b.name)).toEqual(['网上营业厅', '手机银行']);
    expect(names(r.affected)).not.toContain('物理机-01');
    expect(r.edges.map((e) => e.type)).not.toContain('connects_to');
    expectDrawable(r);

    // A connects_to made propagating (an overridden relation) does carry the impact to the hosts.
    const rel = (await admin.request('GET', `/api/cmdb/cis/${id.get('物理机-02')}/relations`)).json.outgoing[0];
    expect(rel.type).toBe('connects_to');
    await admin.request('PATCH', `/api/cmdb/relations/${rel.id}`, { propagates: true });
    expect(names((await impact('核心交换机-01')).affected)).toEqual(expect.arrayContaining(['物理机-02', 'web-vm-03']));
    await admin.request('PATCH', `/api/cmdb/relations/${rel.id}`, { propagates: false });
  });

  it('a cycle in the graph does not loop: every CI is reported once', async () => {
    const cycle = await admin.request('POST', '/api/cmdb/relations', { sourceId: id.get('网厅数据库'), targetId: id.get('网厅应用服务'), type: 'depends_on' });
    expect(cycle.status).toBe(200);
    try {
      const r = await impact('存储阵列-01');
      expect(names(r.affected)).toEqual(['网厅数据库', '网厅应用服务', '手机银行服务', '网上营业厅', '手机银行']);
      expect(new Set(r.affected.map((a) => a.id)).size).toBe(r.affected.length);
      const fromApp = await impact('网厅应用服务');
      expect(names(fromApp.affected)).toEqual(['网上营业厅', '网厅数据库', '手机银行服务', '手机银行']);
      const deps = (await admin.request('GET', `/api/cmdb/cis/${id.get('网厅数据库')}/dependencies`)).json as DependencyResult;
      expect(new Set(deps.dependencies.map((d) => d.id)).size).toBe(deps.dependencies.length);
    } finally {
      await admin.request('DELETE', `/api/cmdb/relations/${cycle.json.id}`);
    }
  });

  it('[L3-2.3.2] "dependencies" lists the full chain a business system relies on, through the cluster down to the hosts', async () => {
    const res = await admin.request('GET', `/api/cmdb/cis/${id.get('网上营业厅')}/dependencies`);
    expect(res.status).toBe(200);
    const r = res.json as DependencyResult;
    expect(names(r.dependencies)).toEqual(['网厅应用服务', '网厅 Web 集群', '网厅数据库', 'web-vm-01', 'web-vm-02', 'web-vm-03', '存储阵列-01', '核心交换机-01', '物理机-01', '物理机-02']);
    expect(r.dependencies.find((d) => d.id === id.get('物理机-02'))).toMatchObject({ depth: 4 });
    expect(r.dependencies.find((d) => d.id === id.get('物理机-02'))!.path.map((p) => nameOf.get(p))).toEqual(['网上营业厅', '网厅应用服务', '网厅 Web 集群', 'web-vm-03', '物理机-02']);
    expect(r.nodes[0]).toMatchObject({ id: id.get('网上营业厅'), state: 'root', depth: 0 });
    expect(r.edges.map((e) => e.type)).not.toContain('connects_to');
    expectDrawable(r);
    // With all=true the non-propagating relations are followed too.
    const all = (await admin.request('GET', `/api/cmdb/cis/${id.get('物理机-01')}/dependencies?all=true`)).json as DependencyResult;
    expect(names(all.dependencies)).toEqual(['核心交换机-01']);
    expect((await admin.request('GET', `/api/cmdb/cis/${id.get('物理机-01')}/dependencies`)).json.dependencies).toEqual([]);
  });

  it('names the business systems a CI belongs to, and filters the CI list by business system', async () => {
    const db = (await admin.request('GET', `/api/cmdb/cis/${id.get('网厅数据库')}`)).json;
    expect(db.businessSystems.map((b: { name: string }) => b.name)).toEqual(['手机银行', '网上营业厅']);
    const vm = (await admin.request('GET', `/api/cmdb/cis/${id.get('web-vm-03')}`)).json;
    expect(vm.businessSystems.map((b: { name: string }) => b.name)).toEqual(['网上营业厅']);
    expect(vm.groups).toEqual([{ id: groupId, name: '网厅 Web 集群' }]);
    const members = (await admin.request('GET', `/api/cmdb/cis?businessSystemId=${id.get('手机银行')}&limit=100`)).json;
    expect(members.items.map((c: { name: string }) => c.name).sort()).toEqual(['存储阵列-01', '手机银行服务', '核心交换机-01', '网厅数据库'].sort());
  });

  it('lists CIs with the business systems relying on them when asked (the web list\'s column), and not otherwise', async () => {
    const page = (await admin.request('GET', '/api/cmdb/cis?withBusinessSystems=true&limit=100&sort=name')).json as { items: { name: string; businessSystems?: { name: string }[] }[] };
    const systemsOf = (name: string) => page.items.find((c) => c.name === name)?.businessSystems?.map((b) => b.name);
    expect(systemsOf('网厅数据库')).toEqual(['手机银行', '网上营业厅']);
    expect(systemsOf('web-vm-03')).toEqual(['网上营业厅']);
    expect(systemsOf('物理机-02')).toEqual(['网上营业厅']);
    // A business system itself, and what relies on one (统一门户), belong to none.
    expect(systemsOf('网上营业厅')).toEqual([]);
    expect(systemsOf('统一门户')).toEqual([]);
    const plain = (await admin.request('GET', '/api/cmdb/cis?limit=5')).json as { items: object[] };
    expect(plain.items.every((c) => !('businessSystems' in c))).toBe(true);
  });

  it('shows CIs outside the caller\'s data scope as restricted nodes, and refuses a root outside it', async () => {
    const hq = (await admin.request('GET', `/api/cmdb/cis/${id.get('网厅数据库')}`)).json.orgUnitId;
    const scoped = await t.signIn(await t.newUser({ permissions: ['cmdb.ci.read'], orgUnitIds: [hq] }));
    const deps = (await scoped.request('GET', `/api/cmdb/cis/${id.get('网厅数据库')}/dependencies`)).json as DependencyResult;
    const array = deps.nodes.find((n) => n.id === id.get('存储阵列-01'))!;
    expect(array).toMatchObject({ restricted: true, name: '', classCode: null, status: null, state: 'dependency' });
    expect(deps.nodes.find((n) => n.id === id.get('核心交换机-01'))).toMatchObject({ restricted: false, name: '核心交换机-01' });
    // The walk still sees the whole graph: the impact of the database is the same for this user.
    const r = await impact('网厅数据库', [], scoped);
    expect(r.businessSystems.map((b) => b.name)).toEqual(['网上营业厅', '手机银行']);
    const refused = await scoped.request('GET', `/api/cmdb/cis/${id.get('存储阵列-01')}/impact`);
    expect(refused.status).toBe(403);
    expect(refused.json.code).toBe('YW_OUT_OF_SCOPE');
  });
});
