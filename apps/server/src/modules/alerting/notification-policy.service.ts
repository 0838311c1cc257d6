import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { ROUTING_DEFAULTS, type Matcher, type NotificationPolicy, type NotificationPolicyCreate, type NotificationPolicyList, type NotificationPolicyOrder, type NotificationPolicyUpdate } from '@yunwei/contracts/alert-routing';
import { fromJson, toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { compileMatchers } from './routing-matchers.js';
import type { AlertNotificationPolicyTable } from './routing.tables.js';

export function policyView(row: AlertNotificationPolicyTable): NotificationPolicy {
  return {
    id: row.id,
    name: row.name,
    nameEn: row.name_en,
    position: row.position,
    matchers: fromJson<Matcher[]>(row.matchers),
    groupBy: fromJson<string[]>(row.group_by),
    groupWaitSeconds: row.group_wait_s,
    groupIntervalSeconds: row.group_interval_s,
    repeatIntervalSeconds: row.repeat_interval_s,
    escalationPolicyId: row.escalation_policy_id,
    continue: row.continue_matching === 1,
    notifyDefaultChannels: row.notify_default_channels === 1,
    enabled: row.enabled === 1,
    isDefault: row.is_default === 1,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

const auditView = ({ id: _i, createdAt: _c, updatedAt: _u, ...rest }: NotificationPolicy) => rest;

/** Policies in evaluation order: by position, the built-in default one last. */
export async function orderedPolicies(db: Kysely<Database>): Promise<AlertNotificationPolicyTable[]> {
  return db.selectFrom('alert_notification_policy').selectAll().orderBy('is_default').orderBy('position').orderBy('created_at').execute();
}

/** Notification policies: ordered matchers → grouping and timing → escalation policy (audited). */
export class NotificationPolicyService {
  constructor(
    private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>,
    private readonly onChange: () => void,
  ) {}

  async list(): Promise<NotificationPolicyList> {
    return { items: (await orderedPolicies(this.ctx.db)).map(policyView) };
  }

  async #row(id: string, db: Kysely<Database> = this.ctx.db): Promise<AlertNotificationPolicyTable> {
    const row = await db.selectFrom('alert_notification_policy').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) {
      throw new AppError('YW_ROUTING_POLICY_NOT_FOUND', { id });
    }
    return row;
  }

  async get(id: string): Promise<NotificationPolicy> {
    return policyView(await this.#row(id));
  }

  async #checkEscalation(id: string | null | undefined): Promise<void> {
    if (id && !(await this.ctx.db.selectFrom('alert_escalation_policy').select('id').where('id', '=', id).executeTakeFirst())) {
      throw invalidField('body.escalationPolicyId', { zh: '升级策略不存在', en: 'no such escalation policy' });
    }
  }

  async create(actor: Actor, input: NotificationPolicyCreate): Promise<NotificationPolicy> {
    compileMatchers(input.matchers);
    await this.#checkEscalation(input.escalationPolicyId);
    const now = Date.now();
    const row: AlertNotificationPolicyTable = {
      id: uuidv7(),
      name: input.name.trim(),
      name_en: input.nameEn?.trim() || null,
      position: 0,
      matchers: toJson(input.matchers),
      group_by: toJson(input.groupBy ?? ['alertname']),
      group_wait_s: input.groupWaitSeconds ?? ROUTING_DEFAULTS.groupWaitSeconds,
      group_interval_s: input.groupIntervalSeconds ?? ROUTING_DEFAULTS.groupIntervalSeconds,
      repeat_interval_s: input.repeatIntervalSeconds ?? ROUTING_DEFAULTS.repeatIntervalSeconds,
      escalation_policy_id: input.escalationPolicyId ?? null,
      continue_matching: input.continue ? 1 : 0,
      notify_default_channels: input.notifyDefaultChannels ? 1 : 0,
      enabled: input.enabled === false ? 0 : 1,
      is_default: 0,
      created_at: now,
      updated_at: now,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      // New policies go last among the ordered ones (before the default).
      const last = await trx.selectFrom('alert_notification_policy').select((eb) => eb.fn.max('position').as('p')).where('is_default', '=', 0).executeTakeFirst();
      row.position = last?.p === null || last?.p === undefined ? 0 : Number(last.p) + 1;
      await trx.insertInto('alert_notification_policy').values(row).execute();
      await this.ctx.audit.record(trx, { actor, action: 'alerting.policy.create', targetType: 'alert_notification_policy', targetId: row.id, after: auditView(policyView(row)) });
    });
    this.onChange();
    return policyView(row);
  }

  async update(actor: Actor, id: string, input: NotificationPolicyUpdate): Promise<NotificationPolicy> {
    const before = await this.#row(id);
    // The built-in default policy is the last one: nothing follows it to continue to. Its matchers may
    // change (e.g. warnings too) and it may be disabled.
    if (before.is_default === 1 && input.continue === true) {
      throw new AppError('YW_ROUTING_POLICY_DEFAULT', { field: 'body.continue' });
    }
    if (input.matchers) {
      compileMatchers(input.matchers);
    }
    await this.#checkEscalation(input.escalationPolicyId);
    const after: AlertNotificationPolicyTable = {
      ...before,
      name: input.name?.trim() ?? before.name,
      name_en: input.nameEn === undefined ? before.name_en : input.nameEn?.trim() || null,
      matchers: input.matchers ? toJson(input.matchers) : before.matchers,
      group_by: input.groupBy ? toJson(input.groupBy) : before.group_by,
      group_wait_s: input.groupWaitSeconds ?? before.group_wait_s,
      group_interval_s: input.groupIntervalSeconds ?? before.group_interval_s,
      repeat_interval_s: input.repeatIntervalSeconds ?? before.repeat_interval_s,
      escalation_policy_id: input.escalationPolicyId === undefined ? before.escalation_policy_id : input.escalationPolicyId,
      continue_matching: input.continue === undefined ? before.continue_matching : input.continue ? 1 : 0,
      notify_default_channels: input.notifyDefaultChannels === undefined ? before.notify_default_channels : input.notifyDefaultChannels ? 1 : 0,
      enabled: input.enabled === undefined ? before.enabled : input.enabled ? 1 : 0,
      updated_at: Date.now(),
    };
    const { id: _id, created_at: _c, ...patch } = after;
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('alert_notification_policy').set(patch).where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'alerting.policy.update', targetType: 'alert_notification_policy', targetId: id, before: auditView(policyView(before)), after: auditView(policyView(after)) });
    });
    this.onChange();
    return policyView(after);
  }

  /** Deletes a policy with its groups (their alerts are routed again by the next matching policy). */
  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.#row(id);
    if (before.is_default === 1) {
      throw new AppError('YW_ROUTING_POLICY_DEFAULT', { id });
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      const groups = trx.selectFrom('alert_group').select('id').where('policy_id', '=', id);
      await trx.deleteFrom('alert_escalation_state').where('group_id', 'in', groups).execute();
      await trx.deleteFrom('alert_group').where('policy_id', '=', id).execute();
      await trx.deleteFrom('alert_notification_policy').where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'alerting.policy.delete', targetType: 'alert_notification_policy', targetId: id, before: auditView(policyView(before)) });
    });
    this.onChange();
  }

  /** Sets the evaluation order: `ids` lists every policy but the default, each once. */
  async reorder(actor: Actor, input: NotificationPolicyOrder): Promise<NotificationPolicyList> {
    await this.ctx.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('alert_notification_policy').select(['id', 'position']).where('is_default', '=', 0).orderBy('position').execute();
      const known = new Set(current.map((p) => p.id));
      if (input.ids.length !== known.size || !input.ids.every((id) => known.has(id))) {
        throw invalidField('body.ids', { zh: '必须列出除默认策略外的每个通知策略，各一次', en: 'must list every notification policy except the default one, each once' });
      }
      for (const [position, id] of input.ids.entries()) {
        await trx.updateTable('alert_notification_policy').set({ position }).where('id', '=', id).execute();
      }
      await this.ctx.audit.record(trx, { actor, action: 'alerting.policy.reorder', targetType: 'alert_notification_policy', targetId: null, before: { ids: current.map((p) => p.id) }, after: { ids: input.ids } });
    });
    this.onChange();
    return this.list();
  }
}
