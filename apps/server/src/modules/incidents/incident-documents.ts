import { type Kysely, type RawBuilder, sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { DocumentBlock, DocumentFormat, DocumentSection, WrittenDocument } from '@yunwei/contracts/documents';
import type { Locale } from '@yunwei/contracts/i18n';
import { INCIDENT_ANALYSIS_LIMITS, type IncidentAnalysis, type IncidentAnalysisInput, type IncidentFiled } from '@yunwei/contracts/incident-reports';
import { INCIDENT_PERMISSIONS as P, INCIDENT_SOURCE_NAMES, INCIDENT_STATUS_NAMES, type IncidentSla } from '@yunwei/contracts/incidents';
import { LIBRARY_PERMISSIONS } from '@yunwei/contracts/library';
import { fromJson, toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { type Actor, can, inScope } from '../../platform/actor.js';
import { renderDocument, type DocumentFile } from '../../platform/documents/render.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { bodyFromSections } from '../library/library-from-blocks.js';
import { libraryOf } from '../library/library.runtime.js';
import { dayText, durationText, minutesAsDuration, sectionHeading, timeText } from './incident-doc-format.js';
import type { IncidentAnalysisTable } from './incident-documents.tables.js';
import { incidentsOf } from './runtime.js';

type FollowUp = { text: string; ownerId: string | null; dueAt: number | null };
type Row = Record<string, unknown>;

const PENDING = { zh: '待补充', en: 'To be completed' };
const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
const firstOf = (r: Row, keys: readonly string[]): string => keys.map((k) => str(r[k])).find((v) => v.trim() !== '') ?? '';

/**
 * 故障分析报告 (L2-2.3.1): built from the incident as its API answers it (names, times, SLA clocks, the activity
 * as worded for the reader), the handlers' 经验教训 and 后续措施 (kept per incident, versioned), and whatever the
 * cause-analysis and runbook features have recorded when they are installed. Downloaded as Word / PDF and filed
 * into the document library (type fault_analysis): one document per incident, a new version when filed again,
 * submitted for approval.
 */
export class IncidentDocuments {
  constructor(private readonly ctx: ModuleContext) {}

  // ------------------------------------------------------------ 经验教训 and 后续措施

  async analysis(actor: Actor, id: string): Promise<IncidentAnalysis> {
    await incidentsOf(this.ctx).get(actor, id);
    const row = await this.ctx.db.selectFrom('incident_analysis').selectAll().where('incident_id', '=', id).executeTakeFirst();
    const follow = row ? fromJson<FollowUp[]>(row.follow_ups) : [];
    const names = await this.#userNames(follow.map((f) => f.ownerId));
    const filed = await this.#filedDocument(id);
    return {
      incidentId: id,
      lessons: row?.lessons ?? '',
      followUps: follow.map((f) => ({ text: f.text, owner: f.ownerId ? { id: f.ownerId, name: names.get(f.ownerId) ?? f.ownerId } : null, dueAt: f.dueAt })),
      version: row ? Number(row.version) : 0,
      updatedAt: row ? Number(row.updated_at) : null,
      document: filed ? { id: filed.id, number: filed.number, status: filed.status } : null,
    };
  }

  async saveAnalysis(actor: Actor, id: string, input: IncidentAnalysisInput): Promise<IncidentAnalysis> {
    const incident = await this.#writable(actor, id);
    const followUps: FollowUp[] = input.followUps.map((f, i) => {
      const text = f.text.trim();
      if (!text) {
        throw invalidField(`body.followUps.${i}.text`, { zh: '请填写措施内容', en: 'say what is to be done' });
      }
      return { text, ownerId: f.ownerId, dueAt: f.dueAt };
    });
    const lessons = input.lessons.trim().slice(0, INCIDENT_ANALYSIS_LIMITS.lessons);
    await this.ctx.db.transaction().execute(async (trx) => {
      for (const [i, f] of followUps.entries()) {
        if (f.ownerId && !(await trx.selectFrom('user').select('id').where('id', '=', f.ownerId).where('status', '=', 'active').executeTakeFirst())) {
          throw invalidField(`body.followUps.${i}.ownerId`, { zh: '负责人不存在或已停用', en: 'no such user, or the account is disabled' });
        }
      }
      const before = await trx.selectFrom('incident_analysis').selectAll().where('incident_id', '=', id).executeTakeFirst();
      const version = before ? Number(before.version) : 0;
      if ((input.version ?? 0) !== version) {
        throw new AppError('YW_INCIDENT_VERSION_CONFLICT', { field: 'body.version', version, updatedAt: before ? Number(before.updated_at) : null });
      }
      const now = Date.now();
      const row: IncidentAnalysisTable = { incident_id: id, lessons, follow_ups: toJson(followUps), version: version + 1, updated_at: now, updated_by: actor.userId };
      if (before) {
        const done = await trx.updateTable('incident_analysis').set(row).where('incident_id', '=', id).where('version', '=', version).executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1) {
          throw new AppError('YW_INCIDENT_VERSION_CONFLICT', { field: 'body.version' });
        }
      } else {
        await trx.insertInto('incident_analysis').values(row).execute();
      }
      await this.ctx.audit.record(trx, {
        actor,
        action: 'incidents.analysis.update',
        targetType: 'incident',
        targetId: id,
        before: before ? { lessons: before.lessons, followUps: fromJson<FollowUp[]>(before.follow_ups) } : null,
        after: { number: incident.number, lessons, followUps },
      });
    });
    return this.analysis(actor, id);
  }

  // ------------------------------------------------------------ the report

  /** The report as a document in `locale`, at `now`. */
  async analysisReport(actor: Actor, id: string, locale: Locale, now = Date.now()): Promise<WrittenDocument> {
    const reader = { ...actor, locale };
    const en = locale === 'en';
    const t = (zh: string, e: string) => (en ? e : zh);
    const tz = this.ctx.config.timeZone;
    const incidents = incidentsOf(this.ctx);
    const inc = await incidents.get(reader, id);
    const activity = [...(await incidents.activity(reader, id)).items].reverse();
    const analysis = await this.analysis(reader, id);
    const pauses = await this.ctx.db.selectFrom('incident_pause').select(['reason', 'from_at', 'to_at']).where('incident_id', '=', id).orderBy('from_at').execute();
    const config = await incidents.config.config();
    const pending: DocumentBlock = { kind: 'paragraph', tone: 'warning', text: `「${en ? PENDING.en : PENDING.zh}」` };
    const dash = '—';

    const handlers = [...new Set([inc.assignee?.name, inc.majorRoles.commander?.name, inc.majorRoles.techLead?.name, inc.majorRoles.communications?.name, ...activity.filter((a) => a.kind === 'status' || a.kind === 'assigned').map((a) => a.actor?.name)].filter((x): x is string => Boolean(x)))];
    const summary: DocumentSection = {
      heading: sectionHeading(1, '概述', 'Summary', locale),
      blocks: [
        {
          kind: 'table',
          header: [t('项目', 'Item'), t('内容', 'Value')],
          rows: [
            [t('故障编号', 'Number'), inc.number],
            [t('故障标题', 'Title'), inc.title],
            [t('优先级', 'Priority'), inc.priority],
            [t('故障类型', 'Fault type'), inc.type?.path ?? dash],
            [t('故障性质', 'Nature'), inc.nature?.name ?? dash],
            [t('状态', 'Status'), en ? INCIDENT_STATUS_NAMES[inc.status].en : INCIDENT_STATUS_NAMES[inc.status].zh],
            [t('来源', 'Source'), en ? INCIDENT_SOURCE_NAMES[inc.source].en : INCIDENT_SOURCE_NAMES[inc.source].zh],
            [t('报告人', 'Reporter'), inc.reporter?.name ?? dash],
            [t('处理人', 'Handlers'), handlers.length ? handlers.join(t('、', ', ')) : dash],
            [t('处理组', 'Handling group'), inc.group?.name ?? dash],
            [t('重大故障', 'Major incident'), inc.major ? t('是', 'Yes') : t('否', 'No')],
          ],
        },
        ...(inc.description.trim() ? [{ kind: 'paragraph' as const, text: inc.description.trim() }] : []),
      ],
    };

    const milestones: [string, number | null][] = [
      [t('发现', 'Detected'), inc.detectedAt],
      [t('响应（确认）', 'Acknowledged'), inc.acknowledgedAt],
      [t('缓解', 'Mitigated'), inc.mitigatedAt],
      [t('解决', 'Resolved'), inc.resolvedAt],
      [t('关闭', 'Closed'), inc.closedAt],
    ];
    const timeline: DocumentSection = {
      heading: sectionHeading(2, '时间线', 'Timeline', locale),
      blocks: [
        { kind: 'table', header: [t('节点', 'Milestone'), t('时间', 'Time')], rows: milestones.map(([label, at]) => [label, timeText(at, tz)]) },
        { kind: 'heading', level: 3, text: t('处理记录（按时间先后）', 'Activity (oldest first)') },
        activity.length
          ? { kind: 'table', header: [t('时间', 'Time'), t('操作人', 'By'), t('事件', 'Event'), t('说明', 'Note')], rows: activity.map((a) => [timeText(a.at, tz), a.actor?.name ?? t('系统', 'System'), a.text, a.note]) }
          : { kind: 'paragraph', text: t('无处理记录。', 'No activity recorded.') },
      ],
    };

    const pausedMs = pauses.reduce((sum, p) => sum + Math.max(0, Math.min(p.to_at === null ? now : Number(p.to_at), inc.resolvedAt ?? now) - Number(p.from_at)), 0);
    const wall = (end: number | null) => (end === null ? dash : durationText(end - inc.detectedAt, locale));
    const slaFigure = (s: IncidentSla | null) => (s && s.stoppedAt !== null ? `${minutesAsDuration(s.elapsedMinutes, locale)}（${s.mode === '24x7' ? '7×24' : t('工作时间', 'working hours')}${pauses.length ? t('，已扣除挂起', ', pauses excluded') : ''}）` : dash);
    const lasting = inc.resolvedAt === null ? null : inc.resolvedAt - inc.detectedAt;
    const impact: DocumentSection = {
      heading: sectionHeading(3, '影响范围与持续时间', 'Impact and duration', locale),
      blocks: [
        {
          kind: 'table',
          header: [t('项目', 'Item'), t('内容', 'Value')],
          rows: [
            [t('受影响业务系统', 'Business systems affected'), inc.impactScope.businessSystems.map((b) => b.name).join(t('、', ', ')) || dash],
            [t('故障配置项', 'Failed configuration items'), inc.cis.map((c) => `${c.name}（${c.className}）`).join(t('、', ', ')) || dash],
            [t('受影响配置项数', 'Configuration items affected'), String(inc.impactScope.affectedCount)],
            [t('降级（冗余仍在服务）', 'Degraded (redundancy still serving)'), inc.impactScope.degraded.join(t('、', ', ')) || dash],
          ],
        },
        {
          kind: 'paragraph',
          text:
            lasting === null
              ? t(`故障于 ${timeText(inc.detectedAt, tz)} 发现，尚未解决。`, `Detected at ${timeText(inc.detectedAt, tz)}; not resolved yet.`)
              : t(`故障于 ${timeText(inc.detectedAt, tz)} 发现，${timeText(inc.resolvedAt, tz)} 解决，持续 ${durationText(lasting, locale)}。`, `Detected at ${timeText(inc.detectedAt, tz)}, resolved at ${timeText(inc.resolvedAt, tz)}: lasted ${durationText(lasting, locale)}.`),
        },
        {
          kind: 'table',
          header: [t('时长', 'Span'), t('自然时间', 'Wall-clock'), t('SLA 计时', 'SLA time')],
          rows: [
            [t('响应用时（MTTA，发现→响应）', 'Time to acknowledge (MTTA, detected → acknowledged)'), wall(inc.acknowledgedAt), slaFigure(inc.sla.response)],
            [t('缓解用时（发现→缓解）', 'Time to mitigate (detected → mitigated)'), wall(inc.mitigatedAt), dash],
            [t('解决用时（MTTR，发现→解决）', 'Time to resolve (MTTR, detected → resolved)'), wall(inc.resolvedAt), slaFigure(inc.sla.resolution)],
            [t('挂起（暂停计时）', 'On hold (clock paused)'), pauses.length ? durationText(pausedMs, locale) : dash, dash],
          ],
        },
      ],
    };

    const causes = await this.#causes(id, locale);
    const cause: DocumentSection = { heading: sectionHeading(4, '原因分析', 'Cause analysis', locale), blocks: causes.length ? causes : [pending] };

    const runs = await this.#runbookRuns(id, locale, tz);
    const handling: DocumentSection = {
      heading: sectionHeading(5, '处理过程', 'Handling', locale),
      blocks: [
        inc.resolution.trim() ? { kind: 'paragraph', text: `${t('处理结果：', 'Resolution: ')}${inc.resolution.trim()}` } : pending,
        ...runs,
      ],
    };

    const slaRow = (label: string, s: IncidentSla | null): string[] => {
      if (!s) {
        return [label, dash, dash, dash, dash];
      }
      const met = s.stoppedAt === null ? (s.breached ? t('已超时（计时中）', 'Breached (running)') : t('计时中', 'Running')) : s.breached ? t('未达成', 'Missed') : t('达成', 'Met');
      return [label, minutesAsDuration(s.targetMinutes, locale), s.mode === '24x7' ? '7×24' : t('工作时间', 'Working hours'), minutesAsDuration(s.elapsedMinutes, locale), met];
    };
    const sla: DocumentSection = {
      heading: sectionHeading(6, 'SLA 达成情况', 'SLA attainment', locale),
      blocks: [
        {
          kind: 'table',
          header: [t('时钟', 'Clock'), t('目标', 'Target'), t('计时方式', 'Counted'), t('已用（SLA 计时）', 'Used (SLA time)'), t('结果', 'Outcome')],
          rows: [slaRow(t('响应', 'Response'), inc.sla.response), slaRow(t('解决', 'Resolution'), inc.sla.resolution)],
          tones: [inc.sla.response, inc.sla.resolution].map((s) => (s?.breached ? 'danger' : 'normal')),
        },
        {
          kind: 'paragraph',
          text: t(
            `计时方式按优先级 ${inc.priority} 的 SLA 配置；工作时间计时只计工作日的工作时间（${config.businessHours.map((w) => `${w.start}–${w.end}`).join('、')}），法定节假日与调休按业务日历；因暂停计时的原因挂起的时间不计入。`,
            `Counted as configured for ${inc.priority}; working-hours clocks count only the working hours of working days (${config.businessHours.map((w) => `${w.start}–${w.end}`).join(', ')}), statutory holidays and make-up days from the business calendar; time on hold for a reason that pauses the clock is left out.`,
          ),
        },
      ],
    };

    const lessons: DocumentSection = {
      heading: sectionHeading(7, '经验教训', 'Lessons learned', locale),
      blocks: analysis.lessons.trim() ? analysis.lessons.trim().split(/\n{2,}|\n/).filter((p) => p.trim()).map((p) => ({ kind: 'paragraph' as const, text: p.trim() })) : [pending],
    };
    const followUps: DocumentSection = {
      heading: sectionHeading(8, '后续措施', 'Follow-up actions', locale),
      blocks: analysis.followUps.length
        ? [{ kind: 'table', header: [t('序号', 'No.'), t('措施', 'Action'), t('负责人', 'Owner'), t('完成期限', 'Due')], rows: analysis.followUps.map((f, i) => [String(i + 1), f.text, f.owner?.name ?? dash, f.dueAt === null ? dash : dayText(f.dueAt, tz)]) }]
        : [pending],
    };

    return {
      title: `${t('故障分析报告', 'Fault analysis report')}：${inc.number} ${inc.title}`,
      facts: [
        [t('故障编号', 'Incident'), inc.number],
        [t('编制人', 'Prepared by'), actor.username],
        [t('生成时间', 'Generated'), timeText(now, tz)],
      ],
      sections: [summary, timeline, impact, cause, handling, sla, lessons, followUps],
    };
  }

  /** The report as a Word or PDF file; the download is audited. */
  async analysisFile(actor: Actor, id: string, format: DocumentFormat, locale: Locale): Promise<DocumentFile> {
    const now = Date.now();
    const doc = await this.analysisReport(actor, id, locale, now);
    const number = (await this.ctx.db.selectFrom('incident').select('number').where('id', '=', id).executeTakeFirstOrThrow()).number;
    const file = await renderDocument(doc, format, `${locale === 'en' ? 'fault-analysis' : '故障分析报告'}-${number}`, locale);
    await this.ctx.audit.recordNow({ actor, action: 'incidents.analysis.download', targetType: 'incident', targetId: id, after: { number, filename: file.filename } });
    return file;
  }

  /** Files the report into the library (fault_analysis): one document per incident, a new version each time, submitted for approval. */
  async fileAnalysis(actor: Actor, id: string): Promise<IncidentFiled> {
    const incident = await this.#writable(actor, id);
    const locale: Locale = 'zh-CN';
    const doc = await this.analysisReport(actor, id, locale);
    return fileIntoLibrary(this.ctx, actor, {
      subject: id,
      typeCode: 'fault_analysis',
      title: `故障分析报告：${incident.number} ${incident.title}`.slice(0, 200),
      document: doc,
      note: `由故障 ${incident.number} 生成`,
      audit: { action: 'incidents.analysis.file', targetType: 'incident', targetId: id, after: { number: incident.number } },
      also: async (trx, filed) => {
        await trx.insertInto('incident_activity').values({ id: uuidv7(), incident_id: id, at: Date.now(), kind: 'link', actor_id: actor.userId, data: toJson({ zh: `故障分析报告已归档：${filed.number} ${filed.versionLabel}`, en: `Fault analysis report filed: ${filed.number} ${filed.versionLabel}` }), note: '' }).execute();
      },
    });
  }

  // ------------------------------------------------------------ helpers

  async #writable(actor: Actor, id: string): Promise<{ number: string; title: string }> {
    await incidentsOf(this.ctx).get(actor, id);
    const row = await this.ctx.db.selectFrom('incident').select(['number', 'title', 'org_unit_id', 'assignee_id']).where('id', '=', id).executeTakeFirstOrThrow();
    if (row.org_unit_id !== null && !inScope(actor, P.write, row.org_unit_id) && row.assignee_id !== actor.userId) {
      throw new AppError('YW_OUT_OF_SCOPE', { permission: P.write });
    }
    return row;
  }

  async #filedDocument(subject: string) {
    return this.ctx.db
      .selectFrom('incident_library_document as l')
      .innerJoin('document as d', 'd.id', 'l.document_id')
      .select(['d.id', 'd.number', 'd.status'])
      .where('l.subject', '=', subject)
      .executeTakeFirst();
  }

  async #userNames(ids: (string | null)[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids.filter((x): x is string => Boolean(x)))];
    if (!unique.length) {
      return new Map();
    }
    const rows = await this.ctx.db.selectFrom('user').select(['id', 'username', 'display_name']).where('id', 'in', unique).execute();
    return new Map(rows.map((u) => [u.id, u.display_name || u.username]));
  }

  /** Rows of a table another feature may add (cause hypotheses, problems, runbook runs): none when it is not installed. */
  async #optional(query: RawBuilder<Row>): Promise<Row[]> {
    try {
      return (await query.execute(this.ctx.db)).rows;
    } catch {
      return [];
    }
  }

  async #causes(id: string, locale: Locale): Promise<DocumentBlock[]> {
    const en = locale === 'en';
    const blocks: DocumentBlock[] = [];
    // 原因假设 (cause tracing): a confirmed one is the incident's cause.
    const hypotheses = await this.#optional(sql<Row>`select * from incident_hypothesis where incident_id = ${id} order by created_at`);
    const words: Record<string, [string, string]> = { confirmed: ['已确认', 'Confirmed'], rejected: ['已排除', 'Rejected'], proposed: ['待验证', 'Proposed'] };
    const confirmed = hypotheses.filter((h) => str(h.status) === 'confirmed');
    for (const h of confirmed) {
      blocks.push({ kind: 'paragraph', text: `${en ? 'Cause (confirmed): ' : '故障原因（已确认）：'}${firstOf(h, ['title', 'text', 'statement'])}${str(h.note).trim() ? `${en ? ' — ' : '——'}${str(h.note).trim()}` : ''}` });
    }
    if (hypotheses.length) {
      blocks.push({ kind: 'heading', level: 3, text: en ? 'Cause hypotheses' : '原因假设' });
      blocks.push({
        kind: 'table',
        header: en ? ['Hypothesis', 'Status', 'Note'] : ['假设', '状态', '说明'],
        rows: hypotheses.map((h) => {
          const status = str(h.status);
          return [firstOf(h, ['title', 'text', 'statement', 'description']), words[status]?.[en ? 1 : 0] ?? status, firstOf(h, ['note', 'evidence'])];
        }),
      });
    }
    const problems = await this.#optional(sql<Row>`select p.* from problem p inner join problem_incident pi on pi.problem_id = p.id where pi.incident_id = ${id}`);
    for (const p of problems) {
      const root = firstOf(p, ['root_cause', 'rootCause', 'cause']);
      blocks.push({ kind: 'paragraph', text: `${en ? 'Linked problem' : '关联问题'}${firstOf(p, ['number']) ? ` ${firstOf(p, ['number'])}` : ''}：${firstOf(p, ['title', 'name'])}` });
      blocks.push({ kind: 'paragraph', text: `${en ? 'Root cause: ' : '根本原因：'}${root || (en ? PENDING.en : PENDING.zh)}` });
    }
    return blocks;
  }

  async #runbookRuns(id: string, locale: Locale, tz: string): Promise<DocumentBlock[]> {
    const en = locale === 'en';
    const runs = await this.#optional(sql<Row>`select r.*, b.name as runbook_name from incident_runbook_run r left join incident_runbook b on b.id = r.runbook_id where r.incident_id = ${id} order by r.started_at`);
    if (!runs.length) {
      return [];
    }
    return [
      { kind: 'heading', level: 3, text: en ? 'Runbook runs' : '预案 / 作业执行' },
      {
        kind: 'table',
        header: en ? ['Runbook', 'Started', 'Outcome'] : ['预案 / 作业', '开始时间', '结果'],
        rows: runs.map((r) => [firstOf(r, ['runbook_name', 'name', 'title', 'runbook_id']), r.started_at === undefined || r.started_at === null ? '—' : timeText(Number(r.started_at), tz), firstOf(r, ['status', 'outcome', 'result'])]),
      },
    ];
  }
}

