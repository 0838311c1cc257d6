import type { Kysely, Transaction } from 'kysely';
import type { ApprovalStep } from '@yunwei/contracts/approvals';
import type { Database } from '../../db/schema.js';
import { joinedTransaction } from '../../db/joined-transaction.js';
import type { ModuleContext } from '../../platform/module.js';
import { AppError } from '../../platform/errors.js';
import { CalendarService } from '../oncall/calendar.service.js';
import { ScheduleService } from '../oncall/schedule.service.js';

/**
 * The people who approve a step, resolved when the step starts: users as named, a role's members (by
 * user name), whoever is on call now; active users only, each once, in that order. Reads through `trx`
 * (SQLite has one connection: the on-call lookup runs inside the transaction too).
 */
export async function resolveApprovers(ctx: ModuleContext, trx: Transaction<Database>, step: ApprovalStep, at: number, orgUnitId: string | null = null): Promise<string[]> {
  const ids: string[] = [];
  let schedules: ScheduleService | undefined;
  for (const approver of step.approvers) {
    switch (approver.kind) {
      case 'user':
        ids.push(approver.userId);
        break;
      case 'role': {
        const members = await trx.selectFrom('user_role as ur').innerJoin('user as u', 'u.id', 'ur.user_id').select('u.id').where('ur.role_id', '=', approver.roleId).orderBy('u.username').execute();
        ids.push(...members.map((m) => m.id));
        break;
      }
      case 'org_leader': {
        const leader = await orgLeader(trx, orgUnitId);
        if (leader) {
          ids.push(leader);
        }
        break;
      }
      case 'on_call': {
        const db = joinedTransaction(trx);
        schedules ??= new ScheduleService({ db, audit: ctx.audit }, new CalendarService({ db, audit: ctx.audit }));
        ids.push(...(await schedules.whoIsOnCall(approver.scheduleId, at)).userIds);
        break;
      }
    }
  }
  const unique = [...new Set(ids)];
  const active = new Set(unique.length ? (await trx.selectFrom('user').select('id').where('id', 'in', unique).where('status', '=', 'active').execute()).map((u) => u.id) : []);
  return unique.filter((id) => active.has(id));
}

/**
 * The leader of the unit, or of the nearest unit above it with an active leader; null when no unit up to
 * the root has one (or the request has no unit). A disabled leader is passed over like a missing one.
 */
export async function orgLeader(trx: Transaction<Database>, orgUnitId: string | null): Promise<string | null> {
  const seen = new Set<string>();
  let unitId = orgUnitId;
  // `seen` guards against a cycle in a damaged tree (the org module refuses to make one).
  while (unitId && !seen.has(unitId)) {
    seen.add(unitId);
    const unit = await trx
      .selectFrom('org_unit as o')
      .leftJoin('user as u', (join) => join.onRef('u.id', '=', 'o.leader_id').on('u.status', '=', 'active'))
      .select(['o.parent_id', 'u.id as leader'])
      .where('o.id', '=', unitId)
      .executeTakeFirst();
    if (unit?.leader) {
      return unit.leader;
    }
    unitId = unit?.parent_id ?? null;
  }
  return null;
}

/** Like resolveApprovers, refusing a step that resolves to nobody with an error naming it. */
export async function requireApprovers(ctx: ModuleContext, trx: Transaction<Database>, step: ApprovalStep, index: number, at: number, orgUnitId: string | null = null): Promise<string[]> {
  const users = await resolveApprovers(ctx, trx, step, at, orgUnitId);
  if (!users.length) {
    throw new AppError('YW_APPROVAL_STEP_NOBODY', {
      step: index,
      stepName: step.name,
      explanation: { zh: `第 ${index + 1} 步「${step.name}」没有可用的审批人`, en: `step ${index + 1} "${step.name}" has nobody to approve it` },
    });
  }
  return users;
}

/** True when `userId` is an active user (a person to hand a task to or add as an approver). */
export async function isActiveUser(db: Kysely<Database>, userId: string): Promise<boolean> {
  return (await db.selectFrom('user').select('id').where('id', '=', userId).where('status', '=', 'active').executeTakeFirst()) !== undefined;
}
