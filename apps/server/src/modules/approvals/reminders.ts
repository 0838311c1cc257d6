import { uuidv7 } from 'uuidv7';
import type { ApprovalStep } from '@yunwei/contracts/approvals';
import type { LocalizedMessage } from '@yunwei/contracts/notify';
import { fromJson, toJson } from '../../db/dialect.js';
import { systemActor } from '../../platform/actor.js';
import type { ModuleContext } from '../../platform/module.js';
import { formatMessageTime, linkTo } from '../../platform/notify/message-format.js';
import { notifyOf } from '../notify/runtime.js';
import { approvalsRepo as repo } from './approvals.repository.js';
import { addressed } from './task-notices.js';

type Stage = 'remind' | 'escalate';

interface Notice {
  stage: Stage;
  title: string;
  submitter: string;
  assignee: string;
  stepName: string;
  dueAt: number;
  url: string;
}

function reminderMessage(n: Notice, timeZone: string): LocalizedMessage {
  const due = formatMessageTime(n.dueAt, timeZone);
  const zhTitle = `${n.stage === 'remind' ? '【审批催办】' : '【审批超时升级】'}${n.title}`;
  const zhText = `${n.submitter} 提交的审批「${n.title}」在步骤「${n.stepName}」等待 ${n.assignee} 处理，已超过截止时间 ${due}。`;
  const enTitle = `${n.stage === 'remind' ? '[Approval reminder]' : '[Approval overdue, escalated]'} ${n.title}`;
  const enText = `"${n.title}", submitted by ${n.submitter}, has waited for ${n.assignee} at step "${n.stepName}" since its due time ${due}.`;
  const data = { kind: 'approval', stage: n.stage, title: n.title, submitter: n.submitter, assignee: n.assignee, step: n.stepName, dueAt: n.dueAt };
  return {
    'zh-CN': { title: zhTitle, text: `${zhText}\n${n.url}`, markdown: `**${zhTitle}**\n\n${zhText}\n\n[查看审批](${n.url})`, severity: 'warning', url: n.url, data },
    en: { title: enTitle, text: `${enText}\n${n.url}`, markdown: `**${enTitle}**\n\n${enText}\n\n[Open the request](${n.url})`, severity: 'warning', url: n.url, data },
  };
}

/**
 * Overdue tasks, run by the `approvals.reminders` job: at its due time the assignee is reminded; when
 * it stays open as long again (`escalate_at`, set by the reminder), the assignee is reminded once more
 * together with the flow's escalation user. Messages go through the flow's channel (or the default channels) as durable notify deliveries,
 * addressed to the people's e-mail (e-mail channels) or mobile (robots). Each stage is claimed with a
 * conditional UPDATE: one node, one message.
 */
export class ApprovalReminders {
  constructor(private readonly ctx: ModuleContext) {}

  async run(now = Date.now()): Promise<{ reminded: number; escalated: number }> {
    const counts = { reminded: 0, escalated: 0 };
    for (const row of await repo.overdue(this.ctx.db, now)) {
      const step = fromJson<ApprovalStep[]>(row.steps)[row.step];
      const stage: Stage = row.reminded_at === null ? 'remind' : 'escalate';
      const escalateAt = Number(row.due_at) + Math.round((step?.dueHours ?? 0) * 3_600_000);
      const flow = await repo.flow(this.ctx.db, row.flow_id);
      const people = [row.assignee_id, ...(stage === 'escalate' && flow?.escalation_user_id ? [flow.escalation_user_id] : [])];
      const names = await repo.names(this.ctx.db, [row.assignee_id, row.submitter_id]);
      const message = reminderMessage(
        { stage, title: row.title, submitter: names.get(row.submitter_id) ?? row.submitter_id, assignee: names.get(row.assignee_id) ?? row.assignee_id, stepName: step?.name ?? '', dueAt: Number(row.due_at), url: linkTo(this.ctx.config.publicUrl, `/approvals/requests/${row.request_id}`) },
        this.ctx.config.timeZone,
      );
      const sends = await addressed(this.ctx, this.ctx.db, flow?.notify_channel_id ?? null, people);
      const sent = await this.ctx.db.transaction().execute(async (trx) => {
        const claim = trx.updateTable('approval_task').set(stage === 'remind' ? { reminded_at: now, escalate_at: escalateAt } : { escalated_at: now }).where('id', '=', row.id).where('status', '=', 'pending');
        const claimed = await (stage === 'remind' ? claim.where('reminded_at', 'is', null) : claim.where('escalated_at', 'is', null)).executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) {
          return false;
        }
        for (const send of sends) {
          await notifyOf(this.ctx).enqueue({ channelId: send.channelId, message, ...(send.recipients.length ? { recipients: send.recipients } : {}), source: { kind: 'approval-request', id: row.request_id } }, trx);
        }
        const detail = { taskId: row.id, userIds: people, channels: sends.length };
        await repo.insertEvent(trx, { id: uuidv7(), request_id: row.request_id, action: stage, actor_id: null, actor_name: null, step: row.step, comment: null, detail: toJson(detail), at: now });
        await this.ctx.audit.record(trx, { actor: systemActor('approvals'), action: `approvals.task.${stage}`, targetType: 'approval_request', targetId: row.request_id, after: detail });
        return true;
      });
      if (sent) {
        counts[stage === 'remind' ? 'reminded' : 'escalated']++;
      }
    }
    notifyOf(this.ctx).wake();
    return counts;
  }
}
