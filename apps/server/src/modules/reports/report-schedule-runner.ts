import { uuidv7 } from 'uuidv7';
import type { TabularFormat, WrittenDocument } from '@yunwei/contracts/documents';
import { ERRORS } from '@yunwei/contracts/errors';
import type { Locale } from '@yunwei/contracts/i18n';
import type { LocalizedMessage, MessageAttachment } from '@yunwei/contracts/notify';
import type { ReportCadence, ReportRunStatus, ReportRunStepOutcome } from '@yunwei/contracts/report-schedules';
import { REPORTS_PERMISSIONS, type ReportKind } from '@yunwei/contracts/reports';
import { LIBRARY_PERMISSIONS } from '@yunwei/contracts/library';
import { fromJson, toJson } from '../../db/dialect.js';
import { can, systemActor, type Actor } from '../../platform/actor.js';
import { renderDocument } from '../../platform/documents/render.js';
import { isAppError } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { linkTo } from '../../platform/notify/message-format.js';
import { AccessService } from '../access/access.service.js';
import { bodyFromSections } from '../library/library-from-blocks.js';
import { inspectionsOf } from '../inspections/runtime.js';
import { libraryOf } from '../library/library.runtime.js';
import { notifyOf } from '../notify/runtime.js';
import { nextRunAt, periodBefore, periodLabel } from './report-schedule-period.js';
import { ReportScheduleRepository } from './report-schedule.repository.js';
import type { ReportScheduleRunTable, ReportScheduleTable } from './report-schedule.tables.js';
import { ReportsService } from './reports.service.js';

/** Schedules started per job run (the job runs every minute: a backlog drains run after run). */
const BATCH = 20;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;
/** A run still `running` this long after it started is taken as interrupted (the job's lease: no run outlives it). */
export const RUN_LIMIT_MS = 30 * 60_000;
/** Why a run still `running` after RUN_LIMIT_MS is marked failed. */
export const INTERRUPTED = { 'zh-CN': '运行中断（节点在运行中停止）', en: 'interrupted (node stopped during the run)' } as const;

/** What a run generated: the document, its scope in words, the sections that could not be computed. */
interface Generated {
  document: WrittenDocument;
  scopeName: string;
  missing: string[];
}

export interface StoredRunFile {
  format: TabularFormat;
  filename: string;
  contentType: string;
  size: number;
  key: string;
}

/** Where a run's files live in the shared file store. */
export const runFileKey = (scheduleId: string, runId: string, format: TabularFormat) => `report-schedules/${scheduleId}/${runId}.${format}`;

/** The link people follow from the e-mail: the run's history on the 定时报告 page. */
export const runPath = (scheduleId: string) => `/reports/schedules?history=${scheduleId}`;

/** A message text in the schedule's language (the run history shows it as written). */
function say(locale: Locale, zh: string, en: string): string {
  return locale === 'en' ? en : zh;
}

