import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalizedMessage, NotifyChannelCreate } from '@yunwei/contracts/notify';
import { waitFor } from '../../../test/peers.js';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { systemActor } from '../../platform/actor.js';
import { startReceiver, startSmtp, type TestReceiver } from '../../platform/notify/notify.testing.js';
import { NotifyRuntime, notifyOf } from './runtime.js';

const message = (title: string): LocalizedMessage => ({
  'zh-CN': { title: `【告警】${title}`, markdown: `**${title}**`, text: title, severity: 'warning', status: 'firing' },
  en: { title: `[Alert] ${title}`, markdown: `**${title}**`, text: title, severity: 'warning', status: 'firing' },
});

describe.skipIf(!databaseAvailable())('notification delivery worker', () => {
  let t: TestApp;
  let notify: NotifyRuntime;
  const stops: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    notify = notifyOf(t.ctx);
    // Test-sized timings: the defaults are 10 s timeout and 5 s, 30 s, 2 min… backoff.
    notify.worker.configure({ pollMs: 50, timeoutMs: 500, backoffMs: [200, 400], leaseMs: 2000 });
  });
  afterEach(async () => {
    await notify.close();
    for (const stop of stops.splice(0)) {
      await stop();
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  async function receiver(...args: Parameters<typeof startReceiver>): Promise<TestReceiver> {
    const r = await startReceiver(...args);
    stops.push(r.stop);
    return r;
  }
  async function channel(input: Partial<NotifyChannelCreate> & Pick<NotifyChannelCreate, 'type' | 'config'>): Promise<string> {
    return (await notify.service.create(systemActor('test'), { name: `channel ${Math.random()}`, ...input })).id;
  }
  const delivery = (id: string) => t.ctx.db.selectFrom('notify_delivery').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('[L3-2.1.3] an alert enqueued in the sender\'s transaction is e-mailed through a real SMTP server in the channel\'s language', async () => {
    const smtp = await startSmtp();
    stops.push(smtp.stop);
    const zh = await channel({ type: 'email', config: { host: '127.0.0.1', port: smtp.port, security: 'none', from: 'yunwei@example.cn', to: ['ops@example.cn'] } });
    const en = await channel({ type: 'email', locale: 'en', config: { host: '127.0.0.1', port: smtp.port, security: 'none', from: 'yunwei@example.cn', to: ['ops@example.cn'] } });
    // The test is about one clean send: give SMTP's handshakes the time a loaded machine needs (attempts must stay 1).
    notify.worker.configure({ timeoutMs: 5000 });
    notify.start();
    const ids = await t.ctx.db.transaction().execute(async (trx) => [
      (await notify.enqueue({ channelId: zh, message: message('db1 磁盘使用率 96%'), rateKey: 'rule:disk', source: { kind: 'alert-group', id: 'g1' }, recipients: ['oncall@example.cn'] }, trx)).deliveryId,
      (await notify.enqueue({ channelId: en, message: message('db1 disk 96%'), rateKey: 'rule:disk', source: { kind: 'alert-group', id: 'g1' } }, trx)).deliveryId,
    ]);
    await waitFor(() => smtp.messages.length === 2, 'two e-mails', 10_000, 50);
    const subjects = smtp.messages.map((m) => m.mail.subject).sort();
    expect(subjects).toEqual(['[Alert] db1 disk 96%', '【告警】db1 磁盘使用率 96%']);
    expect(smtp.messages.find((m) => m.mail.subject?.startsWith('【'))!.rcptTo).toEqual(['oncall@example.cn']);
    for (const id of ids) {
      await waitFor(async () => (await delivery(id)).status === 'sent', 'the delivery marked sent', 5000, 50);
      expect(await delivery(id)).toMatchObject({ attempts: 1, last_error: null, source_kind: 'alert-group', source_id: 'g1', rate_key: 'rule:disk' });
    }
    notify.worker.configure({ timeoutMs: 500 });
  });

  it('retries with backoff against a receiver that fails twice, then succeeds (visible in the log meanwhile)', async () => {
    const r = await receiver((_req, n) => (n < 2 ? { status: 503, json: { error: 'busy' } } : { status: 200 }));
    const id = (await notify.enqueue({ channelId: await channel({ type: 'webhook', config: { url: r.url } }), message: message('retry me') })).deliveryId;
    notify.start();
    await waitFor(async () => (await delivery(id)).status === 'retrying', 'retrying after the first failure', 5000, 20);
    expect((await delivery(id)).last_error).toContain('HTTP 503');
    await waitFor(async () => (await delivery(id)).status === 'sent', 'sent at the third attempt', 10_000, 50);
    expect((await delivery(id)).attempts).toBe(3);
    expect(r.requests).toHaveLength(3);
    // Backoff 200 ms then 400 ms, ±20% jitter: the attempts are spread out, not hammered.
    expect(r.requests[1]!.at - r.requests[0]!.at).toBeGreaterThanOrEqual(150);
    expect(r.requests[2]!.at - r.requests[1]!.at).toBeGreaterThanOrEqual(300);
  });

  it('gives up after the channel\'s max attempts: failed, with the last error', async () => {
    const r = await receiver(() => ({ status: 500, json: { error: 'always broken' } }));
    const id = (await notify.enqueue({ channelId: await channel({ type: 'webhook', config: { url: r.url }, maxAttempts: 2 }), message: message('never') })).deliveryId;
    notify.start();
    await waitFor(async () => (await delivery(id)).status === 'failed', 'failed after 2 attempts', 10_000, 50);
    expect(await delivery(id)).toMatchObject({ attempts: 2, next_attempt_at: null, last_error: expect.stringContaining('always broken') });
    expect(r.requests).toHaveLength(2);
  });

  it('a hanging endpoint times out into retrying while another channel is delivered meanwhile', async () => {
    const hang = await receiver(() => 'hang');
    const fine = await receiver();
    const slow = await channel({ type: 'webhook', config: { url: hang.url } });
    const fast = await channel({ type: 'webhook', config: { url: fine.url } });
    // Five stuck deliveries for the hanging channel, queued first: more than its slots (4).
    const stuck: string[] = [];
    for (let i = 0; i < 5; i++) {
      stuck.push((await notify.enqueue({ channelId: slow, message: message(`stuck ${i}`) })).deliveryId);
    }
    const quick = (await notify.enqueue({ channelId: fast, message: message('quick') })).deliveryId;
    notify.worker.configure({ timeoutMs: 2000 });
    try {
      notify.start();
      await waitFor(async () => (await delivery(quick)).status === 'sent', 'the other channel delivered', 5000, 20);
      expect(fine.requests).toHaveLength(1);
      // The hanging channel was still waiting on its endpoint when the other one was done.
      expect((await delivery(stuck[0]!)).status).toBe('sending');
      await waitFor(() => hang.requests.length >= 1, 'the hanging endpoint reached', 5000, 20);
      await waitFor(async () => (await delivery(stuck[0]!)).last_error === 'timed out after 2000 ms', 'the hanging send timed out', 8000, 50);
      expect(['retrying', 'sending']).toContain((await delivery(stuck[0]!)).status);
    } finally {
      notify.worker.configure({ timeoutMs: 500 });
    }
  });

  it('rate limit per channel and key: the excess is suppressed with the reason, other keys are not affected', async () => {
    const r = await receiver();
    const id = await channel({ type: 'webhook', config: { url: r.url }, ratePerMinute: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await notify.enqueue({ channelId: id, message: message(`cpu ${i}`), rateKey: 'rule:cpu' })).deliveryId);
    }
    const other = (await notify.enqueue({ channelId: id, message: message('disk'), rateKey: 'rule:disk' })).deliveryId;
    const rows = await Promise.all(ids.map(delivery));
    expect(rows.map((row) => row.status)).toEqual(['queued', 'queued', 'queued', 'suppressed', 'suppressed']);
    expect(rows[3]!.last_error).toBe('rate limit: more than 3 per minute for rule:cpu');
    expect((await delivery(other)).status).toBe('queued');
    notify.start();
    await waitFor(() => r.requests.length === 4, 'the four allowed deliveries sent', 5000, 50);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.requests).toHaveLength(4);
    expect((await delivery(ids[4]!)).status).toBe('suppressed');
  });

  it('a message in one language only goes out in that one; an invalid message is a failed row naming the field', async () => {
    const r = await receiver();
    const en = await channel({ type: 'webhook', locale: 'en', config: { url: r.url } });
    const only = (await notify.enqueue({ channelId: en, message: { 'zh-CN': message('只有中文')['zh-CN'] } as LocalizedMessage })).deliveryId;
    const bad = (await notify.enqueue({ channelId: en, message: { 'zh-CN': { title: '', markdown: 'x', text: 'x' }, en: message('x').en } })).deliveryId;
    expect(await delivery(bad)).toMatchObject({ status: 'failed', last_error: 'invalid message: zh-CN.title must NOT have fewer than 1 characters' });
    notify.start();
    await waitFor(async () => (await delivery(only)).status === 'sent', 'the zh-CN-only message sent', 5000, 50);
    expect(r.requests.map((q) => q.json.title)).toEqual(['【告警】只有中文']);
  });

  it('a disabled channel suppresses, a missing one fails: nothing is dropped silently', async () => {
    const r = await receiver();
    const off = await channel({ type: 'webhook', config: { url: r.url }, enabled: false });
    const a = (await notify.enqueue({ channelId: off, message: message('off') })).deliveryId;
    const b = (await notify.enqueue({ channelId: '0190aaaa-0000-7000-8000-000000000000', message: message('nowhere') })).deliveryId;
    expect(await delivery(a)).toMatchObject({ status: 'suppressed', last_error: 'the channel is disabled' });
    expect(await delivery(b)).toMatchObject({ status: 'failed', last_error: 'no such channel' });
  });

  it('restart: queued, retrying and orphaned sending deliveries survive and are sent by a new worker process', async () => {
    const r = await receiver();
    const id = await channel({ type: 'webhook', config: { url: r.url } });
    const queued = (await notify.enqueue({ channelId: id, message: message('queued before restart') })).deliveryId;
    const retrying = (await notify.enqueue({ channelId: id, message: message('retrying before restart') })).deliveryId;
    const orphan = (await notify.enqueue({ channelId: id, message: message('sending when the node died') })).deliveryId;
    const now = Date.now();
    await t.ctx.db.updateTable('notify_delivery').set({ status: 'retrying', attempts: 1, next_attempt_at: now - 1, last_error: 'HTTP 502' }).where('id', '=', retrying).execute();
    await t.ctx.db.updateTable('notify_delivery').set({ status: 'sending', attempts: 1, lease_until: now - 1 }).where('id', '=', orphan).execute();

    // A new runtime on the same database: what a restarted server builds (nothing carried in memory).
    const restarted = new NotifyRuntime(t.ctx);
    restarted.worker.configure({ pollMs: 50 });
    restarted.start();
    try {
      await waitFor(async () => (await Promise.all([queued, retrying, orphan].map(delivery))).every((row) => row.status === 'sent'), 'all three sent after the restart', 5000, 50);
      expect(r.requests.map((q) => q.json.title).sort()).toEqual(['【告警】queued before restart', '【告警】retrying before restart', '【告警】sending when the node died']);
      expect((await delivery(orphan)).attempts).toBe(2);
    } finally {
      await restarted.close();
    }
  });

  it('two workers (two nodes) on one database send every delivery exactly once', async () => {
    const r = await receiver();
    const id = await channel({ type: 'webhook', config: { url: r.url } });
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      ids.push((await notify.enqueue({ channelId: id, message: message(`m${i}`) })).deliveryId);
    }
    const other = new NotifyRuntime(t.ctx);
    other.worker.configure({ pollMs: 50 });
    notify.start();
    other.start();
    try {
      await waitFor(async () => (await t.ctx.db.selectFrom('notify_delivery').select('id').where('id', 'in', ids).where('status', '=', 'sent').execute()).length === 30, 'all 30 sent', 10_000, 50);
      expect(r.requests).toHaveLength(30);
      expect(new Set(r.requests.map((q) => q.json.title)).size).toBe(30);
    } finally {
      await other.close();
    }
  });
});
