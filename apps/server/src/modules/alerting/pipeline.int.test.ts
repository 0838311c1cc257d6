import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/peers.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { startReceiver, startSmtp, type ReceivedRequest, type TestReceiver, type TestSmtp } from '../../platform/notify/notify.testing.js';
import { notifyOf } from '../notify/runtime.js';
import { alertingHarness, baseTime, type AlertingHarness } from './alerts.testing.js';
import { dispatchSender } from './dispatch-sender.js';
import { Dispatcher } from './dispatcher.js';

const WEBHOOK_SECRET = 'pipeline-hmac-key';
const MIN = 60_000;

/**
 * The whole alert chain with every real part running: samples through the ingestion API → the
 * evaluator (cycles driven at the samples' times) → the `alerting.alert.changed` wake-up → the
 * dispatcher (started as on listen, with a clock that only moves forward for escalation) → the
 * notify outbox and its wake-up → the delivery worker (started) → a real SMTP server and a real
 * HTTP receiver.  The dispatcher is the production class with the production sender; it is not
 * the app's own instance only because that one has no injectable clock.
 */
describe.skipIf(!databaseAvailable())('the alert pipeline end to end', () => {
  let t: TestApp;
  let h: AlertingHarness;
  let admin: TestSession;
  let smtp: TestSmtp;
  let receiver: TestReceiver;
  let dispatcher: Dispatcher;
  /** Added to the real time by the dispatcher's clock: escalation steps come due without waiting. */
  let skew = 0;
  let emailId: string;
  let webhookId: string;

  beforeAll(async () => {
    t = await createTestApp();
    h = await alertingHarness(t);
    admin = h.admin;
    smtp = await startSmtp();
    receiver = await startReceiver();
    emailId = await channel({ name: '运维邮件', type: 'email', config: { host: '127.0.0.1', port: smtp.port, security: 'none', from: 'yunwei@example.com', to: ['ops@example.com'] } });
    webhookId = await channel({ name: '工单系统', type: 'webhook', config: { url: `${receiver.url}/hook`, secret: WEBHOOK_SECRET } });
    // Its own timer is made too slow to matter: what moves the chain is the wake-ups between the parts
    // (a missing one shows as a timeout) and, where a test asserts that nothing was sent, an explicit tick.
    dispatcher = new Dispatcher(t.ctx, dispatchSender(t.ctx), { now: () => Date.now() + skew, tickMs: 10 * MIN });
    dispatcher.start();
    notifyOf(t.ctx).start();
  });
  afterAll(async () => {
    await dispatcher?.close();
    await t?.close();
    await smtp?.stop();
    await receiver?.stop();
  });

  async function channel(body: Record<string, unknown>): Promise<string> {
    const res = await admin.request('POST', '/api/notify/channels', body);
    expect(res.status, res.body).toBe(200);
    return res.json.id as string;
  }

  /** An escalation policy and a notification policy (group wait 0) for alerts labelled `team=<team>`. */
  async function route(team: string, steps: { afterMinutes: number; channelIds: string[] }[], groupBy: string[]): Promise<void> {
    const esc = await admin.request('POST', '/api/alerting/escalations', { name: `升级 ${team}`, steps: steps.map((s) => ({ afterMinutes: s.afterMinutes, targets: s.channelIds.map((channelId) => ({ type: 'channel', channelId })) })) });
    expect(esc.status, esc.body).toBe(200);
    const policy = await admin.request('POST', '/api/alerting/policies', { name: `团队 ${team}`, matchers: [{ name: 'team', op: '=', value: team }], groupBy, groupWaitSeconds: 0, groupIntervalSeconds: 0, escalationPolicyId: esc.json.id });
    expect(policy.status, policy.body).toBe(200);
  }

  /** Requests to `path` on the receiver whose signature verifies (a receiver would drop the others). */
  function hooks(path: string): ReceivedRequest[] {
    return receiver.requests.filter((r) => r.url === path && verified(r));
  }

  function verified(r: ReceivedRequest): boolean {
    const ts = String(r.headers['x-yunwei-timestamp']);
    const expected = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(`${ts}.${r.body}`).digest('hex')}`;
    return r.headers['x-yunwei-signature'] === expected && Math.abs(Date.now() / 1000 - Number(ts)) < 300;
  }

  const alertById = async (id: string) => (await admin.request('GET', `/api/alerting/alerts/${id}`)).json;

  it('[L3-2.1.3] a threshold with a pending duration fires, notifies, recovers with hysteresis, and notifies recovery — end to end through real samples, the dispatcher and a real SMTP server and webhook', async () => {
    await route('web', [{ afterMinutes: 0, channelIds: [emailId, webhookId] }], ['alertname']);
    const t0 = baseTime(30);
    // (A rule may only name a metric already received.)
    await h.push([{ metric: 'yw_pipe_cpu', labels: { instance: 'web-1' }, ts: t0, value: 50 }]);
    const rule = await h.rule({
      name: 'CPU 过高',
      spec: { kind: 'metric', selector: 'yw_pipe_cpu', reducer: 'last', windowSeconds: 60, op: '>', thresholds: { critical: 90 }, recovery: 70 },
      forSeconds: 60,
      labels: { team: 'web' },
      annotations: { zh: { summary: '{{ $labels.instance }} CPU {{ $value }}% 超过 {{ $threshold }}%', description: '' }, en: { summary: '{{ $labels.instance }} CPU {{ $value }}% above {{ $threshold }}%', description: '' } },
    });
    // dt: seconds after t0. Each step: one sample through the ingestion API, one evaluation at its time.
    const step = async (dt: number, value: number) => {
      await h.push([{ metric: 'yw_pipe_cpu', labels: { instance: 'web-1' }, ts: t0 + dt * 1000, value }]);
      await h.cycle(t0 + dt * 1000);
      const alerts = await h.alerts('?state=pending,firing,acknowledged,resolved');
      return alerts.filter((a: { ruleId: string }) => a.ruleId === rule.id);
    };
    const queued = async () => t.ctx.db.selectFrom('notify_delivery').select('id').where('rate_key', '=', `rule:${rule.id}`).execute();

    expect(await step(0, 50)).toEqual([]);
    // Above the threshold, but not yet for 60 s: pending, and nobody is told.
    expect((await step(15, 95))[0]).toMatchObject({ state: 'pending' });
    expect((await step(45, 96))[0]).toMatchObject({ state: 'pending' });
    await dispatcher.tick();
    expect(await queued()).toHaveLength(0);
    const [firing] = await step(75, 97);
    expect(firing).toMatchObject({ state: 'firing', severity: 'critical', value: 97, threshold: 90 });

    // Fired: the e-mail (Chinese subject, the alert's summary) and the signed webhook arrive.
    const mail = await waitFor(() => smtp.messages[0], 'the firing e-mail', 10_000, 50);
    expect(mail.rcptTo).toEqual(['ops@example.com']);
    expect(mail.mail.subject).toBe('[告警 1 条] CPU 过高');
    expect(mail.mail.text).toContain('web-1 CPU 97% 超过 90%');
    expect(mail.mail.headers.get('x-yunwei-status')).toBe('firing');
    const hook = await waitFor(() => hooks('/hook')[0], 'the firing webhook', 10_000, 50);
    expect(hook.json).toMatchObject({ status: 'firing', severity: 'critical', title: '[告警 1 条] CPU 过高' });
    expect(hook.json.data.firing).toEqual([expect.objectContaining({ id: firing.id, value: 97, labels: expect.objectContaining({ alertname: 'CPU 过高', instance: 'web-1', rule: rule.id }) })]);

    // Below the threshold but above the recovery value: still firing (hysteresis), nothing new sent.
    expect((await step(90, 80))[0]).toMatchObject({ id: firing.id, state: 'firing' });
    expect((await step(105, 75))[0]).toMatchObject({ id: firing.id, state: 'firing' });
    await dispatcher.tick();
    expect(await queued()).toHaveLength(2);

    // Below the recovery value: resolved, and "已恢复" arrives on both channels.
    expect((await step(120, 65))[0]).toMatchObject({ id: firing.id, state: 'resolved', resolvedAt: t0 + 120_000 });
    const recovered = await waitFor(() => smtp.messages[1], 'the recovery e-mail', 10_000, 50);
    expect(recovered.mail.subject).toBe('[已恢复 1 条] CPU 过高');
    expect(recovered.mail.text).toContain('已恢复');
    expect(recovered.mail.headers.get('x-yunwei-status')).toBe('resolved');
    const recoveredHook = await waitFor(() => hooks('/hook')[1], 'the recovery webhook', 10_000, 50);
    expect(recoveredHook.json).toMatchObject({ status: 'resolved', title: '[已恢复 1 条] CPU 过高' });
    expect(recoveredHook.json.data.resolved).toEqual([expect.objectContaining({ id: firing.id, resolvedAt: t0 + 120_000 })]);

    // Exactly one message per transition per channel, each logged as sent with its source.
    await dispatcher.tick();
    expect(smtp.messages).toHaveLength(2);
    expect(receiver.requests.filter((r) => r.url === '/hook')).toHaveLength(2);
    const log = await waitFor(async () => {
      const items = (await admin.request('GET', '/api/notify/deliveries?sourceKind=alert-group')).json.items as { status: string; rateKey: string }[];
      const mine = items.filter((d) => d.rateKey === `rule:${rule.id}`);
      return mine.length === 4 && mine.every((d) => d.status === 'sent') && mine;
    }, 'four sent deliveries in the log', 10_000, 50);
    expect(log).toHaveLength(4);
  });

  it('[L3-2.1.3] acknowledging an alert through the API stops its escalation before step 1; a silence created through the API suppresses a new alert', async () => {
    const bossId = await channel({ name: '主管', type: 'webhook', config: { url: `${receiver.url}/boss`, secret: WEBHOOK_SECRET } });
    await route('db', [{ afterMinutes: 0, channelIds: [webhookId] }, { afterMinutes: 1, channelIds: [bossId] }], ['alertname', 'instance']);
    const t0 = baseTime(20);
    const before = hooks('/hook').length;
    await h.push(['db-1', 'db-2'].map((instance) => ({ metric: 'yw_pipe_disk', labels: { instance }, ts: t0, value: 95 })));
    const disk = await h.rule({ name: '磁盘过满', spec: { kind: 'metric', selector: 'yw_pipe_disk', reducer: 'last', windowSeconds: 60, op: '>', thresholds: { critical: 90 } }, forSeconds: 0, labels: { team: 'db' } });
    await h.cycle(t0);
    const alerts = (await h.alerts('?state=firing')).filter((a: { ruleId: string }) => a.ruleId === disk.id);
    expect(alerts).toHaveLength(2);
    const byInstance = new Map(alerts.map((a: { id: string; labels: { instance: string } }) => [a.labels.instance, a.id]));
    // Step 0: one message per group (one group per instance) on the webhook.
    await waitFor(() => hooks('/hook').length === before + 2, 'step 0 for both groups', 10_000, 50);

    const ack = await admin.request('POST', `/api/alerting/alerts/${byInstance.get('db-1')}/ack`, { note: '正在扩容' });
    expect(ack.status, ack.body).toBe(200);
    const groups = async () => (await admin.request('GET', '/api/alerting/groups')).json.items as { labels: Record<string, string>; escalation: { stopReason: string | null } | null }[];
    await waitFor(async () => (await groups()).find((g) => g.labels.instance === 'db-1')?.escalation?.stopReason === 'acknowledged', 'escalation of db-1 stopped by the acknowledgement', 10_000, 50);

    // A minute later step 1 is due: it reaches the boss for db-2 (still unacknowledged) only.
    skew += MIN + 1000;
    await dispatcher.tick(); // (in the server: its 1 s timer)
    const boss = await waitFor(() => hooks('/boss')[0], 'step 1 for db-2', 10_000, 50);
    expect(boss.json.title).toContain('第 2 级通知');
    expect(boss.json.data.firing.map((a: { id: string }) => a.id)).toEqual([byInstance.get('db-2')]);
    await dispatcher.tick();
    await dispatcher.tick();
    expect(receiver.requests.filter((r) => r.url === '/boss')).toHaveLength(1);

    // A silence through the API; then a new alert it matches fires: suppressed, shown on it, nothing sent.
    const silence = await admin.request('POST', '/api/alerting/silences', { matchers: [{ name: 'alertname', op: '=', value: '内存过高' }], endsAt: Date.now() + 3_600_000, comment: '内存扩容中' });
    expect(silence.status, silence.body).toBe(200);
    await h.push([{ metric: 'yw_pipe_mem', labels: { instance: 'db-3' }, ts: t0 + 15_000, value: 97 }]);
    const mem = await h.rule({ name: '内存过高', spec: { kind: 'metric', selector: 'yw_pipe_mem', reducer: 'last', windowSeconds: 60, op: '>', thresholds: { critical: 90 } }, forSeconds: 0, labels: { team: 'db' } });
    await h.cycle(t0 + 15_000);
    const [memAlert] = (await h.alerts('?state=firing')).filter((a: { ruleId: string }) => a.ruleId === mem.id);
    expect(memAlert).toBeDefined();
    const shown = await waitFor(async () => {
      const detail = await alertById(memAlert.id);
      return detail.suppressedBy.length > 0 && detail;
    }, 'the silence shown on the alert', 10_000, 50);
    expect(shown.suppressedBy).toEqual([expect.objectContaining({ kind: 'silence', refId: silence.json.id })]);
    await dispatcher.tick();
    await dispatcher.tick();
    const log = (await admin.request('GET', '/api/notify/deliveries?limit=500')).json.items as { rateKey: string | null; title: string }[];
    expect(log.filter((d) => d.rateKey === `rule:${mem.id}` || d.title.includes('内存过高'))).toEqual([]);
    expect(receiver.requests.filter((r) => r.body.includes(memAlert.id))).toEqual([]);
    // …while the disk alerts were logged: the log does show what the chain sends.
    expect(log.filter((d) => d.rateKey === `rule:${disk.id}`).length).toBe(3);
  });

  it('[L3-2.1.3] an escalation step to an on-call schedule e-mails whoever is on call (routing → on-call → notify → SMTP)', async () => {
    const user = await t.newUser({ roles: ['operator'] });
    expect((await admin.request('PATCH', `/api/users/${user.id}`, { email: 'zhang.san@example.com' })).status).toBe(200);
    const schedule = await admin.request('POST', '/api/oncall/schedules', {
      name: '一线值班',
      rotations: [{ name: '全天', members: [user.id], unit: 'days', length: 1, handoverTime: '09:00', startDate: '2026-01-01', applies: 'all' }],
    });
    expect(schedule.status, schedule.body).toBe(200);
    const esc = await admin.request('POST', '/api/alerting/escalations', { name: '值班升级', steps: [{ afterMinutes: 0, targets: [{ type: 'oncall', scheduleId: schedule.json.id, channelId: emailId }] }] });
    expect(esc.status, esc.body).toBe(200);
    const policy = await admin.request('POST', '/api/alerting/policies', { name: '值班团队', matchers: [{ name: 'team', op: '=', value: 'oncall' }], groupWaitSeconds: 0, escalationPolicyId: esc.json.id });
    expect(policy.status, policy.body).toBe(200);
    const t0 = baseTime(10);
    await h.push([{ metric: 'yw_pipe_load', labels: { instance: 'app-9' }, ts: t0, value: 42 }]);
    await h.rule({ name: '负载过高', spec: { kind: 'metric', selector: 'yw_pipe_load', reducer: 'last', windowSeconds: 60, op: '>', thresholds: { warning: 20 } }, forSeconds: 0, labels: { team: 'oncall' } });
    const before = smtp.messages.length;
    await h.cycle(t0);
    const mail = await waitFor(() => smtp.messages[before], 'the e-mail to the person on call', 10_000, 50);
    expect(mail.rcptTo).toEqual(['zhang.san@example.com']);
    expect(mail.mail.subject).toContain('负载过高');
  });
});
