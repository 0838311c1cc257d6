import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { APPROVAL_PERMISSIONS as P, type ApprovalFlow, type ApprovalFlowCreate, type ApprovalFlowUpdate, type ApprovalStep } from '@yunwei/contracts/approvals';
import { fromJson, isUniqueViolation, toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { approvalsRepo as repo, type FlowRow } from './approvals.repository.js';
import type { ApprovalFlowTable } from './approvals.tables.js';

export function flowView(row: FlowRow): ApprovalFlow {
  return {
    id: row.id,
    code: row.code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    steps: fromJson<ApprovalStep[]>(row.steps),
    escalationUserId: row.escalation_user_id,
    notifyChannelId: row.notify_channel_id,
    enabled: row.enabled === 1,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

const missing = (what: { zh: string; en: string }, id: string) => ({ zh: `${what.zh}不存在：${id}`, en: `No such ${what.en}: ${id}` });

/**
 * Every reference of a flow names something that exists (the schema has checked the shapes): a user
 * (active), a role, an on-call schedule, the escalation user, the channel. 400 naming the field otherwise.
 */
async function checkReferences(db: Kysely<Database>, input: Partial<ApprovalFlowCreate>): Promise<void> {
  const exists = async (table: 'user' | 'role' | 'oncall_schedule' | 'notify_channel', id: string) =>
    (await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  for (const [i, step] of (input.steps ?? []).entries()) {
    if (!Number.isFinite(step.dueHours ?? 0)) {
      throw invalidField(`body.steps.${i}.dueHours`, { zh: '截止时间应为有限的小时数', en: 'The due time must be a finite number of hours' });
    }
    for (const [j, a] of step.approvers.entries()) {
      const field = `body.steps.${i}.approvers.${j}`;
      if (a.kind === 'user' && !(await exists('user', a.userId))) {
        throw invalidField(`${field}.userId`, missing({ zh: '用户', en: 'user' }, a.userId));
      }
      if (a.kind === 'role' && !(await exists('role', a.roleId))) {
        throw invalidField(`${field}.roleId`, missing({ zh: '角色', en: 'role' }, a.roleId));
      }
      if (a.kind === 'on_call' && !(await exists('oncall_schedule', a.scheduleId))) {
        throw invalidField(`${field}.scheduleId`, missing({ zh: '值班表', en: 'on-call schedule' }, a.scheduleId));
      }
    }
  }
  if (input.escalationUserId && !(await exists('user', input.escalationUserId))) {
    throw invalidField('body.escalationUserId', missing({ zh: '用户', en: 'user' }, input.escalationUserId));
  }
  if (input.notifyChannelId && !(await exists('notify_channel', input.notifyChannelId))) {
    throw invalidField('body.notifyChannelId', missing({ zh: '通知渠道', en: 'notification channel' }, input.notifyChannelId));
  }
}

/** Approval flows: configured by holders of approvals.flow.manage. Requests under way keep their own copy of the steps. */
export class FlowService {
  constructor(private readonly ctx: ModuleContext) {}

  async list(actor: Actor): Promise<ApprovalFlow[]> {
    requirePermission(actor, P.flowManage);
    return (await repo.flows(this.ctx.db)).map(flowView);
  }

  async create(actor: Actor, input: ApprovalFlowCreate): Promise<ApprovalFlow> {
    requirePermission(actor, P.flowManage);
    const now = Date.now();
    const row: ApprovalFlowTable = {
      id: uuidv7(),
      code: input.code,
      name_zh: input.nameZh.trim(),
      name_en: input.nameEn.trim(),
      steps: toJson(input.steps),
      escalation_user_id: input.escalationUserId ?? null,
      notify_channel_id: input.notifyChannelId ?? null,
      enabled: input.enabled === false ? 0 : 1,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        await checkReferences(trx, input);
        if (await repo.flowByCode(trx, input.code)) {
          throw new AppError('YW_APPROVAL_FLOW_CODE_TAKEN', { field: 'body.code' });
        }
        await repo.insertFlow(trx, row);
        await this.ctx.audit.record(trx, { actor, action: 'approvals.flow.create', targetType: 'approval_flow', targetId: row.id, after: flowView(row) });
      });
    } catch (error) {
      throw isUniqueViolation(error) ? new AppError('YW_APPROVAL_FLOW_CODE_TAKEN', { field: 'body.code' }) : error;
    }
    return flowView(row);
  }

  async update(actor: Actor, id: string, input: ApprovalFlowUpdate): Promise<ApprovalFlow> {
    requirePermission(actor, P.flowManage);
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await repo.flow(trx, id);
      if (!before) {
        throw new AppError('YW_APPROVAL_FLOW_NOT_FOUND');
      }
      await checkReferences(trx, input);
      const patch: Partial<ApprovalFlowTable> = {
        ...(input.nameZh !== undefined ? { name_zh: input.nameZh.trim() } : {}),
        ...(input.nameEn !== undefined ? { name_en: input.nameEn.trim() } : {}),
        ...(input.steps !== undefined ? { steps: toJson(input.steps) } : {}),
        ...(input.escalationUserId !== undefined ? { escalation_user_id: input.escalationUserId } : {}),
        ...(input.notifyChannelId !== undefined ? { notify_channel_id: input.notifyChannelId } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0 } : {}),
        updated_at: Date.now(),
      };
      await repo.updateFlow(trx, id, patch);
      const after = { ...before, ...patch };
      await this.ctx.audit.record(trx, { actor, action: 'approvals.flow.update', targetType: 'approval_flow', targetId: id, before: flowView(before), after: flowView(after) });
      return flowView(after);
    });
  }

  /** Requests under way keep their copy of the steps: deleting their flow does not touch them. */
  async remove(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, P.flowManage);
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = await repo.flow(trx, id);
      if (!before) {
        throw new AppError('YW_APPROVAL_FLOW_NOT_FOUND');
      }
      await repo.deleteFlow(trx, id);
      await this.ctx.audit.record(trx, { actor, action: 'approvals.flow.delete', targetType: 'approval_flow', targetId: id, before: flowView(before) });
    });
  }

  /**
   * The flow issue 13's documents use, written at start when absent (an administrator may change or
   * delete it; a deleted one comes back at the next start): one 或签 step by the built-in system
   * administrators, who run the system's settings and operations and so approve its documents.
   */
  async seedDocumentFlow(): Promise<void> {
    if (await repo.flowByCode(this.ctx.db, DOCUMENT_FLOW_CODE)) {
      return;
    }
    const role = await this.ctx.db.selectFrom('role').select('id').where('kind', '=', 'system_admin').where('builtin', '=', 1).executeTakeFirst();
    if (!role) {
      return;
    }
    const now = Date.now();
    const steps: ApprovalStep[] = [{ name: '文档审批', mode: 'any', approvers: [{ kind: 'role', roleId: role.id }], dueHours: 72 }];
    try {
      await repo.insertFlow(this.ctx.db, { id: uuidv7(), code: DOCUMENT_FLOW_CODE, name_zh: '文档审批', name_en: 'Document approval', steps: toJson(steps), escalation_user_id: null, notify_channel_id: null, enabled: 1, created_at: now, updated_at: now });
    } catch (error) {
      // Another node seeded it at the same moment.
      if (!isUniqueViolation(error)) {
        throw error;
      }
    }
  }
}

export const DOCUMENT_FLOW_CODE = 'document.default';
