import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import {
  STATUS_PAGE_PERMISSIONS as P,
  type ComponentInput,
  type NoticeCreate,
  type NoticeUpdate,
  type StatusNotice,
  type StatusPage,
  type StatusPageCreate,
  type StatusPageList,
  type StatusPageSummary,
  type StatusPageUpdate,
} from '@yunwei/contracts/status-pages';
import { isUniqueViolation } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { type Actor, inScope, requireScope } from '../../platform/actor.js';
import { unitsReached } from '../../platform/data-scope.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { noticePhase } from './status-model.js';
import { type PageListRow, type PageRow, StatusPagesRepository } from './status-pages.repository.js';
import type { StatusPageComponentTable, StatusPageNoticeTable, StatusPageTable } from './status-pages.tables.js';

const NAME_MAX = 100;

function summaryOf(row: PageRow, componentCount: number, activeNotices: number): StatusPageSummary {
  return {
    id: row.id,
    slug: row.slug,
    title: { zh: row.title_zh, en: row.title_en },
    businessSystemId: row.business_ci_id,
    businessSystemName: row.business_name,
    published: row.published === 1,
    componentCount,
    activeNotices,
    updatedAt: Number(row.updated_at),
  };
}

export function noticeView(n: StatusPageNoticeTable, now: number): StatusNotice {
  const startsAt = Number(n.starts_at);
  const endsAt = n.ends_at === null ? null : Number(n.ends_at);
  return {
    id: n.id,
    kind: n.kind,
    severity: n.severity,
    title: n.title,
    body: n.body,
    startsAt,
    endsAt,
    phase: noticePhase(startsAt, endsAt, now),
    createdBy: n.created_by,
    createdAt: Number(n.created_at),
    updatedAt: Number(n.updated_at),
  };
}

const noticeAudit = (n: StatusPageNoticeTable) => ({ pageId: n.page_id, kind: n.kind, severity: n.severity, title: n.title, body: n.body, startsAt: Number(n.starts_at), endsAt: n.ends_at === null ? null : Number(n.ends_at) });

/**
 * Status pages for administrators: create, change, publish, delete, and notices — each write audited
 * in its transaction. Data scope follows the page's business system as the CMDB scopes that CI: lists
 * are filtered, a page outside the reader's units is a 403 (as a CI detail is), writes need the write
 * scope over the business system and over every component shown (a page must not publish the state of
 * another unit's checks or CIs).
 */
export class StatusPagesService {
  readonly repo: StatusPagesRepository;

  constructor(
    private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>,
    /** Called after a change commits: the public answers cached for a few seconds are dropped. */
    private readonly onChange: () => void,
    private readonly now: () => number = Date.now,
  ) {
    this.repo = new StatusPagesRepository(ctx.db);
  }

  async list(actor: Actor): Promise<StatusPageList> {
    const rows: PageListRow[] = await this.repo.list(unitsReached(actor, P.read), this.now());
    const items = rows.map((r) => summaryOf(r, Number(r.component_count), Number(r.active_notices)));
    return { items, total: items.length };
  }

  async get(actor: Actor, id: string): Promise<StatusPage> {
    const row = await this.#row(this.ctx.db, id);
    requireScope(actor, P.read, row.unit_id);
    return this.#view(this.ctx.db, row);
  }

  /** The page for an administrator who may read it (the preview of its public answer starts here). */
  async readable(actor: Actor, id: string): Promise<PageRow> {
    const row = await this.#row(this.ctx.db, id);
    requireScope(actor, P.read, row.unit_id);
    return row;
  }

