import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import type { ModuleContext } from '../../platform/module.js';
import { notifyOf } from '../notify/runtime.js';
import { ApprovalEngine } from './approval-engine.js';
import { ApprovalViews } from './approval-views.js';
import { FlowService } from './flows.service.js';
import { ApprovalReminders } from './reminders.js';
import { SubjectRegistry, type ApprovalSubject } from './subject-registry.js';

export type { ApprovalOutcome, ApprovalOutcomeRequest, ApprovalSubject } from './subject-registry.js';

export interface SubmitInput {
  /** The flow, by code (e.g. `document.default`). */
  flowCode: string;
  /** A type the calling module registered. */
  subjectType: string;
  subjectId: string;
  /** Shown in the to-do lists and the reminders. */
  title: string;
  /** Defaults to the submitter's unit. */
  orgUnitId?: string | null;
}

/**
 * The approval engine of one app, and what other modules use:
 *
 * @example
 * approvalsOf(ctx).register('document', { title: { zh: '文档', en: 'Document' }, onOutcome: (trx, id, outcome) => documents.settle(trx, id, outcome) });
 * const requestId = await approvalsOf(ctx).submit(actor, { flowCode: 'document.default', subjectType: 'document', subjectId: doc.id, title: doc.title }, trx);
 */
export class ApprovalsRuntime {
  readonly subjects = new SubjectRegistry();
  readonly flows: FlowService;
  readonly engine: ApprovalEngine;
  readonly views: ApprovalViews;
  readonly reminders: ApprovalReminders;

  constructor(private readonly ctx: ModuleContext) {
    this.flows = new FlowService(ctx);
    this.engine = new ApprovalEngine(ctx, this.subjects);
    this.views = new ApprovalViews(ctx.db);
    this.reminders = new ApprovalReminders(ctx);
  }

  /** Declares something that needs approval; `onOutcome` is called once per request, in the deciding transaction. */
  register(subjectType: string, subject: ApprovalSubject): void {
    this.subjects.register(subjectType, subject);
  }

  /** Starts a request (in the caller's transaction when given) and answers its id. */
  async submit(actor: Actor, input: SubmitInput, trx?: Transaction<Database>): Promise<string> {
    if (trx) {
      // The first step's notices commit with the caller's transaction; the notify worker finds them at its next poll.
      return this.engine.submit(actor, input, trx);
    }
    const id = await this.ctx.db.transaction().execute((own) => this.engine.submit(actor, input, own));
    notifyOf(this.ctx).wake();
    return id;
  }
}

const runtimes = new WeakMap<ModuleContext, ApprovalsRuntime>();

export function approvalsOf(ctx: ModuleContext): ApprovalsRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    runtime = new ApprovalsRuntime(ctx);
    runtimes.set(ctx, runtime);
  }
  return runtime;
}