function errorText(error: unknown, locale: Locale): string {
  if (isAppError(error)) {
    const problem = error.details?.fields?.[0];
    const base = locale === 'en' ? ERRORS[error.code].en : ERRORS[error.code].zh;
    return problem ? `${base}: ${problem.field} ${locale === 'en' ? problem.message.en : problem.message.zh}` : base;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs 定时报告: the `reports.schedules` job claims due schedules (a conditional UPDATE of next_run_at:
 * once across nodes) and runs each — the report generated as its owner (their permissions and data scope
 * today), its files kept in the shared file store, filed into the library as the schedule document's new
 * version and submitted, mailed with the files attached. Every step is recorded; a failing step does
 * not stop the others.
 */
export class ReportScheduleRunner {
  readonly #repo: ReportScheduleRepository;
  readonly #reports: ReportsService;

  constructor(private readonly ctx: ModuleContext) {
    this.#repo = new ReportScheduleRepository(ctx.db);
    this.#reports = new ReportsService(ctx);
  }

  /** Marks the interrupted runs failed, then runs every due schedule this call claims; returns the runs it made. */
  async runDue(now = Date.now()): Promise<string[]> {
    await this.markInterrupted(now);
    const runs: string[] = [];
    for (const due of await this.#repo.due(now, BATCH)) {
      const schedule = await this.#repo.find(due.id);
      if (!schedule || due.next_run_at === null) {
        continue;
      }
      const next = nextRunAt(timingOf(schedule), Math.max(now, Number(due.next_run_at)), this.ctx.config.timeZone);
      const how = { trigger: 'schedule' as const, by: null };
      const begun = this.#begin(schedule, how, now);
      if (!(await this.#repo.claim(schedule.id, Number(due.next_run_at), next, begun))) {
        continue; // another node (or call) took this due time
      }
      runs.push(await this.run(schedule, how, now, begun));
    }
    return runs;
  }

  /**
   * Runs still `running` RUN_LIMIT_MS after they started (their node stopped mid-run) are marked failed
   * with the reason, in the schedule's language — each once across nodes (a conditional UPDATE) and
   * audited; returns how many this call marked.
   */
  async markInterrupted(now = Date.now()): Promise<number> {
    let marked = 0;
    for (const r of await this.#repo.staleRuns(now - RUN_LIMIT_MS, BATCH * 5)) {
      const reason = r.locale === 'en' ? INTERRUPTED.en : INTERRUPTED['zh-CN'];
      await this.ctx.db.transaction().execute(async (trx) => {
        if (!(await this.#repo.interruptRun(trx, r.id, reason))) {
          return; // another node marked it
        }
        marked++;
        await this.ctx.audit.record(trx, {
          actor: systemActor('reports'),
          action: 'reports.schedule.run',
          targetType: 'report_schedule',
          targetId: r.schedule_id,
          after: { run: r.id, name: r.name, period: r.period_label, startedAt: Number(r.at), status: 'failed', interrupted: true, error: reason },
        });
      });
    }
    return marked;
  }

  /** The run's row as it starts: `running`, over the last full period before `now`. */
  #begin(schedule: ReportScheduleTable, how: { trigger: 'schedule' | 'manual'; by: Actor | null }, now: number): ReportScheduleRunTable {
    const tz = this.ctx.config.timeZone;
    const cadence = schedule.cadence as ReportCadence;
    const period = periodBefore(cadence, now, tz);
    return {
      id: uuidv7(),
      schedule_id: schedule.id,
      at: now,
      trigger: how.trigger,
      triggered_by: how.by?.userId ?? null,
      period_from: period.from,
      period_to: period.to,
      period_label: periodLabel(cadence, period, tz, schedule.locale as Locale),
      status: 'running' satisfies ReportRunStatus,
      error: null,
      steps: toJson([]),
      files: toJson([]),
      missing: toJson([]),
      document_id: null,
      version_label: null,
      delivery_ids: toJson([]),
    };
  }

  /**
   * One run of `schedule` over the last full period before `now`; returns the run's id. `begun` is the
   * `running` row the claim recorded; without it (run now) the row is recorded first, before any step.
   */
  async run(schedule: ReportScheduleTable, how: { trigger: 'schedule' | 'manual'; by: Actor | null }, now = Date.now(), begun?: ReportScheduleRunTable): Promise<string> {
    const locale = schedule.locale as Locale;
    const start = begun ?? this.#begin(schedule, how, now);
    if (!begun) {
      await this.ctx.db.transaction().execute(async (trx) => {
        await this.#repo.insertRun(trx, start);
        await this.#repo.update(trx, schedule.id, { last_run_id: start.id });
      });
    }
    const id = start.id;
    const period = { from: Number(start.period_from), to: Number(start.period_to) };
    const label = start.period_label;
    const steps: ReportRunStepOutcome[] = [];
    const files: StoredRunFile[] = [];
    let missing: string[] = [];
    let documentId: string | null = null;
    let versionLabel: string | null = null;
    let documentNumber: string | null = null;
    const deliveryIds: string[] = [];
    let fatal = false;

    const owner = await this.#owner(schedule, locale);
    if (typeof owner === 'string') {
      steps.push({ step: 'owner', ok: false, detail: owner });
      fatal = true;
    }
    let report: Generated | null = null;
    if (typeof owner !== 'string') {
      try {
        report = await this.#generate(schedule, owner, period, locale, now);
        missing = report.missing;
        steps.push({
          step: 'generate',
          ok: true,
          detail: missing.length ? say(locale, `已生成；以下部分缺少数据（报告中已说明）：${missing.join('、')}`, `generated; missing (the report says why): ${missing.join(', ')}`) : say(locale, '已生成', 'generated'),
        });
      } catch (error) {
        steps.push({ step: 'generate', ok: false, detail: errorText(error, locale) });
        fatal = true;
      }
    }
    if (report) {
      try {
        for (const format of fromJson<TabularFormat[]>(schedule.formats)) {
          const file = await renderDocument(report.document, format, `${report.document.title}-${label}`, locale);
          const key = runFileKey(schedule.id, id, format);
          await this.ctx.files.put(key, file.body);
          files.push({ format, filename: file.filename, contentType: file.contentType, size: file.body.length, key });
        }
        steps.push({ step: 'store', ok: true, detail: files.map((f) => `${f.filename} (${f.size} B)`).join(', ') });
      } catch (error) {
        steps.push({ step: 'store', ok: false, detail: errorText(error, locale) });
        fatal = files.length === 0;
      }
    }
    if (report && typeof owner !== 'string' && schedule.library_type_code) {
      try {
        const filed = await this.#file(schedule, owner, report, label, locale);
        ({ documentId, versionLabel, documentNumber } = filed);
        steps.push({ step: 'library', ok: true, detail: filed.detail });
      } catch (error) {
        steps.push({ step: 'library', ok: false, detail: errorText(error, locale) });
      }
    }
    if (report && files.length && schedule.channel_id) {
      try {
        const { deliveryId, recipients, skipped } = await this.#mail(schedule, report, label, files, documentId, documentNumber, versionLabel);
        deliveryIds.push(deliveryId);
        const to = recipients.length ? recipients.join(', ') : say(locale, '渠道默认收件人', "the channel's own recipients");
        steps.push({ step: 'mail', ok: true, detail: say(locale, `已排队发送至 ${to}`, `queued to ${to}`) + (skipped.length ? say(locale, `；已跳过（无邮箱或已停用）：${skipped.join('、')}`, `; skipped (no e-mail or disabled): ${skipped.join(', ')}`) : '') });
      } catch (error) {
        steps.push({ step: 'mail', ok: false, detail: errorText(error, locale) });
      }
    }
    const failed = steps.filter((s) => !s.ok);
    const status: ReportRunStatus = fatal ? 'failed' : failed.length ? 'partial' : 'ok';
    const outcome: Partial<ReportScheduleRunTable> = {
      status,
      error: failed[0] ? `${failed[0].step}: ${failed[0].detail}` : null,
      steps: toJson(steps),
      files: toJson(files),
      missing: toJson(missing),
      document_id: documentId,
      version_label: versionLabel,
      delivery_ids: toJson(deliveryIds),
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.#repo.finishRun(trx, id, outcome);
      if (documentId) {
        await this.#repo.update(trx, schedule.id, { library_document_id: documentId });
      }
      await this.ctx.audit.record(trx, {
        actor: how.by ?? systemActor('reports'),
        action: 'reports.schedule.run',
        targetType: 'report_schedule',
        targetId: schedule.id,
        after: { run: id, trigger: how.trigger, name: schedule.name, period: label, from: period.from, to: period.to, status, files: files.map((f) => ({ filename: f.filename, size: f.size })), documentId, versionLabel, deliveries: deliveryIds, failed: failed.map((s) => s.step) },
      });
    });
    if (deliveryIds.length) {
      notifyOf(this.ctx).wake();
    }
    return id;
  }

  /** The report over the period as the owner sees it, or the 监控制度 as it stands (not a period's figures). */
  async #generate(schedule: ReportScheduleTable, owner: Actor, period: { from: number; to: number }, locale: Locale, now: number): Promise<Generated> {
    if (schedule.kind === 'monitoring-regime') {
      const regime = await inspectionsOf(this.ctx).regime.build(owner, {}, locale, now);
      return { document: regime.document, scopeName: say(locale, `全部监控策略（${regime.policies} 项）`, `all monitoring policies (${regime.policies})`), missing: [] };
    }
    const report = await this.#reports.build(schedule.kind as ReportKind, owner, { from: period.from, to: period.to, scope: schedule.scope }, locale, now);
    return { document: report.document, scopeName: report.scope.name, missing: report.sections.filter((s) => !s.ok).map((s) => s.title) };
  }

  /** The owner as an actor with their permissions and data scope now, or why the run cannot go on. */
  async #owner(schedule: ReportScheduleTable, locale: Locale): Promise<Actor | string> {
    const [user] = await this.#repo.users([schedule.owner_id]);
    if (!user) {
      return say(locale, '创建人账号已不存在，报告无法以其身份生成；请由其他人编辑并保存此定时报告', 'the owner no longer exists: the report cannot be generated as them; have someone else edit and save the schedule');
    }
    if (user.status !== 'active') {
      return say(locale, `创建人 ${user.display_name}（${user.username}）已停用，报告无法以其身份生成；请由其他人编辑并保存此定时报告`, `the owner ${user.display_name} (${user.username}) is disabled: the report cannot be generated as them; have someone else edit and save the schedule`);
    }
    const grants = await new AccessService(this.ctx).resolveGrants(user.id);
    const actor: Actor = { kind: 'user', userId: user.id, username: user.username, ip: '127.0.0.1', locale, ...grants };
    if (!can(actor, REPORTS_PERMISSIONS.read)) {
      return say(locale, `创建人 ${user.display_name} 已没有查看运行报告的权限（reports.report.read）`, `the owner ${user.display_name} no longer holds reports.report.read`);
    }
    return actor;
  }

  /**
   * Files the report as the schedule document's new version and submits it (the type's approval flow;
   * no flow: approved at once). Publishing stays a person's decision. The first run creates the
   * document; a later one needs the previous version published — otherwise this period is not filed
   * (the reason is recorded) rather than piling up a second document beside one still under review.
   */
  async #file(schedule: ReportScheduleTable, owner: Actor, report: Generated, label: string, locale: Locale): Promise<{ documentId: string; versionLabel: string; documentNumber: string; detail: string }> {
    if (!can(owner, LIBRARY_PERMISSIONS.write)) {
      throw new Error(say(locale, '创建人没有编写文档的权限（library.document.write），未归档', 'the owner does not hold library.document.write: not filed'));
    }
    const library = libraryOf(this.ctx).documents;
    const body = bodyFromSections(report.document.sections, report.document.facts);
    const note = say(locale, `定时报告：${label}`, `Scheduled report: ${label}`);
    const existing = schedule.library_document_id
      ? await this.ctx.db.selectFrom('document').select(['id', 'status', 'type_code', 'number']).where('id', '=', schedule.library_document_id).executeTakeFirst()
      : undefined;
    let id: string;
    if (!existing || existing.status === 'retired' || existing.type_code !== schedule.library_type_code) {
      id = (await library.create(owner, { typeCode: schedule.library_type_code!, title: schedule.name, body, changeNote: note })).id;
      // Kept at once: should the submit below fail, the next run still finds this document (no second one).
      await this.#repo.update(this.ctx.db, schedule.id, { library_document_id: id });
    } else if (existing.status === 'published') {
      await library.newVersion(owner, existing.id, { changeNote: note }, body);
      id = existing.id;
    } else {
      const state = { draft: ['为草稿（未提交或被退回）', 'a draft (not submitted, or sent back)'], in_review: ['审批中', 'under review'], approved: ['已批准待发布', 'approved, not yet published'] }[existing.status as 'draft'] ?? [existing.status, existing.status];
      throw new Error(
        say(
          locale,
          `文档 ${existing.number} 的上一版本${state[0]}，尚未发布：本期（${label}）未归档。请先在文档库中处理该版本（审批、发布或撤回），再立即运行补归档`,
          `the previous version of ${existing.number} is ${state[1]}: this period (${label}) was not filed. Settle that version in the library (review, publish or withdraw it), then run now to file this period`,
        ),
      );
    }
    const detail = await library.submit(owner, id, note);
    const version = detail.versions[0]!;
    const outcome = version.status === 'in_review' ? say(locale, '已提交审批', 'submitted for approval') : say(locale, '已批准（该类型无需审批），待发布', 'approved (the type needs no review), to be published');
    return { documentId: id, versionLabel: version.label, documentNumber: detail.number, detail: `${detail.number} ${version.label} ${outcome}` };
  }

  async #mail(schedule: ReportScheduleTable, report: Generated, label: string, files: StoredRunFile[], documentId: string | null, number: string | null, version: string | null): Promise<{ deliveryId: string; recipients: string[]; skipped: string[] }> {
    const users = await this.#repo.users(fromJson<string[]>(schedule.user_ids));
    const skipped = users.filter((u) => u.status !== 'active' || !EMAIL.test(u.email)).map((u) => u.display_name);
    const recipients = [...new Set([...fromJson<string[]>(schedule.emails), ...users.filter((u) => u.status === 'active' && EMAIL.test(u.email)).map((u) => u.email)])];
    const url = linkTo(this.ctx.config.publicUrl, documentId ? `/library/documents/${documentId}` : runPath(schedule.id));
    const runUrl = linkTo(this.ctx.config.publicUrl, runPath(schedule.id));
    const attachments: MessageAttachment[] = files.map((f) => ({ filename: f.filename, contentType: f.contentType, fileKey: f.key }));
    const message = reportMessage({ title: report.document.title, schedule: schedule.name, period: label, scope: report.scopeName, missing: report.missing, files: files.map((f) => f.filename), url, runUrl, filed: documentId && number && version ? { number, version } : null }, attachments);
    const { deliveryId } = await notifyOf(this.ctx).enqueue({ channelId: schedule.channel_id!, message, ...(recipients.length ? { recipients } : {}), source: { kind: 'report-schedule', id: schedule.id } });
    return { deliveryId, recipients, skipped };
  }
}