/**
 * Filing writes a library document: the route's own permission lets the caller generate it, filing also needs the
 * library's (a 400 naming the request, as 定时报告 does, so a holder of the route's permission is told why).
 */
export function requireLibraryWriter(actor: Actor): void {
  if (!can(actor, LIBRARY_PERMISSIONS.write)) {
    throw invalidField('body', { zh: '归档到文档库还需要“编写文档、提交审批”的权限', en: 'filing into the document library also needs the permission to write documents' });
  }
}

/**
 * Files a generated document into the library as `subject`'s one document of `typeCode`: created the first time;
 * afterwards a new version (published), the draft replaced (a draft), or refused while a version is under review or
 * approved and not yet published. Then submitted for approval (the type's flow; none: approved at once).
 */
export async function fileIntoLibrary(
  ctx: ModuleContext,
  actor: Actor,
  o: { subject: string; typeCode: string; title: string; document: WrittenDocument; note: string; audit: { action: string; targetType: string; targetId: string; after: Record<string, unknown> }; also?: (trx: Kysely<Database>, filed: IncidentFiled) => Promise<void> },
): Promise<IncidentFiled> {
  requireLibraryWriter(actor);
  const library = libraryOf(ctx).documents;
  const body = bodyFromSections(o.document.sections, o.document.facts);
  const mapped = await ctx.db.selectFrom('incident_library_document').select('document_id').where('subject', '=', o.subject).executeTakeFirst();
  const existing = mapped ? await ctx.db.selectFrom('document').select(['id', 'status', 'number']).where('id', '=', mapped.document_id).executeTakeFirst() : undefined;
  let id: string;
  if (!existing || existing.status === 'retired') {
    id = (await library.create(actor, { typeCode: o.typeCode, title: o.title, body, changeNote: o.note })).id;
    // Kept at once: should the submit below fail, filing again finds this document (no second one).
    await ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('incident_library_document').where('subject', '=', o.subject).execute();
      await trx.insertInto('incident_library_document').values({ subject: o.subject, document_id: id }).execute();
      await ctx.audit.record(trx, { actor, action: `${o.audit.action}-document`, targetType: o.audit.targetType, targetId: o.audit.targetId, after: { documentId: id } });
    });
  } else if (existing.status === 'published') {
    id = (await library.newVersion(actor, existing.id, { changeNote: o.note }, body)).id;
  } else if (existing.status === 'draft') {
    id = (await library.update(actor, existing.id, { title: o.title, body, changeNote: o.note })).id;
  } else {
    const state = existing.status === 'in_review' ? { zh: '审批中', en: 'under review' } : { zh: '已批准待发布', en: 'approved and not yet published' };
    throw new AppError('YW_LIBRARY_ILLEGAL_TRANSITION', {
      field: 'params.id',
      fields: [{ field: 'params.id', message: { zh: `文档 ${existing.number} 的当前版本${state.zh}：请先在文档库中审批并发布（或撤回）该版本，再重新归档`, en: `the current version of ${existing.number} is ${state.en}: settle it in the library (approve and publish, or withdraw) before filing again` } }],
    });
  }
  const detail = await library.submit(actor, id, o.note);
  const filed: IncidentFiled = { documentId: id, number: detail.number, title: detail.title, versionLabel: detail.versions[0]!.label, status: detail.status };
  await ctx.db.transaction().execute(async (trx) => {
    await o.also?.(trx, filed);
    await ctx.audit.record(trx, { actor, action: o.audit.action, targetType: o.audit.targetType, targetId: o.audit.targetId, after: { ...o.audit.after, document: filed } });
  });
  return filed;
}
