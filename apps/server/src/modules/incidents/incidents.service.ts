import { uuidv7 } from 'uuidv7';
import type { Kysely } from 'kysely';
import {
  INCIDENT_PERMISSIONS as P,
  INCIDENT_TRANSITIONS,
  type Incident,
  type IncidentActivityList,
  type IncidentAssign,
  type IncidentComment,
  type IncidentCreate,
  type IncidentList,
  type IncidentListQuery,
  type IncidentMajorRoles,
  type IncidentPriority,
  type IncidentSelfReport,
  type IncidentSource,
  type IncidentTimes,
  type IncidentTransition,
  type IncidentUpdate,
  type IncidentVerificationList,
  type IncidentVerify,
} from '@yunwei/contracts/incidents';
import type { Database } from '../../db/schema.js';
import { toJson } from '../../db/dialect.js';
import { type Actor, can, inScope } from '../../platform/actor.js';
import { unitsReached } from '../../platform/data-scope.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { analyseImpact } from '../cmdb/impact-analysis.js';
import { ImpactService } from '../cmdb/impact.service.js';
import { notifyOf } from '../notify/runtime.js';
import { IncidentConfigService } from './incident-config.service.js';
import { noticeRecorded } from './incident-notices.js';
import { canTake, priorityOf, timeOrderProblem } from './incident-rules.js';
import { IncidentVerification } from './incident-verification.js';
import { IncidentViews } from './incident-views.js';
import { IncidentsRepository, type IncidentVisibility } from './incidents.repository.js';
import type { IncidentTable } from './incidents.tables.js';

/** What an incident is recorded with, whoever records it (a person, an alert group, a mail). */
export interface IncidentDraft {
  title: string;
  description: string;
  typeId: string | null;
  natureId: string | null;
  impact: number;
  urgency: number;
  ciIds: string[];
  detectedAt: number;
  assigneeId: string | null;
  groupId: string | null;
  major: boolean;
  majorRoles: IncidentMajorRoles;
  source: IncidentSource;
  reporterId: string | null;
  alertGroupKey?: string | null;
  /** Worded for the activity (e.g. the alert that opened it). */
  note?: string;
}

/** Verification looks back this far for failed check runs unless configured. */
const DEFAULT_VERIFY_MINUTES = 10;

const auditOf = (r: IncidentTable) => ({
  number: r.number,
  title: r.title,
  status: r.status,
  priority: r.priority,
  impact: r.impact,
  urgency: r.urgency,
  typeId: r.type_id,
  natureId: r.nature_id,
  assigneeId: r.assignee_id,
  groupId: r.group_id,
  major: r.major === 1,
});

/**
 * Incidents (故障): recording (L4-2.3.1), classification by fault type and nature with the impact scope from the
 * CMDB (L3-2.3.1, L3-2.3.2), priority by the impact × urgency matrix, the ITIL life cycle with pauses, assignment
 * and 转派. Every change is one transaction with its activity row and audit entry, guarded by the incident's
 * version (two people editing: the second gets 409 with the newer version).
 */
export class IncidentsService {
  readonly repo: IncidentsRepository;
  readonly config: IncidentConfigService;
  readonly views: IncidentViews;
  readonly verification = new IncidentVerification();

  constructor(private readonly ctx: ModuleContext) {
    this.repo = new IncidentsRepository(ctx.db);
    this.config = new IncidentConfigService(ctx);
    this.views = new IncidentViews(ctx, this.config);
  }

  now(): number {
    return Date.now();
  }

  // ------------------------------------------------------------ reads

  /** `own`: 我的报障 — only what the reader reported (the self-service routes). */
  async list(actor: Actor, q: IncidentListQuery, o: { own?: boolean } = {}): Promise<IncidentList> {
    const groups = actor.userId ? await this.#groupsOf(actor.userId) : [];
    const visibility: IncidentVisibility = o.own ? { all: false, units: [], userId: actor.userId, ownOnly: true } : this.#visibility(actor);
    const { rows, total } = await this.repo.list(q, visibility, actor.userId, groups);
    return { items: await this.views.listItems(actor, rows), total };
  }

