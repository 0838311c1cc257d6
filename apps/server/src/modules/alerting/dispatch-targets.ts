import type { Kysely } from 'kysely';
import type { EscalationTarget } from '@yunwei/contracts/alert-routing';
import type { Database } from '../../db/schema.js';
import type { DispatchSender } from './dispatch-sender.js';

/** A target made concrete at send time: a channel and, for people, their addresses on it. */
export interface Recipient {
  channelId: string;
  /** undefined: the channel's own configured recipients. */
  recipients?: string[];
  /** Alerts of the message this recipient hears about elsewhere (a default channel another policy already tells): left out of its copy. */
  skipAlerts?: ReadonlySet<string>;
}

/**
 * Resolves targets into channel + recipients: people (a user, or whoever is on call at `at`) get
 * their e-mail address on an e-mail channel and their mobile number (to @mention) on a robot.
 * Identical results are sent once. Reads outside any transaction (on-call lookups use their own).
 */
export async function resolveTargets(db: Kysely<Database>, sender: DispatchSender, targets: readonly EscalationTarget[], at: number): Promise<Recipient[]> {
  const out = new Map<string, Recipient>();
  const types = new Map<string, string | null | undefined>();
  for (const t of targets) {
    if (t.type === 'channel') {
      out.set(t.channelId, { channelId: t.channelId });
      continue;
    }
    const userIds = t.type === 'user' ? [t.userId] : await sender.onCall(t.scheduleId, at);
    if (!userIds.length) {
      continue;
    }
    if (!types.has(t.channelId)) {
      types.set(t.channelId, await sender.channelType(t.channelId));
    }
    const users = await db.selectFrom('user').select(['email', 'phone']).where('id', 'in', userIds).where('status', '=', 'active').execute();
    const addresses = users.map((u) => (types.get(t.channelId) === 'email' ? u.email : u.phone)).filter((x) => x !== '');
    if (!addresses.length) {
      continue;
    }
    const key = `${t.channelId}\u0000${[...addresses].sort().join(',')}`;
    out.set(key, { channelId: t.channelId, recipients: [...new Set(addresses)].sort() });
  }
  return [...out.values()];
}

/** Targets as stored in `reached` (their identity, so the same target is not added twice). */
export function targetKey(t: EscalationTarget): string {
  return t.type === 'channel' ? `c:${t.channelId}` : t.type === 'user' ? `u:${t.userId}:${t.channelId}` : `o:${t.scheduleId}:${t.channelId}`;
}
