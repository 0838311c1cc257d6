import { uuidv7 } from 'uuidv7';
import { sql, type Kysely } from 'kysely';
import {
  RISK_ACTIONS,
  RISK_PERMISSIONS as P,
  RISK_SOURCES,
  RISK_TRANSITIONS,
  type Risk,
  type RiskCollect,
  type RiskCollectResult,
  type RiskCreate,
  type RiskList,
  type RiskListQuery,
  type RiskSourceRef,
  type RiskTransition,
  type RiskUpdate,
} from '@yunwei/contracts/incident-problems';
import type { Database } from '../../db/schema.js';
import { fromJson, toJson } from '../../db/dialect.js';
import { type Actor, can } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { COLLECTORS, type RiskFinding } from './risk-collect.js';
import { defaultDue, LEVEL_RANK, riskLevel } from './risk-level.js';
import type { LatentRiskTable } from './problems.tables.js';

type Db = Kysely<Database>;

const auditOf = (r: LatentRiskTable) => ({
  title: r.title,
  source: r.source,
  sourceKey: r.source_key,
  ciId: r.ci_id,
  likelihood: r.likelihood,
  impact: r.impact,
  level: r.level,
  ownerId: r.owner_id,
  dueAt: r.due_at,
  status: r.status,
  measures: r.measures,
});

/**
 * 隐患台账 (L1-2.3.2): latent risks rated likelihood × impact (risk-level.ts), each with an owner, a due date and
 * measures; collected from problems, inspections, capacity forecasts, certificates and end-of-support software
 * (risk-collect.ts) or recorded by hand. Organisation-wide. Every change versioned (409) and audited.
 */
export class RisksService {
  constructor(private readonly ctx: ModuleContext) {}

  now(): number {
    return Date.now();
  }

