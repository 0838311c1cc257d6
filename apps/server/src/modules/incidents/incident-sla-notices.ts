import { uuidv7 } from 'uuidv7';
import type { Kysely } from 'kysely';
import type { EscalationStep } from '@yunwei/contracts/alert-routing';
import type { IncidentConfig, IncidentSla } from '@yunwei/contracts/incidents';
import type { LocalizedMessage } from '@yunwei/contracts/notify';
import { fromJson, toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { systemActor } from '../../platform/actor.js';
import type { ModuleContext } from '../../platform/module.js';
import { formatMessageTime, linkTo } from '../../platform/notify/message-format.js';
import { addressed } from '../approvals/task-notices.js';
import { notifyOf } from '../notify/runtime.js';
import { oncallOf } from '../oncall/runtime.js';
import { IncidentConfigService } from './incident-config.service.js';
import { IncidentSlaClock } from './incident-sla.js';
import type { IncidentTable } from './incidents.tables.js';

/** The notices an incident has had, one bit each (`incident.sla_notified`), so each is sent once. */
export const SLA_BITS = { responseWarning: 1, responseBreach: 2, resolutionWarning: 4, resolutionBreach: 8 } as const;
type Bit = keyof typeof SLA_BITS;

const OPEN = ['new', 'in_progress', 'on_hold'] as const;

/** The notices due for one incident's clocks now (a breach implies its warning: both bits are set, one notice sent). */
export function dueNotices(sla: { response: IncidentSla | null; resolution: IncidentSla | null }, sent: number): Bit[] {
  const out: Bit[] = [];
  const clock = (s: IncidentSla | null, warning: Bit, breach: Bit) => {
    if (!s || s.stoppedAt !== null) {
      return;
    }
    if (s.breached && !(sent & SLA_BITS[breach])) {
      out.push(breach);
    } else if (s.warning && !(sent & (SLA_BITS[warning] | SLA_BITS[breach]))) {
      out.push(warning);
    }
  };
  clock(sla.response, 'responseWarning', 'responseBreach');
  clock(sla.resolution, 'resolutionWarning', 'resolutionBreach');
  return out;
}

/**
 * SLA warnings (at the configured share, 80 % by default) and breaches of open incidents: each notice once
 * (a conditional UPDATE of the incident's bits: one node sends it), an activity row, and messages to the
 * assignee (or the handling group's leader) and through the priority's escalation policy — its first step
 * at a warning, every step at a breach — on the channels the policy names.
 */
export class IncidentSlaNotices {
  readonly #clock: IncidentSlaClock;
  readonly #config: IncidentConfigService;

  constructor(private readonly ctx: ModuleContext) {
    this.#clock = new IncidentSlaClock(ctx);
    this.#config = new IncidentConfigService(ctx);
  }

  async run(now = Date.now()): Promise<number> {
    const config = await this.#config.config();
    const cals = await this.#clock.calendars(config, now);
    const rows = await this.ctx.db.selectFrom('incident').selectAll().where('status', 'in', [...OPEN]).execute();
    const ids = rows.map((r) => r.id);
    const pauses = ids.length ? await this.ctx.db.selectFrom('incident_pause').select(['incident_id', 'from_at', 'to_at']).where('incident_id', 'in', ids).execute() : [];
    let sent = 0;
    for (const row of rows) {
      const own = pauses.filter((p) => p.incident_id === row.id).map((p) => ({ from: Number(p.from_at), to: p.to_at === null ? null : Number(p.to_at) }));
      const sla = this.#clock.states(config, cals, { priority: row.priority, status: row.status, detected_at: Number(row.detected_at), acknowledged_at: row.acknowledged_at === null ? null : Number(row.acknowledged_at), resolved_at: row.resolved_at === null ? null : Number(row.resolved_at) }, own, now);
      const notices = dueNotices(sla, row.sla_notified);
      if (notices.length && (await this.#send(row, notices, sla, config, now))) {
        sent += notices.length;
      }
    }
    if (sent) {
      notifyOf(this.ctx).wake();
    }
    return sent;
  }

  async #send(row: IncidentTable, notices: Bit[], sla: { response: IncidentSla | null; resolution: IncidentSla | null }, config: IncidentConfig, now: number): Promise<boolean> {
    let bits = row.sla_notified;
    for (const n of notices) {
      bits |= SLA_BITS[n];
      if (n === 'responseBreach') {bits |= SLA_BITS.responseWarning;}
      if (n === 'resolutionBreach') {bits |= SLA_BITS.resolutionWarning;}
    }
    return this.ctx.db.transaction().execute(async (trx) => {
      // Claimed by the bits it read: another node (or run) that sent them first makes this one write nothing.
      const claimed = await trx.updateTable('incident').set({ sla_notified: bits }).where('id', '=', row.id).where('sla_notified', '=', row.sla_notified).executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) {
        return false;
      }
      for (const n of notices) {
        const s = n.startsWith('response') ? sla.response! : sla.resolution!;
        const words = noticeWords(n, s, config.timeZone);
        await trx.insertInto('incident_activity').values({ id: uuidv7(), incident_id: row.id, at: now, kind: 'sla', actor_id: null, data: toJson(words), note: '' }).execute();
        const message = noticeMessage(row, words, linkTo(this.ctx.config.publicUrl, `/incidents/${row.id}`), n.endsWith('Breach'));
        for (const send of await this.#recipients(trx, row, config, n.endsWith('Breach'), now)) {
          await notifyOf(this.ctx).enqueue({ channelId: send.channelId, message, ...(send.recipients.length ? { recipients: send.recipients } : {}), rateKey: `incident:${row.id}`, source: { kind: 'incident', id: row.id } }, trx);
        }
      }
      await this.ctx.audit.record(trx, { actor: systemActor('incidents.sla'), action: 'incidents.incident.sla', targetType: 'incident', targetId: row.id, after: { number: row.number, notices } });
      return true;
    });
  }

  /** The assignee (else the group's leader) on the default channels, and the escalation policy's targets. */
  async #recipients(trx: Kysely<Database>, row: IncidentTable, config: IncidentConfig, breach: boolean, now: number): Promise<{ channelId: string; recipients: string[] }[]> {
    const people: string[] = [];
    if (row.assignee_id) {
      people.push(row.assignee_id);
    } else if (row.group_id) {
      const leader = await trx.selectFrom('org_unit').select('leader_id').where('id', '=', row.group_id).executeTakeFirst();
      if (leader?.leader_id) {people.push(leader.leader_id);}
    }
    const sends = people.length ? await addressed(this.ctx, trx, null, people) : [];
    const policyId = config.escalation?.[row.priority as 'P1'] ?? null;
    const policy = policyId ? await trx.selectFrom('alert_escalation_policy').select('steps').where('id', '=', policyId).executeTakeFirst() : undefined;
    if (policy) {
      const steps = fromJson<EscalationStep[]>(policy.steps);
      for (const step of breach ? steps : steps.slice(0, 1)) {
        for (const target of step.targets) {
          if (target.type === 'channel') {
            sends.push({ channelId: target.channelId, recipients: [] });
          } else {
            const userIds = target.type === 'user' ? [target.userId] : (await oncallOf(this.ctx).whoIsOnCall(target.scheduleId, now)).userIds;
            sends.push(...(await addressed(this.ctx, trx, target.channelId, userIds)).filter((s) => s.recipients.length));
          }
        }
      }
    }
    // One message per channel and address set.
    const seen = new Set<string>();
    return sends.filter((s) => {
      const key = `${s.channelId}|${s.recipients.join(',')}`;
      return !seen.has(key) && seen.add(key) !== undefined;
    });
  }
}

