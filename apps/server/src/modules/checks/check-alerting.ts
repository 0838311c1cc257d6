import type { Transaction } from 'kysely';
import type { EscalationStep, EscalationTarget } from '@yunwei/contracts/alert-routing';
import { ALERTING_PERMISSIONS, type RuleAnnotations, type RuleCreate, type RuleSpec, type RuleUpdate } from '@yunwei/contracts/alerting';
import type { LocalizedText } from '@yunwei/contracts/i18n';
import { fromJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { inScope, type Actor } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { alertingOf } from '../alerting/alerts-runtime.js';
import { routingOf } from '../alerting/routing.runtime.js';
import { notifyOf } from '../notify/runtime.js';
import type { CheckDefinitionTable } from './checks.tables.js';

/** The ids a check keeps of its own alerting objects. */
export type CheckAlertingIds = Pick<CheckDefinitionTable, 'alert_rule_id' | 'notify_policy_id' | 'escalation_policy_id'>;

/** Human names of a check's own rule and policies, in both languages (people read names, never ids). */
export function alertingNames(checkName: string): { rule: LocalizedText; policy: LocalizedText; escalation: LocalizedText } {
  return {
    rule: { zh: `检查「${checkName}」不可用`, en: `Check "${checkName}" is down` },
    policy: { zh: `检查「${checkName}」的通知`, en: `Notifications of check "${checkName}"` },
    escalation: { zh: `检查「${checkName}」的通知渠道`, en: `Channels of check "${checkName}"` },
  };
}

/**
 * What its alerts say: the check and its latest result (`$reason`, in each message's language: a
 * Chinese channel reads 连接被拒绝, an English one connection refused). True while firing and once resolved.
 */
const ANNOTATIONS: RuleAnnotations = {
  zh: { summary: '{{ $object }}：{{ $reason }}', description: '检查「{{ $labels.check_name }}」连续 {{ $threshold }} 次失败即告警（级别：{{ $severity }}）。最近一次结果：{{ $reason }}' },
  en: { summary: '{{ $object }}: {{ $reason }}', description: 'Alerts when check "{{ $labels.check_name }}" fails {{ $threshold }} times in a row (severity {{ $severity }}). Latest result: {{ $reason }}' },
};

/** A stored name is ours to follow a rename while it is still what we named it (in either language). */
function generated(name: string, names: LocalizedText): boolean {
  return name === names.zh || name === names.en;
}

/** Escalation policies have one name: the person's language. */
function inLanguageOf(actor: Actor, text: LocalizedText): string {
  return actor.locale === 'en' ? text.en : text.zh;
}

/** The channels an escalation policy notifies at once (its first step's channel targets). */
export function immediateChannels(steps: readonly EscalationStep[] | null): string[] {
  return (steps?.[0]?.targets ?? []).filter((t) => t.type === 'channel').map((t) => t.channelId);
}

/**
 * The people who change a check act on its own alerting objects through the alerting services, which
 * check the alerting permissions themselves; those the check service already decided (the person may
 * change this check, and route its alerts when channels are chosen): the rule and policies are bound to
 * this one check. So they are written by a trusted actor that keeps the person's identity for the audit trail.
 */
function onBehalfOf(actor: Actor): Actor {
  return { ...actor, kind: 'system' };
}

/**
 * A check's own alerting, kept in step with its form (as in Uptime Kuma): one alert rule of kind
 * `check` bound to this check (alerts after retries + 1 failed probes in a row, critical) and, when
 * channels are chosen, an escalation policy naming them and a notification policy routing the rule's
 * alerts there (evaluated first, not passed on: the channels chosen are who hears about it). Without
 * channels the rule's alerts follow the general policies (the default policy: the default channels).
 * Everything is written by the alerting services in the check's own transaction and audited there.
 *
 * An administrator may change these objects on their pages. The check form then shows what they are
 * (the policy's channels now); a save changes the rule's consecutive failures only when the retries
 * change, and re-points the policy at the check's own escalation policy only when the channels change.
 */
export class CheckAlerting {
  constructor(private readonly ctx: ModuleContext) {}

  /**
   * Outside any transaction: every channel exists (else 400 naming `body.notifyChannelIds.<i>`) and the
   * person may route alerts within the check's unit (`alerting.policy.write`), when channels change.
   */
  async checkChannels(actor: Actor, ids: readonly string[] | undefined, unit: string | null): Promise<void> {
    if (ids === undefined) {
      return;
    }
    const known = new Set((await notifyOf(this.ctx).channels.list()).map((c) => c.id));
    for (const [i, id] of ids.entries()) {
      if (!known.has(id)) {
        throw invalidField(`body.notifyChannelIds.${i}`, { zh: '没有这个通知渠道', en: 'no such notification channel' });
      }
    }
    if (!inScope(actor, ALERTING_PERMISSIONS.policyWrite, unit)) {
      throw new AppError('YW_FORBIDDEN', { permission: ALERTING_PERMISSIONS.policyWrite, field: 'body.notifyChannelIds' });
    }
  }

  /** Runs a write of a check's alerting with the alert evaluator held (a rule disabled or deleted resolves its alerts). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return alertingOf(this.ctx).exclusive(fn);
  }

  /**
   * Inside the check's transaction: creates or updates its rule, and its policies when `channels` are
   * given (an empty list removes them; left out, they stay as they are). Returns the ids to store.
   */
  async sync(trx: Transaction<Database>, person: Actor, check: CheckDefinitionTable, before: CheckDefinitionTable | null, channels: readonly string[] | undefined): Promise<CheckAlertingIds> {
    const actor = onBehalfOf(person);
    const names = alertingNames(check.name);
    const renamed = before !== null && before.name !== check.name ? alertingNames(before.name) : null;
    const ruleId = await this.#syncRule(trx, actor, check, before, names, renamed);
    const ids: CheckAlertingIds = { alert_rule_id: ruleId, notify_policy_id: check.notify_policy_id, escalation_policy_id: check.escalation_policy_id };
    const routing = routingOf(this.ctx).within(trx);
    const policy = check.notify_policy_id ? await trx.selectFrom('alert_notification_policy').selectAll().where('id', '=', check.notify_policy_id).executeTakeFirst() : undefined;
    const escalation = check.escalation_policy_id ? await trx.selectFrom('alert_escalation_policy').selectAll().where('id', '=', check.escalation_policy_id).executeTakeFirst() : undefined;

    if (channels !== undefined && channels.length === 0) {
      if (policy) {
        await routing.policies.remove(actor, policy.id);
      }
      if (escalation && !(await trx.selectFrom('alert_notification_policy').select('id').where('escalation_policy_id', '=', escalation.id).executeTakeFirst())) {
        await routing.escalations.remove(actor, escalation.id);
      }
      return { ...ids, notify_policy_id: null, escalation_policy_id: null };
    }
    if (channels === undefined) {
      // The channels stay as the policy has them; a policy still named after the check follows a rename,
      // and a rule made anew is the one it routes.
      if (policy && renamed && generated(policy.name, renamed.policy)) {
        await routing.policies.update(actor, policy.id, { name: names.policy.zh, nameEn: names.policy.en });
      }
      if (escalation && renamed && generated(escalation.name, renamed.escalation)) {
        await routing.escalations.update(actor, escalation.id, { name: inLanguageOf(person, names.escalation) });
      }
      if (policy && ruleId !== check.alert_rule_id) {
        await routing.policies.update(actor, policy.id, { matchers: [{ name: 'rule', op: '=', value: ruleId }] });
      }
      return { ...ids, notify_policy_id: policy?.id ?? null, escalation_policy_id: escalation?.id ?? null };
    }

    // The channels notified at once become those chosen; other targets and later steps an administrator added stay.
    const wanted: EscalationTarget[] = channels.map((channelId) => ({ type: 'channel', channelId }));
    let escalationId: string;
    if (escalation) {
      const steps = fromJson<EscalationStep[]>(escalation.steps);
      const [first, ...later] = steps.length ? steps : [{ afterMinutes: 0, targets: [] }];
      const kept = first!.targets.filter((t) => t.type !== 'channel');
      const name = renamed && generated(escalation.name, renamed.escalation) ? inLanguageOf(person, names.escalation) : undefined;
      await routing.escalations.update(actor, escalation.id, { ...(name ? { name } : {}), steps: [{ ...first!, targets: [...wanted, ...kept] }, ...later] });
      escalationId = escalation.id;
    } else {
      escalationId = (await routing.escalations.create(actor, { name: inLanguageOf(person, names.escalation), steps: [{ afterMinutes: 0, targets: wanted }] })).id;
    }
    const matchers = [{ name: 'rule', op: '=' as const, value: ruleId }];
    if (policy) {
      const name = renamed && generated(policy.name, renamed.policy) ? { name: names.policy.zh, nameEn: names.policy.en } : {};
      await routing.policies.update(actor, policy.id, { ...name, matchers, escalationPolicyId: escalationId });
      return { ...ids, notify_policy_id: policy.id, escalation_policy_id: escalationId };
    }
    // A check's alerts go out at once (nothing to group them with), and its policy comes first: a
    // broader policy earlier in the list must not take what the form routes.
    const created = await routing.policies.create(actor, { name: names.policy.zh, nameEn: names.policy.en, matchers, escalationPolicyId: escalationId, groupWaitSeconds: 0, continue: false });
    const order = (await routing.policies.list()).items.filter((p) => !p.isDefault).map((p) => p.id);
    if (order[0] !== created.id) {
      await routing.policies.reorder(actor, { ids: [created.id, ...order.filter((id) => id !== created.id)] });
    }
    return { ...ids, notify_policy_id: created.id, escalation_policy_id: escalationId };
  }

  async #syncRule(trx: Transaction<Database>, actor: Actor, check: CheckDefinitionTable, before: CheckDefinitionTable | null, names: ReturnType<typeof alertingNames>, renamed: ReturnType<typeof alertingNames> | null): Promise<string> {
    const rules = alertingOf(this.ctx).rulesWithin(trx);
    const spec: RuleSpec = { kind: 'check', checkIds: [check.id], consecutiveDown: check.retries + 1 };
    const target = check.ci_id ? { kind: 'ci' as const, ciId: check.ci_id } : { kind: 'all' as const };
    const existing = check.alert_rule_id ? await trx.selectFrom('alert_rule').select(['id', 'name', 'spec', 'enabled']).where('id', '=', check.alert_rule_id).executeTakeFirst() : undefined;
    if (!existing) {
      const input: RuleCreate = { name: names.rule.zh, nameEn: names.rule.en, spec, severity: 'critical', target, annotations: ANNOTATIONS, enabled: check.enabled === 1 };
      return (await rules.create(actor, input)).id;
    }
    // Only what the form changed: an administrator's own edits of the rule stay otherwise.
    const patch: RuleUpdate = {};
    if (!before || before.retries !== check.retries) {
      const current = fromJson<RuleSpec>(existing.spec);
      patch.spec = current.kind === 'check' ? { ...current, consecutiveDown: spec.consecutiveDown } : spec;
    }
    if (!before || before.ci_id !== check.ci_id) {
      patch.target = target;
    }
    if (!before || before.enabled !== check.enabled) {
      patch.enabled = check.enabled === 1;
    }
    if (renamed && generated(existing.name, renamed.rule)) {
      Object.assign(patch, { name: names.rule.zh, nameEn: names.rule.en });
    }
    if (Object.keys(patch).length) {
      await rules.update(actor, existing.id, patch);
    }
    return existing.id;
  }

  /** Inside the check's transaction: its rule (its open alerts resolve) and its policies go with it. */
  async remove(trx: Transaction<Database>, person: Actor, check: CheckDefinitionTable): Promise<void> {
    const actor = onBehalfOf(person);
    const routing = routingOf(this.ctx).within(trx);
    if (check.notify_policy_id && (await trx.selectFrom('alert_notification_policy').select('id').where('id', '=', check.notify_policy_id).executeTakeFirst())) {
      await routing.policies.remove(actor, check.notify_policy_id);
    }
    if (
      check.escalation_policy_id &&
      (await trx.selectFrom('alert_escalation_policy').select('id').where('id', '=', check.escalation_policy_id).executeTakeFirst()) &&
      !(await trx.selectFrom('alert_notification_policy').select('id').where('escalation_policy_id', '=', check.escalation_policy_id).executeTakeFirst())
    ) {
      await routing.escalations.remove(actor, check.escalation_policy_id);
    }
    if (check.alert_rule_id && (await trx.selectFrom('alert_rule').select('id').where('id', '=', check.alert_rule_id).executeTakeFirst())) {
      await alertingOf(this.ctx).rulesWithin(trx).remove(actor, check.alert_rule_id);
    }
  }

  /** After the commit: the evaluator re-reads its rules, the dispatcher its policies. */
  committed(): void {
    alertingOf(this.ctx).rulesChanged();
    routingOf(this.ctx).dispatcher.wake();
  }
}
