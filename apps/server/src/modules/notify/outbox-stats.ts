import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { seriesRef, type PreparedSample, type SeriesRef } from '../monitoring/series.js';

const BACKLOG = ['queued', 'sending', 'retrying'] as const;

/**
 * The outbox's own figures, as samples for the metrics store (so an alert rule can watch the
 * notification path itself):
 * - `yunwei_notify_backlog{status="queued"|"sending"|"retrying"}`: deliveries not done yet;
 * - `yunwei_notify_oldest_due_seconds`: how long the oldest due delivery has waited (0: none) — a
 *   stuck worker or a flood shows here first;
 * - `yunwei_notify_failed_last_hour`: deliveries created in the last hour that failed for good.
 */
export async function outboxSamples(db: Kysely<Database>, now = Date.now()): Promise<PreparedSample[]> {
  const counts = await db
    .selectFrom('notify_delivery')
    .select(['status', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('status', 'in', [...BACKLOG])
    .groupBy('status')
    .execute();
  const oldest = await db
    .selectFrom('notify_delivery')
    .select((eb) => eb.fn.min<number | string | null>('next_attempt_at').as('at'))
    .where('status', 'in', ['queued', 'retrying'])
    .where('next_attempt_at', '<=', now)
    .executeTakeFirst();
  const failed = await db
    .selectFrom('notify_delivery')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('status', '=', 'failed')
    .where('created_at', '>', now - 3_600_000)
    .executeTakeFirstOrThrow();
  const sample = (metric: string, labels: Record<string, string>, value: number): PreparedSample => ({ series: seriesRef(metric, labels) as SeriesRef, ts: now, value });
  const byStatus = new Map(counts.map((c) => [c.status, Number(c.n)]));
  return [
    ...BACKLOG.map((status) => sample('yunwei_notify_backlog', { status }, byStatus.get(status) ?? 0)),
    sample('yunwei_notify_oldest_due_seconds', {}, oldest?.at === null || oldest?.at === undefined ? 0 : Math.max(0, (now - Number(oldest.at)) / 1000)),
    sample('yunwei_notify_failed_last_hour', {}, Number(failed.n)),
  ];
}
