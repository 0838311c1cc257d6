import type { Kysely, Transaction } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { LibraryBody } from '@yunwei/contracts/library';
import {
  LIBRARY_TEMPLATE_LIMITS,
  type LibraryProviderList,
  type LibraryTemplate,
  type LibraryTemplateCreate,
  type LibraryTemplateList,
  type LibraryTemplateListItem,
  type LibraryTemplateUpdate,
} from '@yunwei/contracts/library-templates';
import { fromJson, isUniqueViolation, toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { type Actor, can } from '../../platform/actor.js';
import type { ProviderRegistry } from '../../platform/documents/providers.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { validateBody } from './library-body.js';
import { SEED_TEMPLATES } from './library-template-seeds.js';
import { checkPlaceholders, referencesOf } from './library-template-placeholders.js';
import { LibraryTemplateRepository, type TemplateRow } from './library-template.repository.js';
import type { DocumentTemplateTable } from './library-template.tables.js';

/** A report scope as ReportsService.scope reads it (whether the CI or class exists is checked at generation). */
const SCOPE_TEXT = /^(?:all|businessSystem:[0-9a-fA-F-]{1,64}|ciClass:[a-z][a-z0-9_]{0,63})$/;

const person = (id: string | null, name: string | null) => (id ? { id, name: name ?? id } : null);
const templateAudit = (t: Pick<DocumentTemplateTable, 'type_code' | 'name' | 'description' | 'default_period' | 'default_scope' | 'body'>) => ({
  typeCode: t.type_code,
  name: t.name,
  description: t.description,
  defaultPeriod: t.default_period,
  defaultScope: t.default_scope,
  placeholders: referencesOf(fromJson<LibraryBody>(t.body)),
});

/**
 * Document templates: several per type, their placeholders checked against the registered data providers on
 * every save (an unknown provider or field is refused, named). Built-in ones are seeded at start and may be
 * changed, not deleted. Every write is audited in its transaction. Generation lives in library-template-generate.ts.
 */
export class LibraryTemplatesService {
  readonly repo: LibraryTemplateRepository;

  constructor(
    private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>,
    private readonly providers: ProviderRegistry,
    private readonly now: () => number = Date.now,
  ) {
    this.repo = new LibraryTemplateRepository(ctx.db);
  }

  /** The data providers for the editor's 插入数据 menu, with their fields, in the reader's language. */
  listProviders(actor: Actor): LibraryProviderList {
    const en = actor.locale === 'en';
    return this.providers
      .list()
      .map((p) => ({
        name: p.name,
        title: en ? p.title.en : p.title.zh,
        permission: p.permission,
        readable: can(actor, p.permission),
        fields: Object.entries(p.fields ?? {}).map(([key, f]) => ({ key, title: en ? f.title.en : f.title.zh, format: f.format })),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async seed(): Promise<void> {
    const now = this.now();
    for (const s of SEED_TEMPLATES) {
      await this.repo.seed(this.ctx.db, { id: uuidv7(), type_code: s.typeCode, name: s.name, description: s.description, body: toJson(s.body), default_period: s.defaultPeriod, default_scope: 'all', seed_key: s.key, created_at: now, created_by: null, updated_at: now, updated_by: null });
    }
  }

  async list(actor: Actor, typeCode?: string): Promise<LibraryTemplateList> {
    return (await this.repo.list(typeCode)).map((r) => this.#item(actor, r));
  }

  async get(actor: Actor, id: string): Promise<LibraryTemplate> {
    return this.#view(actor, await this.#row(id));
  }

  async create(actor: Actor, input: LibraryTemplateCreate): Promise<LibraryTemplate> {
    this.#check(input.body, input.defaultScope);
    const now = this.now();
    const row: DocumentTemplateTable = {
      id: uuidv7(),
      type_code: input.typeCode,
      name: input.name.trim(),
      description: input.description?.trim() ?? '',
      body: toJson(input.body),
      default_period: input.defaultPeriod ?? 'month',
      default_scope: input.defaultScope?.trim() || 'all',
      seed_key: null,
      created_at: now,
      created_by: actor.userId,
      updated_at: now,
      updated_by: actor.userId,
    };
    await this.#write(async (trx) => {
      if (!(await trx.selectFrom('document_type').select('code').where('code', '=', input.typeCode).executeTakeFirst())) {
        throw new AppError('YW_LIBRARY_TYPE_NOT_FOUND', { field: 'body.typeCode', code: input.typeCode });
      }
      if ((await this.repo.countOfType(input.typeCode, trx)) >= LIBRARY_TEMPLATE_LIMITS.perType) {
        throw invalidField('body.typeCode', { zh: `每种文档类型最多 ${LIBRARY_TEMPLATE_LIMITS.perType} 个模板`, en: `a document type has at most ${LIBRARY_TEMPLATE_LIMITS.perType} templates` });
      }
      await this.repo.insert(trx, row);
      await this.ctx.audit.record(trx, { actor, action: 'library.template.create', targetType: 'library_template', targetId: row.id, after: templateAudit(row) });
    });
    return this.get(actor, row.id);
  }

  async update(actor: Actor, id: string, input: LibraryTemplateUpdate): Promise<LibraryTemplate> {
    if (input.body) {
      this.#check(input.body, input.defaultScope);
    } else {
      checkScope(input.defaultScope);
    }
    await this.#write(async (trx) => {
      const before = await this.#row(id, trx);
      const patch: Partial<DocumentTemplateTable> = { updated_at: this.now(), updated_by: actor.userId };
      if (input.name !== undefined) {
        patch.name = input.name.trim();
      }
      if (input.description !== undefined) {
        patch.description = input.description.trim();
      }
      if (input.body !== undefined) {
        patch.body = toJson(input.body);
      }
      if (input.defaultPeriod !== undefined) {
        patch.default_period = input.defaultPeriod;
      }
      if (input.defaultScope !== undefined) {
        patch.default_scope = input.defaultScope.trim() || 'all';
      }
      await this.repo.update(trx, id, patch);
      await this.ctx.audit.record(trx, { actor, action: 'library.template.update', targetType: 'library_template', targetId: id, before: templateAudit(before), after: templateAudit({ ...before, ...patch }) });
    });
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.#write(async (trx) => {
      const before = await this.#row(id, trx);
      if (before.seed_key !== null) {
        throw new AppError('YW_LIBRARY_TEMPLATE_BUILTIN', { id });
      }
      await this.repo.delete(trx, id);
      await this.ctx.audit.record(trx, { actor, action: 'library.template.delete', targetType: 'library_template', targetId: id, before: templateAudit(before) });
    });
  }

  /** The template's row (404 when there is none). */
  async row(id: string): Promise<TemplateRow> {
    return this.#row(id);
  }

  // ------------------------------------------------------------ helpers

  #check(body: LibraryBody, scope: string | undefined): void {
    checkScope(scope);
    validateBody(body);
    checkPlaceholders(body, this.providers, LIBRARY_TEMPLATE_LIMITS.placeholders);
  }

  async #row(id: string, db?: Kysely<Database>): Promise<TemplateRow> {
    const row = await this.repo.get(id, db);
    if (!row) {
      throw new AppError('YW_LIBRARY_TEMPLATE_NOT_FOUND', { id });
    }
    return row;
  }

  async #write(work: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
    try {
      await this.ctx.db.transaction().execute(work);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw invalidField('body.name', { zh: '该文档类型已有同名模板', en: 'this document type already has a template of this name' });
      }
      throw error;
    }
  }

  #item(actor: Actor, r: TemplateRow): LibraryTemplateListItem {
    return {
      id: r.id,
      type: { code: r.type_code, name: actor.locale === 'en' ? r.type_name_en : r.type_name_zh },
      name: r.name,
      description: r.description,
      defaultPeriod: r.default_period,
      defaultScope: r.default_scope,
      placeholders: referencesOf(fromJson<LibraryBody>(r.body)),
      builtIn: r.seed_key !== null,
      createdAt: Number(r.created_at),
      createdBy: person(r.created_by, r.created_by_name),
      updatedAt: Number(r.updated_at),
      updatedBy: person(r.updated_by, r.updated_by_name),
    };
  }

  #view(actor: Actor, r: TemplateRow): LibraryTemplate {
    return { ...this.#item(actor, r), body: fromJson<LibraryBody>(r.body) };
  }
}

function checkScope(scope: string | undefined): void {
  if (scope !== undefined && scope.trim() !== '' && !SCOPE_TEXT.test(scope.trim())) {
    throw invalidField('body.defaultScope', { zh: '应为 all、businessSystem:<业务系统 ID> 或 ciClass:<类别代码>', en: 'must be all, businessSystem:<business system id> or ciClass:<class code>' });
  }
}
