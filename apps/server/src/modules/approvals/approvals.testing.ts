import { uuidv7 } from 'uuidv7';
import { expect } from 'vitest';
import type { ApprovalRequestDetail, ApprovalStep } from '@yunwei/contracts/approvals';
import type { TestApp, TestSession, TestUser } from '../../../test/test-app.js';
import type { Actor } from '../../platform/actor.js';
import type { ModuleContext } from '../../platform/module.js';
import { approvalsOf, type ApprovalOutcome } from './runtime.js';

export const SUBJECT = 'test.thing';

/** A signed-in person of the test app. */
export interface Person {
  user: TestUser;
  session: TestSession;
}

/** A person as another module's service would hand them to `submit` (a signed-in user). */
export function userActor(userId: string, username = 'tester'): Actor {
  return { kind: 'user', userId, username, ip: '127.0.0.1', locale: 'zh-CN', roleKinds: new Set(), permissions: new Set(), scopes: new Map() };
}

/** Every outcome callback, in order. */
export type OutcomeLog = { subjectId: string; outcome: ApprovalOutcome; requestId: string }[];

/** Registers the test subject type on `ctx` (each app registers its own, as modules do at start). */
export function registerSubject(ctx: ModuleContext, log: OutcomeLog): void {
  approvalsOf(ctx).register(SUBJECT, {
    title: { zh: '测试对象', en: 'Test thing' },
    onOutcome: async (trx, subjectId, outcome, request) => {
      // Runs inside the deciding transaction: the request reads as decided already.
      const row = await trx.selectFrom('approval_request').select('status').where('id', '=', request.id).executeTakeFirstOrThrow();
      expect(row.status).toBe(outcome);
      log.push({ subjectId, outcome, requestId: request.id });
    },
  });
}

export async function approvalsHarness(t: TestApp) {
  const outcomes: OutcomeLog = [];
  registerSubject(t.ctx, outcomes);
  const admin = await t.signIn(t.admin);
  let n = 0;

  return {
    admin,
    outcomes,
    async person(): Promise<Person> {
      const user = await t.newUser({ roles: ['operator'] });
      return { user, session: await t.signIn(user) };
    },
    async flow(steps: ApprovalStep[], extra: Record<string, unknown> = {}): Promise<{ id: string; code: string }> {
      const res = await admin.request('POST', '/api/approvals/flows', { code: `test.flow-${n++}`, nameZh: '测试流程', nameEn: 'Test flow', steps, ...extra });
      expect(res.status, res.body).toBe(200);
      return res.json as { id: string; code: string };
    },
    async submit(submitter: Person, flowCode: string, title = `申请 ${n++}`): Promise<string> {
      return approvalsOf(t.ctx).submit(userActor(submitter.user.id, submitter.user.username), { flowCode, subjectType: SUBJECT, subjectId: uuidv7(), title });
    },
    async detail(reader: Person | TestSession, id: string): Promise<ApprovalRequestDetail> {
      const session = 'session' in reader ? reader.session : reader;
      const res = await session.request('GET', `/api/approvals/requests/${id}`);
      expect(res.status, res.body).toBe(200);
      return res.json as ApprovalRequestDetail;
    },
    /** The id of `who`'s pending task in the request (fails when there is none). */
    async taskOf(who: Person, id: string): Promise<string> {
      const task = (await this.detail(t.admin.id === who.user.id ? admin : who.session, id)).tasks.find((x) => x.assignee.id === who.user.id && x.status === 'pending');
      expect(task, `a pending task of ${who.user.username}`).toBeDefined();
      return task!.id;
    },
    act(who: Person, taskId: string, verb: 'approve' | 'reject' | 'transfer' | 'add-signer', body: Record<string, unknown> = {}) {
      return who.session.request('POST', `/api/approvals/tasks/${taskId}/${verb}`, body);
    },
  };
}

export type ApprovalsHarness = Awaited<ReturnType<typeof approvalsHarness>>;

/** The users' approver entries of a step. */
export const users = (...people: Person[]) => people.map((p) => ({ kind: 'user' as const, userId: p.user.id }));
