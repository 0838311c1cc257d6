import type { Transaction } from 'kysely';
import type { LocalizedText } from '@yunwei/contracts/i18n';
import type { Database } from '../../db/schema.js';
import { invalidField } from '../../platform/errors.js';

export type ApprovalOutcome = 'approved' | 'rejected' | 'withdrawn';

/** What a module hears about its request when it ends. */
export interface ApprovalOutcomeRequest {
  id: string;
  flowCode: string;
  subjectType: string;
  subjectId: string;
  title: string;
  submitterId: string;
  orgUnitId: string | null;
  /** The person whose decision ended it (the submitter for a withdrawal). */
  decidedBy: string | null;
  decidedAt: number;
}

/** "Something that needs approval", as a module registers it. */
export interface ApprovalSubject {
  /** What these things are called (a document, a change, …). */
  title?: LocalizedText;
  /**
   * Runs inside the transaction that ends the request, so that the subject's state and the approval
   * agree: throwing undoes the decision.
   */
  onOutcome(trx: Transaction<Database>, subjectId: string, outcome: ApprovalOutcome, request: ApprovalOutcomeRequest): Promise<void>;
}

/** The subject types of one app: the only approval state kept in memory (modules register at start). */
export class SubjectRegistry {
  readonly #subjects = new Map<string, ApprovalSubject>();

  register(subjectType: string, subject: ApprovalSubject): void {
    if (this.#subjects.has(subjectType)) {
      throw new Error(`approvals: subject type ${subjectType} is registered twice`);
    }
    this.#subjects.set(subjectType, subject);
  }

  require(subjectType: string): ApprovalSubject {
    const subject = this.#subjects.get(subjectType);
    if (!subject) {
      throw invalidField('subjectType', { zh: `没有模块登记需要审批的对象类型「${subjectType}」`, en: `No module registered the subject type "${subjectType}" for approval` });
    }
    return subject;
  }

  get(subjectType: string): ApprovalSubject | undefined {
    return this.#subjects.get(subjectType);
  }
}
