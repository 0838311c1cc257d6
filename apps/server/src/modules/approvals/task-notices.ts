import type { Kysely } from 'kysely';
import type { ApprovalStep } from '@yunwei/contracts/approvals';
import type { LocalizedMessage } from '@yunwei/contracts/notify';
import { fromJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import type { ModuleContext } from '../../platform/module.js';
import { formatMessageTime, linkTo } from '../../platform/notify/message-format.js';
import { notifyOf } from '../notify/runtime.js';
import { approvalsRepo as repo, type RequestRow } from './approvals.repository.js';

/** Where approval messages of a flow go: its channel, or the default channels; on each, the people's addresses. */
export interface Send {
  channelId: string;
  recipients: string[];
}

/**
 * The channels to use and, on each, the people's addresses (e-mail on e-mail channels, mobile on the
 * others; none: the channel's own recipients). Reads through `db` (a transaction's executor inside one).
 */
export async function addressed(ctx: ModuleContext, db: Kysely<Database>, channelId: string | null, userIds: readonly string[]): Promise<Send[]> {
  const notify = notifyOf(ctx);
  const channelIds = channelId
    ? [channelId]
    : (await db.selectFrom('notify_channel').select('id').where('is_default', '=', 1).where('enabled', '=', 1).orderBy('name').orderBy('id').execute()).map((r) => r.id);
  const users = userIds.length ? await db.selectFrom('user').select(['email', 'phone']).where('id', 'in', [...userIds]).execute() : [];
  const out: Send[] = [];
  for (const id of channelIds) {
    const type = (await notify.service.repo.channel(id, db))?.type;
    const addresses = users.map((u) => (type === 'email' ? u.email : u.phone)).filter((a) => a !== '');
    out.push({ channelId: id, recipients: [...new Set(addresses)].sort() });
  }
  return out;
}

interface OpenedNotice {
  title: string;
  submitter: string;
  assignee: string;
  stepName: string;
  dueAt: number | null;
  url: string;
}

/** 【审批待办】: a task waits for its assignee now. */
export function openedMessage(n: OpenedNotice, timeZone: string): LocalizedMessage {
  const due = n.dueAt === null ? null : formatMessageTime(n.dueAt, timeZone);
  const zhTitle = `【审批待办】${n.title}`;
  const zhText = `${n.submitter} 提交的审批「${n.title}」在步骤「${n.stepName}」等待 ${n.assignee} 处理${due ? `，请在 ${due} 前处理` : ''}。`;
  const enTitle = `[Approval to do] ${n.title}`;
  const enText = `"${n.title}", submitted by ${n.submitter}, waits for ${n.assignee} at step "${n.stepName}"${due ? `; please decide by ${due}` : ''}.`;
  const data = { kind: 'approval', stage: 'opened', title: n.title, submitter: n.submitter, assignee: n.assignee, step: n.stepName, dueAt: n.dueAt };
  return {
    'zh-CN': { title: zhTitle, text: `${zhText}\n${n.url}`, markdown: `**${zhTitle}**\n\n${zhText}\n\n[去处理](${n.url})`, severity: 'info', url: n.url, data },
    en: { title: enTitle, text: `${enText}\n${n.url}`, markdown: `**${enTitle}**\n\n${enText}\n\n[Open the request](${n.url})`, severity: 'info', url: n.url, data },
  };
}

/**
 * Tells each person whose task just became pending (the flow starts, the next step or the next in
 * line of 依次, 转办, 加签, the task coming back after an approver added before it) through the path
 * reminders use: the flow's channel or the default channels, as durable notify deliveries written in
 * the deciding transaction (both commit or neither). Call `notifyOf(ctx).wake()` after the commit.
 */
export async function noticeOpenedTasks(ctx: ModuleContext, trx: Kysely<Database>, request: RequestRow, tasks: readonly { assignee_id: string; step: number; due_at: number | null }[]): Promise<void> {
  if (!tasks.length) {
    return;
  }
  const flow = await repo.flow(trx, request.flow_id);
  const steps = fromJson<ApprovalStep[]>(request.steps);
  const names = await repo.names(trx, [request.submitter_id, ...tasks.map((t) => t.assignee_id)]);
  const url = linkTo(ctx.config.publicUrl, `/approvals/requests/${request.id}`);
  for (const task of tasks) {
    const message = openedMessage(
      {
        title: request.title,
        submitter: names.get(request.submitter_id) ?? request.submitter_id,
        assignee: names.get(task.assignee_id) ?? task.assignee_id,
        stepName: steps[task.step]?.name ?? '',
        dueAt: task.due_at === null ? null : Number(task.due_at),
        url,
      },
      ctx.config.timeZone,
    );
    for (const send of await addressed(ctx, trx, flow?.notify_channel_id ?? null, [task.assignee_id])) {
      await notifyOf(ctx).enqueue({ channelId: send.channelId, message, ...(send.recipients.length ? { recipients: send.recipients } : {}), source: { kind: 'approval-request', id: request.id } }, trx);
    }
  }
}
