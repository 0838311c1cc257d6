import type { Kysely } from 'kysely';
import { INCIDENT_LEVEL_NAMES, type IncidentLevel } from '@yunwei/contracts/incidents';
import type { LocalizedMessage } from '@yunwei/contracts/notify';
import type { Database } from '../../db/schema.js';
import type { ModuleContext } from '../../platform/module.js';
import { formatMessageTime, linkTo } from '../../platform/notify/message-format.js';
import { addressed } from '../approvals/task-notices.js';
import { notifyOf } from '../notify/runtime.js';
import type { IncidentTable } from './incidents.tables.js';

/**
 * 【新故障】: a recorded incident is told, in its transaction, to whoever handles it (the assignee, else the
 * handling group's leader) and to the owners of the business systems it affects (L3-2.3.2: the business
 * systems are shown and notified) — by the default channels, each person at their own address.
 */
export async function noticeRecorded(ctx: ModuleContext, trx: Kysely<Database>, row: IncidentTable, businessSystems: readonly { id: string; name: string }[]): Promise<number> {
  const people = new Set<string>();
  if (row.assignee_id) {
    people.add(row.assignee_id);
  } else if (row.group_id) {
    const unit = await trx.selectFrom('org_unit').select('leader_id').where('id', '=', row.group_id).executeTakeFirst();
    if (unit?.leader_id) {people.add(unit.leader_id);}
  }
  if (businessSystems.length) {
    const owners = await trx.selectFrom('cmdb_ci').select('owner_id').where('id', 'in', businessSystems.map((b) => b.id)).where('owner_id', 'is not', null).execute();
    owners.forEach((o) => people.add(o.owner_id!));
  }
  if (row.reporter_id) {
    people.delete(row.reporter_id);
  }
  if (!people.size) {
    return 0;
  }
  const message = recordedMessage(row, businessSystems, linkTo(ctx.config.publicUrl, `/incidents/${row.id}`), ctx.config.timeZone);
  let sent = 0;
  for (const send of await addressed(ctx, trx, null, [...people])) {
    if (send.recipients.length) {
      await notifyOf(ctx).enqueue({ channelId: send.channelId, message, recipients: send.recipients, rateKey: `incident:${row.id}`, source: { kind: 'incident', id: row.id } }, trx);
      sent++;
    }
  }
  return sent;
}

function recordedMessage(row: IncidentTable, businessSystems: readonly { name: string }[], url: string, timeZone: string): LocalizedMessage {
  const at = formatMessageTime(Number(row.detected_at), timeZone);
  const level = (n: number) => INCIDENT_LEVEL_NAMES[n as IncidentLevel];
  const bsZh = businessSystems.length ? `，影响业务系统：${businessSystems.map((b) => b.name).join('、')}` : '';
  const bsEn = businessSystems.length ? `; business systems affected: ${businessSystems.map((b) => b.name).join(', ')}` : '';
  const zhText = `${row.priority} 故障 ${row.number}「${row.title}」于 ${at} 发现（影响度${level(row.impact).zh}，紧急度${level(row.urgency).zh}）${bsZh}。`;
  const enText = `${row.priority} incident ${row.number} "${row.title}" detected at ${at} (impact ${level(row.impact).en.toLowerCase()}, urgency ${level(row.urgency).en.toLowerCase()})${bsEn}.`;
  const severity = row.priority === 'P1' || row.priority === 'P2' ? ('critical' as const) : ('warning' as const);
  const data = { kind: 'incident', number: row.number, priority: row.priority, title: row.title, businessSystems: businessSystems.map((b) => b.name) };
  return {
    'zh-CN': { title: `【新故障】${row.number} ${row.title}`, text: `${zhText}\n${url}`, markdown: `**【新故障】${row.number}**\n\n${zhText}\n\n[查看故障](${url})`, severity, status: 'firing', url, data },
    en: { title: `[New incident] ${row.number} ${row.title}`, text: `${enText}\n${url}`, markdown: `**[New incident] ${row.number}**\n\n${enText}\n\n[Open the incident](${url})`, severity, status: 'firing', url, data },
  };
}