function noticeWords(n: Bit, s: IncidentSla, timeZone: string): { zh: string; en: string } {
  const due = s.dueAt === null ? '' : formatMessageTime(s.dueAt, timeZone);
  const clock = n.startsWith('response') ? { zh: '响应', en: 'response' } : { zh: '解决', en: 'resolution' };
  return n.endsWith('Breach')
    ? { zh: `${clock.zh}时限已超时（目标 ${s.targetMinutes} 分钟，到期 ${due}）`, en: `The ${clock.en} target is breached (target ${s.targetMinutes} min, due ${due})` }
    : { zh: `${clock.zh}时限已用 ${Math.floor(s.percent)}%（目标 ${s.targetMinutes} 分钟，到期 ${due}）`, en: `${Math.floor(s.percent)}% of the ${clock.en} target used (target ${s.targetMinutes} min, due ${due})` };
}

function noticeMessage(row: IncidentTable, words: { zh: string; en: string }, url: string, breach: boolean): LocalizedMessage {
  const tagZh = breach ? '【故障超时】' : '【故障时限预警】';
  const tagEn = breach ? '[Incident SLA breached]' : '[Incident SLA warning]';
  const data = { kind: 'incident-sla', number: row.number, priority: row.priority, title: row.title, breach };
  const severity = breach ? ('critical' as const) : ('warning' as const);
  return {
    'zh-CN': { title: `${tagZh}${row.number} ${row.title}`, text: `${row.priority} 故障 ${row.number}「${row.title}」：${words.zh}。\n${url}`, markdown: `**${tagZh}${row.number}**\n\n${row.priority} 故障「${row.title}」：${words.zh}。\n\n[查看故障](${url})`, severity, url, data },
    en: { title: `${tagEn} ${row.number} ${row.title}`, text: `${row.priority} incident ${row.number} "${row.title}": ${words.en}.\n${url}`, markdown: `**${tagEn} ${row.number}**\n\n${row.priority} incident "${row.title}": ${words.en}.\n\n[Open the incident](${url})`, severity, url, data },
  };
}
