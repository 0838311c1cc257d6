import type { DocumentFormat, DocumentSection, WrittenDocument } from '@yunwei/contracts/documents';
import type { Locale } from '@yunwei/contracts/i18n';
import type { IncidentFiled } from '@yunwei/contracts/incident-reports';
import { INCIDENT_LEVEL_NAMES, INCIDENT_MAJOR_ROLE_NAMES, INCIDENT_PRIORITIES, type IncidentType } from '@yunwei/contracts/incidents';
import type { Actor } from '../../platform/actor.js';
import { renderDocument, type DocumentFile } from '../../platform/documents/render.js';
import type { ModuleContext } from '../../platform/module.js';
import { dayText, minutesAsDuration, sectionHeading, timeText } from './incident-doc-format.js';
import { fileIntoLibrary } from './incident-documents.js';
import { incidentsOf } from './runtime.js';

/** The fault-type tree in reading order: each type followed by its children (by sort, then name). */
export function treeOrder(types: readonly IncidentType[]): IncidentType[] {
  const children = new Map<string | null, IncidentType[]>();
  for (const t of types) {
    const parent = t.parentId && types.some((x) => x.id === t.parentId) ? t.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), t]);
  }
  const out: IncidentType[] = [];
  const walk = (parent: string | null) => {
    for (const t of (children.get(parent) ?? []).sort((a, b) => a.sort - b.sort || a.name.localeCompare(b.name))) {
      out.push(t);
      walk(t.id);
    }
  };
  walk(null);
  return out;
}

/**
 * 故障处理规程 (L1-2.3.1): the organisation's procedure written from the configuration as it stands — fault
 * classes, natures with guidance, the priority matrix, SLA targets and how they are counted, pause reasons,
 * escalation as the system performs it, roles, verification rules, the reopen window and record keeping — so the
 * document says what the system does. Downloaded as Word / PDF, filed into the library (fault_procedure) and
 * submitted for approval.
 */
export class IncidentProcedure {
  constructor(private readonly ctx: ModuleContext) {}

