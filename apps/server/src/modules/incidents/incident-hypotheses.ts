import { uuidv7 } from 'uuidv7';
import { IdParams } from '@yunwei/contracts/common';
import {
  INCIDENT_PERMISSIONS as P,
  IncidentHypothesis,
  IncidentHypothesisDecision,
  IncidentHypothesisInput,
  IncidentHypothesisList,
} from '@yunwei/contracts/incidents';
import type { Kysely } from 'kysely';
import Type from 'typebox';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { toJson } from '../../db/dialect.js';
import { AppError, invalidField } from '../../platform/errors.js';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import type { IncidentsService } from './incidents.service.js';
import { incidentsOf } from './runtime.js';
import type { IncidentHypothesisTable } from './incident-verification.tables.js';

const HypothesisParams = Type.Object({ id: IdParams.properties.id, hypothesisId: IdParams.properties.id }, { additionalProperties: false });

/**
 * 追溯异常原因 (L2-2.1.3): the analyst records a timeline event as the suspected cause, then confirms or rejects
 * it. A confirmed hypothesis is the incident's cause in the fault analysis report. Each step is an activity row
 * and an audit entry.
 */
export class IncidentHypotheses {
  constructor(
    private readonly ctx: ModuleContext,
    private readonly incidents: IncidentsService,
  ) {}

  async list(actor: Actor, incidentId: string): Promise<IncidentHypothesisList> {
    await this.incidents.get(actor, incidentId);
    const rows = await this.ctx.db.selectFrom('incident_hypothesis').selectAll().where('incident_id', '=', incidentId).orderBy('created_at', 'desc').execute();
    return { items: await this.#views(rows) };
  }

  async propose(actor: Actor, incidentId: string, input: IncidentHypothesisInput): Promise<IncidentHypothesis> {
    const incident = await this.incidents.get(actor, incidentId);
    if (!incident.canEdit) {
      throw new AppError('YW_FORBIDDEN', { permission: P.write });
    }
    if (input.ciId && !(await this.ctx.db.selectFrom('cmdb_ci').select('id').where('id', '=', input.ciId).executeTakeFirst())) {
      throw invalidField('body.ciId', { zh: '配置项不存在', en: 'no such CI' });
    }
    const now = Date.now();
    const row: IncidentHypothesisTable = {
      id: uuidv7(),
      incident_id: incidentId,
      event_id: input.eventId,
      kind: input.kind,
      at: input.at,
      ci_id: input.ciId ?? null,
      title: input.title.trim(),
      link: input.link ?? '',
      status: 'proposed',
      note: input.note?.trim() ?? '',
      proposed_by: actor.userId,
      decided_by: null,
      created_at: now,
      decided_at: null,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      if (await trx.selectFrom('incident_hypothesis').select('id').where('incident_id', '=', incidentId).where('event_id', '=', input.eventId).executeTakeFirst()) {
        throw new AppError('YW_CONFLICT', { field: 'body.eventId' });
      }
      await trx.insertInto('incident_hypothesis').values(row).execute();
      await this.#activity(trx, incidentId, actor, { zh: `记录可能原因：${row.title}`, en: `Suspected cause recorded: ${row.title}` }, row.note);
      await this.ctx.audit.record(trx, { actor, action: 'incidents.hypothesis.create', targetType: 'incident', targetId: incidentId, after: { event: row.event_id, title: row.title } });
    });
    return (await this.#views([row]))[0]!;
  }

  async decide(actor: Actor, incidentId: string, hypothesisId: string, input: IncidentHypothesisDecision): Promise<IncidentHypothesis> {
    const incident = await this.incidents.get(actor, incidentId);
    if (!incident.canEdit) {
      throw new AppError('YW_FORBIDDEN', { permission: P.write });
    }
    const now = Date.now();
    const note = input.note?.trim() ?? '';
    const row = await this.ctx.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('incident_hypothesis').selectAll().where('id', '=', hypothesisId).where('incident_id', '=', incidentId).executeTakeFirst();
      if (!before) {
        throw new AppError('YW_NOT_FOUND', { field: 'params.hypothesisId', id: hypothesisId });
      }
      const patch = { status: input.status, decided_by: actor.userId, decided_at: now, note: note || before.note };
      await trx.updateTable('incident_hypothesis').set(patch).where('id', '=', hypothesisId).execute();
      const words = input.status === 'confirmed' ? { zh: `确认原因：${before.title}`, en: `Cause confirmed: ${before.title}` } : { zh: `排除可能原因：${before.title}`, en: `Suspected cause rejected: ${before.title}` };
      await this.#activity(trx, incidentId, actor, words, note);
      await this.ctx.audit.record(trx, { actor, action: `incidents.hypothesis.${input.status === 'confirmed' ? 'confirm' : 'reject'}`, targetType: 'incident', targetId: incidentId, before: { status: before.status }, after: { event: before.event_id, title: before.title, status: input.status, note } });
      return { ...before, ...patch };
    });
    return (await this.#views([row]))[0]!;
  }