  async create(actor: Actor, input: StatusPageCreate): Promise<StatusPage> {
    const now = this.now();
    const id = uuidv7();
    await this.#write(async (trx) => {
      await this.#requireBusinessSystem(trx, actor, input.businessSystemId);
      const components = await this.#components(trx, actor, id, input.components ?? []);
      await this.#requireFreeSlug(trx, input.slug, null);
      const row: StatusPageTable = {
        id,
        slug: input.slug,
        title_zh: input.title.zh.trim(),
        title_en: input.title.en?.trim() ?? '',
        description_zh: input.description?.zh?.trim() ?? '',
        description_en: input.description?.en?.trim() ?? '',
        business_ci_id: input.businessSystemId,
        published: input.published ? 1 : 0,
        created_at: now,
        updated_at: now,
      };
      await this.repo.insertPage(trx, row);
      await this.repo.replaceComponents(trx, id, components);
      await this.ctx.audit.record(trx, { actor, action: 'statuspage.page.create', targetType: 'status_page', targetId: id, after: await this.#audit(trx, id) });
    });
    return this.#fresh(id);
  }

  async update(actor: Actor, id: string, input: StatusPageUpdate): Promise<StatusPage> {
    await this.#write(async (trx) => {
      const before = await this.#writable(trx, actor, id);
      const beforeAudit = await this.#audit(trx, id);
      if (input.businessSystemId !== undefined && input.businessSystemId !== before.business_ci_id) {
        await this.#requireBusinessSystem(trx, actor, input.businessSystemId);
      }
      if (input.slug !== undefined && input.slug !== before.slug) {
        await this.#requireFreeSlug(trx, input.slug, id);
      }
      if (input.components !== undefined) {
        await this.repo.replaceComponents(trx, id, await this.#components(trx, actor, id, input.components));
      }
      const patch: Partial<StatusPageTable> = { updated_at: this.now() };
      if (input.slug !== undefined) {
        patch.slug = input.slug;
      }
      if (input.title !== undefined) {
        patch.title_zh = input.title.zh.trim();
        patch.title_en = input.title.en?.trim() ?? '';
      }
      if (input.description !== undefined) {
        patch.description_zh = input.description.zh?.trim() ?? '';
        patch.description_en = input.description.en?.trim() ?? '';
      }
      if (input.businessSystemId !== undefined) {
        patch.business_ci_id = input.businessSystemId;
      }
      if (input.published !== undefined) {
        patch.published = input.published ? 1 : 0;
      }
      await this.repo.updatePage(trx, id, patch);
      const action = input.published !== undefined && (input.published ? 1 : 0) !== before.published ? (input.published ? 'statuspage.page.publish' : 'statuspage.page.unpublish') : 'statuspage.page.update';
      await this.ctx.audit.record(trx, { actor, action, targetType: 'status_page', targetId: id, before: beforeAudit, after: await this.#audit(trx, id) });
    });
    return this.#fresh(id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.#write(async (trx) => {
      await this.#writable(trx, actor, id);
      const before = await this.#audit(trx, id);
      await this.repo.deletePage(trx, id);
      await this.ctx.audit.record(trx, { actor, action: 'statuspage.page.delete', targetType: 'status_page', targetId: id, before });
    });
  }

  async createNotice(actor: Actor, pageId: string, input: NoticeCreate): Promise<StatusNotice> {
    const now = this.now();
    const startsAt = input.startsAt ?? now;
    const endsAt = input.endsAt ?? null;
    checkNoticeTimes(startsAt, endsAt);
    const row: StatusPageNoticeTable = {
      id: uuidv7(),
      page_id: pageId,
      kind: input.kind,
      severity: input.severity ?? (input.kind === 'maintenance' ? 'info' : 'minor'),
      title: input.title.trim(),
      body: input.body?.trim() ?? '',
      starts_at: startsAt,
      ends_at: endsAt,
      created_by: actor.username,
      created_by_id: actor.userId,
      created_at: now,
      updated_at: now,
    };
    await this.#write(async (trx) => {
      await this.#writable(trx, actor, pageId);
      if (actor.userId) {
        const user = await trx.selectFrom('user').select('display_name').where('id', '=', actor.userId).executeTakeFirst();
        row.created_by = user?.display_name || actor.username;
      }
      await this.repo.insertNotice(trx, row);
      await this.repo.touch(trx, pageId, now);
      await this.ctx.audit.record(trx, { actor, action: 'statuspage.notice.create', targetType: 'status_page_notice', targetId: row.id, after: noticeAudit(row) });
    });
    return noticeView(row, now);
  }

  async updateNotice(actor: Actor, pageId: string, noticeId: string, input: NoticeUpdate): Promise<StatusNotice> {
    const now = this.now();
    let after: StatusPageNoticeTable | undefined;
    await this.#write(async (trx) => {
      await this.#writable(trx, actor, pageId);
      const before = await this.#notice(trx, pageId, noticeId);
      after = {
        ...before,
        kind: input.kind ?? before.kind,
        severity: input.severity ?? before.severity,
        title: input.title?.trim() ?? before.title,
        body: input.body === undefined ? before.body : input.body.trim(),
        starts_at: input.startsAt ?? Number(before.starts_at),
        ends_at: input.endsAt === undefined ? (before.ends_at === null ? null : Number(before.ends_at)) : input.endsAt,
        updated_at: now,
      };
      checkNoticeTimes(after.starts_at, after.ends_at, input.endsAt === undefined ? 'body.startsAt' : 'body.endsAt');
      const { id: _id, page_id: _p, created_by: _b, created_by_id: _bi, created_at: _c, ...patch } = after;
      await this.repo.updateNotice(trx, noticeId, patch);
      await this.repo.touch(trx, pageId, now);
      await this.ctx.audit.record(trx, { actor, action: 'statuspage.notice.update', targetType: 'status_page_notice', targetId: noticeId, before: noticeAudit(before), after: noticeAudit(after) });
    });
    return noticeView(after!, now);
  }

  async removeNotice(actor: Actor, pageId: string, noticeId: string): Promise<void> {
    await this.#write(async (trx) => {
      await this.#writable(trx, actor, pageId);
      const before = await this.#notice(trx, pageId, noticeId);
      await this.repo.deleteNotice(trx, noticeId);
      await this.repo.touch(trx, pageId, this.now());
      await this.ctx.audit.record(trx, { actor, action: 'statuspage.notice.delete', targetType: 'status_page_notice', targetId: noticeId, before: noticeAudit(before) });
    });
  }

  // ---------------------------------------------------------------- rules

  async #row(db: Kysely<Database>, id: string): Promise<PageRow> {
    const row = await this.repo.find(id, db);
    if (!row) {
      throw new AppError('YW_STATUS_PAGE_NOT_FOUND', { id });
    }
    return row;
  }

  /** A page the actor may change: its business system in their write scope (403 otherwise, as the CMDB). */
  async #writable(trx: Kysely<Database>, actor: Actor, id: string): Promise<PageRow> {
    const row = await this.#row(trx, id);
    requireScope(actor, P.write, row.unit_id);
    return row;
  }

  async #notice(trx: Kysely<Database>, pageId: string, id: string): Promise<StatusPageNoticeTable> {
    const row = await this.repo.notice(pageId, id, trx);
    if (!row) {
      throw new AppError('YW_STATUS_NOTICE_NOT_FOUND', { id });
    }
    return row;
  }

  async #requireBusinessSystem(trx: Kysely<Database>, actor: Actor, id: string): Promise<void> {
    const bs = await this.repo.businessSystem(id, trx);
    if (!bs) {
      throw invalidField('body.businessSystemId', { zh: '不是业务系统（须是“业务系统”类别的配置项）', en: 'is not a business system (a CI of class business_system)' });
    }
    if (!inScope(actor, P.write, bs.unit_id)) {
      throw new AppError('YW_OUT_OF_SCOPE', { permission: P.write, field: 'body.businessSystemId' });
    }
  }

  async #requireFreeSlug(trx: Kysely<Database>, slug: string, exceptId: string | null): Promise<void> {
    if (await this.repo.slugTaken(trx, slug, exceptId)) {
      throw new AppError('YW_STATUS_PAGE_SLUG_TAKEN', { field: 'body.slug', slug });
    }
  }

  /** Validated component rows: each names one existing check or CI within the write scope, once. */
  async #components(trx: Kysely<Database>, actor: Actor, pageId: string, input: readonly ComponentInput[]): Promise<StatusPageComponentTable[]> {
    const checks = new Map((await this.repo.checks(input.flatMap((c) => c.checkId ?? []), trx)).map((r) => [r.id, r]));
    const cis = new Map((await this.repo.cis(input.flatMap((c) => c.ciId ?? []), trx)).map((r) => [r.id, r]));
    const seen = new Set<string>();
    return input.map((c, i) => {
      const at = `body.components.${i}`;
      if ((c.checkId === undefined) === (c.ciId === undefined)) {
        throw invalidField(at, { zh: '须填写 checkId 或 ciId 其中之一', en: 'name either checkId or ciId' });
      }
      const kind = c.checkId !== undefined ? 'check' : 'ci';
      const refId = (c.checkId ?? c.ciId)!;
      const field = `${at}.${kind === 'check' ? 'checkId' : 'ciId'}`;
      const ref = kind === 'check' ? checks.get(refId) : cis.get(refId);
      if (!ref) {
        throw invalidField(field, kind === 'check' ? { zh: '检查项不存在', en: 'no such check' } : { zh: '配置项不存在', en: 'no such configuration item' });
      }
      if (!inScope(actor, P.write, ref.unit_id)) {
        throw new AppError('YW_OUT_OF_SCOPE', { permission: P.write, field });
      }
      if (seen.has(`${kind}:${refId}`)) {
        throw invalidField(field, { zh: '重复列出', en: 'is listed twice' });
      }
      seen.add(`${kind}:${refId}`);
      return { page_id: pageId, position: i, kind, ref_id: refId, display_name: (c.name?.trim() || ref.name).slice(0, NAME_MAX) };
    });
  }

  async #view(db: Kysely<Database>, row: PageRow): Promise<StatusPage> {
    const now = this.now();
    const components = await this.repo.components(row.id, db);
    const checkNames = new Map((await this.repo.checks(components.filter((c) => c.kind === 'check').map((c) => c.ref_id), db)).map((r) => [r.id, r.name]));
    const ciNames = new Map((await this.repo.cis(components.filter((c) => c.kind === 'ci').map((c) => c.ref_id), db)).map((r) => [r.id, r.name]));
    const notices = (await this.repo.notices(row.id, db)).map((n) => noticeView(n, now));
    return {
      ...summaryOf(row, components.length, notices.filter((n) => n.phase === 'active').length),
      description: { zh: row.description_zh, en: row.description_en },
      components: components.map((c) => ({ kind: c.kind, refId: c.ref_id, name: c.display_name, currentName: (c.kind === 'check' ? checkNames : ciNames).get(c.ref_id) ?? null })),
      notices,
      createdAt: Number(row.created_at),
    };
  }

  /** A page just written, for the writer (whose write scope placed it; their read scope may differ). */
  async #fresh(id: string): Promise<StatusPage> {
    return this.#view(this.ctx.db, await this.#row(this.ctx.db, id));
  }

  async #audit(trx: Kysely<Database>, id: string): Promise<Record<string, unknown>> {
    const row = await this.#row(trx, id);
    const components = await this.repo.components(id, trx);
    return {
      slug: row.slug,
      title: { zh: row.title_zh, en: row.title_en },
      description: { zh: row.description_zh, en: row.description_en },
      businessSystemId: row.business_ci_id,
      businessSystemName: row.business_name,
      published: row.published === 1,
      components: components.map((c) => ({ kind: c.kind, refId: c.ref_id, name: c.display_name })),
    };
  }

  /** A write transaction; a slug taken by a concurrent writer becomes the same 409 as a checked one. */
  async #write(body: (trx: Kysely<Database>) => Promise<void>): Promise<void> {
    try {
      await this.ctx.db.transaction().execute(body);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('YW_STATUS_PAGE_SLUG_TAKEN', { field: 'body.slug' });
      }
      throw error;
    }
    this.onChange();
  }
}

function checkNoticeTimes(startsAt: number, endsAt: number | null, field = 'body.endsAt'): void {
  if (endsAt !== null && endsAt <= startsAt) {
    throw invalidField(field, { zh: '须晚于开始时间', en: 'must be after startsAt' });
  }
}
