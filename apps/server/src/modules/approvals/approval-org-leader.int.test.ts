import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgUnit } from '@yunwei/contracts/org';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { waitFor } from '../../../test/peers.js';
import { startReceiver, type TestReceiver } from '../../platform/notify/notify.testing.js';
import { notifyOf } from '../notify/runtime.js';
import { approvalsHarness, users, type ApprovalsHarness, type Person } from './approvals.testing.js';

interface Received {
  title: string;
  text: string;
  url: string;
  recipients: string[];
  data: { stage: string; assignee: string; step: string };
}

describe.skipIf(!databaseAvailable())('approvals: the org unit\'s leader as approver, a notice when a task opens', () => {
  let t: TestApp;
  let h: ApprovalsHarness;
  let receiver: TestReceiver;
  beforeAll(async () => {
    t = await createTestApp({ YUNWEI_PUBLIC_URL: 'https://yunwei.example.cn/' });
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

  const unit = async (name: string, parentId: string | null, leaderId: string | null = null): Promise<OrgUnit> => {
    const res = await h.admin.request('POST', '/api/org-units', { name, parentId, leaderId });
    expect(res.status, res.body).toBe(200);
    return res.json as OrgUnit;
  };
  const personIn = async (orgUnitId: string): Promise<Person> => {
    const user = await t.newUser({ roles: ['operator'], orgUnitId });
    return { user, session: await t.signIn(user) };
  };
  const leaderStep = (name = '部门负责人审批') => ({ name, mode: 'any' as const, approvers: [{ kind: 'org_leader' as const }] });

  it('the org unit leader approves: the submitter\'s unit\'s leader, else the nearest leader above', async () => {
    const boss = await h.person();
    const lead = await h.person();
    const root = await unit('集团-审批测试', null, boss.user.id);
    const dept = await unit('运维部-审批测试', root.id, lead.user.id);
    const team = await unit('网络组-审批测试', dept.id);
    const flow = await h.flow([leaderStep(), { name: '总部审批', mode: 'any', approvers: users(boss) }]);

    // The team has no leader: its department's leader is asked.
    const inTeam = await personIn(team.id);
    const id = await h.submit(inTeam, flow.code, '网络组申请变更');
    const detail = await h.detail(h.admin, id);
    expect(detail.orgUnitId).toBe(team.id);
    expect(detail.tasks.map((x) => [x.step, x.assignee.id, x.status])).toEqual([[0, lead.user.id, 'pending']]);
    expect((await h.act(lead, await h.taskOf(lead, id), 'approve')).status).toBe(200);
    expect((await h.detail(h.admin, id)).tasks.filter((x) => x.step === 1).map((x) => x.assignee.id)).toEqual([boss.user.id]);

    // A disabled leader is passed over: the next leader up is asked.
    expect((await h.admin.request('PATCH', `/api/users/${lead.user.id}`, { status: 'disabled' })).status).toBe(200);
    const second = await h.submit(await personIn(dept.id), flow.code, '运维部申请');
    expect((await h.detail(h.admin, second)).tasks.map((x) => x.assignee.id)).toEqual([boss.user.id]);
  });

  it('refuses a request whose unit and the units above it have no leader (YW_APPROVAL_STEP_NOBODY), and a submitter without a unit', async () => {
    const lonely = await unit('无负责人部门', null);
    const flow = await h.flow([leaderStep('负责人审批')]);
    const refused = h.submit(await personIn(lonely.id), flow.code);
    await expect(refused).rejects.toMatchObject({ code: 'YW_APPROVAL_STEP_NOBODY' });
    await expect(h.submit(await h.person(), flow.code)).rejects.toMatchObject({ code: 'YW_APPROVAL_STEP_NOBODY', details: { stepName: '负责人审批' } });
    expect(await t.ctx.db.selectFrom('approval_request').select('id').where('flow_code', '=', flow.code).execute()).toEqual([]);
  });

  it('accepts {kind: "org_leader"} in a flow and refuses extra properties on it (400 naming the field)', async () => {
    const bad = await h.admin.request('POST', '/api/approvals/flows', { code: 'test.leader-bad', nameZh: '错误', nameEn: 'Bad', steps: [{ name: 'x', mode: 'any', approvers: [{ kind: 'org_leader', userId: 'nobody' }] }] });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('steps');
    const read = await h.admin.request('GET', '/api/approvals/flows');
    expect(read.status).toBe(200);
  });

  it('a task that opens sends its assignee a notice with the title and an absolute link: flow start, next step, 转办, 加签', async () => {
    const channel = await h.admin.request('POST', '/api/notify/channels', { name: '审批待办通知', type: 'webhook', config: { url: receiver.url } });
    expect(channel.status, channel.body).toBe(200);
    const [submitter, a, b, c, d] = [await h.person(), await h.person(), await h.person(), await h.person(), await h.person()];
    const name = async (p: Person) => (await t.ctx.db.selectFrom('user').select('display_name').where('id', '=', p.user.id).executeTakeFirstOrThrow()).display_name;
    const flow = await h.flow(
      [
        { name: '初审', mode: 'any', approvers: users(a), dueHours: 24 },
        { name: '复核', mode: 'all', approvers: users(b) },
      ],
      { notifyChannelId: channel.json.id },
    );
    const seen = () => receiver.requests.map((r) => r.json as Received);
    const id = await h.submit(submitter, flow.code, '申请开通生产库只读账号');
    await waitFor(() => receiver.requests.length === 1, 'the notice of the first step', 10_000, 50);
    const first = seen()[0]!;
    expect(first.title).toBe('【审批待办】申请开通生产库只读账号');
    expect(first.text).toContain(await name(submitter));
    expect(first.text).toContain('初审');
    expect(first.text).toContain(await name(a));
    expect(first.url).toBe(`https://yunwei.example.cn/approvals/requests/${id}`);
    expect(first.data).toMatchObject({ stage: 'opened', step: '初审', assignee: await name(a) });

    // 转办 a → c: c is told.
    expect((await h.act(a, await h.taskOf(a, id), 'transfer', { userId: c.user.id })).status).toBe(200);
    await waitFor(() => receiver.requests.length === 2, 'the notice of the transfer', 10_000, 50);
    expect(seen()[1]!.data.assignee).toBe(await name(c));

    // 加签 before c: d is told; d approves, c's task comes back and c is told again.
    expect((await h.act(c, await h.taskOf(c, id), 'add-signer', { userId: d.user.id, position: 'before' })).status).toBe(200);
    await waitFor(() => receiver.requests.length === 3, 'the notice of the added approver', 10_000, 50);
    expect(seen()[2]!.data.assignee).toBe(await name(d));
    expect((await h.act(d, await h.taskOf(d, id), 'approve')).status).toBe(200);
    await waitFor(() => receiver.requests.length === 4, 'the notice of the task coming back', 10_000, 50);
    expect(seen()[3]!.data.assignee).toBe(await name(c));

    // c approves: the next step opens for b.
    expect((await h.act(c, await h.taskOf(c, id), 'approve')).status).toBe(200);
    await waitFor(() => receiver.requests.length === 5, 'the notice of the next step', 10_000, 50);
    expect(seen()[4]!).toMatchObject({ title: '【审批待办】申请开通生产库只读账号', data: { step: '复核', assignee: await name(b) } });

    // b approves: the request ends, nobody else is told.
    expect((await h.act(b, await h.taskOf(b, id), 'approve')).status).toBe(200);
    expect((await h.detail(submitter, id)).status).toBe('approved');
    const deliveries = await t.ctx.db.selectFrom('notify_delivery').select(['source_kind', 'status']).where('source_id', '=', id).execute();
    expect(deliveries).toHaveLength(5);
    expect(deliveries.every((x) => x.source_kind === 'approval-request' && x.status === 'sent')).toBe(true);
  });

  it('a refused submission (a later step finds nobody) sends no notice', async () => {
    const before = await t.ctx.db.selectFrom('notify_delivery').select('id').execute();
    const nobody = await h.flow([{ name: '第一步', mode: 'any', approvers: users(await h.person()) }, leaderStep('没有负责人')]);
    await expect(h.submit(await h.person(), nobody.code)).rejects.toMatchObject({ code: 'YW_APPROVAL_STEP_NOBODY' });
    expect(await t.ctx.db.selectFrom('notify_delivery').select('id').execute()).toHaveLength(before.length);
  });

  it('the lists name the flow and the nearest due time; approvers find people by name without reading the user list', async () => {
    const [submitter, a] = [await h.person(), await h.person()];
    const flow = await h.flow([{ name: '初审', mode: 'any', approvers: users(a), dueHours: 2 }]);
    const id = await h.submit(submitter, flow.code, '申请扩容存储');
    const todo = await a.session.request('GET', '/api/approvals/inbox?box=todo');
    expect(todo.status).toBe(200);
    const row = (todo.json as { items: { id: string; flowName: { zh: string; en: string }; dueAt: number | null }[] }).items.find((x) => x.id === id)!;
    expect(row.flowName).toEqual({ zh: '测试流程', en: 'Test flow' });
    const task = (await h.detail(a, id)).tasks[0]!;
    expect(row.dueAt).toBe(task.dueAt);
    expect(row.dueAt! - task.createdAt).toBe(2 * 3_600_000);

    // An operator cannot read /api/users, but finds a colleague to hand over to by display name.
    expect((await a.session.request('GET', '/api/users')).status).toBe(403);
    const name = (await t.ctx.db.selectFrom('user').select('display_name').where('id', '=', submitter.user.id).executeTakeFirstOrThrow()).display_name;
    const found = await a.session.request('GET', `/api/approvals/people?q=${encodeURIComponent(name)}`);
    expect(found.status).toBe(200);
    expect(found.json).toEqual([{ id: submitter.user.id, name, username: submitter.user.username }]);
    const tooMany = await a.session.request('GET', '/api/approvals/people?limit=5000');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toContain('limit');
  });
});
