import type { Kysely, Transaction } from 'kysely';
import { uuidv7 } from 'uuidv7';
import {
  RUNBOOK_DOCUMENT_TYPE,
  RUNBOOK_FLOW_CODE,
  RUNBOOK_PERMISSIONS as R,
  RUNBOOK_SUBJECT_TYPE,
  RUNBOOK_VERSION_STATUS_NAMES,
  type Runbook,
  type RunbookCreate,
  type RunbookDraft,
  type RunbookList,
  type RunbookStep,
  type RunbookSuggestionList,
  type RunbookUpdate,
  type RunbookVersion,
} from '@yunwei/contracts/incident-runbooks';
import type { LocalizedText } from '@yunwei/contracts/i18n';
import { fromJson, isUniqueViolation, toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { type Actor, can, systemActor } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import type { ApprovalOutcome, ApprovalOutcomeRequest, ApprovalsRuntime } from '../approvals/runtime.js';
import { libraryOf } from '../library/library.runtime.js';
import { normaliseSteps, nextLabel, runbookDocumentBody, stepProblem } from './runbook-steps.js';
import type { IncidentRunbookTable, IncidentRunbookVersionTable } from './runbooks.tables.js';

export const runbookState = (field: string, message: LocalizedText) => new AppError('YW_INCIDENT_RUNBOOK_STATE', { field, fields: [{ field, message }] });

const runbookAudit = (r: Pick<IncidentRunbookTable, 'name' | 'type_ids' | 'ci_classes' | 'status'>) => ({ name: r.name, typeIds: fromJson<string[]>(r.type_ids), ciClasses: fromJson<string[]>(r.ci_classes), status: r.status });

/**
 * 故障处理方案: runbooks per fault type and CI class with versioned steps. A version is written as a draft,
 * submitted through the approval flow `incident.runbook` when one is configured (approved → published, the
 * version in force before → superseded) or published at once by a holder of `incidents.runbook.publish`;
 * each published version is filed in the document library as a 故障处理方案 document.
 */
export class RunbookService {
  constructor(
    private readonly ctx: ModuleContext,
    private readonly approvals: Pick<ApprovalsRuntime, 'submit'>,
  ) {}

  // ------------------------------------------------------------ reads

  async list(actor: Actor): Promise<RunbookList> {
    const rows = await this.ctx.db.selectFrom('incident_runbook').selectAll().orderBy('name').limit(1000).execute();
    const versions = rows.length ? await this.ctx.db.selectFrom('incident_runbook_version').select(['id', 'runbook_id', 'label', 'status', 'steps', 'major', 'minor']).where('runbook_id', 'in', rows.map((r) => r.id)).execute() : [];
    const names = await this.#names(rows, actor);
    return {
      items: rows.map((r) => {
        const mine = versions.filter((v) => v.runbook_id === r.id);
        const published = mine.find((v) => v.id === r.published_version_id) ?? null;
        const next = mine.find((v) => v.status === 'draft' || v.status === 'in_review') ?? null;
        return {
          id: r.id,
          name: r.name,
          typeNames: fromJson<string[]>(r.type_ids).map((id) => names.types.get(id) ?? id),
          ciClassNames: fromJson<string[]>(r.ci_classes).map((c) => names.classes.get(c) ?? c),
          status: r.status,
          publishedLabel: published?.label ?? null,
          nextLabel: next?.label ?? null,
          nextStatus: next?.status ?? null,
          stepCount: fromJson<unknown[]>((published ?? next)?.steps ?? '[]').length,
          owner: r.owner_id ? (names.users.get(r.owner_id) ?? null) : null,
          updatedAt: Number(r.updated_at),
        };
      }),
    };
  }

  async get(actor: Actor, id: string): Promise<Runbook> {
    const row = await this.#find(this.ctx.db, id);
    const versions = await this.ctx.db.selectFrom('incident_runbook_version').selectAll().where('runbook_id', '=', id).orderBy('major', 'desc').orderBy('minor', 'desc').execute();
    const names = await this.#names([row], actor, versions.flatMap((v) => [v.created_by, v.approved_by]));
    const view = (v: IncidentRunbookVersionTable): RunbookVersion => ({
      id: v.id,
      label: v.label,
      status: v.status,
      statusName: RUNBOOK_VERSION_STATUS_NAMES[v.status][actor.locale === 'en' ? 'en' : 'zh'],
      steps: fromJson<RunbookStep[]>(v.steps),
      changeNote: v.change_note,
      createdBy: v.created_by ? (names.users.get(v.created_by) ?? null) : null,
      createdAt: Number(v.created_at),
      submittedAt: v.submitted_at === null ? null : Number(v.submitted_at),
      approvalRequestId: v.approval_request_id,
      approvedBy: v.approved_by ? (names.users.get(v.approved_by) ?? null) : null,
      approvedAt: v.approved_at === null ? null : Number(v.approved_at),
      publishedAt: v.published_at === null ? null : Number(v.published_at),
    });
    const published = versions.find((v) => v.id === row.published_version_id);
    const next = versions.find((v) => v.status === 'draft' || v.status === 'in_review');
    const doc = row.document_id ? await this.ctx.db.selectFrom('document').select(['id', 'number']).where('id', '=', row.document_id).executeTakeFirst() : undefined;
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      typeIds: fromJson<string[]>(row.type_ids),
      typeNames: fromJson<string[]>(row.type_ids).map((t) => names.types.get(t) ?? t),
      ciClasses: fromJson<string[]>(row.ci_classes),
      ciClassNames: fromJson<string[]>(row.ci_classes).map((c) => names.classes.get(c) ?? c),
      status: row.status,
      owner: row.owner_id ? (names.users.get(row.owner_id) ?? null) : null,
      publishedVersion: published ? view(published) : null,
      nextVersion: next ? view(next) : null,
      versions: versions.map((v) => {
        const { steps: _steps, ...rest } = view(v);
        return rest;
      }),
      document: doc ? { id: doc.id, number: doc.number } : null,
      updatedAt: Number(row.updated_at),
    };
  }

  /**
   * Published runbooks for an incident, best first: a runbook for the incident's fault type (or an ancestor of
   * it: the nearer the better) and for the classes of its CIs. One that names neither types nor classes fits
   * every incident, last.
   */
  async suggest(actor: Actor, incident: { typeId: string | null; ciIds: readonly string[] }): Promise<RunbookSuggestionList> {
    const en = actor.locale === 'en';
    const types = await this.ctx.db.selectFrom('incident_type').select(['id', 'parent_id', 'name_zh', 'name_en']).execute();
    const byId = new Map(types.map((t) => [t.id, t]));
    // The incident's type and its ancestors, nearest first.
    const lineage: string[] = [];
    for (let at = incident.typeId ? byId.get(incident.typeId) : undefined; at && lineage.length < 10; at = at.parent_id ? byId.get(at.parent_id) : undefined) {
      lineage.push(at.id);
    }
    const classes = incident.ciIds.length
      ? await this.ctx.db.selectFrom('cmdb_ci as c').innerJoin('cmdb_class as k', 'k.id', 'c.class_id').select(['k.code', 'k.name_zh', 'k.name_en']).where('c.id', 'in', [...incident.ciIds]).execute()
      : [];
    const rows = await this.ctx.db
      .selectFrom('incident_runbook as r')
      .innerJoin('incident_runbook_version as v', 'v.id', 'r.published_version_id')
      .select(['r.id', 'r.name', 'r.description', 'r.type_ids', 'r.ci_classes', 'v.label', 'v.steps'])
      .where('r.status', '=', 'published')
      .execute();
    const items = [];
    for (const r of rows) {
      const typeIds = fromJson<string[]>(r.type_ids);
      const ciClasses = fromJson<string[]>(r.ci_classes);
      const reasons: string[] = [];
      let score = 0;
      if (typeIds.length) {
        const depth = lineage.findIndex((id) => typeIds.includes(id));
        if (depth < 0) {
          continue;
        }
        const t = byId.get(lineage[depth]!)!;
        score += 100 - depth * 10;
        reasons.push(en ? `fault type ${t.name_en}` : `故障类型：${t.name_zh}`);
      }
      if (ciClasses.length) {
        const hit = classes.filter((c) => ciClasses.includes(c.code));
        if (!hit.length) {
          continue;
        }
        score += 50;
        reasons.push(en ? `CI class ${[...new Set(hit.map((c) => c.name_en))].join(', ')}` : `配置项类别：${[...new Set(hit.map((c) => c.name_zh))].join('、')}`);
      }
      if (!typeIds.length && !ciClasses.length) {
        reasons.push(en ? 'general: for any incident' : '通用方案：适用于任何故障');
      }
      items.push({ runbookId: r.id, name: r.name, description: r.description, versionLabel: r.label, stepCount: fromJson<unknown[]>(r.steps).length, reasons, score });
    }
    items.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'zh-CN'));
    return { items: items.slice(0, 20) };
  }

  // ------------------------------------------------------------ writes

  async create(actor: Actor, input: RunbookCreate): Promise<Runbook> {
    const id = uuidv7();
    const now = Date.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      const scope = await this.#checkScope(trx, input);
      const steps = await this.#checkSteps(trx, input.steps);
      const row: IncidentRunbookTable = {
        id,
        name: input.name.trim(),
        description: input.description?.trim() ?? '',
        type_ids: toJson(scope.typeIds),
        ci_classes: toJson(scope.ciClasses),
        status: 'draft',
        published_version_id: null,
        owner_id: actor.userId,
        org_unit_id: null,
        document_id: null,
        created_at: now,
        updated_at: now,
        updated_by: actor.userId,
      };
      await trx.insertInto('incident_runbook').values(row).execute();
      const version = this.#newVersion(id, nextLabel(null), steps, input.changeNote ?? '', actor, now);
      await trx.insertInto('incident_runbook_version').values(version).execute();
      await this.ctx.audit.record(trx, { actor, action: 'incidents.runbook.create', targetType: 'incident_runbook', targetId: id, after: { ...runbookAudit(row), version: version.label, steps } });
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, input: RunbookUpdate): Promise<Runbook> {
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.#find(trx, id);
      const scope = await this.#checkScope(trx, input);
      const patch = { name: input.name.trim(), description: input.description?.trim() ?? before.description, type_ids: toJson(scope.typeIds), ci_classes: toJson(scope.ciClasses), updated_at: Date.now(), updated_by: actor.userId };
      await trx.updateTable('incident_runbook').set(patch).where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'incidents.runbook.update', targetType: 'incident_runbook', targetId: id, before: runbookAudit(before), after: runbookAudit({ ...before, ...patch }) });
    });
    return this.get(actor, id);
  }

  /** Writes the steps of the next version: the draft there is, or a new draft after the newest version. */
  async saveDraft(actor: Actor, id: string, input: RunbookDraft): Promise<Runbook> {
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        await this.#find(trx, id);
        const steps = await this.#checkSteps(trx, input.steps);
        const versions = await trx.selectFrom('incident_runbook_version').selectAll().where('runbook_id', '=', id).orderBy('major', 'desc').orderBy('minor', 'desc').execute();
        const open = versions.find((v) => v.status === 'draft' || v.status === 'in_review');
        if (open?.status === 'in_review') {
          throw runbookState('body.steps', { zh: `版本 ${open.label} 正在审批，审批结束（或撤回）后才能修改`, en: `version ${open.label} is in review: change it once the review ends (or is withdrawn)` });
        }
        const now = Date.now();
        if (open) {
          await trx.updateTable('incident_runbook_version').set({ steps: toJson(steps), change_note: input.changeNote ?? open.change_note }).where('id', '=', open.id).where('status', '=', 'draft').execute();
          await this.ctx.audit.record(trx, { actor, action: 'incidents.runbook.draft', targetType: 'incident_runbook', targetId: id, after: { version: open.label, steps, changeNote: input.changeNote ?? null } });
        } else {
          const version = this.#newVersion(id, nextLabel(versions[0] ?? null), steps, input.changeNote ?? '', actor, now);
          await trx.insertInto('incident_runbook_version').values(version).execute();
          await this.ctx.audit.record(trx, { actor, action: 'incidents.runbook.new-version', targetType: 'incident_runbook', targetId: id, after: { version: version.label, steps, changeNote: input.changeNote ?? null } });
        }
        await trx.updateTable('incident_runbook').set({ updated_at: now, updated_by: actor.userId }).where('id', '=', id).execute();
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('YW_CONFLICT', { id });
      }
      throw error;
    }
    return this.get(actor, id);
  }

  /**
   * Sends the draft for approval through the flow `incident.runbook` when one is enabled; else publishes it
   * at once, which needs `incidents.runbook.publish`.
   */
  async submit(actor: Actor, id: string, comment?: string): Promise<Runbook> {
    let published: string | null = null;
    await this.ctx.db.transaction().execute(async (trx) => {
      const runbook = await this.#find(trx, id);
      const draft = await trx.selectFrom('incident_runbook_version').selectAll().where('runbook_id', '=', id).where('status', '=', 'draft').executeTakeFirst();
      if (!draft) {
        throw runbookState('params.id', { zh: '没有待提交的草稿版本', en: 'there is no draft version to submit' });
      }
      const flow = await trx.selectFrom('approval_flow').select(['code', 'enabled']).where('code', '=', RUNBOOK_FLOW_CODE).executeTakeFirst();
      const now = Date.now();
      if (flow?.enabled === 1) {
        const requestId = await this.approvals.submit(actor, { flowCode: RUNBOOK_FLOW_CODE, subjectType: RUNBOOK_SUBJECT_TYPE, subjectId: draft.id, title: `故障处理方案《${runbook.name}》${draft.label}`.slice(0, 200), orgUnitId: runbook.org_unit_id }, trx);
        await trx.updateTable('incident_runbook_version').set({ status: 'in_review', submitted_at: now, approval_request_id: requestId }).where('id', '=', draft.id).where('status', '=', 'draft').execute();
        await this.ctx.audit.record(trx, { actor, action: 'incidents.runbook.submit', targetType: 'incident_runbook', targetId: id, after: { version: draft.label, flowCode: RUNBOOK_FLOW_CODE, approvalRequestId: requestId, comment: comment ?? null } });
        return;
      }
      if (!can(actor, R.publish)) {
        throw new AppError('YW_FORBIDDEN', { permission: R.publish, explanation: { zh: '未配置故障处理方案审批流程（incident.runbook）：发布需要“发布故障处理方案”权限', en: 'no approval flow for runbooks (incident.runbook) is configured: publishing needs the permission to publish runbooks' } });
      }
      await trx.updateTable('incident_runbook_version').set({ submitted_at: now }).where('id', '=', draft.id).execute();
      await this.#publish(trx, draft, actor.userId, now);
      await this.ctx.audit.record(trx, { actor, action: 'incidents.runbook.publish', targetType: 'incident_runbook', targetId: id, before: { publishedVersionId: runbook.published_version_id }, after: { version: draft.label, publishedVersionId: draft.id, comment: comment ?? null } });
      published = draft.id;
    });
    if (published) {
      // Published either way: a library that cannot take it now is told in the log (filing is idempotent, retried at the next publish).
      await this.fileToLibrary(published).catch((error: unknown) => this.ctx.log.warn({ err: error, versionId: published }, 'runbook version not filed in the library'));
    }
    return this.get(actor, id);
  }

  /** The approval engine's callback, in the deciding transaction: approved → published; else back to a draft. */
  async settle(trx: Transaction<Database>, versionId: string, outcome: ApprovalOutcome, request: ApprovalOutcomeRequest): Promise<void> {
    const version = await trx.selectFrom('incident_runbook_version').selectAll().where('id', '=', versionId).executeTakeFirst();
    // A request that is not this version's current review changes nothing (throwing would undo the decision).
    if (!version || version.status !== 'in_review' || version.approval_request_id !== request.id) {
      return;
    }
    const actor = systemActor('incidents');
    if (outcome === 'approved') {
      await this.#publish(trx, version, request.decidedBy, request.decidedAt);
      await this.ctx.audit.record(trx, { actor, action: 'incidents.runbook.publish', targetType: 'incident_runbook', targetId: version.runbook_id, after: { version: version.label, publishedVersionId: version.id, approvalRequestId: request.id, approvedBy: request.decidedBy } });
      // Filed once the decision has committed (the library writes in a transaction of its own).
      setTimeout(() => void this.fileToLibrary(versionId).catch((error: unknown) => this.ctx.log.warn({ err: error, versionId }, 'runbook version not filed in the library')), 50).unref();
    } else {
      await trx.updateTable('incident_runbook_version').set({ status: 'draft', approval_request_id: null }).where('id', '=', versionId).execute();
      await this.ctx.audit.record(trx, { actor, action: 'incidents.runbook.review-outcome', targetType: 'incident_runbook', targetId: version.runbook_id, after: { version: version.label, outcome, approvalRequestId: request.id } });
    }
  }

  /**
   * Files a published version in the document library as a 故障处理方案 (type `fault_runbook`, seeded when
   * missing, without its own review: the runbook's approval is the review): the first as a new document,
   * later ones as its next versions. Idempotent: a version already filed is left alone. Retried a few times
   * while the approval that published it is still committing.
   */
  async fileToLibrary(versionId: string, attempt = 0): Promise<void> {
    const version = await this.ctx.db.selectFrom('incident_runbook_version').selectAll().where('id', '=', versionId).executeTakeFirst();
    if (!version || version.filed_label) {
      return;
    }
    if (version.status !== 'published') {
      if (attempt < 20) {
        await new Promise((r) => setTimeout(r, 100));
        return this.fileToLibrary(versionId, attempt + 1);
      }
      return;
    }
    const runbook = await this.#find(this.ctx.db, version.runbook_id);
    const library = libraryOf(this.ctx);
    const t = RUNBOOK_DOCUMENT_TYPE;
    const now = Date.now();
    await library.types.repo.seedType(this.ctx.db, { code: t.code, name_zh: t.nameZh, name_en: t.nameEn, number_prefix: t.numberPrefix, flow_code: null, review_months: t.reviewMonths, built_in: 0, created_at: now, updated_at: now });
    const steps = fromJson<RunbookStep[]>(version.steps);
    const checkIds = steps.map((s) => s.checkId).filter((x): x is string => Boolean(x));
    const checkNames = new Map(checkIds.length ? (await this.ctx.db.selectFrom('check_definition').select(['id', 'name']).where('id', 'in', checkIds).execute()).map((c) => [c.id, c.name]) : []);
    const names = await this.#names([runbook], systemActor());
    const scope = [...fromJson<string[]>(runbook.type_ids).map((id) => `故障类型 ${names.types.get(id) ?? id}`), ...fromJson<string[]>(runbook.ci_classes).map((c) => `配置项类别 ${names.classes.get(c) ?? c}`)];
    const body = runbookDocumentBody({ name: runbook.name, description: runbook.description, label: version.label, scope, steps, checkNames });
    // The library's writes are a person's: the approver (or publisher), with the runbook module's reach.
    const person = version.approved_by ?? runbook.owner_id;
    const user = person ? await this.ctx.db.selectFrom('user').select(['id', 'username']).where('id', '=', person).executeTakeFirst() : undefined;
    if (!user) {
      return;
    }
    const actor: Actor = { ...systemActor('incidents'), userId: user.id, username: user.username };
    const note = `故障处理方案 ${version.label}${version.change_note ? `：${version.change_note}` : ''}`.slice(0, 500);
    let documentId = runbook.document_id;
    if (documentId && (await this.ctx.db.selectFrom('document').select('status').where('id', '=', documentId).executeTakeFirst())?.status === 'published') {
      await library.documents.newVersion(actor, documentId, { changeNote: note }, body);
    } else {
      documentId = (await library.documents.create(actor, { typeCode: t.code, title: `故障处理方案：${runbook.name}`.slice(0, 200), body, changeNote: note, orgUnitId: runbook.org_unit_id })).id;
    }
    await library.documents.submit(actor, documentId, note);
    const filed = await library.documents.publish(actor, documentId, note);
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('incident_runbook').set({ document_id: documentId }).where('id', '=', runbook.id).execute();
      await trx.updateTable('incident_runbook_version').set({ filed_label: filed.versions[0]?.label ?? version.label }).where('id', '=', version.id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'incidents.runbook.file', targetType: 'incident_runbook', targetId: runbook.id, after: { version: version.label, documentId, documentNumber: filed.number } });
    });
  }

  // ------------------------------------------------------------ helpers

  async #publish(trx: Kysely<Database>, version: IncidentRunbookVersionTable, by: string | null, at: number): Promise<void> {
    const runbook = await this.#find(trx, version.runbook_id);
    if (runbook.published_version_id && runbook.published_version_id !== version.id) {
      await trx.updateTable('incident_runbook_version').set({ status: 'superseded' }).where('id', '=', runbook.published_version_id).where('status', '=', 'published').execute();
    }
    await trx.updateTable('incident_runbook_version').set({ status: 'published', approved_by: by, approved_at: at, published_at: at }).where('id', '=', version.id).execute();
    await trx.updateTable('incident_runbook').set({ status: 'published', published_version_id: version.id, updated_at: at }).where('id', '=', version.runbook_id).execute();
  }

  #newVersion(runbookId: string, l: { label: string; major: number; minor: number }, steps: RunbookStep[], changeNote: string, actor: Actor, now: number): IncidentRunbookVersionTable {
    return {
      id: uuidv7(),
      runbook_id: runbookId,
      label: l.label,
      major: l.major,
      minor: l.minor,
      steps: toJson(steps),
      status: 'draft',
      change_note: changeNote.trim(),
      created_by: actor.userId,
      created_at: now,
      submitted_at: null,
      approval_request_id: null,
      approved_by: null,
      approved_at: null,
      published_at: null,
      filed_label: null,
    };
  }

  async #find(db: Kysely<Database>, id: string): Promise<IncidentRunbookTable> {
    const row = await db.selectFrom('incident_runbook').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) {
      throw new AppError('YW_INCIDENT_RUNBOOK_NOT_FOUND', { field: 'params.id', id });
    }
    return row;
  }

  async #checkScope(db: Kysely<Database>, input: { typeIds?: string[] | undefined; ciClasses?: string[] | undefined }): Promise<{ typeIds: string[]; ciClasses: string[] }> {
    const typeIds = input.typeIds ?? [];
    const ciClasses = input.ciClasses ?? [];
    const types = new Set(typeIds.length ? (await db.selectFrom('incident_type').select('id').where('id', 'in', typeIds).execute()).map((t) => t.id) : []);
    const missingType = typeIds.findIndex((t) => !types.has(t));
    if (missingType >= 0) {
      throw invalidField(`body.typeIds.${missingType}`, { zh: '故障类型不存在', en: 'no such fault type' });
    }
    const classes = new Set(ciClasses.length ? (await db.selectFrom('cmdb_class').select('code').where('code', 'in', ciClasses).execute()).map((c) => c.code) : []);
    const missingClass = ciClasses.findIndex((c) => !classes.has(c));
    if (missingClass >= 0) {
      throw invalidField(`body.ciClasses.${missingClass}`, { zh: '配置项类别不存在', en: 'no such CI class' });
    }
    return { typeIds, ciClasses };
  }

  async #checkSteps(db: Kysely<Database>, raw: readonly RunbookStep[]): Promise<RunbookStep[]> {
    const ids = raw.map((s) => s.checkId).filter((x): x is string => Boolean(x));
    const known = new Set(ids.length ? (await db.selectFrom('check_definition').select('id').where('id', 'in', ids).execute()).map((c) => c.id) : []);
    const problem = stepProblem(raw, (id) => known.has(id));
    if (problem) {
      throw invalidField(problem.field, problem.message);
    }
    return normaliseSteps(raw);
  }

  async #names(rows: readonly IncidentRunbookTable[], actor: Actor, extraUsers: (string | null)[] = []) {
    const en = actor.locale === 'en';
    const typeIds = [...new Set(rows.flatMap((r) => fromJson<string[]>(r.type_ids)))];
    const classCodes = [...new Set(rows.flatMap((r) => fromJson<string[]>(r.ci_classes)))];
    const userIds = [...new Set([...rows.map((r) => r.owner_id), ...extraUsers].filter((x): x is string => Boolean(x)))];
    const types = typeIds.length ? await this.ctx.db.selectFrom('incident_type').select(['id', 'name_zh', 'name_en']).where('id', 'in', typeIds).execute() : [];
    const classes = classCodes.length ? await this.ctx.db.selectFrom('cmdb_class').select(['code', 'name_zh', 'name_en']).where('code', 'in', classCodes).execute() : [];
    const users = userIds.length ? await this.ctx.db.selectFrom('user').select(['id', 'username', 'display_name']).where('id', 'in', userIds).execute() : [];
    return {
      types: new Map(types.map((t) => [t.id, en ? t.name_en : t.name_zh])),
      classes: new Map(classes.map((c) => [c.code, en ? c.name_en : c.name_zh])),
      users: new Map(users.map((u) => [u.id, u.display_name || u.username])),
    };
  }
}
