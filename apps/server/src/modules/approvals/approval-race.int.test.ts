import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { buildApp, type Yunwei } from '../../app.js';
import { approvalsHarness, registerSubject, users, type ApprovalsHarness, type OutcomeLog, type Person } from './approvals.testing.js';

describe.skipIf(!databaseAvailable())('approval decisions at the same moment, and across a restart', () => {
  let t: TestApp;
  let h: ApprovalsHarness;
  let submitter: Person;
  let a: Person;
  let b: Person;
  beforeAll(async () => {
    t = await createTestApp();
    h = await approvalsHarness(t);
    [submitter, a, b] = [await h.person(), await h.person(), await h.person()];
  });
  afterAll(() => t?.close());

  const events = async (id: string, action: string) =>
    (await t.ctx.db.selectFrom('approval_event').select('id').where('request_id', '=', id).where('action', '=', action).execute()).length;

  it('two approvers of one 或签 step approve at once: exactly one counts, the other is told it was already decided', async () => {
    const flow = await h.flow([{ name: '或签', mode: 'any', approvers: users(a, b) }]);
    for (let round = 0; round < 4; round++) {
      const id = await h.submit(submitter, flow.code);
      const [aTask, bTask] = [await h.taskOf(a, id), await h.taskOf(b, id)];
      const answers = await Promise.all([h.act(a, aTask, 'approve'), h.act(b, bTask, 'approve')]);
      expect(answers.map((r) => r.status).sort(), answers.map((r) => r.body).join('\n')).toEqual([200, 409]);
      const refused = answers.find((r) => r.status === 409)!;
      expect(refused.json.code).toBe('YW_APPROVAL_ALREADY_DECIDED');
      expect(refused.json.message).toMatch(/already decided/);
      expect(await events(id, 'step_completed')).toBe(1);
      expect(await events(id, 'approve')).toBe(1);
      expect(h.outcomes.filter((o) => o.requestId === id).map((o) => o.outcome)).toEqual(['approved']);
      const tasks = (await h.detail(h.admin, id)).tasks.map((x) => x.status).sort();
      expect(tasks).toEqual(['approved', 'skipped']);
    }
  });

  it('two approvers of one 会签 step approve at once: both count (the loser of the version race reads again and goes on)', async () => {
    const flow = await h.flow([{ name: '会签', mode: 'all', approvers: users(a, b) }]);
    const id = await h.submit(submitter, flow.code);
    const answers = await Promise.all([h.act(a, await h.taskOf(a, id), 'approve'), h.act(b, await h.taskOf(b, id), 'approve')]);
    expect(answers.map((r) => r.status), answers.map((r) => r.body).join('\n')).toEqual([200, 200]);
    expect((await h.detail(h.admin, id)).status).toBe('approved');
    expect(await events(id, 'step_completed')).toBe(1);
    expect(h.outcomes.filter((o) => o.requestId === id)).toHaveLength(1);
  });

  it('a request started before a restart is finished on the new app (state in the database only)', async () => {
    const flow = await h.flow([
      { name: '一', mode: 'sequence', approvers: users(a, b) },
      { name: '二', mode: 'any', approvers: users(a) },
    ]);
    const id = await h.submit(submitter, flow.code);
    await h.act(a, await h.taskOf(a, id), 'approve');
    const bTask = await h.taskOf(b, id);

    const pgSchema = t.dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(t.ctx.db)).rows[0]!.s : undefined;
    const second: Yunwei = await buildApp({ config: t.ctx.config, announce: () => undefined, ...(pgSchema ? { pgSchema } : {}) });
    try {
      const outcomes: OutcomeLog = [];
      registerSubject(second.ctx, outcomes);
      const on = (who: Person, url: string, payload: object = {}) =>
        second.app.inject({ method: 'POST', url, headers: { cookie: `yw_session=${who.session.cookie}`, 'x-csrf-token': who.session.csrf, 'accept-language': 'en' }, payload });
      expect((await on(b, `/api/approvals/tasks/${bTask}/approve`)).statusCode).toBe(200);
      const detail = await second.app.inject({ method: 'GET', url: `/api/approvals/requests/${id}`, headers: { cookie: `yw_session=${a.session.cookie}` } });
      const aTask = (detail.json() as { tasks: { id: string; step: number; status: string }[] }).tasks.find((x) => x.step === 1 && x.status === 'pending')!;
      const last = await on(a, `/api/approvals/tasks/${aTask.id}/approve`);
      expect(last.statusCode, last.body).toBe(200);
      expect(last.json()).toMatchObject({ status: 'approved', currentStep: 1 });
      // The module is called back on the app that decided, once.
      expect(outcomes).toEqual([{ subjectId: expect.any(String), outcome: 'approved', requestId: id }]);
      expect(h.outcomes.filter((o) => o.requestId === id)).toEqual([]);
    } finally {
      await second.close();
    }
    expect((await h.detail(h.admin, id)).status).toBe('approved');
  });
});