  async #activity(trx: Kysely<Database>, incidentId: string, actor: Actor, words: { zh: string; en: string }, note: string): Promise<void> {
    await trx.insertInto('incident_activity').values({ id: uuidv7(), incident_id: incidentId, at: Date.now(), kind: 'link', actor_id: actor.userId, data: toJson(words), note }).execute();
  }

  async #views(rows: readonly IncidentHypothesisTable[]): Promise<IncidentHypothesis[]> {
    const userIds = [...new Set(rows.flatMap((r) => [r.proposed_by, r.decided_by]).filter((x): x is string => Boolean(x)))];
    const ciIds = [...new Set(rows.map((r) => r.ci_id).filter((x): x is string => Boolean(x)))];
    const users = userIds.length ? new Map((await this.ctx.db.selectFrom('user').select(['id', 'username', 'display_name']).where('id', 'in', userIds).execute()).map((u) => [u.id, u.display_name || u.username])) : new Map<string, string>();
    const cis = ciIds.length ? new Map((await this.ctx.db.selectFrom('cmdb_ci').select(['id', 'name']).where('id', 'in', ciIds).execute()).map((c) => [c.id, c.name])) : new Map<string, string>();
    const ref = (id: string | null, names: Map<string, string>) => (id ? { id, name: names.get(id) ?? id } : null);
    return rows.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      kind: r.kind,
      at: Number(r.at),
      ci: ref(r.ci_id, cis),
      title: r.title,
      link: r.link,
      status: r.status as IncidentHypothesis['status'],
      note: r.note,
      proposedBy: ref(r.proposed_by, users),
      decidedBy: ref(r.decided_by, users),
      createdAt: Number(r.created_at),
      decidedAt: r.decided_at === null ? null : Number(r.decided_at),
    }));
  }
}

export function incidentHypothesesRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const hypotheses = new IncidentHypotheses(ctx, incidentsOf(ctx));
  const tags = ['incidents'];
  app.get('/api/incidents/:id/hypotheses', { config: { permission: P.read }, schema: { tags, summary: 'Suspected causes recorded from the cause-tracing timeline', params: IdParams, response: { 200: IncidentHypothesisList } } }, (req) => hypotheses.list(actorOf(req), req.params.id));
  app.post('/api/incidents/:id/hypotheses', { config: { permission: P.write }, schema: { tags, summary: 'Record a timeline event as the suspected cause', params: IdParams, body: IncidentHypothesisInput, response: { 200: IncidentHypothesis } } }, (req) => hypotheses.propose(actorOf(req), req.params.id, req.body));
  app.post('/api/incidents/:id/hypotheses/:hypothesisId/decide', { config: { permission: P.write }, schema: { tags, summary: 'Confirm or reject a suspected cause', params: HypothesisParams, body: IncidentHypothesisDecision, response: { 200: IncidentHypothesis } } }, (req) => hypotheses.decide(actorOf(req), req.params.id, req.params.hypothesisId, req.body));
}
