import { uuidv7 } from 'uuidv7';
import type { TabularFormat } from '@yunwei/contracts/documents';
import type { Locale } from '@yunwei/contracts/i18n';
import { INSPECTION_PERMISSIONS } from '@yunwei/contracts/inspections';
import { LIBRARY_PERMISSIONS } from '@yunwei/contracts/library';
import type { ReportSchedule, ReportScheduleInput, ReportScheduleOptions, ReportScheduleRun, ReportScheduleRunList, ReportScheduleRunQuery, ReportRunStatus } from '@yunwei/contracts/report-schedules';
import { REPORTS_PERMISSIONS as P } from '@yunwei/contracts/reports';
import { fromJson, toJson } from '../../db/dialect.js';
import { can, type Actor } from '../../platform/actor.js';
import { unitsReached } from '../../platform/data-scope.js';
import type { DocumentFile } from '../../platform/documents/render.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { notifyOf } from '../notify/runtime.js';
import { nextRunAt } from './report-schedule-period.js';
import { ReportScheduleRepository } from './report-schedule.repository.js';
import { ReportScheduleRunner, type StoredRunFile } from './report-schedule-runner.js';
import type { ReportScheduleRunTable, ReportScheduleTable } from './report-schedule.tables.js';
import { ReportsService } from './reports.service.js';

const FAILED_DELIVERY = new Set(['failed', 'suppressed']);

const scheduleAudit = (s: ReportScheduleTable) => ({
  name: s.name,
  kind: s.kind,
  cadence: s.cadence,
  dayOfWeek: s.day_of_week,
  dayOfMonth: s.day_of_month,
  hour: s.hour,
  scope: s.scope,
  locale: s.locale,
  formats: fromJson<string[]>(s.formats),
  channelId: s.channel_id,
  emails: fromJson<string[]>(s.emails),
  userIds: fromJson<string[]>(s.user_ids),
  libraryTypeCode: s.library_type_code,
  ownerId: s.owner_id,
  enabled: s.enabled === 1,
});

/**
 * 定时报告: schedules (create, change, delete, run now) and their run history. A schedule runs as its
 * owner — the person who last saved it — so nobody makes the system mail data they could not read
 * themselves; saving someone else's schedule makes it yours. The files of a run are read by its owner
 * and by managers of schedules whose data scope is the whole organisation.
 */
export class ReportScheduleService {
  readonly repo: ReportScheduleRepository;
  readonly runner: ReportScheduleRunner;
  readonly #reports: ReportsService;

  constructor(private readonly ctx: ModuleContext) {
    this.repo = new ReportScheduleRepository(ctx.db);
    this.runner = new ReportScheduleRunner(ctx);
    this.#reports = new ReportsService(ctx);
  }

  async list(actor: Actor): Promise<{ items: ReportSchedule[] }> {
    const rows = await this.repo.list();
    return { items: await this.#views(actor, rows) };
  }

  /** The names the form offers: e-mail channels, active people, document types. */
  async options(actor: Actor): Promise<ReportScheduleOptions> {
    const en = actor.locale === 'en';
    const channels = (await notifyOf(this.ctx).channels.list()).filter((c) => c.type === 'email').map((c) => ({ id: c.id, name: c.name, enabled: c.enabled }));
    const users = await this.ctx.db.selectFrom('user').select(['id', 'username', 'display_name', 'email']).where('status', '=', 'active').orderBy('username').limit(2000).execute();
    const types = await this.ctx.db.selectFrom('document_type').select(['code', 'name_zh', 'name_en', 'flow_code']).orderBy('code').execute();
    return {
      channels,
      users: users.map((u) => ({ id: u.id, name: u.display_name || u.username, username: u.username, hasEmail: Boolean(u.email) })),
      libraryTypes: types.map((t) => ({ code: t.code, name: en ? t.name_en : t.name_zh, needsApproval: t.flow_code !== null })),
    };
  }

  async get(actor: Actor, id: string): Promise<ReportSchedule> {
    const [view] = await this.#views(actor, [await this.#find(id)]);
    return view!;
  }

  async create(actor: Actor, input: ReportScheduleInput): Promise<ReportSchedule> {
    await this.#validate(actor, input);
    const now = Date.now();
    const row: ReportScheduleTable = { id: uuidv7(), ...this.#columns(actor, input, now), library_document_id: null, last_run_id: null, created_at: now, updated_at: now };
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.repo.insert(trx, row);
      await this.ctx.audit.record(trx, { actor, action: 'reports.schedule.create', targetType: 'report_schedule', targetId: row.id, after: scheduleAudit(row) });
    });
    return this.get(actor, row.id);
  }

