import { createHash } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import { pickText, type Locale } from '@yunwei/contracts/i18n';
import type { Kysely } from 'kysely';
import {
  INSPECTION_PERMISSIONS as P,
  PHOTO_MAX_BYTES,
  PHOTO_TYPES,
  type InspectionItem,
  type InspectionRecord,
  type InspectionRecordList,
  type InspectionRecordQuery,
  type InspectionRecordSummary,
  type InspectionResult,
  type InspectionResultFill,
  type InspectionVerify,
  type VerdictTotals,
} from '@yunwei/contracts/inspections';
import type { Database } from '../../db/schema.js';
import { fromJson, isUniqueViolation, lockChain, toJson } from '../../db/dialect.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { scopeOf } from '../cmdb/cmdb.shared.js';
import { AuthService } from '../identity/auth.service.js';
import { evaluate } from './evaluate.js';
import type { InspectionRecordTable, InspectionResultTable } from './inspections.tables.js';
import { requireResultReach, resultsInScope } from './record-scope.js';
import { detailIn } from './result-detail.js';
import { GENESIS_HASH, recordHash } from './record-hash.js';
import { reachable, resolveScope } from './scope.js';
import { TemplateService } from './template.service.js';

/** Serialises sign-offs on PostgreSQL (the chain's "previous hash" must be read by one signer at a time). */
const SIGN_CHAIN_LOCK_KEY = 7_202_631;

export interface RunOrigin {
  scheduleId: string;
  scheduleName: string;
  dueAt: number;
  responsibleRole: string | null;
}

export function totalsOf(results: readonly Pick<InspectionResultTable, 'verdict'>[]): VerdictTotals {
  const t: VerdictTotals = { normal: 0, abnormal: 0, unavailable: 0, no_data: 0, pending: 0, total: results.length };
  for (const r of results) {
    t[r.verdict as keyof Omit<VerdictTotals, 'total'>]++;
  }
  return t;
}

/** A row as its reader sees it: machine-written details in their language (see result-detail.ts). */
function resultView(r: InspectionResultTable, locale: Locale): InspectionResult {
  return {
    id: r.id,
    ciId: r.ci_id,
    ciName: r.ci_name,
    itemKey: r.item_key,
    itemName: r.item_name,
    kind: r.kind as InspectionResult['kind'],
    value: r.value === null ? null : Number(r.value),
    unit: r.unit,
    detail: detailIn(r.detail, locale),
    limit: r.limit_text,
    verdict: r.verdict as InspectionResult['verdict'],
    note: r.note,
    hasPhoto: r.photo_file !== null,
    filledBy: r.filled_by,
    filledAt: r.filled_at === null ? null : Number(r.filled_at),
  };
}

const num = (v: number | null) => (v === null ? null : Number(v));

/** Magic numbers of the photo types accepted (the Content-Type header alone proves nothing). */
function looksLike(type: string, body: Buffer): boolean {
  if (type === 'image/jpeg') {
    return body[0] === 0xff && body[1] === 0xd8 && body[2] === 0xff;
  }
  if (type === 'image/png') {
    return body.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  }
  return body.subarray(0, 4).toString('latin1') === 'RIFF' && body.subarray(8, 12).toString('latin1') === 'WEBP';
}

const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/**
 * Inspection records: a run evaluates the template's automatic items per CI from the metrics store;
 * the inspector fills the manual ones and signs off with the password. Signing stores a SHA-256 over
 * the canonical record content chained to the previously signed record; from then on every write is
 * refused (409 naming the record) and `verify` recomputes the hash.
 *
 * Data scope: per CI, through the CMDB's org unit of each row's CI (not a unit of the record or its
 * schedule — a class template spans units, and the CMDB stays the one place a unit is kept). A reader
 * sees a record with at least one row of a CI in their scope, and only those rows (totals too); a run
 * by someone scoped covers their CIs only; filling a row needs run scope over its CI, signing over all.
 */