  async get(actor: Actor, id: string, o: { own?: boolean } = {}): Promise<Incident> {
    const row = await this.#readable(actor, id, o.own);
    return this.views.detail(actor, row);
  }

  async activity(actor: Actor, id: string, o: { own?: boolean } = {}): Promise<IncidentActivityList> {
    await this.#readable(actor, id, o.own);
    return this.views.activity(actor, id);
  }

  // ------------------------------------------------------------ recording

  async create(actor: Actor, input: IncidentCreate, source: IncidentSource = 'web'): Promise<Incident> {
    const config = await this.config.config();
    this.#checkPriority(config.matrix, input.impact, input.urgency, input.priority);
    const id = await this.record(actor, {
      title: input.title.trim(),
      description: input.description ?? '',
      typeId: input.typeId ?? null,
      natureId: input.natureId ?? null,
      impact: input.impact,
      urgency: input.urgency,
      ciIds: input.ciIds ?? [],
      detectedAt: input.detectedAt ?? this.now(),
      assigneeId: input.assigneeId ?? null,
      groupId: input.groupId ?? null,
      major: input.major ?? false,
      majorRoles: input.majorRoles ?? {},
      source,
      reporterId: actor.userId,
    });
    return this.get(actor, id);
  }

  /** 报障: a member of staff reports a fault; the handlers classify it. They see only their own reports. */
  async report(actor: Actor, input: IncidentSelfReport): Promise<Incident> {
    if (!actor.userId) {
      throw invalidField('body', { zh: '报障需由用户提交', en: 'a fault report must come from a user' });
    }
    const id = await this.record(actor, {
      title: input.title.trim(),
      description: input.description,
      typeId: null,
      natureId: null,
      impact: input.impact ?? 3,
      urgency: input.urgency ?? 3,
      ciIds: input.ciIds ?? [],
      detectedAt: this.now(),
      assigneeId: null,
      groupId: null,
      major: false,
      majorRoles: {},
      source: 'self_service',
      reporterId: actor.userId,
    });
    return this.get(actor, id, { own: true });
  }

  /**
   * Records an incident for whoever opens it (a person, an alert group, an inbound mail) and answers its id.
   * In `trx` when given (the caller's transaction), else in a transaction of its own.
   */
  async record(actor: Actor, d: IncidentDraft, trx?: Kysely<Database>): Promise<string> {
    const run = async (t: Kysely<Database>) => {
      const config = await this.config.config(t);
      await this.config.requireUsable('typeId', d.typeId, t);
      await this.config.requireUsable('natureId', d.natureId, t);
      const cis = await this.#requireCis(actor, d.ciIds, d.source === 'self_service' ? null : P.write, t);
      await this.#requirePeople(t, d.assigneeId, d.groupId, d.majorRoles);
      const orderProblem = timeOrderProblem({ detectedAt: d.detectedAt }, this.now());
      if (orderProblem) {
        throw invalidField(`body.${orderProblem.field}`, orderProblem.message);
      }
      const now = this.now();
      const year = new Date(now).getUTCFullYear();
      const seq = await this.repo.nextNumber(t, year);
      const scope = await this.#impactScope(t, d.ciIds);
      const reporterUnit = d.reporterId ? ((await t.selectFrom('user').select('org_unit_id').where('id', '=', d.reporterId).executeTakeFirst())?.org_unit_id ?? null) : null;
      const row: IncidentTable = {
        id: uuidv7(),
        number: `INC-${year}-${String(seq).padStart(6, '0')}`,
        title: d.title,
        description: d.description,
        status: 'new',
        source: d.source,
        impact: d.impact,
        urgency: d.urgency,
        priority: priorityOf(config.matrix, d.impact, d.urgency),
        type_id: d.typeId,
        nature_id: d.natureId,
        reporter_id: d.reporterId,
        assignee_id: d.assigneeId,
        group_id: d.groupId,
        org_unit_id: cis[0]?.org_unit_id ?? reporterUnit,
        major: d.major ? 1 : 0,
        major_roles: toJson(d.majorRoles),
        impact_scope: toJson(scope),
        detected_at: d.detectedAt,
        acknowledged_at: null,
        mitigated_at: null,
        resolved_at: null,
        resolved_by: null,
        closed_at: null,
        cancelled_at: null,
        pause_reason: null,
        resolution: '',
        sla_notified: 0,
        alert_group_key: d.alertGroupKey ?? null,
        version: 1,
        created_at: now,
        updated_at: now,
        updated_by: actor.userId,
      };
      await t.insertInto('incident').values(row).execute();
      if (d.ciIds.length) {
        await t.insertInto('incident_ci').values(d.ciIds.map((ci) => ({ incident_id: row.id, ci_id: ci }))).execute();
      }
      await this.#activity(t, row.id, actor, 'created', { source: d.source, priority: row.priority }, d.note ?? '');
      if (d.assigneeId || d.groupId) {
        await this.#activity(t, row.id, actor, 'assigned', { from: null, to: d.assigneeId, groupFrom: null, groupTo: d.groupId }, '');
      }
      notified = (await noticeRecorded(this.ctx, t, row, scope.businessSystems)) > 0;
      await this.ctx.audit.record(t, { actor, action: 'incidents.incident.create', targetType: 'incident', targetId: row.id, after: { ...auditOf(row), source: d.source, ciIds: d.ciIds } });
      return row.id;
    };
    let notified = false;
    const id = trx ? await run(trx) : await this.ctx.db.transaction().execute(run);
    if (notified && !trx) {
      notifyOf(this.ctx).wake();
    }
    this.ctx.events.emit('incidents.incident.changed', { id });
    return id;
  }

