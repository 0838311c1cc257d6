import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { bearer, storedSamples } from '../monitoring/monitoring.testing.js';
import { sampleInventory } from './agents.testing.js';

describe.skipIf(!databaseAvailable())('host agents: enrolment, credential, metrics, inventory', () => {
  let t: TestApp;
  let admin: TestSession;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
  });
  afterAll(() => t?.close());

  const newToken = async (body: Record<string, unknown> = { name: 'rack A' }) => {
    const res = await admin.request('POST', '/api/agents/enrolment-tokens', body);
    expect(res.status, res.body).toBe(200);
    return res.json as { token: { id: string; state: string }; secret: string };
  };
  const enroll = (token: string, hostname = 'web-01', machineId = 'machine-web-01') =>
    t.app.inject({ method: 'POST', url: '/api/agent/enroll', headers: { 'accept-language': 'en' }, payload: { token, hostname, machineId, version: '0.1.0', ip: '10.0.0.11' } });
  const enrolled = async (hostname: string, machineId = `machine-${hostname}`) => {
    const res = await enroll((await newToken()).secret, hostname, machineId);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { agentId: string; ciId: string; credential: string };
  };
  const samplesOf = (metric: string, agentId: string) =>
    t.ctx.db
      .selectFrom(storedSamples(t.ctx.db).as('m'))
      .innerJoin('metric_series as s', 's.id', 'm.series_id')
      .select(['s.labels', 's.ci_id', 'm.ts', 'm.value'])
      .where('s.metric', '=', metric)
      .where('s.labels', 'like', `%${agentId}%`)
      .orderBy('m.ts')
      .execute();

  it('enrols with a one-time token: the credential works, a second use of the token is refused, all audited', async () => {
    const { token, secret } = await newToken();
    expect(secret).toMatch(/^ywe_/);
    const first = await enroll(secret);
    expect(first.statusCode, first.body).toBe(200);
    const { agentId, ciId, credential } = first.json();
    expect(credential).toMatch(/^ywa_/);

    const second = await enroll(secret, 'intruder', 'machine-x');
    expect(second.statusCode).toBe(401);
    expect(second.json()).toMatchObject({ code: 'YW_AGENT_ENROLMENT_TOKEN_INVALID', details: { reason: 'used' } });

    // Only hashes are stored.
    const stored = await t.ctx.db.selectFrom('agent').selectAll().where('id', '=', agentId).executeTakeFirstOrThrow();
    expect(stored.credential_hash).not.toContain(credential);
    expect(JSON.stringify(await t.ctx.db.selectFrom('agent_enrolment_token').selectAll().execute())).not.toContain(secret);

    const tokens = (await admin.request('GET', '/api/agents/enrolment-tokens')).json.items as { id: string; state: string; agentId: string }[];
    expect(tokens.find((x) => x.id === token.id)).toMatchObject({ state: 'used', agentId });

    // The host CI (class server) was created for the hostname.
    const ci = (await admin.request('GET', `/api/cmdb/cis/${ciId}`)).json;
    expect(ci).toMatchObject({ name: 'web-01', hostname: 'web-01', classCode: 'server', ip: '10.0.0.11' });

    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'outcome', 'target_id']).where('action', 'like', 'agents.%').execute();
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'agents.token.create', outcome: 'success', target_id: token.id }),
        expect.objectContaining({ action: 'agents.agent.enroll', outcome: 'success', target_id: agentId }),
        expect.objectContaining({ action: 'agents.agent.enroll', outcome: 'failure', target_id: token.id }),
      ]),
    );
  });

  it('refuses an expired token, a revoked token and a made-up one', async () => {
    const expired = await newToken({ name: 'old', expiresInHours: 1 });
    await t.ctx.db.updateTable('agent_enrolment_token').set({ expires_at: Date.now() - 1000 }).where('id', '=', expired.token.id).execute();
    expect((await enroll(expired.secret)).json()).toMatchObject({ code: 'YW_AGENT_ENROLMENT_TOKEN_INVALID', details: { reason: 'expired' } });

    const revoked = await newToken();
    expect((await admin.request('DELETE', `/api/agents/enrolment-tokens/${revoked.token.id}`)).status).toBe(200);
    const res = await enroll(revoked.secret);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ details: { reason: 'revoked' } });

    expect((await enroll('ywe_madeup')).json()).toMatchObject({ code: 'YW_AGENT_ENROLMENT_TOKEN_INVALID', details: { reason: 'unknown' } });
  });

  it('a revoked agent gets 401 at once; other credentials (API tokens, none) are refused too', async () => {
    const a = await enrolled('db-01');
    const ts = Date.now();
    const push = () => bearer(t, a.credential, 'POST', '/api/agent/metrics', { samples: [{ metric: 'host_uptime_seconds', ts, value: 1 }] });
    expect((await push()).status).toBe(200);
    const revoke = await admin.request('POST', `/api/agents/${a.agentId}/revoke`);
    expect(revoke.status, revoke.body).toBe(200);
    expect(revoke.json.status).toBe('revoked');
    const after = await push();
    expect(after.status).toBe(401);
    expect(after.json.code).toBe('YW_AGENT_CREDENTIAL_INVALID');
    expect((await bearer(t, a.credential, 'POST', '/api/agent/inventory', { collectedAt: ts, inventory: sampleInventory() })).status).toBe(401);
    expect((await bearer(t, 'ywa_nonsense', 'POST', '/api/agent/metrics', { samples: [] })).status).toBe(401);
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/agent/metrics', payload: { samples: [] } });
    expect(anonymous.statusCode).toBe(401);
    expect((await admin.request('GET', '/api/agents')).json.items.find((x: { id: string }) => x.id === a.agentId).status).toBe('revoked');
  });

  it('metrics: ci and agent labels come from the credential, never from the payload; client timestamps are kept and replays are idempotent', async () => {
    const a = await enrolled('app-01');
    const victim = await enrolled('app-02');
    const t0 = Date.now() - 10 * 60_000;
    const body = {
      version: '0.1.1',
      intervalSeconds: 1,
      samples: [
        { metric: 'host_cpu_usage_percent', labels: { ci: victim.ciId, agent: victim.agentId }, ts: t0, value: 12.5 },
        { metric: 'host_cpu_usage_percent', labels: { ci: victim.ciId }, ts: t0 + 1000, value: 13.5 },
        { metric: 'host_fs_used_bytes', labels: { mount: '/', fstype: 'ext4', agent: 'spoof' }, ts: t0, value: 1e9 },
      ],
    };
    const res = await bearer(t, a.credential, 'POST', '/api/agent/metrics', body);
    expect(res.status, res.body).toBe(200);
    expect(res.json).toEqual({ accepted: 3 });
    expect((await bearer(t, a.credential, 'POST', '/api/agent/metrics', body)).status).toBe(200); // a replay

    const cpu = await samplesOf('host_cpu_usage_percent', a.agentId);
    expect(cpu.map((r) => [Number(r.ts), r.value])).toEqual([
      [t0, 12.5],
      [t0 + 1000, 13.5],
    ]);
    expect(JSON.parse(cpu[0]!.labels)).toEqual({ agent: a.agentId, ci: a.ciId });
    expect(cpu[0]!.ci_id).toBe(a.ciId);
    const fs = await samplesOf('host_fs_used_bytes', a.agentId);
    expect(JSON.parse(fs[0]!.labels)).toEqual({ agent: a.agentId, ci: a.ciId, fstype: 'ext4', mount: '/' });
    expect(await samplesOf('host_cpu_usage_percent', victim.agentId)).toEqual([]);

    const listed = (await admin.request('GET', '/api/agents')).json.items.find((x: { id: string }) => x.id === a.agentId);
    expect(listed).toMatchObject({ status: 'online', version: '0.1.1', intervalSeconds: 1, ciName: 'app-01' });
  });

  it('malformed metric payloads are a 400 naming the field, and nothing is written', async () => {
    const a = await enrolled('bad-01');
    const ts = Date.now();
    const cases: [unknown, string][] = [
      [{ samples: [{ metric: 'host_load1', ts, value: 'high' }] }, 'body.samples.0.value'],
      [{ samples: [{ metric: 'host_load1', value: 1 }] }, 'body.samples.0.ts'],
      [{ samples: [{ metric: 'host_load1', ts, value: 1 }, { metric: 'host_load1', ts: Math.floor(ts / 1000), value: 1 }] }, 'body.samples.1.ts'],
      [{ samples: [{ metric: 'cpu-load', ts, value: 1 }] }, 'body.samples.0.metric'],
      [{ samples: [{ metric: 'node_load1', ts, value: 1 }] }, 'body.samples.0.metric'],
      [{ samples: [{ metric: 'host_load1', labels: { 'bad-label': 'x' }, ts, value: 1 }] }, 'body.samples.0.labels.bad-label'],
      [{ samples: [{ metric: 'host_load1', ts, value: 1, extra: true }] }, 'body.samples.0.extra'],
      [{ metrics: [] }, 'body.samples'],
    ];
    for (const [body, field] of cases) {
      const res = await bearer(t, a.credential, 'POST', '/api/agent/metrics', body);
      expect(res.status, `${JSON.stringify(body)} → ${res.body}`).toBe(400);
      expect(res.json.details.field).toBe(field);
    }
    const notJson = await bearer(t, a.credential, 'POST', '/api/agent/metrics', '{"samples": [', { 'content-type': 'application/json' });
    expect(notJson.status).toBe(400);
    expect(await samplesOf('host_load1', a.agentId)).toEqual([]);
  });

  it('inventory creates then updates the host CI, keeps the full inventory, and leaves an unchanged one alone', async () => {
    const a = await enrolled('web-09');
    const collectedAt = Date.now();
    const first = await bearer(t, a.credential, 'POST', '/api/agent/inventory', { collectedAt, inventory: sampleInventory({ os: { ...sampleInventory().os, hostname: 'web-09' } }) });
    expect(first.status, first.body).toBe(200);
    expect(first.json).toEqual({ ciId: a.ciId, ciChanged: true });
    let ci = (await admin.request('GET', `/api/cmdb/cis/${a.ciId}`)).json;
    expect(ci).toMatchObject({ classCode: 'server', hostname: 'web-09', ip: '10.0.0.11' });
    expect(ci.attributes).toMatchObject({ vendor: 'Inspur', model: 'NF5280M6', serial_number: 'SN-0001', cpu_cores: 56, memory_gb: 256, os: 'Debian GNU/Linux 12 (kernel 6.1.0-28-amd64)' });

    const inv = await admin.request('GET', `/api/agents/inventory/${a.ciId}`);
    expect(inv.status, inv.body).toBe(200);
    expect(inv.json.inventory.packages).toContainEqual({ name: 'nginx', version: '1.22.1-9', arch: 'amd64' });
    expect(inv.json.inventory.os.kernel).toBe('6.1.0-28-amd64');

    // A person adds the location; the agent keeps it.
    expect((await admin.request('PATCH', `/api/cmdb/cis/${a.ciId}`, { attributes: { ...ci.attributes, location: '机房 A-12' } })).status).toBe(200);
    const same = await bearer(t, a.credential, 'POST', '/api/agent/inventory', { collectedAt: collectedAt + 1, inventory: sampleInventory({ os: { ...sampleInventory().os, hostname: 'web-09' } }) });
    expect(same.json).toEqual({ ciId: a.ciId, ciChanged: false });

    const upgraded = sampleInventory({
      os: { ...sampleInventory().os, hostname: 'web-09', kernel: '6.1.0-30-amd64' },
      memory: { totalBytes: 512 * 1024 ** 3, swapBytes: 0 },
      packages: [{ name: 'nginx', version: '1.22.1-10', arch: 'amd64' }],
    });
    const second = await bearer(t, a.credential, 'POST', '/api/agent/inventory', { collectedAt: collectedAt + 2, inventory: upgraded });
    expect(second.json).toEqual({ ciId: a.ciId, ciChanged: true });
    ci = (await admin.request('GET', `/api/cmdb/cis/${a.ciId}`)).json;
    expect(ci.attributes).toMatchObject({ memory_gb: 512, location: '机房 A-12', os: 'Debian GNU/Linux 12 (kernel 6.1.0-30-amd64)' });
    expect((await admin.request('GET', `/api/agents/inventory/${a.ciId}`)).json.inventory.packages).toEqual([{ name: 'nginx', version: '1.22.1-10', arch: 'amd64' }]);

    const updates = await t.ctx.db.selectFrom('audit_log').select(['actor_name']).where('action', '=', 'cmdb.ci.update').where('target_id', '=', a.ciId).execute();
    expect(updates.map((u) => u.actor_name)).toEqual(['agent:web-09', 'admin', 'agent:web-09']);

    const bad = await bearer(t, a.credential, 'POST', '/api/agent/inventory', { collectedAt, inventory: { ...upgraded, packages: [{ name: 'x', version: 1, arch: '' }] } });
    expect(bad.status).toBe(400);
    expect(bad.json.details.field).toBe('body.inventory.packages.0.version');
    expect((await admin.request('GET', `/api/agents/inventory/00000000-0000-7000-8000-000000000000`)).status).toBe(404);
  });

  it('a re-enrolled machine keeps its host CI and its earlier credential stops working', async () => {
    const first = await enrolled('cache-01', 'machine-cache');
    const again = await enrolled('cache-01', 'machine-cache');
    expect(again.ciId).toBe(first.ciId);
    expect((await bearer(t, first.credential, 'POST', '/api/agent/metrics', { samples: [] })).status).toBe(401);
    expect((await bearer(t, again.credential, 'POST', '/api/agent/metrics', { samples: [] })).status).toBe(200);
  });

  it('people need the agents permissions: a viewer lists but cannot revoke or make tokens', async () => {
    const viewer = await t.signIn(await t.newUser({ roles: ['viewer'] }));
    expect((await viewer.request('GET', '/api/agents')).status).toBe(200);
    expect((await viewer.request('POST', '/api/agents/enrolment-tokens', { name: 'x' })).status).toBe(403);
    const a = await enrolled('perm-01');
    expect((await viewer.request('POST', `/api/agents/${a.agentId}/revoke`)).status).toBe(403);
  });
});
