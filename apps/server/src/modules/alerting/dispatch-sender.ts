import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ModuleContext } from '../../platform/module.js';
import { notifyOf, type EnqueueInput } from '../notify/runtime.js';
import { oncallOf } from '../oncall/runtime.js';

/**
 * The routing half's only coupling to the notify module (sending: durable deliveries, in the
 * dispatcher's transaction) and the on-call module (who is on call). Tests may pass their own.
 */
export interface DispatchSender {
  enqueue(input: EnqueueInput, trx: Kysely<Database>): Promise<{ deliveryId: string } | null>;
  /** After the transaction that enqueued commits: the rows are visible now, send them without waiting for a poll. */
  wake(): void;
  /** The channel's type ('email', 'dingtalk', …), or null when there is no such channel. */
  channelType(channelId: string): Promise<string | null>;
  /** The enabled default channels now (policies that notify the default channels send to them). */
  defaultChannels(): Promise<string[]>;
  scheduleExists(scheduleId: string): Promise<boolean>;
  /** The users on call at `at`. */
  onCall(scheduleId: string, at: number): Promise<string[]>;
}

export function dispatchSender(ctx: ModuleContext): DispatchSender {
  return {
    enqueue: (input, trx) => notifyOf(ctx).enqueue(input, trx),
    wake: () => notifyOf(ctx).wake(),
    async channelType(channelId) {
      return (await notifyOf(ctx).service.repo.channel(channelId))?.type ?? null;
    },
    defaultChannels: () => notifyOf(ctx).channels.defaults(),
    scheduleExists: (scheduleId) => oncallOf(ctx).scheduleExists(scheduleId),
    async onCall(scheduleId, at) {
      return (await oncallOf(ctx).whoIsOnCall(scheduleId, at)).userIds;
    },
  };
}

/**
 * The same for validation inside a caller's transaction (a check's own escalation policy, written in
 * the check's): the lookups read through `trx`, as they must on SQLite (one connection).
 */
export function dispatchSenderWithin(ctx: ModuleContext, trx: Kysely<Database>): DispatchSender {
  return {
    ...dispatchSender(ctx),
    async channelType(channelId) {
      return (await trx.selectFrom('notify_channel').select('type').where('id', '=', channelId).executeTakeFirst())?.type ?? null;
    },
    async scheduleExists(scheduleId) {
      return (await trx.selectFrom('oncall_schedule').select('id').where('id', '=', scheduleId).executeTakeFirst()) !== undefined;
    },
  };
}