  async document(actor: Actor, locale: Locale, now = Date.now()): Promise<WrittenDocument> {
    const en = locale === 'en';
    const t = (zh: string, e: string) => (en ? e : zh);
    const list = (items: string[]) => ({ kind: 'list' as const, items });
    const reader = { ...actor, locale };
    const configService = incidentsOf(this.ctx).config;
    const [config, types, natures] = await Promise.all([configService.config(), configService.types(reader), configService.natures(reader)]);
    const tz = this.ctx.config.timeZone;
    const level = (n: 1 | 2 | 3) => (en ? INCIDENT_LEVEL_NAMES[n].en : INCIDENT_LEVEL_NAMES[n].zh);
    const hours = config.businessHours.map((w) => `${w.start}–${w.end}`).join(t('、', ', '));
    const warnPercent = Math.round(config.warnAt * 100);
    const escalation = (config as { escalation?: Partial<Record<string, string | null>> }).escalation ?? {};
    const policyIds = [...new Set(Object.values(escalation).filter((x): x is string => Boolean(x)))];
    const policies = policyIds.length ? new Map((await this.ctx.db.selectFrom('alert_escalation_policy').select(['id', 'name']).where('id', 'in', policyIds).execute()).map((p) => [p.id, p.name])) : new Map<string, string>();
    const role = (r: keyof typeof INCIDENT_MAJOR_ROLE_NAMES) => (en ? INCIDENT_MAJOR_ROLE_NAMES[r].en : INCIDENT_MAJOR_ROLE_NAMES[r].zh);

    const sections: DocumentSection[] = [
      {
        heading: sectionHeading(1, '目的与适用范围', 'Purpose and scope', locale),
        blocks: [
          { kind: 'paragraph', text: t('为规范信息系统故障的发现、登记、分类、处理、升级、验证与关闭，尽快恢复业务并减少故障影响，制定本规程。', 'This procedure governs how faults of the information systems are detected, recorded, classified, handled, escalated, verified and closed, so that service is restored quickly and the impact kept small.') },
          { kind: 'paragraph', text: t('本规程适用于本单位运维管理范围内的全部配置项（业务系统、应用、数据库、主机、网络与安全设备、机房环境等）发生的故障，由运维人员通过 Yunwei 故障管理执行。本规程由系统根据当前故障管理配置生成，配置变更后应重新生成并审批。', 'It applies to faults of every configuration item operations manages (business systems, applications, databases, hosts, network and security devices, the machine room) and is carried out in Yunwei\'s incident management. It is generated from the current configuration: regenerate and approve it again after the configuration changes.') },
        ],
      },
      {
        heading: sectionHeading(2, '故障分类', 'Fault classes', locale),
        blocks: [
          { kind: 'paragraph', text: t('故障按下表的故障类型分类（多级），登记时选择最具体的类型；告警生成的故障按类型规则给出建议类型，由处理人确认。', 'Faults are classified by the fault types below (a tree); choose the most specific type when recording. Incidents opened from alerts get a suggested type from the type rules, which the handler confirms.') },
          { kind: 'table', header: [t('故障类型', 'Fault type'), t('代码', 'Code'), t('说明', 'Description')], rows: treeOrder(types.filter((x) => x.enabled)).map((x) => [x.path, x.code, x.description || '—']) },
        ],
      },
      {
        heading: sectionHeading(3, '故障性质', 'Fault natures', locale),
        blocks: [
          { kind: 'paragraph', text: t('处理人根据下列判断指引确定故障性质，用于统计与后续改进。', 'The handler judges the nature with the guidance below; it feeds statistics and improvement.') },
          { kind: 'table', header: [t('故障性质', 'Nature'), t('判断指引', 'Guidance')], rows: natures.filter((n) => n.enabled).map((n) => [n.name, n.guidance || '—']) },
        ],
      },
      {
        heading: sectionHeading(4, '优先级矩阵', 'Priority matrix', locale),
        blocks: [
          { kind: 'paragraph', text: t('故障优先级由影响度与紧急度按下表确定（P1 最高），不单独指定；影响度或紧急度变化时优先级随之调整。', 'The priority follows impact × urgency by this matrix (P1 highest); it is never set apart from them and changes when they change.') },
          {
            kind: 'table',
            header: [t('影响度 \\ 紧急度', 'Impact \\ urgency'), level(1), level(2), level(3)],
            rows: ([1, 2, 3] as const).map((impact) => [level(impact), ...config.matrix[impact - 1]!]),
          },
        ],
      },
      {
        heading: sectionHeading(5, 'SLA 目标', 'SLA targets', locale),
        blocks: [
          {
            kind: 'table',
            header: [t('优先级', 'Priority'), t('响应时限', 'Response within'), t('解决时限', 'Resolve within'), t('计时方式', 'Counted')],
            rows: INCIDENT_PRIORITIES.map((p) => {
              const s = config.sla[p];
              return [p, minutesAsDuration(s.responseMinutes, locale), minutesAsDuration(s.resolutionMinutes, locale), s.mode === '24x7' ? t('7×24 小时', '24×7') : t('工作时间', 'Working hours')];
            }),
          },
          list([
            t('响应时限自发现时间起算至响应（开始处理或挂起）时间；解决时限自发现时间起算至解决时间。', 'The response clock runs from detection to the first response (started or put on hold); the resolution clock from detection to resolution.'),
            t(`工作时间计时只计工作日的工作时间：${hours}（时区 ${tz}）。`, `Working-hours clocks count only the working hours of working days: ${hours} (time zone ${tz}).`),
            t('法定节假日与调休工作日按业务日历（值班管理中的节假日日历）执行：节假日不计时，调休上班日按工作日计时。', 'Statutory holidays and make-up working days follow the business calendar (the on-call holiday calendar): holidays do not count, make-up days count as working days.'),
            t('7×24 小时计时连续计算全部时间。', '24×7 clocks count every hour.'),
          ]),
        ],
      },
      {
        heading: sectionHeading(6, '挂起原因', 'Reasons for putting on hold', locale),
        blocks: [
          { kind: 'paragraph', text: t('故障挂起时须选择下列原因之一；标明“暂停计时”的原因在挂起期间暂停 SLA 计时，其余原因挂起期间照常计时。', 'Putting an incident on hold needs one of these reasons; those marked "pauses the clock" stop the SLA clocks while on hold, the others do not.') },
          { kind: 'table', header: [t('挂起原因', 'Reason'), t('代码', 'Code'), t('SLA 计时', 'SLA clock')], rows: config.pauseReasons.map((r) => [en ? r.nameEn : r.nameZh, r.code, r.pausesSla ? t('暂停计时', 'Pauses the clock') : t('照常计时', 'Keeps running')]) },
        ],
      },
      {
        heading: sectionHeading(7, '升级', 'Escalation', locale),
        blocks: [
          list([
            t(`预警：任一 SLA 计时达到目标的 ${warnPercent}% 时，系统通知处理人（未指派时通知处理组负责人），并通知该优先级升级策略第一级的对象。`, `Warning: when an SLA clock reaches ${warnPercent}% of its target, the system notifies the assignee (the handling group's leader when unassigned) and the first step of the priority's escalation policy.`),
            t('超时：SLA 计时超过目标时，系统再次通知处理人，并按升级策略逐级通知全部对象；预警与超时通知各只发送一次，并记入故障处理记录。', 'Breach: when a clock passes its target the system notifies the assignee again and every step of the escalation policy; each warning and breach notice is sent once and written into the incident\'s activity.'),
            t('重大故障（P1 或标记为重大故障）须立即指定指挥、技术负责人与沟通人员。', 'A major incident (P1 or marked major) gets a commander, a technical lead and a communications lead at once.'),
          ]),
          {
            kind: 'table',
            header: [t('优先级', 'Priority'), t('升级策略', 'Escalation policy')],
            rows: INCIDENT_PRIORITIES.map((p) => {
              const id = escalation[p];
              return [p, id ? (policies.get(id) ?? id) : t('未配置（仅通知处理人或处理组负责人）', 'None configured (the assignee or the group leader only)')];
            }),
          },
        ],
      },
      {
        heading: sectionHeading(8, '角色与职责', 'Roles', locale),
        blocks: [
          {
            kind: 'table',
            header: [t('角色', 'Role'), t('职责', 'Duties')],
            rows: [
              [t('报告人', 'Reporter'), t('发现或受理故障并登记（网页、自助报障、邮件、告警自动生成）。', 'Detects or takes in the fault and records it (web form, self-service, e-mail, or from an alert).')],
              [t('处理人 / 处理组', 'Handler / handling group'), t('响应、诊断并排除故障，记录处理过程与处理结果；需要时转派。', 'Responds, diagnoses and removes the fault, records what was done and the outcome; transfers when needed.')],
              [role('commander'), t('重大故障的总体指挥与决策，协调资源。', 'Leads a major incident, decides and coordinates resources.')],
              [role('techLead'), t('重大故障的技术诊断与恢复方案。', 'Leads the technical diagnosis and recovery of a major incident.')],
              [role('communications'), t('重大故障期间对业务部门与管理层的通报。', 'Keeps business units and management informed during a major incident.')],
              [t('验证人', 'Verifier'), t('解决人以外的人员，验证恢复情况后关闭故障。', 'Someone other than the resolver, who verifies the recovery and closes the incident.')],
            ],
          },
        ],
      },
      {
        heading: sectionHeading(9, '验证规则', 'Verification rules', locale),
        blocks: [
          list([
            t('故障须由解决人以外的人员验证后关闭（系统拒绝解决人本人关闭）。', 'Someone other than the resolver verifies and closes the incident (the system refuses a close by the resolver).'),
            t('关闭前确认关联的拨测检查恢复正常（绿色）。', 'Before closing, the linked checks are green again.'),
            t('关闭前确认相关告警均已恢复。', 'Before closing, the related alerts are resolved.'),
            t('解决时须填写处理结果（做了什么、业务是否已恢复）。', 'Resolving needs the resolution: what was done and whether service is restored.'),
          ]),
        ],
      },
      {
        heading: sectionHeading(10, '重新打开期限', 'Reopening', locale),
        blocks: [{ kind: 'paragraph', text: t(`已解决或已关闭的故障可在解决后 ${config.reopenDays} 天内重新打开；超过期限的同类问题应登记新故障并关联。`, `A resolved or closed incident may be reopened within ${config.reopenDays} days of its resolution; after that, record a new incident and link them.`) }],
      },
      {
        heading: sectionHeading(11, '记录要求', 'Record keeping', locale),
        blocks: [
          list([
            t('记录发现、响应、缓解、解决、关闭时间；时间须按先后顺序，更正时间留有记录。', 'Record the detected, acknowledged, mitigated, resolved and closed times, in order; corrections are kept in the record.'),
            t('每次状态变化、指派与转派、挂起原因、备注均记入故障处理记录，并写入审计日志。', 'Every change of state, assignment and transfer, hold reason and comment goes into the incident\'s activity and the audit trail.'),
            t('取消故障须说明原因；挂起须选择挂起原因。', 'Cancelling needs a reason; putting on hold needs a hold reason.'),
            t('P1、P2 及重大故障解决后编写故障分析报告（概述、时间线、影响范围与持续时间、原因、处理过程、经验教训与后续措施），归档到文档库并经审批。', 'After a P1, P2 or major incident, write the fault analysis report (summary, timeline, impact and duration, cause, handling, lessons and follow-ups), file it into the library and have it approved.'),
          ]),
        ],
      },
    ];
    return {
      title: t('故障处理规程', 'Fault handling procedure'),
      facts: [
        [t('配置更新时间', 'Configuration updated'), config.updatedAt === null ? t('默认配置', 'Default configuration') : timeText(config.updatedAt, tz)],
        [t('编制人', 'Prepared by'), actor.username],
        [t('生成时间', 'Generated'), timeText(now, tz)],
      ],
      sections,
    };
  }

  async file(actor: Actor, format: DocumentFormat, locale: Locale): Promise<DocumentFile> {
    const now = Date.now();
    const doc = await this.document(actor, locale, now);
    const file = await renderDocument(doc, format, `${doc.title}-${dayText(now, this.ctx.config.timeZone)}`, locale);
    await this.ctx.audit.recordNow({ actor, action: 'incidents.procedure.download', targetType: 'incident_config', targetId: '1', after: { filename: file.filename } });
    return file;
  }

  /** Files the procedure into the library (fault_procedure), one document, a new version each time, submitted for approval. */
  async fileIntoLibrary(actor: Actor): Promise<IncidentFiled> {
    const doc = await this.document(actor, 'zh-CN');
    return fileIntoLibrary(this.ctx, actor, { subject: 'procedure', typeCode: 'fault_procedure', title: '故障处理规程', document: doc, note: '由故障管理配置生成', audit: { action: 'incidents.procedure.file', targetType: 'incident_config', targetId: '1', after: {} } });
  }
}
