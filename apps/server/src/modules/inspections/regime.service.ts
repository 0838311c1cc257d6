import { ROLE_KIND_NAMES, type BuiltinRoleKind } from '@yunwei/contracts/access';
import type { RuleSpec, RuleTarget } from '@yunwei/contracts/alerting';
import type { DocumentFormat } from '@yunwei/contracts/documents';
import type { Locale } from '@yunwei/contracts/i18n';
import { INSPECTION_PERMISSIONS as P, type MonitoringPolicy, type MonitoringRegime, type MonitoringRegimeQuery } from '@yunwei/contracts/inspections';
import { fromJson } from '../../db/dialect.js';
import { can, type Actor } from '../../platform/actor.js';
import { renderDocument, type DocumentFile } from '../../platform/documents/render.js';
import type { ModuleContext } from '../../platform/module.js';
import { formatMessageTime } from '../../platform/notify/message-format.js';
import { RuleRepository } from '../alerting/rule.repository.js';
import { routingOf } from '../alerting/routing.runtime.js';
import { oncallOf } from '../oncall/runtime.js';
import type { PolicyService } from './policy.service.js';
import { regimeDocument, type RegimePolicy, type RegimeRouting, type RegimeRule } from './regime-document.js';
import { ruleCondition, ruleMetric } from './rule-condition.js';
import { reachable, resolveScope, type ScopeCi } from './scope.js';

interface LoadedRule extends RegimeRule {
  target: RuleTarget;
}

/**
 * Writes the routine monitoring regime (L1-2.1.1) from what is configured: the enabled monitoring
 * policies the reader may see (their CIs within the reader's scope), the enabled alert rules that
 * apply to those CIs, the notification and escalation policies and the on-call schedules. On screen
 * as JSON; as a .docx or .pdf whose download is audited.
 */
export class RegimeService {
  constructor(
    private readonly ctx: ModuleContext,
    private readonly policies: PolicyService,
  ) {}

  async build(actor: Actor, q: MonitoringRegimeQuery, locale: Locale, now = Date.now()): Promise<MonitoringRegime> {
    const chosen = q.policyId ? [await this.policies.get(actor, q.policyId)] : (await this.policies.list(actor)).items.filter((p) => p.enabled);
    const rules = await this.#rules(locale);
    const classIds = new Map((await this.ctx.db.selectFrom('cmdb_class').select(['id', 'code']).execute()).map((c) => [c.code, c.id]));
    const written: RegimePolicy[] = [];
    for (const policy of chosen) {
      const cis = reachable(actor, P.policyRead, await resolveScope(this.ctx.db, policy.scope));
      const applies = (r: LoadedRule) => appliesTo(r.target, policy, cis, classIds);
      written.push({
        name: policy.name,
        description: policy.description,
        scope: await this.#scopeText(policy, locale),
        cis: cis.map((c) => c.name),
        responsible: policy.responsibleRole && policy.responsibleRole in ROLE_KIND_NAMES ? ROLE_KIND_NAMES[policy.responsibleRole as BuiltinRoleKind][locale === 'en' ? 'en' : 'zh'] : policy.responsibleRole,
        reviewMonths: policy.reviewMonths,
        metrics: policy.metrics.map((m) => ({ metric: m.metric, intervalSeconds: m.maxIntervalSeconds })),
        checks: policy.checks.map((c) => ({ checkType: c.checkType, intervalSeconds: c.maxIntervalSeconds })),
        inspections: await this.#inspections(policy),
        rules: rules.filter(applies),
      });
    }
    const time = formatMessageTime(now, this.ctx.config.timeZone);
    const document = regimeDocument({ policies: written, routing: await this.#routing(actor, locale, now), author: actor.username, generatedAt: time }, locale);
    return { generatedAt: now, policies: written.length, document };
  }

  /** The regime as a Word or PDF file; the download is audited (which policies it was written from). */
  async file(actor: Actor, q: MonitoringRegimeQuery, locale: Locale, format: DocumentFormat, now = Date.now()): Promise<DocumentFile> {
    const regime = await this.build(actor, q, locale, now);
    const file = await renderDocument(regime.document, format, `${regime.document.title}-${formatMessageTime(now, this.ctx.config.timeZone).slice(0, 10)}`, locale);
    await this.ctx.audit.recordNow({ actor, action: 'inspections.regime.download', targetType: 'monitoring_policy', targetId: q.policyId ?? null, after: { filename: file.filename, policies: regime.policies } });
    return file;
  }

  async #rules(locale: Locale): Promise<LoadedRule[]> {
    const rows = await new RuleRepository(this.ctx.db).enabled();
    return rows
      .map((row) => {
        const spec = fromJson<RuleSpec>(row.spec);
        const name = locale === 'en' && row.name_en ? row.name_en : row.name;
        return { name, condition: ruleCondition(spec, row.for_s, locale), metric: ruleMetric(spec), checkType: spec.kind === 'check' ? (spec.checkType ?? null) : null, target: fromJson<RuleTarget>(row.target) };
      })
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  }

  async #scopeText(policy: MonitoringPolicy, locale: Locale): Promise<string> {
    const en = locale === 'en';
    if (policy.scope.kind === 'class') {
      const k = await this.ctx.db.selectFrom('cmdb_class').select(['name_zh', 'name_en']).where('code', '=', policy.scope.classCode ?? '').executeTakeFirst();
      const name = k ? (en ? k.name_en : k.name_zh) : (policy.scope.classCode ?? '');
      return en ? `every CI of the class "${name}"` : `类别「${name}」的全部配置项`;
    }
    const ci = await this.ctx.db.selectFrom('cmdb_ci').select('name').where('id', '=', policy.scope.ciId ?? '').executeTakeFirst();
    const name = ci?.name ?? policy.scope.ciId ?? '';
    return en ? `the business system "${name}" and the CIs it relies on` : `业务系统「${name}」及其依赖的配置项`;
  }