  async update(actor: Actor, id: string, input: ReportScheduleInput): Promise<ReportSchedule> {
    const before = await this.#find(id);
    await this.#validate(actor, input);
    const now = Date.now();
    const patch = { ...this.#columns(actor, input, now), updated_at: now };
    // Another type of document: the next filing run starts a new document of that type.
    const documentId = patch.library_type_code === before.library_type_code ? before.library_document_id : null;
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.repo.update(trx, id, { ...patch, library_document_id: documentId });
      await this.ctx.audit.record(trx, { actor, action: 'reports.schedule.update', targetType: 'report_schedule', targetId: id, before: scheduleAudit(before), after: scheduleAudit({ ...before, ...patch }) });
    });
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.#find(id);
    const keys = (await this.repo.fileKeysOf(id)).flatMap((r) => fromJson<StoredRunFile[]>(r.files).map((f) => f.key));
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.repo.remove(trx, id);
      await this.ctx.audit.record(trx, { actor, action: 'reports.schedule.delete', targetType: 'report_schedule', targetId: id, before: scheduleAudit(before) });
    });
    // The files go with their runs (after the commit: a failed delete keeps them).
    for (const key of keys) {
      await this.ctx.files.remove(key).catch((error: unknown) => this.ctx.log.warn({ err: error, key }, 'reports: a scheduled report file was not removed'));
    }
  }

  /** 立即运行: the last full period now, outside the schedule (next_run_at stays); answers with the run. */
  async runNow(actor: Actor, id: string): Promise<ReportScheduleRun> {
    const schedule = await this.#find(id);
    const runId = await this.runner.run(schedule, { trigger: 'manual', by: actor });
    const [run] = await this.#runViews(actor, [(await this.repo.run(id, runId))!]);
    return run!;
  }

  async runs(actor: Actor, id: string, q: ReportScheduleRunQuery): Promise<ReportScheduleRunList> {
    await this.#find(id);
    const { rows, total } = await this.repo.runs(id, q.offset ?? 0, q.limit ?? 20);
    return { items: await this.#runViews(actor, rows), total };
  }

  /** A file of a run, for its owner or a manager who sees the whole organisation (the report shows the owner's data). */
  async file(actor: Actor, id: string, runId: string, format: TabularFormat): Promise<DocumentFile> {
    const schedule = await this.#find(id);
    const run = await this.repo.run(id, runId);
    if (!run) {
      throw new AppError('YW_NOT_FOUND', { field: 'params.runId' });
    }
    if (actor.userId !== schedule.owner_id && !(can(actor, P.manageSchedules) && unitsReached(actor, P.manageSchedules) === null)) {
      throw new AppError('YW_FORBIDDEN', { permission: P.manageSchedules });
    }
    const file = fromJson<StoredRunFile[]>(run.files).find((f) => f.format === format);
    const body = file ? await this.ctx.files.get(file.key) : null;
    if (!file || !body) {
      throw new AppError('YW_REPORT_RUN_FILE_NOT_FOUND', { field: 'params.format', format });
    }
    await this.ctx.audit.recordNow({ actor, action: 'reports.report.download', targetType: 'report_schedule', targetId: id, after: { run: runId, filename: file.filename, period: run.period_label } });
    return { filename: file.filename, contentType: file.contentType, body };
  }

  async #find(id: string): Promise<ReportScheduleTable> {
    const row = await this.repo.find(id);
    if (!row) {
      throw new AppError('YW_REPORT_SCHEDULE_NOT_FOUND', { field: 'params.id', id });
    }
    return row;
  }

  #columns(actor: Actor, input: ReportScheduleInput, now: number): Omit<ReportScheduleTable, 'id' | 'library_document_id' | 'last_run_id' | 'created_at' | 'updated_at'> {
    const timing = { cadence: input.cadence, dayOfWeek: input.dayOfWeek ?? 1, dayOfMonth: input.dayOfMonth ?? 1, hour: input.hour };
    return {
      name: input.name.trim(),
      kind: input.kind,
      cadence: input.cadence,
      day_of_week: timing.dayOfWeek,
      day_of_month: timing.dayOfMonth,
      hour: input.hour,
      scope: input.scope?.trim() || 'all',
      locale: input.locale,
      formats: toJson(input.formats),
      channel_id: input.channelId,
      emails: toJson(input.emails ?? []),
      user_ids: toJson(input.userIds ?? []),
      library_type_code: input.libraryTypeCode,
      owner_id: actor.userId ?? '',
      enabled: input.enabled ? 1 : 0,
      next_run_at: input.enabled ? nextRunAt(timing, now, this.ctx.config.timeZone) : null,
    };
  }

  /** Rules the schema cannot express, each naming its field. */
  async #validate(actor: Actor, input: ReportScheduleInput): Promise<void> {
    if (!actor.userId) {
      throw invalidField('body', { zh: '定时报告以创建人的身份生成，需由用户创建', en: 'a schedule runs as the person who saves it: it must be saved by a user' });
    }
    await this.#reports.scope(actor, input.scope?.trim() || undefined, input.locale, 'body');
    if (input.kind === 'monitoring-regime') {
      if ((input.scope?.trim() || 'all') !== 'all') {
        throw invalidField('body.scope', { zh: '监控制度由全部启用的监控策略写成，范围只能是全部', en: 'the monitoring regime is written from every enabled policy: the scope must be all' });
      }
      if (!can(actor, INSPECTION_PERMISSIONS.policyRead)) {
        throw invalidField('body.kind', { zh: '生成监控制度需要查看监控策略的权限（定时报告以您的身份生成）', en: 'the monitoring regime needs the permission to read monitoring policies (the schedule runs as you)' });
      }
    }
    const recipients = (input.emails?.length ?? 0) + (input.userIds?.length ?? 0);
    if (input.channelId === null && recipients > 0) {
      throw invalidField('body.channelId', { zh: '有收件人时请选择一个电子邮件渠道', en: 'choose an e-mail channel to send to the recipients' });
    }
    if (input.channelId !== null) {
      const channel = await notifyOf(this.ctx).service.repo.channel(input.channelId);
      if (!channel) {
        throw invalidField('body.channelId', { zh: '通知渠道不存在', en: 'no such notification channel' });
      }
      if (channel.type !== 'email') {
        throw invalidField('body.channelId', { zh: `“${channel.name}”不是电子邮件渠道：报告以附件发送，需要电子邮件渠道`, en: `"${channel.name}" is not an e-mail channel: the report goes as attachments, which needs e-mail` });
      }
    }
    const userIds = input.userIds ?? [];
    const users = await this.repo.users(userIds);
    for (const [i, id] of userIds.entries()) {
      if (!users.some((u) => u.id === id)) {
        throw invalidField(`body.userIds.${i}`, { zh: '用户不存在', en: 'no such user' });
      }
    }
    if (input.libraryTypeCode !== null) {
      const type = await this.ctx.db.selectFrom('document_type').select('code').where('code', '=', input.libraryTypeCode).executeTakeFirst();
      if (!type) {
        throw invalidField('body.libraryTypeCode', { zh: '文档类型不存在', en: 'no such document type' });
      }
      if (!can(actor, LIBRARY_PERMISSIONS.write)) {
        throw invalidField('body.libraryTypeCode', { zh: '归档到文档库需要编写文档的权限（定时报告以您的身份归档）', en: 'filing into the library needs the permission to write documents (the schedule files as you)' });
      }
    }
  }

  async #views(actor: Actor, rows: ReportScheduleTable[]): Promise<ReportSchedule[]> {
    const locale: Locale = actor.locale;
    const en = locale === 'en';
    const channels = new Map((await notifyOf(this.ctx).channels.list()).map((c) => [c.id, c.name]));
    const types = new Map((await this.ctx.db.selectFrom('document_type').select(['code', 'name_zh', 'name_en']).execute()).map((t) => [t.code, en ? t.name_en : t.name_zh]));
    const userIds = [...new Set(rows.flatMap((r) => [r.owner_id, ...fromJson<string[]>(r.user_ids)]))];
    const users = new Map((await this.repo.users(userIds)).map((u) => [u.id, u.display_name || u.username]));
    const docIds = rows.map((r) => r.library_document_id).filter((x): x is string => x !== null);
    const docs = new Map(docIds.length ? (await this.ctx.db.selectFrom('document').select(['id', 'number']).where('id', 'in', docIds).execute()).map((d) => [d.id, d.number]) : []);
    const lastRuns = new Map((await this.#runViews(actor, await this.repo.runsByIds(rows.map((r) => r.last_run_id).filter((x): x is string => x !== null)))).map((r) => [r.id, r]));
    const out: ReportSchedule[] = [];
    for (const r of rows) {
      const last = r.last_run_id ? lastRuns.get(r.last_run_id) : undefined;
      out.push({
        id: r.id,
        name: r.name,
        kind: r.kind as ReportSchedule['kind'],
        cadence: r.cadence as ReportSchedule['cadence'],
        dayOfWeek: r.day_of_week,
        dayOfMonth: r.day_of_month,
        hour: r.hour,
        scope: r.scope,
        scopeName: await this.#scopeName(actor, r.scope, locale),
        locale: r.locale as ReportSchedule['locale'],
        formats: fromJson<TabularFormat[]>(r.formats),
        channelId: r.channel_id,
        channelName: r.channel_id ? (channels.get(r.channel_id) ?? (en ? '(deleted channel)' : '（渠道已删除）')) : null,
        emails: fromJson<string[]>(r.emails),
        userIds: fromJson<string[]>(r.user_ids),
        users: fromJson<string[]>(r.user_ids).map((id) => ({ id, name: users.get(id) ?? (en ? '(deleted user)' : '（用户已删除）') })),
        libraryTypeCode: r.library_type_code,
        libraryTypeName: r.library_type_code ? (types.get(r.library_type_code) ?? r.library_type_code) : null,
        documentId: r.library_document_id,
        documentNumber: r.library_document_id ? (docs.get(r.library_document_id) ?? null) : null,
        ownerId: r.owner_id,
        ownerName: users.get(r.owner_id) ?? (en ? '(deleted user)' : '（用户已删除）'),
        enabled: r.enabled === 1,
        nextRunAt: r.enabled === 1 && r.next_run_at !== null ? Number(r.next_run_at) : null,
        lastRun: last ? { id: last.id, at: last.at, status: last.status, period: last.period, error: last.error } : null,
        createdAt: Number(r.created_at),
        updatedAt: Number(r.updated_at),
      });
    }
    return out;
  }

  /** The scope as the reader names it; a scope they cannot see reads as its text. */
  async #scopeName(actor: Actor, scope: string, locale: Locale): Promise<string> {
    try {
      return (await this.#reports.scope(actor, scope, locale)).name;
    } catch {
      return scope;
    }
  }

  async #runViews(_actor: Actor, rows: ReportScheduleRunTable[]): Promise<ReportScheduleRun[]> {
    const deliveries = new Map((await this.repo.deliveries(rows.flatMap((r) => fromJson<string[]>(r.delivery_ids)))).map((d) => [d.id, d]));
    const docIds = rows.map((r) => r.document_id).filter((x): x is string => x !== null);
    const docs = new Map(docIds.length ? (await this.ctx.db.selectFrom('document').select(['id', 'number']).where('id', 'in', docIds).execute()).map((d) => [d.id, d.number]) : []);
    const userIds = rows.map((r) => r.triggered_by).filter((x): x is string => x !== null);
    const users = new Map((await this.repo.users(userIds)).map((u) => [u.id, u.display_name || u.username]));
    return rows.map((r) => {
      const runDeliveries = fromJson<string[]>(r.delivery_ids).map((id) => {
        const d = deliveries.get(id);
        return { id, status: d?.status ?? 'failed', recipients: d ? fromJson<string[]>(d.recipients) : [], lastError: d ? d.last_error : 'the delivery record was removed' };
      });
      const deliveryFailed = runDeliveries.find((d) => FAILED_DELIVERY.has(d.status));
      let status = r.status as ReportRunStatus;
      let error = r.error;
      // An e-mail that failed in the outbox after the run: the run did not fully succeed.
      if (status === 'ok' && deliveryFailed) {
        status = 'partial';
        error = `mail: ${deliveryFailed.lastError ?? deliveryFailed.status}`;
      }
      return {
        id: r.id,
        scheduleId: r.schedule_id,
        at: Number(r.at),
        trigger: r.trigger as 'schedule' | 'manual',
        triggeredBy: r.triggered_by ? (users.get(r.triggered_by) ?? null) : null,
        from: Number(r.period_from),
        to: Number(r.period_to),
        period: r.period_label,
        status,
        error,
        steps: fromJson(r.steps),
        files: fromJson<StoredRunFile[]>(r.files).map((f) => ({ format: f.format, filename: f.filename, size: f.size })),
        missingSections: fromJson<string[]>(r.missing),
        documentId: r.document_id,
        documentNumber: r.document_id ? (docs.get(r.document_id) ?? null) : null,
        versionLabel: r.version_label,
        deliveries: runDeliveries,
      };
    });
  }
}