interface ReportNotice {
  title: string;
  schedule: string;
  period: string;
  scope: string;
  missing: string[];
  files: string[];
  /** The filed document, or the run history. */
  url: string;
  runUrl: string;
  filed: { number: string; version: string } | null;
}

/** The e-mail: the report, the period and the scope named, the files attached, absolute links. */
export function reportMessage(n: ReportNotice, attachments: MessageAttachment[]): LocalizedMessage {
  const zhTitle = `【定时报告】${n.title}（${n.period}）`;
  const enTitle = `[Scheduled report] ${n.title} (${n.period})`;
  const zhLines = [
    `${n.schedule}：${n.title}已生成。`,
    `报告区间：${n.period}`,
    `报告范围：${n.scope}`,
    `附件：${n.files.join('、')}`,
    ...(n.missing.length ? [`缺少数据的部分（报告中已说明原因）：${n.missing.join('、')}`] : []),
    ...(n.filed ? [`已归档至文档库：${n.filed.number} ${n.filed.version}`] : []),
  ];
  const enLines = [
    `${n.schedule}: the ${n.title.toLowerCase()} is ready.`,
    `Period: ${n.period}`,
    `Scope: ${n.scope}`,
    `Attached: ${n.files.join(', ')}`,
    ...(n.missing.length ? [`Sections without data (the report says why): ${n.missing.join(', ')}`] : []),
    ...(n.filed ? [`Filed in the library: ${n.filed.number} ${n.filed.version}`] : []),
  ];
  const data = { kind: 'reports.schedule', schedule: n.schedule, period: n.period, scope: n.scope };
  const linkZh = n.filed ? '查看文档库中的报告' : '查看运行记录';
  const linkEn = n.filed ? 'Open the report in the library' : 'Open the run history';
  return {
    'zh-CN': { title: zhTitle, text: `${zhLines.join('\n')}\n${n.url}\n运行记录：${n.runUrl}`, markdown: `**${zhTitle}**\n\n${zhLines.join('\n\n')}\n\n[${linkZh}](${n.url})`, severity: 'info', url: n.url, data, attachments },
    en: { title: enTitle, text: `${enLines.join('\n')}\n${n.url}\nRun history: ${n.runUrl}`, markdown: `**${enTitle}**\n\n${enLines.join('\n\n')}\n\n[${linkEn}](${n.url})`, severity: 'info', url: n.url, data, attachments },
  };
}

export function timingOf(s: Pick<ReportScheduleTable, 'cadence' | 'day_of_week' | 'day_of_month' | 'hour'>) {
  return { cadence: s.cadence as ReportCadence, dayOfWeek: s.day_of_week, dayOfMonth: s.day_of_month, hour: s.hour };
}