export class RecordService {
  private readonly templates: TemplateService;

  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit' | 'config' | 'permissions' | 'events' | 'secrets' | 'files'>) {
    this.templates = new TemplateService(ctx);
  }

  /** A photo's key in the file store (`photo_file` is `<record id>/<file>`). */
  #photoKey(file: string): string {
    return `inspection-photos/${file}`;
  }

  /** Runs the template now (or for a schedule's due time). Returns null when that due time already has its record. */
  async run(actor: Actor, templateId: string, now = Date.now(), origin: RunOrigin | null = null): Promise<InspectionRecord | null> {
    const template = await this.templates.get(actor, templateId, P.recordRun);
    const cis = reachable(actor, P.recordRun, await resolveScope(this.ctx.db, template.scope));
    if (cis.length === 0) {
      throw new AppError('YW_INSPECTION_SCOPE_EMPTY', { templateId, scope: template.scope });
    }
    const evaluated = await evaluate(this.ctx.db, cis, template.items, now);
    const record: InspectionRecordTable = {
      id: uuidv7(),
      template_id: template.id,
      template_name: template.name,
      template_version: template.version,
      items: toJson(template.items),
      schedule_id: origin?.scheduleId ?? null,
      schedule_name: origin?.scheduleName ?? null,
      due_at: origin?.dueAt ?? null,
      trigger: origin ? 'schedule' : 'manual',
      started_by: actor.userId,
      started_by_name: actor.username,
      responsible_role: origin?.responsibleRole ?? null,
      status: 'open',
      conclusion: '',
      created_at: now,
      signed_by: null,
      signed_by_name: null,
      signed_at: null,
      sign_seq: null,
      prev_hash: null,
      hash: null,
    };
    const results: InspectionResultTable[] = evaluated.map((e, position) => ({
      id: uuidv7(),
      record_id: record.id,
      position,
      ci_id: e.ciId,
      ci_name: e.ciName,
      item_key: e.item.key,
      item_name: e.item.name,
      kind: e.item.kind,
      value: e.value,
      unit: e.item.unit ?? (e.item.kind === 'fresh' ? 's' : ''),
      detail: e.detail,
      limit_text: e.limit,
      verdict: e.verdict,
      note: '',
      photo_file: null,
      photo_type: null,
      photo_size: null,
      photo_sha256: null,
      filled_by: null,
      filled_at: null,
    }));
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        await trx.insertInto('inspection_record').values(record).execute();
        for (let i = 0; i < results.length; i += 200) {
          await trx
            .insertInto('inspection_result')
            .values(results.slice(i, i + 200))
            .execute();
        }
        await this.ctx.audit.record(trx, {
          actor,
          action: 'inspections.record.run',
          targetType: 'inspection_record',
          targetId: record.id,
          after: { templateId, templateVersion: template.version, scheduleId: record.schedule_id, dueAt: record.due_at, cis: cis.length, totals: totalsOf(results) },
        });
      });
    } catch (error) {
      if (origin && isUniqueViolation(error)) {
        return null;
      }
      throw error;
    }
    return this.#full(this.ctx.db, record.id, actor.locale);
  }

  async list(actor: Actor, q: InspectionRecordQuery): Promise<InspectionRecordList> {
    const units = scopeOf(actor, P.recordRead);
    let query = this.ctx.db.selectFrom('inspection_record');
    // '' matches no unit: it keeps the list valid SQL when the reader reaches no unit at all.
    if (units) {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('inspection_result as r')
            .innerJoin('cmdb_ci as c', 'c.id', 'r.ci_id')
            .select('r.id')
            .whereRef('r.record_id', '=', 'inspection_record.id')
            .where('c.org_unit_id', 'in', [...units, '']),
        ),
      );
    }
    if (q.templateId) {
      query = query.where('template_id', '=', q.templateId);
    }
    if (q.status) {
      query = query.where('status', '=', q.status);
    }
    if (q.from !== undefined) {
      query = query.where('created_at', '>=', q.from);
    }
    if (q.to !== undefined) {
      query = query.where('created_at', '<', q.to);
    }
    const { n } = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await query
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .offset(q.offset ?? 0)
      .limit(q.limit ?? 50)
      .execute();
    const stats = await this.#stats(rows.map((r) => r.id), units);
    return { items: rows.map((r) => this.#summary(r, stats.get(r.id))), total: Number(n) };
  }

  /** A record with the rows of CIs in the actor's scope; none there, and it does not exist for them. */
  async get(actor: Actor, id: string): Promise<InspectionRecord> {
    const record = await this.#record(this.ctx.db, id);
    const results = await resultsInScope(this.ctx.db, actor, P.recordRead, await this.#results(this.ctx.db, id));
    if (results.length === 0) {
      throw new AppError('YW_INSPECTION_RECORD_NOT_FOUND', { id });
    }
    return this.#view(record, results, actor.locale);
  }

  /** Every row: for the one who ran or signed it, whose scope covered them all. */
  async #full(db: Kysely<Database>, id: string, locale: Locale): Promise<InspectionRecord> {
    return this.#view(await this.#record(db, id), await this.#results(db, id), locale);
  }

  #view(record: InspectionRecordTable, results: InspectionResultTable[], locale: Locale): InspectionRecord {
    return {
      ...this.#summary(record, { totals: totalsOf(results), cis: new Set(results.map((r) => r.ci_id)).size }),
      items: fromJson<InspectionItem[]>(record.items),
      results: results.map((r) => resultView(r, locale)),
      prevHash: record.prev_hash,
      conclusion: record.conclusion,
    };
  }

  /** Fills a manual item (verdict, note) or annotates an automatic one (note only). */
  async fill(actor: Actor, id: string, resultId: string, input: InspectionResultFill): Promise<InspectionResult> {
    return this.ctx.db.transaction().execute(async (trx) => {
      await this.#record(trx, id);
      const before = await this.#result(trx, id, resultId);
      await requireResultReach(trx, actor, P.recordRun, before);
      await this.#open(trx, id);
      if (input.verdict !== undefined && before.kind !== 'manual') {
        throw invalidField('body.verdict', { zh: '只有人工巡检项由巡检人填写结论，自动巡检项由测量得出', en: 'only manual items take a verdict from the inspector; automatic items are measured' });
      }
      const changes: Partial<InspectionResultTable> = { filled_by: actor.username, filled_at: Date.now() };
      if (input.verdict !== undefined) {
        changes.verdict = input.verdict;
      }
      if (input.note !== undefined) {
        changes.note = input.note;
      }
      await trx.updateTable('inspection_result').set(changes).where('id', '=', resultId).execute();
      const after = { ...before, ...changes };
      await this.ctx.audit.record(trx, {
        actor,
        action: 'inspections.record.fill',
        targetType: 'inspection_record',
        targetId: id,
        before: { resultId, verdict: before.verdict, note: before.note },
        after: { resultId, verdict: after.verdict, note: after.note },
      });
      return resultView(after, actor.locale);
    });
  }

  /** Stores a photo of an item (JPEG / PNG / WebP, ≤ 5 MiB) in the file store (shared by the nodes of a cluster). */
  async putPhoto(actor: Actor, id: string, resultId: string, contentType: string, body: Buffer): Promise<InspectionResult> {
    const type = contentType.split(';')[0]!.trim().toLowerCase();
    if (!(PHOTO_TYPES as readonly string[]).includes(type) || body.length === 0 || body.length > PHOTO_MAX_BYTES || !looksLike(type, body)) {
      throw new AppError('YW_INSPECTION_PHOTO_INVALID', { field: 'body', contentType: type, size: body.length, maxBytes: PHOTO_MAX_BYTES, types: [...PHOTO_TYPES] });
    }
    // Check before writing the file, so a refused request leaves nothing behind.
    await this.#record(this.ctx.db, id);
    await requireResultReach(this.ctx.db, actor, P.recordRun, await this.#result(this.ctx.db, id, resultId));
    await this.#open(this.ctx.db, id);
    const file = `${id}/${resultId}-${Date.now().toString(36)}.${EXT[type]}`;
    await this.ctx.files.put(this.#photoKey(file), body);
    const sha = createHash('sha256').update(body).digest('hex');
    try {
      return await this.ctx.db.transaction().execute(async (trx) => {
        await this.#open(trx, id);
        const before = await this.#result(trx, id, resultId);
        const changes = { photo_file: file, photo_type: type, photo_size: body.length, photo_sha256: sha, filled_by: actor.username, filled_at: Date.now() };
        await trx.updateTable('inspection_result').set(changes).where('id', '=', resultId).execute();
        await this.ctx.audit.record(trx, { actor, action: 'inspections.record.photo', targetType: 'inspection_record', targetId: id, before: { resultId, photoSha256: before.photo_sha256 }, after: { resultId, photoSha256: sha, size: body.length, type } });
        return resultView({ ...before, ...changes }, actor.locale);
      });
    } catch (error) {
      await this.ctx.files.remove(this.#photoKey(file));
      throw error;
    }
  }

  async photo(actor: Actor, id: string, resultId: string): Promise<{ type: string; body: Buffer }> {
    await this.#record(this.ctx.db, id);
    const r = await this.#result(this.ctx.db, id, resultId);
    await requireResultReach(this.ctx.db, actor, P.recordRead, r);
    if (!r.photo_file || !r.photo_type) {
      throw new AppError('YW_INSPECTION_PHOTO_NOT_FOUND', { id, resultId });
    }
    const body = await this.ctx.files.get(this.#photoKey(r.photo_file));
    if (!body) {
      throw new AppError('YW_INSPECTION_PHOTO_NOT_FOUND', { id, resultId });
    }
    return { type: r.photo_type, body };
  }

  /**
   * Signs the record off: the signer re-enters the password; every manual item must be filled. Stores
   * signer, time and the SHA-256 over the canonical content chained to the previously signed record.
   */
  async sign(actor: Actor, id: string, password: string, conclusion: string | undefined): Promise<InspectionRecord> {
    if (actor.kind !== 'user' || !actor.userId) {
      throw new AppError('YW_INSPECTION_SIGNER_NOT_USER');
    }
    // Asked before the password: the signer vouches for every row, so their run scope must cover all its CIs.
    const all = await this.#results(this.ctx.db, id);
    const runnable = await resultsInScope(this.ctx.db, actor, P.recordRun, all);
    if (runnable.length < all.length || all.length === 0) {
      if ((await resultsInScope(this.ctx.db, actor, P.recordRead, all)).length === 0) {
        throw new AppError('YW_INSPECTION_RECORD_NOT_FOUND', { id });
      }
      throw new AppError('YW_OUT_OF_SCOPE', { permission: P.recordRun, recordId: id, outOfScope: all.length - runnable.length });
    }
    let user;
    try {
      user = await new AuthService(this.ctx, this.ctx.secrets).confirmPassword(actor, password, 'body.password');
    } catch (error) {
      await this.ctx.audit.recordNow({ actor, action: 'inspections.record.sign', targetType: 'inspection_record', targetId: id, outcome: 'failure', after: { reason: 'wrong password' } });
      throw error;
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      await lockChain(trx, SIGN_CHAIN_LOCK_KEY);
      const record = await this.#open(trx, id);
      const results = await this.#results(trx, id);
      const pending = results.filter((r) => r.verdict === 'pending');
      if (pending.length) {
        throw new AppError('YW_INSPECTION_NOT_FILLED', { recordId: id, pending: pending.map((r) => `${r.ci_name} / ${r.item_name}`).slice(0, 20) });
      }
      const last = await trx.selectFrom('inspection_record').select(['hash', 'sign_seq']).where('sign_seq', 'is not', null).orderBy('sign_seq', 'desc').limit(1).executeTakeFirst();
      const prevHash = last?.hash ?? GENESIS_HASH;
      const signed: InspectionRecordTable = {
        ...record,
        status: 'signed',
        conclusion: conclusion ?? record.conclusion,
        signed_by: actor.userId,
        signed_by_name: user.display_name ? `${user.display_name} (${user.username})` : user.username,
        signed_at: Date.now(),
        sign_seq: (num(last?.sign_seq ?? null) ?? 0) + 1,
        prev_hash: prevHash,
        hash: null,
      };
      signed.hash = recordHash(signed, results, prevHash);
      const done = await trx
        .updateTable('inspection_record')
        .set({ status: 'signed', conclusion: signed.conclusion, signed_by: signed.signed_by, signed_by_name: signed.signed_by_name, signed_at: signed.signed_at, sign_seq: signed.sign_seq, prev_hash: prevHash, hash: signed.hash })
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) {
        throw new AppError('YW_INSPECTION_RECORD_SIGNED', { recordId: id });
      }
      await this.ctx.audit.record(trx, { actor, action: 'inspections.record.sign', targetType: 'inspection_record', targetId: id, after: { hash: signed.hash, prevHash, signSeq: signed.sign_seq, totals: totalsOf(results) } });
    });
    return this.#full(this.ctx.db, id, actor.locale);
  }

  /** Recomputes a signed record's hash from what is stored now, and checks its link to the previous one. */
  async verify(actor: Actor, id: string): Promise<InspectionVerify> {
    await this.get(actor, id);
    const record = await this.#record(this.ctx.db, id);
    if (record.status !== 'signed' || !record.hash) {
      return { id, signed: false, valid: false, storedHash: null, computedHash: null, chainValid: false, message: pickText({ zh: '尚未签字', en: 'not signed yet' }, actor.locale) };
    }
    const results = await this.#results(this.ctx.db, id);
    const computed = recordHash(record, results, record.prev_hash ?? GENESIS_HASH);
    const seq = Number(record.sign_seq);
    const previous = seq > 1 ? await this.ctx.db.selectFrom('inspection_record').select('hash').where('sign_seq', '=', seq - 1).executeTakeFirst() : { hash: GENESIS_HASH };
    const chainValid = previous?.hash === record.prev_hash;
    let photosValid = true;
    for (const r of results) {
      if (r.photo_file) {
        const body = await this.ctx.files.get(this.#photoKey(r.photo_file)).catch(() => null);
        photosValid &&= body !== null && createHash('sha256').update(body).digest('hex') === r.photo_sha256;
      }
    }
    const valid = computed === record.hash && photosValid;
    const message = !valid
      ? photosValid
        ? { zh: '记录在签字后被改动过', en: 'the record was changed after it was signed' }
        : { zh: '有照片在签字后被更换或删除', en: 'a photo was changed or removed after signing' }
      : chainValid
        ? { zh: '完整', en: 'intact' }
        : { zh: '本记录完整，但上一份已签字记录与其链接不符', en: 'intact, but the previous signed record does not match its link' };
    return { id, signed: true, valid, storedHash: record.hash, computedHash: computed, chainValid, message: pickText(message, actor.locale) };
  }

  #summary(r: InspectionRecordTable, stats: { totals: VerdictTotals; cis: number } | undefined): InspectionRecordSummary {
    return {
      id: r.id,
      templateId: r.template_id,
      templateName: r.template_name,
      templateVersion: Number(r.template_version),
      scheduleId: r.schedule_id,
      scheduleName: r.schedule_name,
      dueAt: num(r.due_at),
      trigger: r.trigger,
      startedBy: r.started_by,
      startedByName: r.started_by_name,
      responsibleRole: r.responsible_role,
      createdAt: Number(r.created_at),
      status: r.status,
      totals: stats?.totals ?? totalsOf([]),
      ciCount: stats?.cis ?? 0,
      signedBy: r.signed_by,
      signedByName: r.signed_by_name,
      signedAt: num(r.signed_at),
      hash: r.hash,
    };
  }

  /** Totals and CI counts of records, over the rows of CIs in `units` (null: all rows). */
  async #stats(ids: readonly string[], units: ReadonlySet<string> | null): Promise<Map<string, { totals: VerdictTotals; cis: number }>> {
    const out = new Map<string, { totals: VerdictTotals; cis: number }>();
    if (ids.length === 0) {
      return out;
    }
    let scoped = this.ctx.db.selectFrom('inspection_result as r').where('r.record_id', 'in', [...ids]);
    if (units) {
      scoped = scoped.where((eb) => eb.exists(eb.selectFrom('cmdb_ci as c').select('c.id').whereRef('c.id', '=', 'r.ci_id').where('c.org_unit_id', 'in', [...units, ''])));
    }
    const rows = await scoped
      .select(['r.record_id', 'r.verdict', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['r.record_id', 'r.verdict'])
      .execute();
    const cis = await scoped
      .select(['r.record_id', (eb) => eb.fn.count<number>('r.ci_id').distinct().as('cis')])
      .groupBy('r.record_id')
      .execute();
    for (const r of rows) {
      const s = out.get(r.record_id) ?? { totals: totalsOf([]), cis: 0 };
      s.totals[r.verdict as keyof Omit<VerdictTotals, 'total'>] += Number(r.n);
      s.totals.total += Number(r.n);
      out.set(r.record_id, s);
    }
    for (const c of cis) {
      const s = out.get(c.record_id);
      if (s) {
        s.cis = Number(c.cis);
      }
    }
    return out;
  }

  async #record(db: Kysely<Database>, id: string): Promise<InspectionRecordTable> {
    const row = await db.selectFrom('inspection_record').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) {
      throw new AppError('YW_INSPECTION_RECORD_NOT_FOUND', { id });
    }
    return row;
  }

  /** The record, refusing any change once it is signed (409 naming it). */
  async #open(db: Kysely<Database>, id: string): Promise<InspectionRecordTable> {
    const row = await this.#record(db, id);
    if (row.status === 'signed') {
      throw new AppError('YW_INSPECTION_RECORD_SIGNED', { recordId: id, signedAt: num(row.signed_at), signedBy: row.signed_by_name });
    }
    return row;
  }

  async #results(db: Kysely<Database>, id: string): Promise<InspectionResultTable[]> {
    return db.selectFrom('inspection_result').selectAll().where('record_id', '=', id).orderBy('position').execute();
  }

  async #result(db: Kysely<Database>, id: string, resultId: string): Promise<InspectionResultTable> {
    const row = await db.selectFrom('inspection_result').selectAll().where('id', '=', resultId).where('record_id', '=', id).executeTakeFirst();
    if (!row) {
      throw new AppError('YW_INSPECTION_RESULT_NOT_FOUND', { recordId: id, resultId });
    }
    return row;
  }
}
