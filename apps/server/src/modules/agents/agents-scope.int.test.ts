import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, EnrolmentToken } from '@yunwei/contracts/agents';
import { scopedWorld, type ScopedWorld } from '../../../test/scoped-world.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { bearer } from '../monitoring/monitoring.testing.js';
import { sampleInventory } from './agents.testing.js';

const PERMISSIONS = ['agents.agent.read', 'agents.agent.write', 'agents.token.write', 'cmdb.ci.read'];

describe.skipIf(!databaseAvailable())('host agents: org-unit data scope', () => {
  let t: TestApp;
  let admin: TestSession;
  let w: ScopedWorld;
  let op: TestSession;
  const hosts: Record<'a' | 'b', { agentId: string; ciId: string; credential: string; tokenId: string }> = {} as never;

  const enrolIn = async (hostname: string, orgUnitId: string) => {
    const token = await admin.request('POST', '/api/agents/enrolment-tokens', { name: `scope ${hostname}`, orgUnitId });
    expect(token.status, token.body).toBe(200);
    const res = await t.app.inject({ method: 'POST', url: '/api/agent/enroll', payload: { token: token.json.secret, hostname, machineId: `machine-${hostname}`, version: '0.1.0', ip: '10.0.0.21' } });
    expect(res.statusCode, res.body).toBe(200);
    const enrolled = res.json() as { agentId: string; ciId: string; credential: string };
    const inventory = await bearer(t, enrolled.credential, 'POST', '/api/agent/inventory', { collectedAt: Date.now(), inventory: sampleInventory({ os: { ...sampleInventory().os, hostname } }) });
    expect(inventory.status, inventory.body).toBe(200);
    return { ...enrolled, tokenId: token.json.token.id as string };
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    w = await scopedWorld(t, admin, 'agents');
    op = await w.scopedToA(PERMISSIONS);
    hosts.a = await enrolIn('scope-host-a', w.unitA1);
    hosts.b = await enrolIn('scope-host-b', w.unitB);
  });
  afterAll(() => t?.close());

  it("a token's org unit is where enrolment creates the host CI", async () => {
    expect((await admin.request('GET', `/api/cmdb/cis/${hosts.a.ciId}`)).json).toMatchObject({ name: 'scope-host-a', orgUnitId: w.unitA1 });
    expect((await admin.request('GET', `/api/cmdb/cis/${hosts.b.ciId}`)).json).toMatchObject({ name: 'scope-host-b', orgUnitId: w.unitB });
  });

  it('lists only agents and tokens of units in scope; an unrestricted admin sees all', async () => {
    const agents = (await op.request('GET', '/api/agents')).json.items as Agent[];
    expect(agents.map((a) => [a.hostname, a.orgUnitId, a.orgUnitName])).toEqual([['scope-host-a', w.unitA1, '甲一-agents']]);
    const tokens = (await op.request('GET', '/api/agents/enrolment-tokens')).json.items as EnrolmentToken[];
    expect(tokens.map((x) => [x.name, x.orgUnitId, x.orgUnitName])).toEqual([['scope scope-host-a', w.unitA1, '甲一-agents']]);
    const all = (await admin.request('GET', '/api/agents')).json.items as Agent[];
    expect(all.map((a) => a.hostname).sort()).toEqual(['scope-host-a', 'scope-host-b']);
    expect(((await admin.request('GET', '/api/agents/enrolment-tokens')).json.items as EnrolmentToken[]).map((x) => x.id)).toEqual(expect.arrayContaining([hosts.a.tokenId, hosts.b.tokenId]));
  });

  it("another unit's inventory, agent and token do not exist for the reader (404); theirs work", async () => {
    for (const [method, url, code] of [
      ['GET', `/api/agents/inventory/${hosts.b.ciId}`, 'YW_AGENT_INVENTORY_NOT_FOUND'],
      ['POST', `/api/agents/${hosts.b.agentId}/revoke`, 'YW_AGENT_NOT_FOUND'],
      ['DELETE', `/api/agents/enrolment-tokens/${hosts.b.tokenId}`, 'YW_AGENT_TOKEN_NOT_FOUND'],
    ] as const) {
      const res = await op.request(method, url);
      expect(res.status, url).toBe(404);
      expect(res.json.code, url).toBe(code);
    }
    expect((await admin.request('GET', '/api/agents')).json.items.find((a: Agent) => a.id === hosts.b.agentId).status).not.toBe('revoked');
    const inventory = await op.request('GET', `/api/agents/inventory/${hosts.a.ciId}`);
    expect(inventory.status).toBe(200);
    expect(inventory.json.inventory.os.hostname).toBe('scope-host-a');
    expect((await op.request('POST', `/api/agents/${hosts.a.agentId}/revoke`)).json.status).toBe('revoked');
  });

  it('a token outside the write scope is refused naming the field; without a unit it takes the creator’s own', async () => {
    const refusals: [Record<string, unknown>, number, string][] = [
      [{ name: 'b', orgUnitId: w.unitB }, 403, 'YW_OUT_OF_SCOPE'],
      [{ name: 'none', orgUnitId: null }, 403, 'YW_OUT_OF_SCOPE'],
      // The operator belongs to no unit: one must be named.
      [{ name: 'default' }, 400, 'YW_VALIDATION'],
    ];
    for (const [body, status, code] of refusals) {
      const res = await op.request('POST', '/api/agents/enrolment-tokens', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.json).toMatchObject({ code, details: { field: 'body.orgUnitId' } });
    }
    const member = await t.signIn(await t.newUser({ permissions: PERMISSIONS, orgUnitIds: [w.unitA], orgUnitId: w.unitA1 }));
    const own = await member.request('POST', '/api/agents/enrolment-tokens', { name: 'own unit' });
    expect(own.status, own.body).toBe(200);
    expect(own.json.token.orgUnitId).toBe(w.unitA1);
    // An unrestricted admin of no unit makes tokens of no unit.
    expect((await admin.request('POST', '/api/agents/enrolment-tokens', { name: 'anywhere' })).json.token.orgUnitId).toBeNull();
  });
});