  async #inspections(policy: MonitoringPolicy): Promise<{ template: string; everyDays: number }[]> {
    const ids = policy.inspections.map((i) => i.templateId);
    const names = new Map(ids.length ? (await this.ctx.db.selectFrom('inspection_template').select(['id', 'name']).where('id', 'in', ids).execute()).map((t) => [t.id, t.name]) : []);
    return policy.inspections.map((i) => ({ template: names.get(i.templateId) ?? i.templateId, everyDays: i.everyDays }));
  }

  /**
   * Notification policies in order, escalations with their targets by name, on-call schedules with
   * their members — for a reader who may see them (both permissions; every built-in role holds them).
   */
  async #routing(actor: Actor, locale: Locale, now: number): Promise<RegimeRouting> {
    if (!can(actor, 'alerting.policy.read') || !can(actor, 'oncall.schedule.read')) {
      return { restricted: true, policies: [], escalations: [], schedules: [] };
    }
    const en = locale === 'en';
    const routing = routingOf(this.ctx);
    const [policies, escalations, schedules] = [await routing.policies.list(), await routing.escalations.list(), await oncallOf(this.ctx).schedules.list(now)];
    const channels = new Map((await this.ctx.db.selectFrom('notify_channel').select(['id', 'name']).execute()).map((c) => [c.id, c.name]));
    const users = new Map((await this.ctx.db.selectFrom('user').select(['id', 'username', 'display_name']).execute()).map((u) => [u.id, u.display_name || u.username]));
    const scheduleNames = new Map(schedules.items.map((s) => [s.id, s.name]));
    const escalationNames = new Map(escalations.items.map((e) => [e.id, e.name]));
    const channel = (id: string) => (en ? `channel "${channels.get(id) ?? id}"` : `渠道「${channels.get(id) ?? id}」`);
    return {
      restricted: false,
      policies: policies.items
        .filter((p) => p.enabled)
        .map((p) => ({
          name: en && p.nameEn ? p.nameEn : p.name,
          matchers: p.matchers.map((m) => `${m.name}${m.op}"${m.value}"`).join(', '),
          escalation: p.escalationPolicyId ? (escalationNames.get(p.escalationPolicyId) ?? null) : null,
          repeatSeconds: p.repeatIntervalSeconds,
        })),
      escalations: escalations.items.map((e) => ({
        name: e.name,
        repeat: e.repeat,
        steps: e.steps.map((s) => ({
          afterMinutes: s.afterMinutes,
          targets: s.targets.map((t) =>
            t.type === 'channel'
              ? channel(t.channelId)
              : t.type === 'user'
                ? en
                  ? `${users.get(t.userId) ?? t.userId} via ${channel(t.channelId)}`
                  : `${users.get(t.userId) ?? t.userId}（经${channel(t.channelId)}）`
                : en
                  ? `whoever is on call in "${scheduleNames.get(t.scheduleId) ?? t.scheduleId}" via ${channel(t.channelId)}`
                  : `值班表「${scheduleNames.get(t.scheduleId) ?? t.scheduleId}」当班人员（经${channel(t.channelId)}）`,
          ),
        })),
      })),
      schedules: schedules.items.map((s) => ({
        name: s.name,
        onCall: s.now.users.map((u) => u.displayName || u.username),
        rotations: s.rotations.map((o) => ({
          name: o.name,
          members: o.members.map((id) => users.get(id) ?? id),
          every: en ? `${o.length} ${o.unit === 'weeks' ? 'week' : 'day'}${o.length === 1 ? '' : 's'}` : ` ${o.length} ${o.unit === 'weeks' ? '周' : '天'}`,
          handover: o.handoverTime,
        })),
      })),
    };
  }
}

/** Whether a rule's target reaches any of the policy's CIs. */
function appliesTo(target: RuleTarget, policy: MonitoringPolicy, cis: readonly ScopeCi[], classIds: ReadonlyMap<string, string>): boolean {
  switch (target.kind) {
    case 'all':
      return cis.length > 0;
    case 'hosts':
      // Hosts: CIs of the built-in server class (and whatever an agent reports for, not known here).
      return cis.some((c) => c.classCode === 'server');
    case 'ci':
      return cis.some((c) => c.id === target.ciId);
    case 'class':
      return cis.some((c) => classIds.get(c.classCode) === target.classId);
    case 'business':
      return (policy.scope.kind === 'business_system' && policy.scope.ciId === target.ciId) || cis.some((c) => c.id === target.ciId);
  }
}