  // ------------------------------------------------------------ handling

  async update(actor: Actor, id: string, input: IncidentUpdate): Promise<Incident> {
    const config = await this.config.config();
    this.#checkPriority(config.matrix, input.impact, input.urgency, input.priority);
    await this.#change(actor, id, input.version, async (trx, before) => {
      await this.config.requireUsable('typeId', input.typeId, trx);
      await this.config.requireUsable('natureId', input.natureId, trx);
      const patch: Partial<IncidentTable> = {
        title: input.title.trim(),
        impact: input.impact,
        urgency: input.urgency,
        priority: priorityOf(config.matrix, input.impact, input.urgency),
      };
      if (input.description !== undefined) {patch.description = input.description;}
      if (input.typeId !== undefined) {patch.type_id = input.typeId;}
      if (input.natureId !== undefined) {patch.nature_id = input.natureId;}
      if (input.major !== undefined) {patch.major = input.major ? 1 : 0;}
      if (input.majorRoles !== undefined) {
        await this.#requirePeople(trx, null, null, input.majorRoles);
        patch.major_roles = toJson(input.majorRoles);
      }
      if (input.ciIds !== undefined) {
        const before = await new IncidentsRepository(trx).ciIds(id);
        if (before.join() !== input.ciIds.join()) {
          const cis = await this.#requireCis(actor, input.ciIds, P.write, trx);
          await trx.deleteFrom('incident_ci').where('incident_id', '=', id).execute();
          if (input.ciIds.length) {
            await trx.insertInto('incident_ci').values(input.ciIds.map((ci) => ({ incident_id: id, ci_id: ci }))).execute();
          }
          patch.impact_scope = toJson(await this.#impactScope(trx, input.ciIds));
          patch.org_unit_id = cis[0]?.org_unit_id ?? null;
        }
      }
      const changed = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== (before as unknown as Record<string, unknown>)[k]);
      return { patch, kind: 'updated', data: { fields: changed }, note: '' };
    });
    return this.get(actor, id);
  }

  async transition(actor: Actor, id: string, input: IncidentTransition): Promise<Incident> {
    const config = await this.config.config();
    await this.#change(actor, id, input.version, async (trx, before) => {
      const now = this.now();
      if (!canTake(input.action, { status: before.status, resolvedAt: before.resolved_at === null ? null : Number(before.resolved_at), reopenDays: config.reopenDays, now })) {
        const expired = input.action === 'reopen' && INCIDENT_TRANSITIONS.reopen.from.includes(before.status);
        throw new AppError('YW_INCIDENT_ILLEGAL_TRANSITION', {
          field: 'body.action',
          status: before.status,
          action: input.action,
          fields: [{ field: 'body.action', message: expired ? { zh: `已超过重新打开期限（解决后 ${config.reopenDays} 天内）`, en: `the reopen window (${config.reopenDays} days after resolution) has passed` } : { zh: '当前状态不允许此操作', en: 'not allowed in the current state' } }],
        });
      }
      const patch: Partial<IncidentTable> = { status: INCIDENT_TRANSITIONS[input.action].to };
      const note = input.note?.trim() ?? '';
      await this.#closeOpenPause(trx, id, now);
      switch (input.action) {
        case 'start':
          patch.acknowledged_at = before.acknowledged_at ?? now;
          if (!before.assignee_id && actor.userId) {
            patch.assignee_id = actor.userId;
          }
          break;
        case 'hold': {
          const reason = config.pauseReasons.find((r) => r.code === input.pauseReason);
          if (!reason) {
            throw invalidField('body.pauseReason', { zh: '请选择挂起原因', en: 'choose a reason for putting it on hold' });
          }
          patch.pause_reason = reason.code;
          patch.acknowledged_at = before.acknowledged_at ?? now;
          if (reason.pausesSla) {
            await trx.insertInto('incident_pause').values({ id: uuidv7(), incident_id: id, reason: reason.code, from_at: now, to_at: null }).execute();
          }
          break;
        }
        case 'resume':
          patch.pause_reason = null;
          break;
        case 'resolve':
          if (!note) {
            throw invalidField('body.note', { zh: '请填写处理结果（做了什么、是否已恢复）', en: 'say what was done and whether service is restored' });
          }
          patch.resolved_at = now;
          patch.resolved_by = actor.userId;
          patch.resolution = note;
          patch.acknowledged_at = before.acknowledged_at ?? now;
          patch.mitigated_at = before.mitigated_at ?? now;
          patch.pause_reason = null;
          break;
        case 'close':
          await this.#verified(trx, actor, before, 'pass', note, [], config.verifyMinutes ?? DEFAULT_VERIFY_MINUTES, now, 'body.action');
          patch.closed_at = now;
          break;
        case 'cancel':
          if (!note) {
            throw invalidField('body.note', { zh: '请说明取消原因', en: 'say why it is cancelled' });
          }
          patch.cancelled_at = now;
          patch.pause_reason = null;
          break;
        case 'reopen':
          patch.resolved_at = null;
          patch.resolved_by = null;
          patch.closed_at = null;
          patch.sla_notified = before.sla_notified & 0b0011;
          break;
      }
      return { patch, kind: 'status', data: { from: before.status, to: patch.status, action: input.action, pauseReason: patch.pause_reason ?? null }, note };
    });
    return this.get(actor, id);
  }

  /**
   * L4-2.3.2: someone other than the resolver verifies a resolved incident with evidence. Pass: the checks on its
   * CIs (and those named) green for the configured minutes and no alert open on them, then 已关闭. Fail: the
   * incident is reopened (处理中) with the verifier's note. Either way the evidence is kept.
   */
  async verify(actor: Actor, id: string, input: IncidentVerify): Promise<Incident> {
    const config = await this.config.config();
    const note = input.note?.trim() ?? '';
    if (input.outcome === 'fail' && !note) {
      throw invalidField('body.note', { zh: '请说明验证未通过的情况', en: 'say what failed the verification' });
    }
    await this.#change(actor, id, input.version, async (trx, before) => {
      const now = this.now();
      if (before.status !== 'resolved') {
        throw new AppError('YW_INCIDENT_ILLEGAL_TRANSITION', { field: 'body.outcome', status: before.status, action: 'verify' });
      }
      await this.#verified(trx, actor, before, input.outcome, note, input.checkIds ?? [], config.verifyMinutes ?? DEFAULT_VERIFY_MINUTES, now, 'body.outcome');
      const patch: Partial<IncidentTable> =
        input.outcome === 'pass' ? { status: 'closed', closed_at: now } : { status: 'in_progress', resolved_at: null, resolved_by: null, sla_notified: before.sla_notified & 0b0011 };
      return { patch, kind: 'status', data: { from: before.status, to: patch.status, action: input.outcome === 'pass' ? 'close' : 'reopen', verification: input.outcome }, note };
    });
    return this.get(actor, id);
  }

  async verifications(actor: Actor, id: string): Promise<IncidentVerificationList> {
    await this.#readable(actor, id);
    const config = await this.config.config();
    const current = await this.verification.evidence(this.ctx.db, id, [], config.verifyMinutes ?? DEFAULT_VERIFY_MINUTES, this.now());
    return this.verification.list(this.ctx.db, id, current);
  }

  /** The verifier is not the resolver; a pass needs green evidence (else 400 naming what is not green); the verification is kept. */
  async #verified(trx: Kysely<Database>, actor: Actor, before: IncidentTable, outcome: 'pass' | 'fail', note: string, checkIds: readonly string[], windowMinutes: number, now: number, field: string): Promise<void> {
    if (actor.userId && before.resolved_by === actor.userId) {
      throw invalidField(field, { zh: '须由解决人以外的人员验证', en: 'someone other than the resolver must verify it' });
    }
    const evidence = await this.verification.evidence(trx, before.id, checkIds, windowMinutes, now);
    if (outcome === 'pass' && !evidence.ok) {
      throw invalidField(field, this.verification.problems(evidence));
    }
    await this.verification.record(trx, before.id, actor, outcome, note, evidence, now);
  }

  async assign(actor: Actor, id: string, input: IncidentAssign): Promise<Incident> {
    await this.#change(actor, id, input.version, async (trx, before) => {
      const groupId = input.groupId === undefined ? before.group_id : input.groupId;
      await this.#requirePeople(trx, input.assigneeId, groupId, {});
      const patch: Partial<IncidentTable> = { assignee_id: input.assigneeId, group_id: groupId };
      const transfer = before.assignee_id !== null || before.group_id !== null;
      return { patch, kind: 'assigned', data: { from: before.assignee_id, to: input.assigneeId, groupFrom: before.group_id, groupTo: groupId, transfer }, note: input.note?.trim() ?? '' };
    });
    return this.get(actor, id);
  }

  async setTimes(actor: Actor, id: string, input: IncidentTimes): Promise<Incident> {
    await this.#change(actor, id, input.version, async (_trx, before) => {
      const times = {
        detectedAt: input.detectedAt,
        acknowledgedAt: input.acknowledgedAt === undefined ? before.acknowledged_at : input.acknowledgedAt,
        mitigatedAt: input.mitigatedAt === undefined ? before.mitigated_at : input.mitigatedAt,
        resolvedAt: input.resolvedAt === undefined ? before.resolved_at : input.resolvedAt,
      };
      const problem = timeOrderProblem(times, this.now());
      if (problem) {
        throw invalidField(`body.${problem.field}`, problem.message);
      }
      if (times.resolvedAt !== null && !['resolved', 'closed'].includes(before.status)) {
        throw invalidField('body.resolvedAt', { zh: '故障尚未解决，不能填写解决时间', en: 'the incident is not resolved: it has no resolution time yet' });
      }
      if (times.resolvedAt === null && ['resolved', 'closed'].includes(before.status)) {
        throw invalidField('body.resolvedAt', { zh: '已解决的故障须有解决时间', en: 'a resolved incident needs its resolution time' });
      }
      const patch: Partial<IncidentTable> = { detected_at: times.detectedAt, acknowledged_at: times.acknowledgedAt, mitigated_at: times.mitigatedAt, resolved_at: times.resolvedAt };
      return { patch, kind: 'times', data: { before: { detectedAt: before.detected_at, acknowledgedAt: before.acknowledged_at, mitigatedAt: before.mitigated_at, resolvedAt: before.resolved_at }, after: times }, note: '' };
    });
    return this.get(actor, id);
  }

  async comment(actor: Actor, id: string, input: IncidentComment, o: { own?: boolean } = {}): Promise<Incident> {
    const row = await this.#readable(actor, id, o.own);
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.#activity(trx, id, actor, 'comment', {}, input.text.trim());
      await trx.updateTable('incident').set({ updated_at: this.now() }).where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'incidents.incident.comment', targetType: 'incident', targetId: id, after: { number: row.number, text: input.text.trim() } });
    });
    return this.get(actor, id, o);
  }

  // ------------------------------------------------------------ helpers

  /**
   * One change of an incident: the version must be the one the writer read (else 409 with the newer one), the
   * patch is written by a conditional UPDATE on that version, with its activity and audit entry.
   */
  async #change(
    actor: Actor,
    id: string,
    version: number,
    make: (trx: Kysely<Database>, before: IncidentTable) => Promise<{ patch: Partial<IncidentTable>; kind: string; data: Record<string, unknown>; note: string }>,
  ): Promise<void> {
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = await new IncidentsRepository(trx).find(id);
      if (!before || !this.#canRead(actor, before)) {
        throw new AppError('YW_INCIDENT_NOT_FOUND', { field: 'params.id', id });
      }
      if (!inScope(actor, P.write, before.org_unit_id) && before.org_unit_id !== null && before.assignee_id !== actor.userId) {
        throw new AppError('YW_OUT_OF_SCOPE', { permission: P.write });
      }
      if (Number(before.version) !== version) {
        throw new AppError('YW_INCIDENT_VERSION_CONFLICT', { field: 'body.version', version: Number(before.version), updatedAt: Number(before.updated_at) });
      }
      const { patch, kind, data, note } = await make(trx, before);
      const now = this.now();
      const done = await trx
        .updateTable('incident')
        .set({ ...patch, version: version + 1, updated_at: now, updated_by: actor.userId })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) {
        throw new AppError('YW_INCIDENT_VERSION_CONFLICT', { field: 'body.version' });
      }
      await this.#activity(trx, id, actor, kind, data, note);
      await this.ctx.audit.record(trx, { actor, action: `incidents.incident.${kind === 'status' ? String(data.action) : kind === 'updated' ? 'update' : kind}`, targetType: 'incident', targetId: id, before: auditOf(before), after: { ...auditOf({ ...before, ...patch }), ...(note ? { note } : {}) } });
    });
    this.ctx.events.emit('incidents.incident.changed', { id });
  }

  async #closeOpenPause(trx: Kysely<Database>, id: string, now: number): Promise<void> {
    await trx.updateTable('incident_pause').set({ to_at: now }).where('incident_id', '=', id).where('to_at', 'is', null).execute();
  }

  async #activity(trx: Kysely<Database>, incidentId: string, actor: Actor, kind: string, data: Record<string, unknown>, note: string): Promise<void> {
    await trx.insertInto('incident_activity').values({ id: uuidv7(), incident_id: incidentId, at: this.now(), kind, actor_id: actor.userId, data: toJson(data), note }).execute();
  }

  #checkPriority(matrix: IncidentPriority[][], impact: number, urgency: number, priority: IncidentPriority | undefined): void {
    const expected = priorityOf(matrix, impact, urgency);
    if (priority !== undefined && priority !== expected) {
      throw invalidField('body.priority', { zh: `优先级由影响度×紧急度矩阵决定：此组合为 ${expected}`, en: `the priority follows the impact × urgency matrix: this combination is ${expected}` });
    }
  }

  /** The CIs named exist, and the writer reaches each (the first one's unit becomes the incident's). */
  async #requireCis(actor: Actor, ids: readonly string[], writePermission: string | null, db: Kysely<Database>) {
    if (!ids.length) {
      return [];
    }
    const rows = await db.selectFrom('cmdb_ci').select(['id', 'name', 'org_unit_id']).where('id', 'in', [...ids]).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((ciId, i) => {
      const row = byId.get(ciId);
      if (!row) {
        throw invalidField(`body.ciIds.${i}`, { zh: '配置项不存在', en: 'no such CI' });
      }
      if (writePermission && !inScope(actor, writePermission as typeof P.write, row.org_unit_id)) {
        throw invalidField(`body.ciIds.${i}`, { zh: `配置项“${row.name}”不在您的数据范围内`, en: `CI "${row.name}" is outside your data scope` });
      }
      return row;
    });
  }

  async #requirePeople(db: Kysely<Database>, assigneeId: string | null, groupId: string | null, roles: IncidentMajorRoles): Promise<void> {
    const people: [string, string | null | undefined][] = [['body.assigneeId', assigneeId], ['body.majorRoles.commander', roles.commander], ['body.majorRoles.techLead', roles.techLead], ['body.majorRoles.communications', roles.communications]];
    for (const [field, userId] of people) {
      if (userId && !(await db.selectFrom('user').select('id').where('id', '=', userId).where('status', '=', 'active').executeTakeFirst())) {
        throw invalidField(field, { zh: '用户不存在或已停用', en: 'no such user, or the account is disabled' });
      }
    }
    if (groupId && !(await db.selectFrom('org_unit').select('id').where('id', '=', groupId).executeTakeFirst())) {
      throw invalidField('body.groupId', { zh: '处理组（组织单元）不存在', en: 'no such handling group (org unit)' });
    }
  }

  /** Impact scope from the CMDB: what the affected CIs bring down, redundancy groups respected. */
  async #impactScope(db: Kysely<Database>, ciIds: readonly string[]) {
    if (!ciIds.length) {
      return { businessSystems: [], affectedCount: 0, degraded: [] };
    }
    const graph = await new ImpactService({ db }).graph();
    const result = analyseImpact(graph, ciIds);
    const bsIds = [...new Set([...ciIds.filter((id) => graph.businessSystems.has(id)), ...result.businessSystems.map((b) => b.id)])];
    const names = bsIds.length ? new Map((await db.selectFrom('cmdb_ci').select(['id', 'name']).where('id', 'in', bsIds).execute()).map((r) => [r.id, r.name])) : new Map<string, string>();
    const degradedIds = result.groups.filter((g) => g.state === 'degraded').map((g) => g.id);
    const degraded = degradedIds.length ? (await db.selectFrom('cmdb_group').select('name').where('id', 'in', degradedIds).execute()).map((g) => g.name) : [];
    return { businessSystems: bsIds.map((id) => ({ id, name: names.get(id) ?? id })), affectedCount: result.impacted.length, degraded };
  }

  #visibility(actor: Actor): IncidentVisibility {
    const units = unitsReached(actor, P.read);
    return units === null ? { all: true } : { all: false, units: [...units], userId: actor.userId, ownOnly: false };
  }

  /** Handlers read within their scope (and what they reported or handle); `own`: only the reader's own reports. */
  #canRead(actor: Actor, row: IncidentTable, own = false): boolean {
    const mine = actor.userId !== null && row.reporter_id === actor.userId;
    if (own) {
      return mine;
    }
    return can(actor, P.read) && (mine || row.assignee_id === actor.userId || row.org_unit_id === null || inScope(actor, P.read, row.org_unit_id));
  }

  async #readable(actor: Actor, id: string, own = false): Promise<IncidentTable> {
    const row = await this.repo.find(id);
    if (!row || !this.#canRead(actor, row, own)) {
      throw new AppError('YW_INCIDENT_NOT_FOUND', { field: 'params.id', id });
    }
    return row;
  }

  async #groupsOf(userId: string): Promise<string[]> {
    const u = await this.ctx.db.selectFrom('user').select('org_unit_id').where('id', '=', userId).executeTakeFirst();
    return u?.org_unit_id ? [u.org_unit_id] : [];
  }
}
