import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { systemActor } from '../../platform/actor.js';
import { AccessService } from '../access/access.service.js';
import { approvalsHarness, userActor, users, SUBJECT, type ApprovalsHarness, type Person } from './approvals.testing.js';
import { approvalsOf } from './runtime.js';

describe.skipIf(!databaseAvailable())('approval engine', () => {
  let t: TestApp;
  let h: ApprovalsHarness;
  let submitter: Person;
  let a: Person;
  let b: Person;
  let c: Person;
  let d: Person;
  beforeAll(async () => {
    t = await createTestApp();
    h = await approvalsHarness(t);
    [submitter, a, b, c, d] = [await h.person(), await h.person(), await h.person(), await h.person(), await h.person()];
  });
  afterAll(() => t?.close());

  const statuses = async (id: string) => (await h.detail(h.admin, id)).tasks.map((x) => `${x.assignee.id === a.user.id ? 'a' : x.assignee.id === b.user.id ? 'b' : x.assignee.id === c.user.id ? 'c' : 'd'}${x.step}:${x.status}`);
  const outcomesOf = (id: string) => h.outcomes.filter((o) => o.requestId === id).map((o) => o.outcome);

  it('会签 (all): the step completes only when every approver has approved; the module hears "approved" once', async () => {
    const flow = await h.flow([{ name: '会签', mode: 'all', approvers: users(a, b) }]);
    const id = await h.submit(submitter, flow.code);
    const first = await h.act(a, await h.taskOf(a, id), 'approve', { comment: '同意' });
    expect(first.status, first.body).toBe(200);
    expect(first.json).toMatchObject({ status: 'pending', currentStep: 0 });
    expect(outcomesOf(id)).toEqual([]);
    const second = await h.act(b, await h.taskOf(b, id), 'approve');
    expect(second.json).toMatchObject({ status: 'approved' });
    expect(await statuses(id)).toEqual(['a0:approved', 'b0:approved']);
    expect(outcomesOf(id)).toEqual(['approved']);
  });

  it('或签 (any): the first approval decides, the other tasks are skipped and cannot be decided any more', async () => {
    const flow = await h.flow([{ name: '或签', mode: 'any', approvers: users(a, b) }]);
    const id = await h.submit(submitter, flow.code);
    const bTask = await h.taskOf(b, id);
    expect((await h.act(a, await h.taskOf(a, id), 'approve')).json).toMatchObject({ status: 'approved' });
    expect(await statuses(id)).toEqual(['a0:approved', 'b0:skipped']);
    const late = await h.act(b, bTask, 'approve');
    expect(late.status).toBe(409);
    expect(late.json.code).toBe('YW_APPROVAL_ALREADY_DECIDED');
    expect(outcomesOf(id)).toEqual(['approved']);
  });

  it('依次 (sequence): one after another by position, then the next step; a task not yet due to act is refused', async () => {
    const flow = await h.flow([
      { name: '依次', mode: 'sequence', approvers: users(a, b) },
      { name: '终审', mode: 'all', approvers: users(c) },
    ]);
    const id = await h.submit(submitter, flow.code);
    expect(await statuses(id)).toEqual(['a0:pending', 'b0:waiting']);
    const bTask = (await h.detail(h.admin, id)).tasks.find((x) => x.assignee.id === b.user.id)!.id;
    const early = await h.act(b, bTask, 'approve');
    expect([early.status, early.json.code]).toEqual([409, 'YW_APPROVAL_TASK_NOT_PENDING']);
    await h.act(a, await h.taskOf(a, id), 'approve');
    expect(await statuses(id)).toEqual(['a0:approved', 'b0:pending']);
    const afterB = await h.act(b, bTask, 'approve');
    expect(afterB.json).toMatchObject({ status: 'pending', currentStep: 1, currentStepName: '终审' });
    expect((await h.act(c, await h.taskOf(c, id), 'approve')).json).toMatchObject({ status: 'approved', currentStep: 1 });
    expect(outcomesOf(id)).toEqual(['approved']);
  });

  it('退回 to the submitter ends the request rejected; 退回 to the previous step asks that step again', async () => {
    const one = await h.flow([{ name: '审核', mode: 'any', approvers: users(a) }]);
    const rejected = await h.submit(submitter, one.code);
    const res = await h.act(a, await h.taskOf(a, rejected), 'reject', { to: 'submitter', comment: '材料不全' });
    expect(res.json).toMatchObject({ status: 'rejected' });
    expect(outcomesOf(rejected)).toEqual(['rejected']);
    // On the first step "previous" is the submitter.
    const firstStep = await h.submit(submitter, one.code);
    expect((await h.act(a, await h.taskOf(a, firstStep), 'reject', { to: 'previous' })).json).toMatchObject({ status: 'rejected' });

    const two = await h.flow([
      { name: '初审', mode: 'any', approvers: users(a) },
      { name: '复审', mode: 'any', approvers: users(b) },
    ]);
    const id = await h.submit(submitter, two.code);
    await h.act(a, await h.taskOf(a, id), 'approve');
    const back = await h.act(b, await h.taskOf(b, id), 'reject', { to: 'previous', comment: '请初审再看' });
    expect(back.json).toMatchObject({ status: 'pending', currentStep: 0 });
    expect(await statuses(id)).toEqual(['a0:approved', 'a0:pending', 'b1:rejected']);
    await h.act(a, await h.taskOf(a, id), 'approve');
    expect((await h.act(b, await h.taskOf(b, id), 'approve')).json).toMatchObject({ status: 'approved' });
    expect(outcomesOf(id)).toEqual(['approved']);
    expect((await h.detail(submitter, id)).history.map((e) => e.action)).toEqual(['submit', 'approve', 'step_completed', 'reject', 'approve', 'step_completed', 'approve', 'step_completed', 'approved']);
  });

  it('转办 hands the task to another person, who decides in its place', async () => {
    const flow = await h.flow([{ name: '审核', mode: 'any', approvers: users(a) }]);
    const id = await h.submit(submitter, flow.code);
    const aTask = await h.taskOf(a, id);
    const unknown = await h.act(a, aTask, 'transfer', { userId: '0190aaaa-0000-7000-8000-000000000000' });
    expect([unknown.status, unknown.json.details.field]).toEqual([400, 'body.userId']);
    const self = await h.act(a, aTask, 'transfer', { userId: a.user.id });
    expect([self.status, self.json.details.field]).toEqual([400, 'body.userId']);
    const moved = await h.act(a, aTask, 'transfer', { userId: d.user.id, comment: '请 d 处理' });
    expect(moved.status, moved.body).toBe(200);
    expect(moved.json.tasks.map((x: { status: string; origin: string; addedBy: { name: string } | null }) => [x.status, x.origin, x.addedBy?.name ?? null])).toEqual([
      ['transferred', 'flow', null],
      ['pending', 'transfer', expect.stringMatching(/^用户 /)],
    ]);
    expect(moved.json.history.at(-1)).toMatchObject({ action: 'transfer', detail: { userId: d.user.id, userName: expect.stringMatching(/^用户 /) } });
    expect((await h.act(a, aTask, 'approve')).status).toBe(409);
    expect((await h.act(d, await h.taskOf(d, id), 'approve')).json).toMatchObject({ status: 'approved' });
  });

  it('加签 before: the added person decides first, then the task comes back to its owner', async () => {
    const flow = await h.flow([{ name: '会签', mode: 'all', approvers: users(a, b) }]);
    const id = await h.submit(submitter, flow.code);
    const aTask = await h.taskOf(a, id);
    expect((await h.act(a, aTask, 'add-signer', { userId: d.user.id, position: 'before' })).status).toBe(200);
    expect(await statuses(id)).toEqual(['a0:waiting', 'd0:pending', 'b0:pending']);
    expect((await h.act(a, aTask, 'approve')).json.code).toBe('YW_APPROVAL_TASK_NOT_PENDING');
    await h.act(d, await h.taskOf(d, id), 'approve');
    await h.act(b, await h.taskOf(b, id), 'approve');
    // d's approval does not count for the step: a still has to approve.
    expect((await h.detail(h.admin, id)).status).toBe('pending');
    expect((await h.act(a, aTask, 'approve')).json).toMatchObject({ status: 'approved' });
    expect(outcomesOf(id)).toEqual(['approved']);
  });

  it('加签 after: in 依次 the added person comes right after the adder, before the next in line', async () => {
    const flow = await h.flow([{ name: '依次', mode: 'sequence', approvers: users(a, b) }]);
    const id = await h.submit(submitter, flow.code);
    await h.act(a, await h.taskOf(a, id), 'add-signer', { userId: d.user.id, position: 'after', comment: '请 d 也看看' });
    await h.act(a, await h.taskOf(a, id), 'approve');
    expect(await statuses(id)).toEqual(['a0:approved', 'd0:pending', 'b0:waiting']);
    await h.act(d, await h.taskOf(d, id), 'approve');
    expect(await statuses(id)).toEqual(['a0:approved', 'd0:approved', 'b0:pending']);
    expect((await h.act(b, await h.taskOf(b, id), 'approve')).json).toMatchObject({ status: 'approved' });
  });

  it('加签 after in 会签: one more approver of the step, who must approve too', async () => {
    const flow = await h.flow([{ name: '会签', mode: 'all', approvers: users(a) }]);
    const id = await h.submit(submitter, flow.code);
    await h.act(a, await h.taskOf(a, id), 'add-signer', { userId: d.user.id, position: 'after' });
    expect((await h.act(a, await h.taskOf(a, id), 'approve')).json).toMatchObject({ status: 'pending' });
    expect((await h.act(d, await h.taskOf(d, id), 'approve')).json).toMatchObject({ status: 'approved' });
  });

  it('withdraw: only the submitter, only while pending; open tasks are cancelled and the module hears "withdrawn"', async () => {
    const flow = await h.flow([{ name: '审核', mode: 'all', approvers: users(a, b) }]);
    const id = await h.submit(submitter, flow.code);
    const aTask = await h.taskOf(a, id);
    const byApprover = await a.session.request('POST', `/api/approvals/requests/${id}/withdraw`, {});
    expect([byApprover.status, byApprover.json.code]).toEqual([403, 'YW_APPROVAL_NOT_SUBMITTER']);
    const byStranger = await c.session.request('POST', `/api/approvals/requests/${id}/withdraw`, {});
    expect(byStranger.status).toBe(404);
    const res = await submitter.session.request('POST', `/api/approvals/requests/${id}/withdraw`, { comment: '不需要了' });
    expect(res.status, res.body).toBe(200);
    expect(res.json.status).toBe('withdrawn');
    expect(await statuses(id)).toEqual(['a0:cancelled', 'b0:cancelled']);
    expect(outcomesOf(id)).toEqual(['withdrawn']);
    const again = await submitter.session.request('POST', `/api/approvals/requests/${id}/withdraw`, {});
    expect([again.status, again.json.code]).toEqual([409, 'YW_APPROVAL_REQUEST_CLOSED']);
    expect((await h.act(a, aTask, 'approve')).json.code).toBe('YW_APPROVAL_ALREADY_DECIDED');
    // The subject may be submitted again: a new request.
    expect(await approvalsOf(t.ctx).submit(userActor(submitter.user.id), { flowCode: flow.code, subjectType: SUBJECT, subjectId: 'again', title: '再次提交' })).not.toBe(id);
  });

  it('comments by participants land in the history; others are refused; a comment over 2000 characters is a 400', async () => {
    const flow = await h.flow([{ name: '审核', mode: 'any', approvers: users(a) }]);
    const id = await h.submit(submitter, flow.code);
    expect((await a.session.request('POST', `/api/approvals/requests/${id}/comment`, { comment: '正在看' })).status).toBe(200);
    expect((await submitter.session.request('POST', `/api/approvals/requests/${id}/comment`, { comment: '谢谢' })).status).toBe(200);
    expect((await c.session.request('POST', `/api/approvals/requests/${id}/comment`, { comment: '路过' })).status).toBe(404);
    const long = await a.session.request('POST', `/api/approvals/requests/${id}/comment`, { comment: 'x'.repeat(2001) });
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.json.details)).toContain('comment');
    const detail = await h.detail(submitter, id);
    expect(detail.history.filter((e) => e.action === 'comment').map((e) => [e.actor?.name, e.comment])).toEqual([
      [expect.stringMatching(/^用户 /), '正在看'],
      [expect.stringMatching(/^用户 /), '谢谢'],
    ]);
  });

  it('permissions: only the assignee decides (403), strangers cannot read a request (404), managers can; no approvals.task.use, no inbox', async () => {
    const flow = await h.flow([{ name: '审核', mode: 'any', approvers: users(a) }]);
    const id = await h.submit(submitter, flow.code);
    const aTask = await h.taskOf(a, id);
    const notMine = await h.act(b, aTask, 'approve');
    expect([notMine.status, notMine.json.code]).toEqual([403, 'YW_APPROVAL_NOT_ASSIGNEE']);
    expect((await b.session.request('GET', `/api/approvals/requests/${id}`)).status).toBe(404);
    expect((await h.admin.request('GET', `/api/approvals/requests/${id}`)).status).toBe(200);
    expect((await h.admin.request('GET', '/api/approvals/requests/0190aaaa-0000-7000-8000-000000000000')).status).toBe(404);
    const outsider = await t.newUser({ permissions: ['notify.channel.read'] });
    const session = await t.signIn(outsider);
    expect((await session.request('GET', '/api/approvals/inbox?box=todo')).status).toBe(403);
    expect((await b.session.request('GET', '/api/approvals/flows')).status).toBe(403);
    await h.act(a, aTask, 'approve');
  });

  it('boxes and the header count name people and follow the decisions', async () => {
    const flow = await h.flow([{ name: '审核', mode: 'any', approvers: users(c) }]);
    const before = (await c.session.request('GET', '/api/approvals/count')).json.todo as number;
    const id = await h.submit(submitter, flow.code, '采购服务器 10 台');
    expect((await c.session.request('GET', '/api/approvals/count')).json).toEqual({ todo: before + 1 });
    const todo = (await c.session.request('GET', '/api/approvals/inbox?box=todo&q=服务器')).json;
    expect(todo.items).toEqual([expect.objectContaining({ id, title: '采购服务器 10 台', myTaskId: expect.any(String), submitter: { id: submitter.user.id, name: expect.stringMatching(/^用户 /) }, currentStepName: '审核', stepCount: 1 })]);
    expect(todo.total).toBe(1);
    await h.act(c, todo.items[0].myTaskId, 'approve');
    expect((await c.session.request('GET', '/api/approvals/count')).json).toEqual({ todo: before });
    expect((await c.session.request('GET', '/api/approvals/inbox?box=done')).json.items.map((x: { id: string }) => x.id)).toContain(id);
    const mine = (await submitter.session.request('GET', '/api/approvals/inbox?box=submitted&limit=1')).json;
    expect(mine.items).toEqual([expect.objectContaining({ id, status: 'approved', myTaskId: null })]);
    expect(mine.total).toBeGreaterThan(1);
    expect((await c.session.request('GET', '/api/approvals/inbox?box=everything')).status).toBe(400);
  });

  it('every decision is in the audit trail', async () => {
    const flow = await h.flow([
      { name: '一', mode: 'any', approvers: users(a) },
      { name: '二', mode: 'any', approvers: users(b) },
    ]);
    const id = await h.submit(submitter, flow.code);
    await h.act(a, await h.taskOf(a, id), 'add-signer', { userId: d.user.id, position: 'before' });
    await h.act(d, await h.taskOf(d, id), 'approve');
    await h.act(a, await h.taskOf(a, id), 'approve');
    await h.act(b, await h.taskOf(b, id), 'transfer', { userId: c.user.id });
    await c.session.request('POST', `/api/approvals/requests/${id}/comment`, { comment: '收到' });
    await h.act(c, await h.taskOf(c, id), 'reject', { to: 'submitter', comment: '不同意' });
    const trail = await t.ctx.db.selectFrom('audit_log').select(['action', 'actor_id']).where('target_type', '=', 'approval_request').where('target_id', '=', id).orderBy('id').execute();
    expect(trail).toEqual([
      { action: 'approvals.request.submit', actor_id: submitter.user.id },
      { action: 'approvals.task.add-signer', actor_id: a.user.id },
      { action: 'approvals.task.approve', actor_id: d.user.id },
      { action: 'approvals.task.approve', actor_id: a.user.id },
      { action: 'approvals.task.transfer', actor_id: b.user.id },
      { action: 'approvals.request.comment', actor_id: c.user.id },
      { action: 'approvals.task.reject', actor_id: c.user.id },
    ]);
    expect(outcomesOf(id)).toEqual(['rejected']);
  });

  it('an on-call step goes to whoever is on call when the step starts', async () => {
    const schedule = await h.admin.request('POST', '/api/oncall/schedules', { name: '审批值班', rotations: [{ name: '日常', members: [d.user.id], unit: 'days', length: 1, handoverTime: '09:00', startDate: '2026-01-05', applies: 'all' }] });
    expect(schedule.status, schedule.body).toBe(200);
    const flow = await h.flow([
      { name: '审核', mode: 'any', approvers: users(a) },
      { name: '值班确认', mode: 'any', approvers: [{ kind: 'on_call', scheduleId: schedule.json.id }] },
    ]);
    const id = await h.submit(submitter, flow.code);
    expect((await h.act(a, await h.taskOf(a, id), 'approve')).json).toMatchObject({ currentStep: 1, currentStepName: '值班确认' });
    expect((await h.act(d, await h.taskOf(d, id), 'approve')).json).toMatchObject({ status: 'approved' });
  });

  it('submission: a step that resolves to nobody is refused naming it; an unregistered subject type or a second pending request too', async () => {
    const empty = await new AccessService(t.ctx).createRole(systemActor('test'), { name: '空角色', permissions: [] });
    const flow = await h.flow([
      { name: '部门审核', mode: 'any', approvers: users(a) },
      { name: '空的一步', mode: 'all', approvers: [{ kind: 'role', roleId: empty.id }] },
    ]);
    const submit = (subjectType = SUBJECT, subjectId = 'x1') => approvalsOf(t.ctx).submit(userActor(submitter.user.id), { flowCode: flow.code, subjectType, subjectId, title: '标题' });
    await expect(submit()).rejects.toMatchObject({ code: 'YW_APPROVAL_STEP_NOBODY', details: { step: 1, stepName: '空的一步' } });
    await expect(submit('nobody.registered')).rejects.toMatchObject({ code: 'YW_VALIDATION', details: { field: 'subjectType' } });
    // By a role with members: each of them (active) gets a task.
    const roleFlow = await h.flow([{ name: '按角色', mode: 'any', approvers: [{ kind: 'role', roleId: (await t.ctx.db.selectFrom('role').select('id').where('kind', '=', 'operator').where('builtin', '=', 1).executeTakeFirstOrThrow()).id }] }]);
    const byRole = await approvalsOf(t.ctx).submit(userActor(submitter.user.id), { flowCode: roleFlow.code, subjectType: SUBJECT, subjectId: 'r1', title: '按角色' });
    const assignees = (await h.detail(h.admin, byRole)).tasks.map((x) => x.assignee.id);
    expect(assignees).toEqual(expect.arrayContaining([a.user.id, b.user.id, c.user.id, d.user.id, submitter.user.id]));
    await expect(approvalsOf(t.ctx).submit(userActor(submitter.user.id), { flowCode: roleFlow.code, subjectType: SUBJECT, subjectId: 'r1', title: '又一次' })).rejects.toMatchObject({ code: 'YW_APPROVAL_ALREADY_PENDING' });
  });
});
