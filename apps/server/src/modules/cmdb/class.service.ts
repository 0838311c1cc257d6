import { uuidv7 } from 'uuidv7';
import { BUILTIN_CLASS_CODES, type CiClass, type CiClassCreate, type CiClassUpdate } from '@yunwei/contracts/cmdb';
import { isUniqueViolation, toJson } from '../../db/dialect.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { checkClassDefinition } from './attributes.js';
import { BUILTIN_CLASSES } from './builtin-classes.js';
import { CmdbRepository, type ClassRow } from './cmdb.repository.js';
import { type ClassDef, classDef, classView, isForeignKeyViolation, problemsError } from './cmdb.shared.js';

/** CI classes: the built-in ones (seeded at start) and custom ones with their attribute definitions. */
export class ClassService {
  private readonly repo: CmdbRepository;

  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>) {
    this.repo = new CmdbRepository(ctx.db);
  }

  async list(): Promise<CiClass[]> {
    return (await this.repo.listClasses()).map((r) => classView(r, r.ci_count));
  }

  async get(id: string): Promise<CiClass> {
    const row = await this.repo.findClass(id);
    if (!row) {
      throw new AppError('YW_CMDB_CLASS_NOT_FOUND', { id });
    }
    return classView(row, await this.repo.ciCountOfClass(id));
  }

  /** The class with parsed definitions; 404 naming `field` when it does not exist. */
  async require(id: string, field: string): Promise<ClassDef> {
    const row = await this.repo.findClass(id);
    if (!row) {
      throw new AppError('YW_CMDB_CLASS_NOT_FOUND', { field, id });
    }
    return classDef(row);
  }

  async create(actor: Actor, input: CiClassCreate): Promise<CiClass> {
    const { attributes, problems } = checkClassDefinition(input);
    if (problems.length) {
      throw problemsError(problems, 'body');
    }
    if ((BUILTIN_CLASS_CODES as readonly string[]).includes(input.code) || (await this.repo.findClassByCode(input.code))) {
      throw new AppError('YW_CMDB_CLASS_CODE_TAKEN', { field: 'body.code' });
    }
    const now = Date.now();
    const row: ClassRow = {
      id: uuidv7(),
      code: input.code,
      name_zh: input.name.zh.trim(),
      name_en: input.name.en.trim(),
      builtin: 0,
      subtypes: toJson((input.subtypes ?? []).map((s) => ({ key: s.key, name: { zh: s.name.zh.trim(), en: s.name.en.trim() } }))),
      attributes: toJson(attributes),
      description: input.description ?? '',
      created_at: now,
      updated_at: now,
    };
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        await this.repo.insertClass(trx, row);
        await this.ctx.audit.record(trx, { actor, action: 'cmdb.class.create', targetType: 'cmdb_class', targetId: row.id, after: classView(row, 0) });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('YW_CMDB_CLASS_CODE_TAKEN', { field: 'body.code' });
      }
      throw error;
    }
    return this.get(row.id);
  }

  async update(actor: Actor, id: string, input: CiClassUpdate): Promise<CiClass> {
    const before = await this.get(id);
    if (before.builtin) {
      throw new AppError('YW_CMDB_CLASS_BUILTIN', { id });
    }
    const { attributes, problems } = checkClassDefinition({ subtypes: input.subtypes, attributes: input.attributes });
    if (problems.length) {
      throw problemsError(problems, 'body');
    }
    const patch: Partial<ClassRow> = { updated_at: Date.now() };
    if (input.name) {
      patch.name_zh = input.name.zh.trim();
      patch.name_en = input.name.en.trim();
    }
    if (input.subtypes) {
      patch.subtypes = toJson(input.subtypes.map((s) => ({ key: s.key, name: { zh: s.name.zh.trim(), en: s.name.en.trim() } })));
    }
    if (input.attributes) {
      patch.attributes = toJson(attributes);
    }
    if (input.description !== undefined) {
      patch.description = input.description;
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.repo.updateClass(trx, id, patch);
      const after = await new CmdbRepository(trx).findClass(id);
      await this.ctx.audit.record(trx, { actor, action: 'cmdb.class.update', targetType: 'cmdb_class', targetId: id, before, after: classView(after!, before.ciCount) });
    });
    return this.get(id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.get(id);
    if (before.builtin) {
      throw new AppError('YW_CMDB_CLASS_BUILTIN', { id });
    }
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        const count = await new CmdbRepository(trx).ciCountOfClass(id);
        if (count > 0) {
          throw new AppError('YW_CMDB_CLASS_IN_USE', { id, ciCount: count });
        }
        await this.repo.deleteClass(trx, id);
        await this.ctx.audit.record(trx, { actor, action: 'cmdb.class.delete', targetType: 'cmdb_class', targetId: id, before });
      });
    } catch (error) {
      // A CI of the class was created meanwhile.
      if (isForeignKeyViolation(error)) {
        throw new AppError('YW_CMDB_CLASS_IN_USE', { id });
      }
      throw error;
    }
  }

  /** Creates the built-in classes, or refreshes them to the current definitions (idempotent). */
  async seedBuiltins(): Promise<void> {
    for (const b of BUILTIN_CLASSES) {
      const fields = { name_zh: b.name.zh, name_en: b.name.en, builtin: 1, subtypes: toJson(b.subtypes), attributes: toJson(b.attributes), description: b.description };
      const existing = await this.repo.findClassByCode(b.code);
      if (existing) {
        const changed = (Object.keys(fields) as (keyof typeof fields)[]).some((k) => existing[k] !== fields[k]);
        if (changed) {
          await this.repo.updateClass(this.ctx.db, existing.id, { ...fields, updated_at: Date.now() });
        }
        continue;
      }
      const now = Date.now();
      try {
        await this.repo.insertClass(this.ctx.db, { id: uuidv7(), code: b.code, ...fields, created_at: now, updated_at: now });
      } catch (error) {
        // Another node seeded it at the same moment.
        if (!isUniqueViolation(error)) {
          throw error;
        }
      }
    }
  }
}
