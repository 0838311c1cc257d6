import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { CiRule, CiRuleCreate, CiRuleUpdate } from '@yunwei/contracts/monitoring';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { ciIdFor, compilePattern, compileRules, type CiRuleDef, type CompiledCiRule } from './ci-mapping.js';
import { MetricsRepository } from './metrics.repository.js';
import type { MetricCiRuleTable } from './monitoring.tables.js';

function ruleView(row: MetricCiRuleTable): CiRule {
  return {
    id: row.id,
    priority: row.priority,
    label: row.label,
    pattern: row.pattern,
    ciTemplate: row.ci_template,
    enabled: row.enabled === 1,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

const asDef = (r: CiRule): CiRuleDef => r;

export async function loadCompiledRules(db: Kysely<Database>): Promise<CompiledCiRule[]> {
  const rows = await db.selectFrom('metric_ci_rule').selectAll().execute();
  return compileRules(rows.map((r) => asDef(ruleView(r))));
}

/**
 * Rules mapping series to CMDB configuration items. Every change re-maps the stored series in the same
 * transaction as the change and its audit entry; new series are mapped when ingestion creates them.
 */
export class CiRuleService {
  private readonly repo: MetricsRepository;

  constructor(
    private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>,
    /** Called after a change commits: ingestion reloads its rules. */
    private readonly onChange: () => Promise<void>,
  ) {
    this.repo = new MetricsRepository(ctx.db);
  }

  async list(): Promise<CiRule[]> {
    const rows = await this.ctx.db.selectFrom('metric_ci_rule').selectAll().orderBy('priority').orderBy('created_at').execute();
    return rows.map(ruleView);
  }

  async get(id: string): Promise<CiRule> {
    const row = await this.ctx.db.selectFrom('metric_ci_rule').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) {
      throw new AppError('YW_MONITORING_RULE_NOT_FOUND', { id });
    }
    return ruleView(row);
  }

  async create(actor: Actor, input: CiRuleCreate): Promise<{ rule: CiRule; remapped: number }> {
    checkPattern(input.pattern);
    const now = Date.now();
    const row: MetricCiRuleTable = { id: uuidv7(), priority: input.priority ?? 100, label: input.label, pattern: input.pattern, ci_template: input.ciTemplate.trim(), enabled: input.enabled === false ? 0 : 1, created_at: now, updated_at: now };
    const remapped = await this.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('metric_ci_rule').values(row).execute();
      const n = await this.remap(trx);
      await this.ctx.audit.record(trx, { actor, action: 'monitoring.ci-rule.create', targetType: 'metric_ci_rule', targetId: row.id, after: { ...ruleView(row), remapped: n } });
      return n;
    });
    await this.onChange();
    return { rule: ruleView(row), remapped };
  }

  async update(actor: Actor, id: string, input: CiRuleUpdate): Promise<{ rule: CiRule; remapped: number }> {
    const before = await this.get(id);
    if (input.pattern !== undefined) {
      checkPattern(input.pattern);
    }
    const patch = {
      priority: input.priority ?? before.priority,
      label: input.label ?? before.label,
      pattern: input.pattern ?? before.pattern,
      ci_template: input.ciTemplate?.trim() ?? before.ciTemplate,
      enabled: (input.enabled ?? before.enabled) ? 1 : 0,
      updated_at: Date.now(),
    };
    const remapped = await this.ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('metric_ci_rule').set(patch).where('id', '=', id).execute();
      const n = await this.remap(trx);
      const after = ruleView({ ...patch, id, created_at: before.createdAt });
      await this.ctx.audit.record(trx, { actor, action: 'monitoring.ci-rule.update', targetType: 'metric_ci_rule', targetId: id, before, after: { ...after, remapped: n } });
      return n;
    });
    await this.onChange();
    return { rule: await this.get(id), remapped };
  }

  async remove(actor: Actor, id: string): Promise<number> {
    const before = await this.get(id);
    const remapped = await this.ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('metric_ci_rule').where('id', '=', id).execute();
      const n = await this.remap(trx);
      await this.ctx.audit.record(trx, { actor, action: 'monitoring.ci-rule.delete', targetType: 'metric_ci_rule', targetId: id, before, after: { remapped: n } });
      return n;
    });
    await this.onChange();
    return remapped;
  }

  /** Recomputes the CI of every stored series from the rules as they are in `trx`; returns how many changed. */
  async remap(trx: Kysely<Database>): Promise<number> {
    const rules = await loadCompiledRules(trx);
    const changes = new Map<string | null, number[]>();
    let changed = 0;
    for (const s of await this.repo.allSeriesLabels(trx)) {
      const ci = ciIdFor(rules, s.metric, JSON.parse(s.labels) as Record<string, string>);
      if (ci !== s.ci_id) {
        const ids = changes.get(ci);
        if (ids) {
          ids.push(s.id);
        } else {
          changes.set(ci, [s.id]);
        }
        changed++;
      }
    }
    for (const [ci, ids] of changes) {
      await this.repo.setCi(trx, ci, ids);
    }
    return changed;
  }
}

function checkPattern(pattern: string): void {
  try {
    compilePattern(pattern);
  } catch (error) {
    throw invalidField('body.pattern', { zh: `不是有效的正则表达式：${(error as Error).message}`, en: `not a valid regular expression: ${(error as Error).message}` });
  }
}
