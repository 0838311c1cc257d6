import type { Kysely } from 'kysely';
import { BUILT_IN_DOCUMENT_TYPES, LIBRARY_DEFAULT_FLOW, type LibraryType, type LibraryTypeCreate, type LibraryTypeList, type LibraryTypeUpdate } from '@yunwei/contracts/library';
import { isUniqueViolation } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { LibraryRepository } from './library.repository.js';
import type { DocumentTypeTable } from './library.tables.js';

const typeAudit = (t: DocumentTypeTable) => ({ code: t.code, nameZh: t.name_zh, nameEn: t.name_en, numberPrefix: t.number_prefix, flowCode: t.flow_code, reviewMonths: t.review_months, builtIn: t.built_in === 1 });

/**
 * Document types as data: the 15 built-in ones are seeded at start (never deleted; their names, flow and
 * review period may change), administrators add their own. Every write is audited in its transaction.
 */
export class LibraryTypesService {
  readonly repo: LibraryRepository;

  constructor(
    private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>,
    private readonly now: () => number = Date.now,
  ) {
    this.repo = new LibraryRepository(ctx.db);
  }

  /** Inserts the built-in types that are missing (every start, any node: a type already there is left as is). */
  async seed(): Promise<void> {
    const now = this.now();
    for (const t of BUILT_IN_DOCUMENT_TYPES) {
      await this.repo.seedType(this.ctx.db, { code: t.code, name_zh: t.nameZh, name_en: t.nameEn, number_prefix: t.numberPrefix, flow_code: LIBRARY_DEFAULT_FLOW, review_months: t.reviewMonths, built_in: 1, created_at: now, updated_at: now });
    }
  }

  async list(actor: Actor): Promise<LibraryTypeList> {
    const flows = new Map((await this.repo.flows()).map((f) => [f.code, f]));
    // Built-in types in the order of the standard's list, then the organisation's own as they were added.
    const rank = (code: string) => {
      const i = BUILT_IN_DOCUMENT_TYPES.findIndex((t) => t.code === code);
      return i < 0 ? BUILT_IN_DOCUMENT_TYPES.length : i;
    };
    const rows = (await this.repo.types()).sort((a, b) => rank(a.code) - rank(b.code));
    return rows.map((row) => this.#view(row, Number(row.document_count ?? 0), flows, actor));
  }

  async create(actor: Actor, input: LibraryTypeCreate): Promise<LibraryType> {
    const now = this.now();
    const row: DocumentTypeTable = {
      code: input.code,
      name_zh: input.nameZh.trim(),
      name_en: input.nameEn.trim(),
      number_prefix: input.numberPrefix,
      flow_code: input.flowCode ?? null,
      review_months: input.reviewMonths,
      built_in: 0,
      created_at: now,
      updated_at: now,
    };
    await this.#write(async (trx) => {
      if (await this.repo.type(input.code, trx)) {
        throw new AppError('YW_LIBRARY_TYPE_CODE_TAKEN', { field: 'body.code', code: input.code });
      }
      await this.#requireFreePrefix(trx, input.numberPrefix, null);
      await this.#requireFlow(trx, row.flow_code);
      await this.repo.insertType(trx, row);
      await this.ctx.audit.record(trx, { actor, action: 'library.type.create', targetType: 'document_type', targetId: row.code, after: typeAudit(row) });
    });
    return this.get(actor, row.code);
  }

  async update(actor: Actor, code: string, input: LibraryTypeUpdate): Promise<LibraryType> {
    await this.#write(async (trx) => {
      const before = await this.require(trx, code);
      const patch: Partial<DocumentTypeTable> = { updated_at: this.now() };
      if (input.nameZh !== undefined) {patch.name_zh = input.nameZh.trim();}
      if (input.nameEn !== undefined) {patch.name_en = input.nameEn.trim();}
      if (input.numberPrefix !== undefined && input.numberPrefix !== before.number_prefix) {
        await this.#requireFreePrefix(trx, input.numberPrefix, code);
        patch.number_prefix = input.numberPrefix;
      }
      if (input.flowCode !== undefined) {
        await this.#requireFlow(trx, input.flowCode);
        patch.flow_code = input.flowCode;
      }
      if (input.reviewMonths !== undefined) {patch.review_months = input.reviewMonths;}
      await this.repo.updateType(trx, code, patch);
      await this.ctx.audit.record(trx, { actor, action: 'library.type.update', targetType: 'document_type', targetId: code, before: typeAudit(before), after: typeAudit({ ...before, ...patch }) });
    });
    return this.get(actor, code);
  }

  async remove(actor: Actor, code: string): Promise<void> {
    await this.#write(async (trx) => {
      const before = await this.require(trx, code);
      if (before.built_in === 1) {
        throw new AppError('YW_LIBRARY_TYPE_BUILTIN', { code });
      }
      const used = await this.repo.documentsOfType(trx, code);
      if (used > 0) {
        throw new AppError('YW_LIBRARY_TYPE_IN_USE', { code, documents: used });
      }
      await this.repo.deleteType(trx, code);
      await this.ctx.audit.record(trx, { actor, action: 'library.type.delete', targetType: 'document_type', targetId: code, before: typeAudit(before) });
    });
  }

  async get(actor: Actor, code: string): Promise<LibraryType> {
    const row = await this.require(this.ctx.db, code);
    const flows = new Map((await this.repo.flows()).map((f) => [f.code, f]));
    return this.#view(row, await this.repo.documentsOfType(this.ctx.db, code), flows, actor);
  }

  async require(db: Kysely<Database>, code: string): Promise<DocumentTypeTable> {
    const row = await this.repo.type(code, db);
    if (!row) {
      throw new AppError('YW_LIBRARY_TYPE_NOT_FOUND', { code });
    }
    return row;
  }

  #view(row: DocumentTypeTable, documentCount: number, flows: Map<string, { name_zh: string; name_en: string }>, actor: Actor): LibraryType {
    const flow = row.flow_code ? flows.get(row.flow_code) : undefined;
    return {
      code: row.code,
      nameZh: row.name_zh,
      nameEn: row.name_en,
      numberPrefix: row.number_prefix,
      flowCode: row.flow_code,
      flowName: flow ? (actor.locale === 'en' ? flow.name_en : flow.name_zh) : null,
      reviewMonths: Number(row.review_months),
      builtIn: row.built_in === 1,
      documentCount,
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
    };
  }

  async #requireFreePrefix(trx: Kysely<Database>, prefix: string, exceptCode: string | null): Promise<void> {
    const other = await this.repo.typeByPrefix(prefix, trx);
    if (other && other.code !== exceptCode) {
      throw new AppError('YW_LIBRARY_TYPE_PREFIX_TAKEN', { field: 'body.numberPrefix', numberPrefix: prefix, usedBy: other.code });
    }
  }

  async #requireFlow(trx: Kysely<Database>, flowCode: string | null): Promise<void> {
    if (flowCode !== null && !(await this.repo.flow(flowCode, trx))) {
      throw new AppError('YW_APPROVAL_FLOW_NOT_FOUND', { field: 'body.flowCode', flowCode });
    }
  }

  async #write(work: (trx: Kysely<Database>) => Promise<void>): Promise<void> {
    try {
      await this.ctx.db.transaction().execute(work);
    } catch (error) {
      // Two administrators adding the same code or prefix at once: the loser hears it as the first would.
      if (isUniqueViolation(error)) {
        throw new AppError('YW_CONFLICT', { field: 'body.code' });
      }
      throw error;
    }
  }
}