  async list(actor: Actor, q: RiskListQuery): Promise<RiskList> {
    let query = this.ctx.db.selectFrom('latent_risk as r');
    if (q.status) {
      query = query.where('r.status', '=', q.status);
    } else if (q.open) {
      query = query.where('r.status', 'in', ['open', 'mitigating']);
    }
    if (q.level) {
      query = query.where('r.level', '=', q.level);
    }
    if (q.source) {
      query = query.where('r.source', '=', q.source);
    }
    if (q.ownerId) {
      query = query.where('r.owner_id', '=', q.ownerId);
    }
    const text = q.q?.trim().toLowerCase();
    if (text) {
      const like = `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      query = query.where(sql<boolean>`lower(r.title) like ${like} escape '\\'`);
    }
    const [rows, count] = await Promise.all([
      query.selectAll('r').orderBy('r.score', 'desc').orderBy('r.due_at', 'asc').orderBy('r.id').limit(q.limit ?? 200).offset(q.offset ?? 0).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    ]);
    return { items: await this.views(actor, rows), total: Number(count?.n ?? 0) };
  }

  async get(actor: Actor, id: string): Promise<Risk> {
    const row = await this.ctx.db.selectFrom('latent_risk').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) {
      throw new AppError('YW_RISK_NOT_FOUND', { field: 'params.id', id });
    }
    return (await this.views(actor, [row]))[0]!;
  }

  async create(actor: Actor, input: RiskCreate): Promise<Risk> {
    const id = uuidv7();
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.#requireRefs(trx, input.ownerId, input.ciId);
      const now = this.now();
      const { score, level } = riskLevel(input.likelihood, input.impact);
      const row: LatentRiskTable = {
        id,
        title: input.title.trim(),
        description: input.description ?? '',
        source: 'manual',
        source_key: id,
        source_ref: null,
        ci_id: input.ciId ?? null,
        likelihood: input.likelihood,
        impact: input.impact,
        score,
        level,
        owner_id: input.ownerId ?? actor.userId,
        due_at: input.dueAt === undefined ? defaultDue(level, now) : input.dueAt,
        status: 'open',
        measures: input.measures ?? '',
        last_seen_at: null,
        condition_cleared: 0,
        closed_at: null,
        version: 1,
        created_at: now,
        created_by: actor.userId,
        updated_at: now,
        updated_by: actor.userId,
      };
      await trx.insertInto('latent_risk').values(row).execute();
      await this.ctx.audit.record(trx, { actor, action: 'incidents.risk.create', targetType: 'latent_risk', targetId: id, after: auditOf(row) });
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, input: RiskUpdate): Promise<Risk> {
    await this.#change(actor, id, input.version, async (trx, before) => {
      await this.#requireRefs(trx, input.ownerId, input.ciId);
      const patch: Partial<LatentRiskTable> = {};
      if (input.title !== undefined) {patch.title = input.title.trim();}
      if (input.description !== undefined) {patch.description = input.description;}
      if (input.ciId !== undefined) {patch.ci_id = input.ciId;}
      if (input.ownerId !== undefined) {patch.owner_id = input.ownerId;}
      if (input.dueAt !== undefined) {patch.due_at = input.dueAt;}
      if (input.measures !== undefined) {patch.measures = input.measures;}
      if (input.likelihood !== undefined || input.impact !== undefined) {
        patch.likelihood = input.likelihood ?? before.likelihood;
        patch.impact = input.impact ?? before.impact;
        Object.assign(patch, riskLevel(patch.likelihood, patch.impact));
      }
      return { patch, action: 'update' };
    });
    return this.get(actor, id);
  }

  async transition(actor: Actor, id: string, input: RiskTransition): Promise<Risk> {
    await this.#change(actor, id, input.version, async (_trx, before) => {
      const t = RISK_TRANSITIONS[input.action];
      if (!t.from.includes(before.status)) {
        throw new AppError('YW_RISK_ILLEGAL_TRANSITION', { field: 'body.action', status: before.status, action: input.action });
      }
      const note = input.note?.trim() ?? '';
      if (input.action === 'accept' && !note) {
        throw invalidField('body.note', { zh: '接受风险须说明理由', en: 'say why the risk is accepted' });
      }
      const patch: Partial<LatentRiskTable> = { status: t.to, closed_at: t.to === 'closed' || t.to === 'accepted' ? this.now() : null };
      if (input.action === 'reopen') {
        patch.condition_cleared = 0;
      }
      return { patch, action: input.action, note };
    });
    return this.get(actor, id);
  }

  /**
   * Collects the register from its sources. One risk per (source, key): seen again, an open risk is refreshed;
   * a closed or accepted one stays closed unless the condition went away (a collection did not see it) and has
   * now come back — then it is reopened. A failing source is reported, the others still collected.
   */
  async collect(actor: Actor, input: RiskCollect = {}): Promise<RiskCollectResult> {
    const now = this.now();
    const options = { horizonDays: input.horizonDays ?? 30, certificateDays: input.certificateDays ?? 30, now };
    const sources: RiskCollectResult['sources'] = [];
    for (const source of RISK_SOURCES) {
      if (source === 'manual') {
        continue;
      }
      let findings: RiskFinding[];
      try {
        findings = await COLLECTORS[source](this.ctx, options);
      } catch (error) {
        this.ctx.log.error({ err: error, source }, 'latent risk collection failed');
        sources.push({ source, found: 0, created: 0, reopened: 0, updated: 0, error: error instanceof Error ? error.message : String(error) });
        continue;
      }
      sources.push({ source, ...(await this.#apply(actor, source, findings, now)), error: null });
    }
    return { sources };
  }

  async #apply(actor: Actor, source: RiskFinding['source'], findings: RiskFinding[], now: number) {
    const unique = [...new Map(findings.map((f) => [f.key, f])).values()];
    return this.ctx.db.transaction().execute(async (trx) => {
      const existing = new Map((await trx.selectFrom('latent_risk').selectAll().where('source', '=', source).execute()).map((r) => [r.source_key, r]));
      const created: string[] = [];
      const reopened: string[] = [];
      let updated = 0;
      for (const f of unique) {
        const row = existing.get(f.key);
        const ref = toJson(f.ref);
        if (!row) {
          const { score, level } = riskLevel(f.likelihood, f.impact);
          await trx
            .insertInto('latent_risk')
            .values({ id: uuidv7(), title: f.title, description: f.description, source, source_key: f.key, source_ref: ref, ci_id: f.ciId, likelihood: f.likelihood, impact: f.impact, score, level, owner_id: f.ownerId, due_at: defaultDue(level, now), status: 'open', measures: f.measures, last_seen_at: now, condition_cleared: 0, closed_at: null, version: 1, created_at: now, created_by: actor.userId, updated_at: now, updated_by: actor.userId })
            .execute();
          created.push(f.title);
          continue;
        }
        const closed = row.status === 'closed' || row.status === 'accepted';
        if (closed && row.condition_cleared === 1) {
          await trx.updateTable('latent_risk').set({ status: 'open', condition_cleared: 0, closed_at: null, description: f.description, source_ref: ref, last_seen_at: now, version: Number(row.version) + 1, updated_at: now, updated_by: actor.userId }).where('id', '=', row.id).execute();
          reopened.push(row.title);
        } else if (!closed && (row.description !== f.description || row.source_ref !== ref)) {
          await trx.updateTable('latent_risk').set({ description: f.description, source_ref: ref, last_seen_at: now, version: Number(row.version) + 1, updated_at: now, updated_by: actor.userId }).where('id', '=', row.id).execute();
          updated++;
        } else {
          await trx.updateTable('latent_risk').set({ last_seen_at: now }).where('id', '=', row.id).execute();
        }
      }
      // A closed or accepted risk whose condition is gone: seeing it again later is a new condition.
      const seen = new Set(unique.map((f) => f.key));
      const gone = [...existing.values()].filter((r) => !seen.has(r.source_key) && (r.status === 'closed' || r.status === 'accepted') && r.condition_cleared === 0).map((r) => r.id);
      if (gone.length) {
        await trx.updateTable('latent_risk').set({ condition_cleared: 1 }).where('id', 'in', gone).execute();
      }
      await this.ctx.audit.record(trx, { actor, action: 'incidents.risk.collect', targetType: 'latent_risk', after: { source, found: unique.length, created, reopened, updated, cleared: gone.length } });
      return { found: unique.length, created: created.length, reopened: reopened.length, updated };
    });
  }

  /** Rows → what people read: names of CIs and owners, the actions the reader may take. */
  async views(actor: Actor, rows: readonly LatentRiskTable[]): Promise<Risk[]> {
    const users = [...new Set(rows.map((r) => r.owner_id).filter((x): x is string => Boolean(x)))];
    const cis = [...new Set(rows.map((r) => r.ci_id).filter((x): x is string => Boolean(x)))];
    const userNames = new Map(users.length ? (await this.ctx.db.selectFrom('user').select(['id', 'username', 'display_name']).where('id', 'in', users).execute()).map((u) => [u.id, u.display_name || u.username]) : []);
    const ciNames = new Map(cis.length ? (await this.ctx.db.selectFrom('cmdb_ci').select(['id', 'name']).where('id', 'in', cis).execute()).map((c) => [c.id, c.name]) : []);
    const writable = can(actor, P.write);
    const now = this.now();
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      description: r.description,
      source: r.source,
      sourceRef: r.source_ref ? fromJson<RiskSourceRef>(r.source_ref) : null,
      ci: r.ci_id ? { id: r.ci_id, name: ciNames.get(r.ci_id) ?? r.ci_id } : null,
      likelihood: r.likelihood,
      impact: r.impact,
      score: r.score,
      level: r.level,
      owner: r.owner_id ? { id: r.owner_id, name: userNames.get(r.owner_id) ?? r.owner_id } : null,
      dueAt: r.due_at === null ? null : Number(r.due_at),
      overdue: r.due_at !== null && Number(r.due_at) < now && (r.status === 'open' || r.status === 'mitigating'),
      status: r.status,
      measures: r.measures,
      lastSeenAt: r.last_seen_at === null ? null : Number(r.last_seen_at),
      actions: writable ? RISK_ACTIONS.filter((a) => RISK_TRANSITIONS[a].from.includes(r.status)) : [],
      version: Number(r.version),
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    }));
  }

  /** Open and mitigating risks, highest level first (the plan and the export). */
  static byLevel(a: Risk, b: Risk): number {
    return LEVEL_RANK[b.level] - LEVEL_RANK[a.level] || b.score - a.score || (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity);
  }

  async #change(actor: Actor, id: string, version: number, make: (trx: Db, before: LatentRiskTable) => Promise<{ patch: Partial<LatentRiskTable>; action: string; note?: string }>): Promise<void> {
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('latent_risk').selectAll().where('id', '=', id).executeTakeFirst();
      if (!before) {
        throw new AppError('YW_RISK_NOT_FOUND', { field: 'params.id', id });
      }
      if (Number(before.version) !== version) {
        throw new AppError('YW_RISK_VERSION_CONFLICT', { field: 'body.version', version: Number(before.version), updatedAt: Number(before.updated_at) });
      }
      const { patch, action, note } = await make(trx, before);
      const done = await trx.updateTable('latent_risk').set({ ...patch, version: version + 1, updated_at: this.now(), updated_by: actor.userId }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) {
        throw new AppError('YW_RISK_VERSION_CONFLICT', { field: 'body.version' });
      }
      await this.ctx.audit.record(trx, { actor, action: `incidents.risk.${action}`, targetType: 'latent_risk', targetId: id, before: auditOf(before), after: { ...auditOf({ ...before, ...patch }), ...(note ? { note } : {}) } });
    });
  }

  async #requireRefs(db: Db, ownerId: string | null | undefined, ciId: string | null | undefined): Promise<void> {
    if (ownerId && !(await db.selectFrom('user').select('id').where('id', '=', ownerId).where('status', '=', 'active').executeTakeFirst())) {
      throw invalidField('body.ownerId', { zh: '用户不存在或已停用', en: 'no such user, or the account is disabled' });
    }
    if (ciId && !(await db.selectFrom('cmdb_ci').select('id').where('id', '=', ciId).executeTakeFirst())) {
      throw invalidField('body.ciId', { zh: '配置项不存在', en: 'no such CI' });
    }
  }
}
