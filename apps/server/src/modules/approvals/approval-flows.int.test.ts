import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { approvalsHarness, users, type ApprovalsHarness, type Person } from './approvals.testing.js';

describe.skipIf(!databaseAvailable())('approval flows', () => {
  let t: TestApp;
  let h: ApprovalsHarness;
  let a: Person;
  beforeAll(async () => {
    t = await createTestApp();
    h = await approvalsHarness(t);
    a = await h.person();
  });
  afterAll(() => t?.close());

  it('the built-in document.default flow is there: one 或签 step by the system administrators', async () => {
    const flows = (await h.admin.request('GET', '/api/approvals/flows')).json as { code: string; steps: unknown[] }[];
    const role = await t.ctx.db.selectFrom('role').select('id').where('kind', '=', 'system_admin').where('builtin', '=', 1).executeTakeFirstOrThrow();
    expect(flows.find((f) => f.code === 'document.default')).toMatchObject({ enabled: true, steps: [{ mode: 'any', approvers: [{ kind: 'role', roleId: role.id }] }] });
  });

  it('bad flows are refused with 400 naming the field', async () => {
    const base = { code: 'bad.flow', nameZh: '坏', nameEn: 'Bad' };
    const step = { name: '一', mode: 'any', approvers: users(a) };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, steps: [] }, 'steps'],
      [{ ...base, steps: [{ ...step, mode: 'majority' }] }, 'mode'],
      [{ ...base, steps: [{ ...step, dueHours: 9000 }] }, 'dueHours'],
      [{ ...base, steps: [{ ...step, dueHours: 0 }] }, 'dueHours'],
      [{ ...base, steps: [{ ...step, approvers: [] }] }, 'approvers'],
      [{ ...base, steps: [{ ...step, approvers: [{ kind: 'user', userId: '0190aaaa-0000-7000-8000-000000000000' }] }] }, 'body.steps.0.approvers.0.userId'],
      [{ ...base, steps: [{ ...step, approvers: [{ kind: 'role', roleId: '0190aaaa-0000-7000-8000-000000000000' }] }] }, 'body.steps.0.approvers.0.roleId'],
      [{ ...base, steps: [{ ...step, approvers: [{ kind: 'on_call', scheduleId: '0190aaaa-0000-7000-8000-000000000000' }] }] }, 'body.steps.0.approvers.0.scheduleId'],
      [{ ...base, steps: [{ ...step, approvers: [{ kind: 'department_head' }] }] }, 'approvers'],
      [{ ...base, steps: [step], escalationUserId: '0190aaaa-0000-7000-8000-000000000000' }, 'body.escalationUserId'],
      [{ ...base, steps: [step], notifyChannelId: '0190aaaa-0000-7000-8000-000000000000' }, 'body.notifyChannelId'],
      [{ ...base, code: 'Bad Code', steps: [step] }, 'code'],
    ];
    for (const [body, field] of cases) {
      const res = await h.admin.request('POST', '/api/approvals/flows', body);
      expect(res.status, `${field}: ${res.body}`).toBe(400);
      expect(JSON.stringify(res.json.details), res.body).toContain(field);
    }
    expect((await h.admin.request('GET', '/api/approvals/flows')).json.map((f: { code: string }) => f.code)).not.toContain('bad.flow');
  });

  it('create, change, delete (audited); a code is unique; requests under way keep the steps they started with', async () => {
    const flow = await h.flow([{ name: '原来的一步', mode: 'any', approvers: users(a) }]);
    const dup = await h.admin.request('POST', '/api/approvals/flows', { code: flow.code, nameZh: '重复', nameEn: 'Dup', steps: [{ name: 'x', mode: 'any', approvers: users(a) }] });
    expect([dup.status, dup.json.code]).toEqual([409, 'YW_APPROVAL_FLOW_CODE_TAKEN']);
    const submitter = await h.person();
    const id = await h.submit(submitter, flow.code);
    const changed = await h.admin.request('PATCH', `/api/approvals/flows/${flow.id}`, { steps: [{ name: '新的一步', mode: 'all', approvers: users(a, submitter) }], enabled: false });
    expect(changed.status, changed.body).toBe(200);
    expect(changed.json).toMatchObject({ enabled: false, steps: [{ name: '新的一步' }] });
    expect((await h.detail(h.admin, id)).steps).toEqual([{ name: '原来的一步', mode: 'any', approvers: users(a) }]);
    await expect(h.submit(submitter, flow.code)).rejects.toMatchObject({ code: 'YW_APPROVAL_FLOW_DISABLED' });
    expect((await h.admin.request('DELETE', `/api/approvals/flows/${flow.id}`)).status).toBe(200);
    expect((await h.admin.request('PATCH', `/api/approvals/flows/${flow.id}`, { enabled: true })).status).toBe(404);
    // The request carries on without its flow.
    expect((await h.act(a, await h.taskOf(a, id), 'approve')).json).toMatchObject({ status: 'approved' });
    const trail = await t.ctx.db.selectFrom('audit_log').select('action').where('target_type', '=', 'approval_flow').where('target_id', '=', flow.id).orderBy('id').execute();
    expect(trail.map((r) => r.action)).toEqual(['approvals.flow.create', 'approvals.flow.update', 'approvals.flow.delete']);
  });
});
