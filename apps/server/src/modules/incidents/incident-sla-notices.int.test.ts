import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalizedMessage } from '@yunwei/contracts/notify';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { IncidentSlaNotices } from './incident-sla-notices.js';
import { DEFAULT_CONFIG } from './incident-seeds.js';

const MINUTE = 60_000;
const PUBLIC_URL = 'https://yunwei.example.cn';

describe.skipIf(!databaseAvailable())('incident SLA notices and suspected causes', () => {
  let t: TestApp;
  let admin: TestSession;
  let channelId = '';
  let leadChannelId = '';
  let handler = { id: '' };

  beforeAll(async () => {
    t = await createTestApp({ YUNWEI_PUBLIC_URL: PUBLIC_URL });
    admin = await t.signIn(t.admin);
    // E-mail channels are only written to the outbox here (the worker is not started): the rows are the proof.
    const mail = await admin.request('POST', '/api/notify/channels', { name: '运维邮箱', type: 'email', isDefault: true, config: { host: '127.0.0.1', port: 2525, security: 'none', from: 'yunwei@example.cn', to: ['ops@example.cn'] } });
    expect(mail.status, mail.body).toBe(200);
    channelId = mail.json.id;
    const lead = await admin.request('POST', '/api/notify/channels', { name: '值班主管邮箱', type: 'email', config: { host: '127.0.0.1', port: 2525, security: 'none', from: 'yunwei@example.cn', to: ['lead@example.cn'] } });
    leadChannelId = lead.json.id;
    const policy = await admin.request('POST', '/api/alerting/escalations', { name: 'P1 故障升级', steps: [{ afterMinutes: 0, targets: [{ type: 'channel', channelId: leadChannelId }] }] });
    expect(policy.status, policy.body).toBe(200);
    const config = await admin.request('PUT', '/api/incidents/config', { ...DEFAULT_CONFIG, escalation: { P1: policy.json.id, P2: null, P3: null, P4: null } });
    expect(config.status, config.body).toBe(200);
    handler = await t.newUser({ roles: ['operator'] });
    await t.ctx.db.updateTable('user').set({ email: 'handler@example.cn' }).where('id', '=', handler.id).execute();
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The SLA notices sent for an incident (not the 【新故障】 message its assignee gets when it is recorded). */
  const deliveries = async (incidentId: string) =>
    (await t.ctx.db.selectFrom('notify_delivery').select(['channel_id', 'recipients', 'message']).where('source_kind', '=', 'incident').where('source_id', '=', incidentId).orderBy('created_at').execute()).map((d) => ({
      channelId: d.channel_id,
      recipients: JSON.parse(d.recipients) as string[],
      message: JSON.parse(d.message) as LocalizedMessage,
    })).filter((d) => d.message['zh-CN'].data?.kind === 'incident-sla');

  it('warns at 80 % of the response target and escalates at the breach, once each, with names and an absolute link', async () => {
    const now = Date.now();
    // P1 (impact 1 × urgency 1): 15 minutes to respond, 24×7. Detected 13 minutes ago: 86 % used.
    const created = await admin.request('POST', '/api/incidents', { title: '核心交换机宕机', impact: 1, urgency: 1, assigneeId: handler.id, detectedAt: now - 13 * MINUTE });
    expect(created.status, created.body).toBe(200);
    const id = created.json.id as string;
    const notices = new IncidentSlaNotices(t.ctx);
    expect(await notices.run(now)).toBe(1);
    expect(await notices.run(now)).toBe(0);
    let sent = await deliveries(id);
    expect(sent).toHaveLength(2);
    expect(sent.find((d) => d.channelId === channelId)).toMatchObject({ recipients: ['handler@example.cn'] });
    expect(sent.find((d) => d.channelId === leadChannelId)).toBeDefined();
    const warning = sent[0]!.message['zh-CN'];
    expect(warning.title).toBe(`【故障时限预警】${created.json.number} 核心交换机宕机`);
    expect(warning.text).toContain('响应时限已用 86%');
    expect(warning.url).toBe(`${PUBLIC_URL}/incidents/${id}`);
    // Three minutes later the response target is breached: one more notice, through the escalation policy too.
    expect(await notices.run(now + 3 * MINUTE)).toBe(1);
    sent = await deliveries(id);
    expect(sent).toHaveLength(4);
    expect(sent.slice(2).map((d) => d.message['zh-CN'].title)).toEqual([`【故障超时】${created.json.number} 核心交换机宕机`, `【故障超时】${created.json.number} 核心交换机宕机`]);
    expect(sent[2]!.message.en.text).toContain('The response target is breached (target 15 min');
    const activity = (await admin.request('GET', `/api/incidents/${id}/activity`, undefined, { 'accept-language': 'zh-CN' })).json.items as { kind: string; text: string }[];
    expect(activity.filter((a) => a.kind === 'sla').map((a) => a.text)).toEqual([expect.stringContaining('响应时限已超时'), expect.stringContaining('响应时限已用 86%')]);
  });

  it('sends nothing while the clock is paused, and nothing for an acknowledged response', async () => {
    const now = Date.now();
    const created = (await admin.request('POST', '/api/incidents', { title: '存储阵列告警', impact: 1, urgency: 1, detectedAt: now - 5 * MINUTE })).json;
    const held = await admin.request('POST', `/api/incidents/${created.id}/transition`, { action: 'hold', version: created.version, pauseReason: 'awaiting_vendor' });
    expect(held.status, held.body).toBe(200);
    // Holding acknowledges: the response clock stopped; the resolution clock (240 min) is paused.
    expect(held.json.sla).toMatchObject({ response: { stoppedAt: expect.any(Number), breached: false }, resolution: { paused: true, dueAt: null } });
    await new IncidentSlaNotices(t.ctx).run(now + 600 * MINUTE);
    expect(await deliveries(created.id)).toEqual([]);
  });

  it('[L2-2.1.3] records a timeline event as the suspected cause, then confirms it; the activity says so', async () => {
    const ci = (await admin.request('GET', '/api/cmdb/classes')).json.find((c: { code: string }) => c.code === 'server');
    const host = (await admin.request('POST', '/api/cmdb/cis', { classId: ci.id, name: 'db-host-02', orgUnitId: null })).json;
    const inc = (await admin.request('POST', '/api/incidents', { title: '数据库响应慢', impact: 2, urgency: 2, ciIds: [host.id] })).json;
    const proposed = await admin.request('POST', `/api/incidents/${inc.id}/hypotheses`, { eventId: 'change:1', kind: 'change', at: Date.now() - 20 * MINUTE, ciId: host.id, title: 'db-host-02 的配置被修改', link: `/cmdb/cis/${host.id}` });
    expect(proposed.status, proposed.body).toBe(200);
    expect(proposed.json).toMatchObject({ status: 'proposed', ci: { name: 'db-host-02' } });
    const twice = await admin.request('POST', `/api/incidents/${inc.id}/hypotheses`, { eventId: 'change:1', kind: 'change', at: Date.now(), title: 'x' });
    expect(twice.status).toBe(409);
    const confirmed = await admin.request('POST', `/api/incidents/${inc.id}/hypotheses/${proposed.json.id}/decide`, { status: 'confirmed', note: '回滚配置后恢复' });
    expect(confirmed.json).toMatchObject({ status: 'confirmed', note: '回滚配置后恢复', decidedBy: { name: expect.any(String) } });
    const texts = (await admin.request('GET', `/api/incidents/${inc.id}/activity`, undefined, { 'accept-language': 'zh-CN' })).json.items.map((a: { text: string }) => a.text);
    expect(texts.slice(0, 2)).toEqual(['确认原因：db-host-02 的配置被修改', '记录可能原因：db-host-02 的配置被修改']);
  });
});
