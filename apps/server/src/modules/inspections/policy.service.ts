import { uuidv7 } from 'uuidv7';
import type { Kysely } from 'kysely';
import { INSPECTION_PERMISSIONS as P, type Coverage, type CoverageCi, type CoverageQuery, type CoverageRequirement, type InspectionScope, type MonitoringPolicy, type MonitoringPolicyCreate, type MonitoringPolicyList, type MonitoringPolicyUpdate } from '@yunwei/contracts/inspections';
import type { PermissionId } from '@yunwei/contracts/access';
import type { Database } from '../../db/schema.js';
import { fromJson, toJson } from '../../db/dialect.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { latestSampleTs } from './evaluate.js';
import type { MonitoringPolicyTable } from './inspections.tables.js';
import { checkScope, reachable, reachesScope, requireScopeReach, resolveScope, type ScopeCi } from './scope.js';

const DAY_MS = 86_400_000;
/** A requirement is met while its newest sample is younger than this many required intervals. */
export const STALE_AFTER_INTERVALS = 3;

function policyView(r: MonitoringPolicyTable): MonitoringPolicy {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    scope: fromJson<InspectionScope>(r.scope),
    metrics: fromJson(r.metrics),
    checks: fromJson(r.checks),
    inspections: fromJson(r.inspections),
    responsibleRole: r.responsible_role,
    enabled: r.enabled === 1,
    reviewMonths: Number(r.review_months),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/**
 * The monitoring policy (监控制度, L1-2.1.1): per CI class or business system, the metrics and check
 * types that must report (and how often), the inspections that must run (and how often), and who is
 * responsible. `coverage` checks it against the data: a requirement is met when a series with that
 * metric (or `check_up{type}`) and the CI's id has a sample within 3× the required interval, and when
 * a record of the template covered the CI within the required number of days. Configured but silent
 * is not covered. Data scope: a policy follows its business system's unit like a template (a class
 * policy has none); coverage lists the CIs in the reader's scope only.
 */
export class PolicyService {
  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>) {}

  async list(actor: Actor): Promise<MonitoringPolicyList> {
    const rows = await this.ctx.db.selectFrom('monitoring_policy').selectAll().orderBy('name').execute();
    const items: MonitoringPolicy[] = [];
    for (const policy of rows.map(policyView)) {
      if (await reachesScope(this.ctx.db, actor, P.policyRead, policy.scope)) {
        items.push(policy);
      }
    }
    return { items, total: items.length };
  }

  async get(actor: Actor, id: string, permission: PermissionId = P.policyRead): Promise<MonitoringPolicy> {
    const policy = policyView(await this.#row(this.ctx.db, id));
    await requireScopeReach(this.ctx.db, actor, permission, P.policyRead, policy.scope, () => new AppError('YW_INSPECTION_POLICY_NOT_FOUND', { id }));
    return policy;
  }

  async create(actor: Actor, input: MonitoringPolicyCreate, now = Date.now()): Promise<MonitoringPolicy> {
    await this.#check(actor, input);
    const row: MonitoringPolicyTable = {
      id: uuidv7(),
      name: input.name.trim(),
      description: input.description ?? '',
      scope: toJson(input.scope),
      metrics: toJson(input.metrics),
      checks: toJson(input.checks),
      inspections: toJson(input.inspections),
      responsible_role: input.responsibleRole,
      enabled: input.enabled === false ? 0 : 1,
      review_months: input.reviewMonths ?? 12,
      created_at: now,
      updated_at: now,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('monitoring_policy').values(row).execute();
      await this.ctx.audit.record(trx, { actor, action: 'inspections.policy.create', targetType: 'monitoring_policy', targetId: row.id, after: policyView(row) });
    });
    return policyView(row);
  }

  async update(actor: Actor, id: string, input: MonitoringPolicyUpdate, now = Date.now()): Promise<MonitoringPolicy> {
    await this.get(actor, id, P.policyWrite);
    await this.#check(actor, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.#row(trx, id);
      const changes: Partial<MonitoringPolicyTable> = { updated_at: now };
      if (input.name !== undefined) {changes.name = input.name.trim();}
      if (input.description !== undefined) {changes.description = input.description;}
      if (input.scope !== undefined) {changes.scope = toJson(input.scope);}
      if (input.metrics !== undefined) {changes.metrics = toJson(input.metrics);}
      if (input.checks !== undefined) {changes.checks = toJson(input.checks);}
      if (input.inspections !== undefined) {changes.inspections = toJson(input.inspections);}
      if (input.responsibleRole !== undefined) {changes.responsible_role = input.responsibleRole;}
      if (input.enabled !== undefined) {changes.enabled = input.enabled ? 1 : 0;}
      if (input.reviewMonths !== undefined) {changes.review_months = input.reviewMonths;}
      await trx.updateTable('monitoring_policy').set(changes).where('id', '=', id).execute();
      const after = { ...before, ...changes };
      await this.ctx.audit.record(trx, { actor, action: 'inspections.policy.update', targetType: 'monitoring_policy', targetId: id, before: policyView(before), after: policyView(after) });
      return policyView(after);
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.get(actor, id, P.policyWrite);
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.#row(trx, id);
      await trx.deleteFrom('monitoring_policy').where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'inspections.policy.delete', targetType: 'monitoring_policy', targetId: id, before: policyView(before) });
    });
  }

  /**
   * Every CI the (enabled) policies apply to and the actor's scope reaches, with what is required and
   * what is there; uncovered first.
   */
  async coverage(actor: Actor, q: CoverageQuery, now = Date.now()): Promise<Coverage> {
    const policies = q.policyId ? [await this.get(actor, q.policyId)] : (await this.list(actor)).items.filter((p) => p.enabled);
    const out: CoverageCi[] = [];
    for (const policy of policies) {
      const cis = reachable(actor, P.policyRead, await resolveScope(this.ctx.db, policy.scope));
      out.push(...(await this.#coverageOf(policy, cis, now)));
    }
    out.sort((a, b) => Number(a.covered) - Number(b.covered) || a.ciName.localeCompare(b.ciName, 'zh-CN') || a.policyName.localeCompare(b.policyName));
    const covered = out.filter((c) => c.covered).length;
    return { at: now, policies: policies.length, total: out.length, covered, cis: q.uncoveredOnly ? out.filter((c) => !c.covered) : out };
  }

  async #coverageOf(policy: MonitoringPolicy, cis: readonly ScopeCi[], now: number): Promise<CoverageCi[]> {
    const metricNames = [...new Set([...policy.metrics.map((m) => m.metric), ...(policy.checks.length ? ['check_up'] : [])])];
    // The CIs' series of the metrics the policy names, read once.
    const seriesByCi = new Map<string, { id: number; metric: string; labels: Record<string, string> }[]>();
    if (metricNames.length) {
      for (let i = 0; i < cis.length; i += 500) {
        const rows = await this.ctx.db
          .selectFrom('metric_series')
          .select(['id', 'metric', 'labels', 'ci_id'])
          .where(
            'ci_id',
            'in',
            cis.slice(i, i + 500).map((c) => c.id),
          )
          .where('metric', 'in', metricNames)
          .execute();
        for (const r of rows) {
          const list = seriesByCi.get(r.ci_id!) ?? [];
          list.push({ id: Number(r.id), metric: r.metric, labels: JSON.parse(r.labels) as Record<string, string> });
          seriesByCi.set(r.ci_id!, list);
        }
      }
    }
    const lastInspected = new Map<string, Map<string, number>>();
    for (const req of policy.inspections) {
      lastInspected.set(req.templateId, await this.#lastInspected(this.ctx.db, req.templateId, cis));
    }
    const templateNames = new Map((await this.ctx.db.selectFrom('inspection_template').select(['id', 'name']).execute()).map((t) => [t.id, t.name]));

    const out: CoverageCi[] = [];
    for (const ci of cis) {
      const series = seriesByCi.get(ci.id) ?? [];
      const requirements: CoverageRequirement[] = [];
      const dataRequirement = async (kind: 'metric' | 'check', subject: string, seconds: number, ids: number[]): Promise<CoverageRequirement> => {
        const lastSeen = ids.length ? await latestSampleTs(this.ctx.db, ids, now) : null;
        const met = lastSeen !== null && lastSeen >= now - STALE_AFTER_INTERVALS * seconds * 1000;
        return { kind, subject, label: kind === 'check' ? `check_up{type="${subject}"}` : subject, required: seconds, met, lastSeen, reason: met ? null : lastSeen === null ? 'no_series' : 'stale' };
      };
      for (const m of policy.metrics) {
        requirements.push(
          await dataRequirement(
            'metric',
            m.metric,
            m.maxIntervalSeconds,
            series.filter((s) => s.metric === m.metric).map((s) => s.id),
          ),
        );
      }
      for (const c of policy.checks) {
        requirements.push(
          await dataRequirement(
            'check',
            c.checkType,
            c.maxIntervalSeconds,
            series.filter((s) => s.metric === 'check_up' && s.labels.type === c.checkType).map((s) => s.id),
          ),
        );
      }
      for (const r of policy.inspections) {
        const last = lastInspected.get(r.templateId)?.get(ci.id) ?? null;
        const met = last !== null && last >= now - r.everyDays * DAY_MS;
        requirements.push({ kind: 'inspection', subject: r.templateId, label: templateNames.get(r.templateId) ?? r.templateId, required: r.everyDays, met, lastSeen: last, reason: met ? null : last === null ? 'never_inspected' : 'overdue' });
      }
      out.push({ ciId: ci.id, ciName: ci.name, classCode: ci.classCode, policyId: policy.id, policyName: policy.name, responsibleRole: policy.responsibleRole, covered: requirements.every((r) => r.met), requirements });
    }
    return out;
  }

  /** Per CI, when a record of the template last covered it. */
  async #lastInspected(db: Kysely<Database>, templateId: string, cis: readonly ScopeCi[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (let i = 0; i < cis.length; i += 500) {
      const rows = await db
        .selectFrom('inspection_result as x')
        .innerJoin('inspection_record as r', 'r.id', 'x.record_id')
        .select(['x.ci_id', (eb) => eb.fn.max('r.created_at').as('last')])
        .where('r.template_id', '=', templateId)
        .where(
          'x.ci_id',
          'in',
          cis.slice(i, i + 500).map((c) => c.id),
        )
        .groupBy('x.ci_id')
        .execute();
      for (const r of rows) {
        out.set(r.ci_id, Number(r.last));
      }
    }
    return out;
  }

  async #check(actor: Actor, input: MonitoringPolicyUpdate): Promise<void> {
    if (input.scope) {
      await checkScope(this.ctx.db, input.scope, 'body.scope', ['class', 'business_system'], { actor, permission: P.policyWrite });
    }
    const dup = <T>(list: readonly T[] | undefined, key: (x: T) => string, field: string) => {
      const seen = new Set<string>();
      list?.forEach((x, i) => {
        if (seen.has(key(x))) {
          throw invalidField(`body.${field}.${i}`, { zh: `${key(x)} 重复出现`, en: `${key(x)} is listed twice` });
        }
        seen.add(key(x));
      });
    };
    dup(input.metrics, (m) => m.metric, 'metrics');
    dup(input.checks, (c) => c.checkType, 'checks');
    dup(input.inspections, (c) => c.templateId, 'inspections');
    for (const [i, r] of (input.inspections ?? []).entries()) {
      const t = await this.ctx.db.selectFrom('inspection_template').select('id').where('id', '=', r.templateId).executeTakeFirst();
      if (!t) {
        throw invalidField(`body.inspections.${i}.templateId`, { zh: `没有编号为 ${r.templateId} 的巡检模板`, en: `no inspection template has the id ${r.templateId}` });
      }
    }
  }

  async #row(db: Kysely<Database>, id: string): Promise<MonitoringPolicyTable> {
    const row = await db.selectFrom('monitoring_policy').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) {
      throw new AppError('YW_INSPECTION_POLICY_NOT_FOUND', { id });
    }
    return row;
  }
}
