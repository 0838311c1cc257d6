import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { waitFor } from '../../../test/peers.js';
import { startReceiver, type TestReceiver } from '../../platform/notify/notify.testing.js';
import { notifyOf } from '../notify/runtime.js';
import { approvalsModule } from './approvals.module.js';
import { approvalsHarness, users, type ApprovalsHarness } from './approvals.testing.js';
import { approvalsOf } from './runtime.js';

const HOUR = 3_600_000;

describe.skipIf(!databaseAvailable())('approval reminders and escalation', () => {
  let t: TestApp;
  let h: ApprovalsHarness;
  let receiver: TestReceiver;
  beforeAll(async () => {
    t = await createTestApp({ YUNWEI_PUBLIC_URL: 'https://yunwei.example.cn' });
    h = await approvalsHarness(t);
    receiver = await startReceiver();
    notifyOf(t.ctx).worker.configure({ pollMs: 50 });
    notifyOf(t.ctx).start();
  });
  afterAll(async () => {
    await notifyOf(t.ctx).close();
    await receiver?.stop();
    await t?.close();
  });

  it('an overdue task reminds its assignee through a real webhook, then escalates to the flow\'s escalation user', async () => {
    const [submitter, a, boss] = [await h.person(), await h.person(), await h.person()];
    const channel = await h.admin.request('POST', '/api/notify/channels', { name: '审批通知', type: 'webhook', config: { url: receiver.url } });
    expect(channel.status, channel.body).toBe(200);
    const flow = await h.flow([{ name: '部门审批', mode: 'any', approvers: users(a), dueHours: 1 }], { notifyChannelId: channel.json.id, escalationUserId: boss.user.id });
    const id = await h.submit(submitter, flow.code, '申请开通 VPN 账号');
    const reminders = approvalsOf(t.ctx).reminders;
    const start = Date.now();
    // The task's opening notice comes first (task-notices.ts); the reminders follow it.
    await waitFor(() => receiver.requests.length === 1, 'the opening notice at the webhook', 10_000, 50);
    expect((receiver.requests[0]!.json as { title: string }).title).toBe('【审批待办】申请开通 VPN 账号');

    expect(await reminders.run(start + 0.5 * HOUR)).toEqual({ reminded: 0, escalated: 0 });
    expect(await reminders.run(start + 1.1 * HOUR)).toEqual({ reminded: 1, escalated: 0 });
    // Claimed once: running again (or on another node) sends nothing more.
    expect(await reminders.run(start + 1.2 * HOUR)).toEqual({ reminded: 0, escalated: 0 });
    await waitFor(() => receiver.requests.length === 2, 'the reminder at the webhook', 10_000, 50);
    const reminder = receiver.requests[1]!.json as { title: string; text: string; url: string };
    const submitterName = (await h.detail(h.admin, id)).submitter.name;
    expect(reminder.title).toBe('【审批催办】申请开通 VPN 账号');
    expect(reminder.text).toContain(submitterName);
    expect(reminder.text).toContain('部门审批');
    expect(reminder.url).toBe(`https://yunwei.example.cn/approvals/requests/${id}`);

    expect(await reminders.run(start + 2.1 * HOUR)).toEqual({ reminded: 0, escalated: 1 });
    await waitFor(() => receiver.requests.length === 3, 'the escalation at the webhook', 10_000, 50);
    expect((receiver.requests[2]!.json as { title: string }).title).toBe('【审批超时升级】申请开通 VPN 账号');
    expect(await reminders.run(start + 5 * HOUR)).toEqual({ reminded: 0, escalated: 0 });

    const history = (await h.detail(submitter, id)).history.filter((e) => e.action === 'remind' || e.action === 'escalate');
    expect(history.map((e) => [e.action, e.detail.userIds])).toEqual([
      ['remind', [a.user.id]],
      ['escalate', [a.user.id, boss.user.id]],
    ]);
    const trail = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', id).orderBy('id').execute();
    expect(trail.map((r) => r.action)).toEqual(['approvals.request.submit', 'approvals.task.remind', 'approvals.task.escalate']);
    const deliveries = await t.ctx.db.selectFrom('notify_delivery').select(['source_kind', 'source_id', 'status']).where('source_id', '=', id).execute();
    expect(deliveries).toEqual([
      { source_kind: 'approval-request', source_id: id, status: 'sent' },
      { source_kind: 'approval-request', source_id: id, status: 'sent' },
      { source_kind: 'approval-request', source_id: id, status: 'sent' },
    ]);
  });

  it('a decided task is not reminded; the job is declared with a schedule', async () => {
    const [submitter, a] = [await h.person(), await h.person()];
    const flow = await h.flow([{ name: '审批', mode: 'any', approvers: users(a), dueHours: 1 }]);
    const id = await h.submit(submitter, flow.code);
    await h.act(a, await h.taskOf(a, id), 'approve');
    expect(await approvalsOf(t.ctx).reminders.run(Date.now() + 3 * HOUR)).toEqual({ reminded: 0, escalated: 0 });
    const job = approvalsModule.jobs!(t.ctx).find((j) => j.name === 'approvals.reminders')!;
    expect(job.cron).toBe('*/5 * * * *');
    await job.run(null);
  });
});
