import { uuidv7 } from 'uuidv7';
import type { EscalationPolicy, EscalationPolicyCreate, EscalationPolicyList, EscalationPolicyUpdate, EscalationStep } from '@yunwei/contracts/alert-routing';
import { fromJson, toJson } from '../../db/dialect.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import type { DispatchSender } from './dispatch-sender.js';
import type { AlertEscalationPolicyTable } from './routing.tables.js';

export function escalationView(row: AlertEscalationPolicyTable): EscalationPolicy {
  return {
    id: row.id,
    name: row.name,
    comment: row.comment,
    steps: fromJson<EscalationStep[]>(row.steps),
    repeat: row.repeat,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

const auditView = (p: EscalationPolicy) => ({ name: p.name, comment: p.comment, steps: p.steps, repeat: p.repeat });

/** Escalation policies: who is notified at once and who after N minutes unacknowledged (audited). */
export class EscalationService {
  constructor(
    private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>,
    private readonly sender: DispatchSender,
  ) {}

  async list(): Promise<EscalationPolicyList> {
    const rows = await this.ctx.db.selectFrom('alert_escalation_policy').selectAll().orderBy('name').execute();
    return { items: rows.map(escalationView) };
  }

  async #row(id: string): Promise<AlertEscalationPolicyTable> {
    const row = await this.ctx.db.selectFrom('alert_escalation_policy').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) {
      throw new AppError('YW_ROUTING_ESCALATION_NOT_FOUND', { id });
    }
    return row;
  }

  async get(id: string): Promise<EscalationPolicy> {
    return escalationView(await this.#row(id));
  }

  /** Steps strictly later one after the other; every target's channel, user and schedule must exist. */
  async #validate(steps: readonly EscalationStep[], repeat: number): Promise<void> {
    for (const [i, step] of steps.entries()) {
      if (i > 0 && step.afterMinutes <= steps[i - 1]!.afterMinutes) {
        throw invalidField(`body.steps.${i}.afterMinutes`, { zh: '必须晚于上一级', en: 'must be later than the previous step' });
      }
      for (const [j, target] of step.targets.entries()) {
        const field = `body.steps.${i}.targets.${j}`;
        if ((await this.sender.channelType(target.channelId)) === null) {
          throw invalidField(`${field}.channelId`, { zh: '通知渠道不存在', en: 'no such notification channel' });
        }
        if (target.type === 'user') {
          const user = await this.ctx.db.selectFrom('user').select('status').where('id', '=', target.userId).executeTakeFirst();
          if (!user || user.status !== 'active') {
            throw invalidField(`${field}.userId`, { zh: '用户不存在或已停用', en: 'no such active user' });
          }
        }
        if (target.type === 'oncall' && !(await this.sender.scheduleExists(target.scheduleId))) {
          throw invalidField(`${field}.scheduleId`, { zh: '值班表不存在', en: 'no such on-call schedule' });
        }
      }
    }
    if (repeat > 0 && steps[steps.length - 1]!.afterMinutes === 0) {
      throw invalidField('body.repeat', { zh: '循环通知需要最后一级晚于 0 分钟（它决定一轮的时长）', en: 'repeating needs a last step later than 0 minutes (it sets the length of a cycle)' });
    }
  }

  async create(actor: Actor, input: EscalationPolicyCreate): Promise<EscalationPolicy> {
    const repeat = input.repeat ?? 0;
    await this.#validate(input.steps, repeat);
    const now = Date.now();
    const row: AlertEscalationPolicyTable = { id: uuidv7(), name: input.name.trim(), comment: input.comment?.trim() ?? '', steps: toJson(input.steps), repeat, created_at: now, updated_at: now };
    const policy = escalationView(row);
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('alert_escalation_policy').values(row).execute();
      await this.ctx.audit.record(trx, { actor, action: 'alerting.escalation.create', targetType: 'alert_escalation_policy', targetId: row.id, after: auditView(policy) });
    });
    return policy;
  }

  async update(actor: Actor, id: string, input: EscalationPolicyUpdate): Promise<EscalationPolicy> {
    const before = await this.#row(id);
    const steps = input.steps ?? fromJson<EscalationStep[]>(before.steps);
    const repeat = input.repeat ?? before.repeat;
    await this.#validate(steps, repeat);
    const after: AlertEscalationPolicyTable = { ...before, name: input.name?.trim() ?? before.name, comment: input.comment?.trim() ?? before.comment, steps: toJson(steps), repeat, updated_at: Date.now() };
    const { id: _id, created_at: _c, ...patch } = after;
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('alert_escalation_policy').set(patch).where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'alerting.escalation.update', targetType: 'alert_escalation_policy', targetId: id, before: auditView(escalationView(before)), after: auditView(escalationView(after)) });
    });
    return escalationView(after);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.#row(id);
    await this.ctx.db.transaction().execute(async (trx) => {
      const users = await trx.selectFrom('alert_notification_policy').select('name').where('escalation_policy_id', '=', id).execute();
      if (users.length) {
        throw new AppError('YW_ROUTING_ESCALATION_IN_USE', { policies: users.map((u) => u.name) });
      }
      await trx.deleteFrom('alert_escalation_policy').where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'alerting.escalation.delete', targetType: 'alert_escalation_policy', targetId: id, before: auditView(escalationView(before)) });
    });
  }
}
