import { uuidv7 } from 'uuidv7';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import {
  PROBLEM_PERMISSIONS as P,
  PROBLEM_TRANSITIONS,
  PROBLEM_ACTIONS,
  type Fishbone,
  type FiveWhy,
  type KnownErrorMatch,
  type KnownErrorMatches,
  type Problem,
  type ProblemCreate,
  type ProblemLink,
  type ProblemList,
  type ProblemListQuery,
  type ProblemTransition,
  type ProblemUpdate,
} from '@yunwei/contracts/incident-problems';
import type { Database } from '../../db/schema.js';
import { fromJson, toJson } from '../../db/dialect.js';
import { type Actor, can } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { typePath } from './incident-config.service.js';
import { emptyMatch, matchKnownError } from './known-errors.js';
import type { ProblemTable } from './problems.tables.js';
import { incidentsOf } from './runtime.js';

type Db = Kysely<Database>;

const auditOf = (r: ProblemTable) => ({
  number: r.number,
  title: r.title,
  status: r.status,
  ownerId: r.owner_id,
  typeId: r.type_id,
  rootCause: r.root_cause,
  workaround: r.workaround,
  permanentFix: r.permanent_fix,
  match: fromJson<KnownErrorMatch>(r.match),
});

/**
 * 问题管理: problems created from one or many incidents, root-cause analysis (5 whys, fishbone), known errors
 * with a workaround shown to the handlers of matching new incidents (L1-2.3.2). Problems are organisation-wide
 * (like the fault-type tree they classify by); linking an incident needs read access to that incident.
 * Every change is versioned (409 on a stale version), audited, and noted on the linked incidents' activity.
 */
export class ProblemsService {
  constructor(private readonly ctx: ModuleContext) {}

  now(): number {
    return Date.now();
  }

  // ------------------------------------------------------------ reads

