import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { CHECK_TYPES } from '@yunwei/contracts/checks';
import { ALERTING_PERMISSIONS as P, type Rule, type RuleCreate, type RuleList, type RuleListQuery, type RulePreview, type RuleSpec, type RuleTarget, type RuleUpdate } from '@yunwei/contracts/alerting';
import { fromJson, toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { requireScope, type Actor } from '../../platform/actor.js';
import type { PermissionId } from '@yunwei/contracts/access';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { checkIncidentOption } from '../incidents/incident-alert-option.js';
import { monitoringOf } from '../monitoring/runtime.js';
import { exactMetric } from '../monitoring/selector.js';
import { NAME_LABELS } from './alert-names.js';
import type { AlertRuleTable } from './alerts.tables.js';
import { reduceThresholdsProblem } from './rule-checks.js';
import { DEFAULT_ANNOTATIONS, ruleView, selectorOf } from './rule-model.js';
import { RuleRepository } from './rule.repository.js';
import { parseTemplate, TemplateError } from './template.js';

/** Labels every alert gets from the evaluator: a rule cannot set them. */
const RESERVED_LABELS = ['alertname', 'severity', 'rule', 'ci', '__name__', ...NAME_LABELS];

export interface RuleHooks {
  /** After a change commits: the evaluator re-reads the rules. */
  changed(): void;
  /** Inside the change's transaction: a deleted or disabled rule's open alerts resolve. */
  closeAlerts(trx: Kysely<Database>, actor: Actor, ruleId: string, note: string): Promise<void>;
  preview(spec: RuleSpec, row: AlertRuleTable): Promise<RulePreview>;
  /** Serialises with the evaluator's cycles (a rule's alerts must not change under its removal). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

/** Alert rules: validated (the field named), audited, and handed to the evaluator. */
export class RuleService {
  readonly repo: RuleRepository;

  constructor(
    private readonly ctx: ModuleContext,
    private readonly hooks: RuleHooks,
  ) {
    this.repo = new RuleRepository(ctx.db);
  }

  async list(q: RuleListQuery): Promise<RuleList> {
    const { rows, total } = await this.repo.list(q);
    return { items: rows.map(ruleView), total };
  }

  async get(id: string): Promise<Rule> {
    const row = await this.repo.find(id);
    if (!row) {
      throw new AppError('YW_ALERTING_RULE_NOT_FOUND', { id });
    }
    return ruleView(row);
  }

  async create(actor: Actor, input: RuleCreate, pack: string | null = null): Promise<Rule> {
    const row = await this.#prepare(actor, input, null, pack, pack !== null);
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('alert_rule').values(row).execute();
      await this.ctx.audit.record(trx, { actor, action: 'alerting.rule.create', targetType: 'alert_rule', targetId: row.id, after: auditView(row) });
    });
    this.hooks.changed();
    return this.get(row.id);
  }

  async update(actor: Actor, id: string, input: RuleUpdate): Promise<Rule> {
    const before = await this.repo.find(id);
    if (!before) {
      throw new AppError('YW_ALERTING_RULE_NOT_FOUND', { id });
    }
    await this.#requireWriteOn(actor, fromJson<RuleTarget>(before.target));
    const merged: RuleCreate = { ...ruleView(before), ...input };
    const after = await this.#prepare(actor, merged, before, before.pack);
    const { id: _id, created_at: _c, ...patch } = after;
    await this.hooks.exclusive(() => this.ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('alert_rule').set(patch).where('id', '=', id).execute();
      // Open alerts stay open across an edit (the next cycle re-evaluates them), unless the rule stops.
      if (before.enabled === 1 && after.enabled === 0) {
        await this.hooks.closeAlerts(trx, actor, id, 'rule disabled');
      }
      await this.ctx.audit.record(trx, { actor, action: 'alerting.rule.update', targetType: 'alert_rule', targetId: id, before: auditView(before), after: auditView(after) });
    }));
    this.hooks.changed();
    return this.get(id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.repo.find(id);
    if (!before) {
      throw new AppError('YW_ALERTING_RULE_NOT_FOUND', { id });
    }
    await this.#requireWriteOn(actor, fromJson<RuleTarget>(before.target));
    await this.hooks.exclusive(() => this.ctx.db.transaction().execute(async (trx) => {
      await this.hooks.closeAlerts(trx, actor, id, 'rule deleted');
      await trx.deleteFrom('alert_rule_state').where('rule_id', '=', id).execute();
      await trx.deleteFrom('alert_rule').where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'alerting.rule.delete', targetType: 'alert_rule', targetId: id, before: auditView(before) });
    }));
    this.hooks.changed();
  }

  async preview(actor: Actor, input: RuleCreate): Promise<RulePreview> {
    const row = await this.#prepare(actor, input, null, null, false, P.ruleRead);
    return this.hooks.preview(fromJson<RuleSpec>(row.spec), row);
  }

  /** Validates a rule as a whole and returns its row; every refusal names the field. */
  async #prepare(actor: Actor, input: RuleCreate, before: AlertRuleTable | null, pack: string | null, fromPack = false, permission: PermissionId = P.ruleWrite): Promise<AlertRuleTable> {
    const spec = input.spec;
    // A rule pack names the metrics the agent and probes write, whether or not any has arrived yet.
    await this.#checkSpec(spec, !fromPack);
    const annotations = input.annotations ?? DEFAULT_ANNOTATIONS[spec.kind];
    for (const lang of ['zh', 'en'] as const) {
      for (const part of ['summary', 'description'] as const) {
        try {
          parseTemplate(annotations[lang][part]);
        } catch (error) {
          if (error instanceof TemplateError) {
            throw invalidField(`body.annotations.${lang}.${part}`, error.text);
          }
          throw error;
        }
      }
    }
    for (const name of Object.keys(input.labels ?? {})) {
      if (RESERVED_LABELS.includes(name)) {
        throw invalidField(`body.labels.${name}`, { zh: `“${name}”由告警评估自动设置，不能手动填写`, en: `"${name}" is set by the evaluator` });
      }
    }
    const target = input.target ?? { kind: 'all' };
    await this.#checkTarget(actor, target, permission);
    await checkIncidentOption(this.ctx.db, input.incident);
    const now = Date.now();
    return {
      id: before?.id ?? uuidv7(),
      name: input.name.trim(),
      name_en: input.nameEn?.trim() || null,
      description: input.description ?? '',
      kind: spec.kind,
      spec: toJson(spec),
      severity: input.severity ?? 'warning',
      for_s: input.forSeconds ?? 0,
      labels: toJson(input.labels ?? {}),
      annotations: toJson(annotations),
      target: toJson(target),
      enabled: input.enabled === false ? 0 : 1,
      pack,
      incident: input.incident ? toJson(input.incident) : null,
      created_at: before ? Number(before.created_at) : now,
      updated_at: before ? Math.max(now, Number(before.updated_at) + 1) : now,
    };
  }

  async #checkSpec(spec: RuleSpec, metricMustExist: boolean): Promise<void> {
    const selector = selectorOf(spec);
    if (selector !== null) {
      const matchers = monitoringOf(this.ctx).queries.parse(selector, 'body.spec.selector');
      const metric = exactMetric(matchers);
      if (metricMustExist && metric !== null && !(await this.repo.metricKnown(metric))) {
        throw invalidField('body.spec.selector', { zh: `未知的指标“${metric}”：还没有收到它的任何序列`, en: `unknown metric "${metric}": no series of it has been received` });
      }
    }
    const problem = reduceThresholdsProblem(spec);
    if (problem) {
      throw invalidField(`body.spec.${problem[0]}`, problem[1]);
    }
    if (spec.kind === 'absent' && spec.subject === 'series' && !spec.selector) {
      throw invalidField('body.spec.selector', { zh: '按序列判断时必须填写', en: 'is required for series' });
    }
    if (spec.kind === 'absent' && spec.agentId && !(await this.repo.agentExists(spec.agentId))) {
      throw invalidField('body.spec.agentId', { zh: '代理不存在', en: 'no such agent' });
    }
    if (spec.kind === 'check') {
      if (spec.checkType !== undefined && !(CHECK_TYPES as readonly string[]).includes(spec.checkType)) {
        throw invalidField('body.spec.checkType', { zh: `必须是以下之一：${CHECK_TYPES.join('、')}`, en: `must be one of ${CHECK_TYPES.join(', ')}` });
      }
      const missing = spec.checkIds ? await this.repo.missingChecks(spec.checkIds) : [];
      if (missing.length) {
        throw invalidField('body.spec.checkIds', { zh: `检查项不存在：${missing.join('、')}`, en: `no such check: ${missing.join(', ')}` });
      }
    }
  }

  /** `permission`: write for saving, read for a preview (which reads what the rule would read). */
  async #checkTarget(actor: Actor, target: RuleTarget, permission: PermissionId): Promise<void> {
    // A rule on every CI, on every host or on a class reaches CIs of every org unit: only a whole-organisation grant writes it.
    if (target.kind === 'all' || target.kind === 'hosts') {
      requireScope(actor, permission, null);
      return;
    }
    if (target.kind === 'class') {
      if (!(await this.repo.classExists(target.classId))) {
        throw invalidField('body.target.classId', { zh: '配置项类别不存在', en: 'no such CI class' });
      }
      requireScope(actor, permission, null);
      return;
    }
    const ci = await this.repo.ci(target.ciId);
    if (!ci) {
      throw invalidField('body.target.ciId', { zh: '配置项不存在', en: 'no such configuration item' });
    }
    if (target.kind === 'business' && ci.class_code !== 'business_system') {
      throw invalidField('body.target.ciId', { zh: '不是业务系统', en: 'is not a business system' });
    }
    requireScope(actor, permission, ci.org_unit_id);
  }

  /** An existing rule is changed or deleted only within the scope of what it targets (a deleted CI: whole organisation). */
  async #requireWriteOn(actor: Actor, target: RuleTarget): Promise<void> {
    const orgUnitId = target.kind === 'ci' || target.kind === 'business' ? ((await this.repo.ci(target.ciId))?.org_unit_id ?? null) : null;
    requireScope(actor, P.ruleWrite, orgUnitId);
  }
}

function auditView(row: AlertRuleTable) {
  return { name: row.name, nameEn: row.name_en, kind: row.kind, spec: fromJson(row.spec), severity: row.severity, forSeconds: row.for_s, labels: fromJson(row.labels), target: fromJson(row.target), enabled: row.enabled === 1, pack: row.pack, incident: row.incident ? fromJson(row.incident) : null };
}