  async list(actor: Actor, q: ProblemListQuery): Promise<ProblemList> {
    let query = this.ctx.db.selectFrom('problem as p');
    if (q.status) {
      query = query.where('p.status', '=', q.status);
    }
    if (q.knownErrors) {
      query = query.where((eb) => eb.or([eb('p.status', '=', 'known_error'), eb.and([eb('p.status', 'in', ['resolved', 'closed']), eb('p.workaround', '<>', '')])]));
    }
    const text = q.q?.trim().toLowerCase();
    if (text) {
      const like = `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      query = query.where((eb) => eb.or([eb(sql`lower(p.title)`, 'like', sql`${like} escape '\\'`), eb(sql`lower(p.number)`, 'like', sql`${like} escape '\\'`)]));
    }
    const [rows, count] = await Promise.all([
      query.selectAll('p').orderBy('p.updated_at', 'desc').orderBy('p.id', 'desc').limit(q.limit ?? 50).offset(q.offset ?? 0).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    ]);
    const en = actor.locale === 'en';
    const ids = rows.map((r) => r.id);
    const counts = ids.length ? await this.ctx.db.selectFrom('problem_incident').select(['problem_id', (eb) => eb.fn.countAll<number>().as('n')]).where('problem_id', 'in', ids).groupBy('problem_id').execute() : [];
    const users = await this.#userNames(rows.map((r) => r.owner_id));
    const types = await this.ctx.db.selectFrom('incident_type').select(['id', 'name_zh', 'name_en']).execute();
    return {
      total: Number(count?.n ?? 0),
      items: rows.map((r) => {
        const type = types.find((t) => t.id === r.type_id);
        return {
          id: r.id,
          number: r.number,
          title: r.title,
          status: r.status,
          ownerName: r.owner_id ? (users.get(r.owner_id) ?? null) : null,
          typeName: type ? (en ? type.name_en : type.name_zh) : null,
          incidentCount: Number(counts.find((c) => c.problem_id === r.id)?.n ?? 0),
          hasWorkaround: r.workaround.trim() !== '',
          hasPermanentFix: r.permanent_fix.trim() !== '',
          updatedAt: Number(r.updated_at),
        };
      }),
    };
  }

  async get(actor: Actor, id: string): Promise<Problem> {
    const row = await this.ctx.db.selectFrom('problem').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) {
      throw new AppError('YW_PROBLEM_NOT_FOUND', { field: 'params.id', id });
    }
    return this.#view(actor, row);
  }

  /** The known errors matching an incident, best first, with their workaround (for its handlers). */
  async knownErrors(actor: Actor, incidentId: string): Promise<KnownErrorMatches> {
    const inc = await incidentsOf(this.ctx).get(actor, incidentId);
    const en = actor.locale === 'en';
    const types = await this.ctx.db.selectFrom('incident_type').select(['id', 'parent_id']).execute();
    const lineage: string[] = [];
    for (let cur = inc.type?.id ?? null, guard = 0; cur && guard < 10; guard++) {
      lineage.push(cur);
      cur = types.find((t) => t.id === cur)?.parent_id ?? null;
    }
    const ciIds = inc.cis.map((c) => c.id);
    const classes = ciIds.length ? (await this.ctx.db.selectFrom('cmdb_ci as c').innerJoin('cmdb_class as k', 'k.id', 'c.class_id').select('k.code').where('c.id', 'in', ciIds).execute()).map((r) => r.code) : [];
    const candidates = await this.ctx.db
      .selectFrom('problem')
      .selectAll()
      .where((eb) => eb.or([eb('status', '=', 'known_error'), eb('status', 'in', ['resolved', 'closed'])]))
      .where('workaround', '<>', '')
      .execute();
    const linked = new Set((await this.ctx.db.selectFrom('problem_incident').select('problem_id').where('incident_id', '=', incidentId).execute()).map((r) => r.problem_id));
    const words = { type: en ? 'fault type' : '故障类型', typeExact: en ? 'same fault type' : '相同故障类型', ci: en ? 'same CI' : '相同配置项', ciClass: en ? 'CI class' : '配置项类别', keyword: en ? 'keywords' : '关键词' };
    const items = candidates
      .map((p) => ({ p, m: matchKnownError(this.#match(p), { title: inc.title, typeLineage: lineage, ciIds, ciClasses: classes }) }))
      .filter((x): x is { p: ProblemTable; m: NonNullable<typeof x.m> } => x.m !== null)
      .sort((a, b) => b.m.score - a.m.score || (a.p.status === 'known_error' ? -1 : 0) - (b.p.status === 'known_error' ? -1 : 0) || Number(b.p.updated_at) - Number(a.p.updated_at))
      .slice(0, 20)
      .map(({ p, m }) => ({
        problemId: p.id,
        number: p.number,
        title: p.title,
        status: p.status,
        workaround: p.workaround,
        rootCause: p.root_cause,
        score: m.score,
        reasons: m.reasons.map((r) => (r === 'keyword' ? `${words.keyword}: ${m.keywords.join(en ? ', ' : '、')}` : words[r])),
        linked: linked.has(p.id),
      }));
    return { items };
  }

  // ------------------------------------------------------------ writes

  async create(actor: Actor, input: ProblemCreate): Promise<Problem> {
    // Read access to each incident, as the creator (404 for one they cannot see).
    await this.#requireReadable(actor, input.incidentIds, 'body.incidentIds');
    const id = await this.ctx.db.transaction().execute(async (trx) => {
      await this.#requireOwner(trx, input.ownerId ?? null);
      const incidents = await trx.selectFrom('incident').select(['id', 'number', 'type_id']).where('id', 'in', input.incidentIds).execute();
      let typeId = input.typeId ?? null;
      if (input.typeId !== undefined && input.typeId !== null && !(await trx.selectFrom('incident_type').select('id').where('id', '=', input.typeId).executeTakeFirst())) {
        throw invalidField('body.typeId', { zh: '故障类型不存在', en: 'no such fault type' });
      }
      if (input.typeId === undefined) {
        const shared = [...new Set(incidents.map((i) => i.type_id))];
        typeId = shared.length === 1 ? (shared[0] ?? null) : null;
      }
      const ciIds = [...new Set((await trx.selectFrom('incident_ci').select('ci_id').where('incident_id', 'in', input.incidentIds).execute()).map((r) => r.ci_id))].slice(0, 50);
      const now = this.now();
      const year = new Date(now).getUTCFullYear();
      const row: ProblemTable = {
        id: uuidv7(),
        number: `PRB-${year}-${String(await this.#nextNumber(trx, year)).padStart(6, '0')}`,
        title: input.title.trim(),
        description: input.description ?? '',
        status: 'new',
        owner_id: input.ownerId ?? actor.userId,
        type_id: typeId,
        ci_ids: toJson(ciIds),
        root_cause: '',
        five_whys: '[]',
        fishbone: '{}',
        workaround: '',
        permanent_fix: '',
        match: '{}',
        known_error_at: null,
        resolved_at: null,
        closed_at: null,
        version: 1,
        created_at: now,
        created_by: actor.userId,
        updated_at: now,
        updated_by: actor.userId,
      };
      await trx.insertInto('problem').values(row).execute();
      await this.#link(trx, actor, row, input.incidentIds, now);
      await this.ctx.audit.record(trx, { actor, action: 'incidents.problem.create', targetType: 'problem', targetId: row.id, after: { ...auditOf(row), incidents: incidents.map((i) => i.number) } });
      return row.id;
    });
    this.#changed(input.incidentIds);
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, input: ProblemUpdate): Promise<Problem> {
    await this.#change(actor, id, input.version, async (trx, before) => {
      const patch: Partial<ProblemTable> = {};
      if (input.title !== undefined) {patch.title = input.title.trim();}
      if (input.description !== undefined) {patch.description = input.description;}
      if (input.ownerId !== undefined) {
        await this.#requireOwner(trx, input.ownerId);
        patch.owner_id = input.ownerId;
      }
      if (input.typeId !== undefined) {
        if (input.typeId && !(await trx.selectFrom('incident_type').select('id').where('id', '=', input.typeId).executeTakeFirst())) {
          throw invalidField('body.typeId', { zh: '故障类型不存在', en: 'no such fault type' });
        }
        patch.type_id = input.typeId;
      }
      if (input.ciIds !== undefined) {
        await this.#requireCis(trx, input.ciIds, 'body.ciIds');
        patch.ci_ids = toJson(input.ciIds);
      }
      if (input.rootCause !== undefined) {patch.root_cause = input.rootCause;}
      if (input.fiveWhys !== undefined) {
        input.fiveWhys.forEach((w, i) => {
          if (!w.why.trim()) {
            throw invalidField(`body.fiveWhys.${i}.why`, { zh: '请填写“为什么”', en: 'say what is asked (why …?)' });
          }
        });
        patch.five_whys = toJson(input.fiveWhys.map((w) => ({ why: w.why.trim(), answer: w.answer.trim() })));
      }
      if (input.fishbone !== undefined) {patch.fishbone = toJson(input.fishbone);}
      if (input.workaround !== undefined) {patch.workaround = input.workaround;}
      if (input.permanentFix !== undefined) {patch.permanent_fix = input.permanentFix;}
      if (input.match !== undefined) {
        const m = input.match;
        if (m.typeId && !(await trx.selectFrom('incident_type').select('id').where('id', '=', m.typeId).executeTakeFirst())) {
          throw invalidField('body.match.typeId', { zh: '故障类型不存在', en: 'no such fault type' });
        }
        if (m.ciIds?.length) {
          await this.#requireCis(trx, m.ciIds, 'body.match.ciIds');
        }
        if (m.ciClasses?.length) {
          const known = new Set((await trx.selectFrom('cmdb_class').select('code').where('code', 'in', m.ciClasses).execute()).map((r) => r.code));
          const i = m.ciClasses.findIndex((c) => !known.has(c));
          if (i >= 0) {
            throw invalidField(`body.match.ciClasses.${i}`, { zh: '配置项类别不存在', en: 'no such CI class' });
          }
        }
        patch.match = toJson({ typeId: m.typeId ?? null, ciClasses: m.ciClasses ?? [], ciIds: m.ciIds ?? [], keywords: (m.keywords ?? []).map((k) => k.trim()) });
      }
      // A known error keeps what makes it one.
      if (before.status === 'known_error') {
        this.#requireKnownError({ ...before, ...patch });
      }
      return { patch, note: null };
    });
    return this.get(actor, id);
  }

  async transition(actor: Actor, id: string, input: ProblemTransition): Promise<Problem> {
    await this.#change(actor, id, input.version, async (_trx, before) => {
      const t = PROBLEM_TRANSITIONS[input.action];
      if (!t.from.includes(before.status)) {
        throw new AppError('YW_PROBLEM_ILLEGAL_TRANSITION', { field: 'body.action', status: before.status, action: input.action });
      }
      const now = this.now();
      const patch: Partial<ProblemTable> = { status: t.to };
      switch (input.action) {
        case 'known_error':
          this.#requireKnownError(before);
          patch.known_error_at = now;
          break;
        case 'resolve':
          if (!before.permanent_fix.trim()) {
            throw invalidField('body.permanentFix', { zh: '请先填写永久解决方案', en: 'write the permanent fix first' });
          }
          patch.resolved_at = now;
          break;
        case 'close':
          patch.closed_at = now;
          break;
        case 'reopen':
          patch.resolved_at = null;
          patch.closed_at = null;
          break;
        case 'analyse':
          break;
      }
      return { patch, note: input.note?.trim() || null };
    });
    return this.get(actor, id);
  }

  async linkIncidents(actor: Actor, id: string, input: ProblemLink): Promise<Problem> {
    await this.#requireReadable(actor, input.incidentIds, 'body.incidentIds');
    await this.#change(actor, id, input.version, async (trx, before) => {
      const existing = new Set((await trx.selectFrom('problem_incident').select('incident_id').where('problem_id', '=', id).execute()).map((r) => r.incident_id));
      const fresh = input.incidentIds.filter((i) => !existing.has(i));
      await this.#link(trx, actor, before, fresh, this.now());
      return { patch: {}, note: null, audit: { linked: fresh } };
    });
    this.#changed(input.incidentIds);
    return this.get(actor, id);
  }

  async unlinkIncident(actor: Actor, id: string, incidentId: string, version: number): Promise<Problem> {
    await this.#change(actor, id, version, async (trx, before) => {
      const done = await trx.deleteFrom('problem_incident').where('problem_id', '=', id).where('incident_id', '=', incidentId).executeTakeFirst();
      if (Number(done.numDeletedRows) !== 1) {
        throw invalidField('params.incidentId', { zh: '该故障未关联此问题', en: 'that incident is not linked to this problem' });
      }
      await this.#incidentActivity(trx, actor, incidentId, { zh: `已取消关联问题 ${before.number}`, en: `Unlinked from problem ${before.number}` });
      return { patch: {}, note: null, audit: { unlinked: [incidentId] } };
    });
    this.#changed([incidentId]);
    return this.get(actor, id);
  }

  // ------------------------------------------------------------ helpers

  #match(p: ProblemTable): KnownErrorMatch {
    const m = fromJson<KnownErrorMatch>(p.match);
    // No criteria of its own: the problem's fault type.
    return emptyMatch(m) && p.type_id ? { typeId: p.type_id } : m;
  }

  #requireKnownError(p: ProblemTable): void {
    if (!p.workaround.trim()) {
      throw invalidField('body.workaround', { zh: '已知错误须有临时解决办法', en: 'a known error needs a workaround' });
    }
    if (emptyMatch(this.#match(p))) {
      throw invalidField('body.match', { zh: '请设置匹配条件（故障类型、配置项或类别、标题关键词），以便在新故障上提示', en: 'set the match criteria (fault type, CIs or classes, title keywords) so new incidents show it' });
    }
  }

  async #change(
    actor: Actor,
    id: string,
    version: number,
    make: (trx: Db, before: ProblemTable) => Promise<{ patch: Partial<ProblemTable>; note: string | null; audit?: Record<string, unknown> }>,
  ): Promise<void> {
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('problem').selectAll().where('id', '=', id).executeTakeFirst();
      if (!before) {
        throw new AppError('YW_PROBLEM_NOT_FOUND', { field: 'params.id', id });
      }
      if (Number(before.version) !== version) {
        throw new AppError('YW_PROBLEM_VERSION_CONFLICT', { field: 'body.version', version: Number(before.version), updatedAt: Number(before.updated_at) });
      }
      const { patch, note, audit } = await make(trx, before);
      const now = this.now();
      const done = await trx.updateTable('problem').set({ ...patch, version: version + 1, updated_at: now, updated_by: actor.userId }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) {
        throw new AppError('YW_PROBLEM_VERSION_CONFLICT', { field: 'body.version' });
      }
      if (patch.status && patch.status !== before.status) {
        const incidents = (await trx.selectFrom('problem_incident').select('incident_id').where('problem_id', '=', id).execute()).map((r) => r.incident_id);
        if (patch.status === 'known_error' || patch.status === 'resolved') {
          const text = patch.status === 'known_error' ? { zh: `关联问题 ${before.number} 已登记为已知错误`, en: `Linked problem ${before.number} is now a known error` } : { zh: `关联问题 ${before.number} 已解决`, en: `Linked problem ${before.number} is resolved` };
          for (const inc of incidents) {
            await this.#incidentActivity(trx, actor, inc, text);
          }
        }
      }
      const action = patch.status && patch.status !== before.status ? 'transition' : audit ? (audit.linked ? 'link' : 'unlink') : 'update';
      await this.ctx.audit.record(trx, { actor, action: `incidents.problem.${action}`, targetType: 'problem', targetId: id, before: auditOf(before), after: { ...auditOf({ ...before, ...patch }), ...(audit ?? {}), ...(note ? { note } : {}) } });
    });
  }

  async #link(trx: Db, actor: Actor, problem: ProblemTable, incidentIds: readonly string[], now: number): Promise<void> {
    if (!incidentIds.length) {
      return;
    }
    await trx.insertInto('problem_incident').values(incidentIds.map((incident_id) => ({ problem_id: problem.id, incident_id, linked_at: now, linked_by: actor.userId }))).execute();
    for (const inc of incidentIds) {
      await this.#incidentActivity(trx, actor, inc, { zh: `已关联问题 ${problem.number}：${problem.title}`, en: `Linked to problem ${problem.number}: ${problem.title}` });
    }
  }

  async #incidentActivity(trx: Db, actor: Actor, incidentId: string, text: { zh: string; en: string }): Promise<void> {
    await trx.insertInto('incident_activity').values({ id: uuidv7(), incident_id: incidentId, at: this.now(), kind: 'link', actor_id: actor.userId, data: toJson(text), note: '' }).execute();
  }

  #changed(incidentIds: readonly string[]): void {
    for (const id of incidentIds) {
      this.ctx.events.emit('incidents.incident.changed', { id });
    }
  }

  /** Each incident exists and the actor may read it (else 400 naming the item). */
  async #requireReadable(actor: Actor, ids: readonly string[], field: string): Promise<void> {
    const incidents = incidentsOf(this.ctx);
    for (const [i, id] of ids.entries()) {
      try {
        await incidents.get(actor, id);
      } catch (error) {
        if (error instanceof AppError && error.code === 'YW_INCIDENT_NOT_FOUND') {
          throw invalidField(`${field}.${i}`, { zh: '故障不存在或您无权查看', en: 'no such incident, or you may not read it' });
        }
        throw error;
      }
    }
  }

  async #requireOwner(db: Db, ownerId: string | null): Promise<void> {
    if (ownerId && !(await db.selectFrom('user').select('id').where('id', '=', ownerId).where('status', '=', 'active').executeTakeFirst())) {
      throw invalidField('body.ownerId', { zh: '用户不存在或已停用', en: 'no such user, or the account is disabled' });
    }
  }

  async #requireCis(db: Db, ids: readonly string[], field: string): Promise<void> {
    if (!ids.length) {
      return;
    }
    const found = new Set((await db.selectFrom('cmdb_ci').select('id').where('id', 'in', [...ids]).execute()).map((r) => r.id));
    const i = ids.findIndex((x) => !found.has(x));
    if (i >= 0) {
      throw invalidField(`${field}.${i}`, { zh: '配置项不存在', en: 'no such CI' });
    }
  }

  async #nextNumber(trx: Db, year: number): Promise<number> {
    const updated = await trx.updateTable('problem_number_seq').set((eb) => ({ last_seq: eb('last_seq', '+', 1) })).where('year', '=', year).returning('last_seq').executeTakeFirst();
    if (updated) {
      return Number(updated.last_seq);
    }
    await trx.insertInto('problem_number_seq').values({ year, last_seq: 1 }).execute();
    return 1;
  }

  async #userNames(ids: (string | null)[]): Promise<Map<string, string>> {
    const list = [...new Set(ids.filter((x): x is string => Boolean(x)))];
    if (!list.length) {
      return new Map();
    }
    const rows = await this.ctx.db.selectFrom('user').select(['id', 'username', 'display_name']).where('id', 'in', list).execute();
    return new Map(rows.map((u) => [u.id, u.display_name || u.username]));
  }

  async #view(actor: Actor, r: ProblemTable): Promise<Problem> {
    const en = actor.locale === 'en';
    const types = await this.ctx.db.selectFrom('incident_type').select(['id', 'parent_id', 'name_zh', 'name_en']).execute();
    const byId = new Map(types.map((t) => [t.id, t]));
    const type = r.type_id ? byId.get(r.type_id) : undefined;
    const ciIds = fromJson<string[]>(r.ci_ids);
    const cis = ciIds.length ? await this.ctx.db.selectFrom('cmdb_ci').select(['id', 'name']).where('id', 'in', ciIds).orderBy('name').execute() : [];
    const incidents = await this.ctx.db
      .selectFrom('problem_incident as pi')
      .innerJoin('incident as i', 'i.id', 'pi.incident_id')
      .select(['i.id', 'i.number', 'i.title', 'i.status', 'i.detected_at'])
      .where('pi.problem_id', '=', r.id)
      .orderBy('i.detected_at', 'desc')
      .execute();
    const users = await this.#userNames([r.owner_id]);
    const writable = can(actor, P.write);
    const num = (v: number | null) => (v === null ? null : Number(v));
    return {
      id: r.id,
      number: r.number,
      title: r.title,
      description: r.description,
      status: r.status,
      owner: r.owner_id ? { id: r.owner_id, name: users.get(r.owner_id) ?? r.owner_id } : null,
      type: type ? { id: r.type_id!, name: en ? type.name_en : type.name_zh, path: typePath(type, byId, en) } : null,
      cis: cis.map((c) => ({ id: c.id, name: c.name })),
      incidents: incidents.map((i) => ({ id: i.id, number: i.number, title: i.title, status: i.status, detectedAt: Number(i.detected_at) })),
      rootCause: r.root_cause,
      fiveWhys: fromJson<FiveWhy[]>(r.five_whys),
      fishbone: fromJson<Fishbone>(r.fishbone),
      workaround: r.workaround,
      permanentFix: r.permanent_fix,
      match: fromJson<KnownErrorMatch>(r.match),
      actions: writable ? PROBLEM_ACTIONS.filter((a) => PROBLEM_TRANSITIONS[a].from.includes(r.status)) : [],
      canEdit: writable,
      version: Number(r.version),
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
      knownErrorAt: num(r.known_error_at),
      resolvedAt: num(r.resolved_at),
      closedAt: num(r.closed_at),
    };
  }
}
