import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';

/**
 * Test helpers of the routing half: alerts written straight into the alerts half's `alert` table
 * (the routing tests need alerts in given states at given times, not rules evaluated over samples).
 */
export interface TestAlert {
  ruleName: string;
  labels?: Record<string, string>;
  ciId?: string | null;
  severity?: 'warning' | 'critical';
  state?: 'pending' | 'firing' | 'acknowledged';
  at: number;
}

/** Inserts an alert (firing by default) and returns its id. Labels get alertname, severity, rule and ci. */
export async function insertAlert(db: Kysely<Database>, a: TestAlert): Promise<string> {
  const id = uuidv7();
  const ruleId = `rule-${a.ruleName}`;
  const severity = a.severity ?? 'critical';
  const labels: Record<string, string> = { alertname: a.ruleName, severity, rule: ruleId, ...(a.ciId ? { ci: a.ciId } : {}), ...a.labels };
  const sorted = Object.fromEntries(Object.entries(labels).sort(([x], [y]) => x.localeCompare(y)));
  const state = a.state ?? 'firing';
  await db
    .insertInto('alert')
    .values({
      id,
      fingerprint: createHash('sha256').update(ruleId + toJson(sorted)).digest('hex'),
      rule_id: ruleId,
      rule_name: a.ruleName,
      severity,
      state,
      labels: toJson(labels),
      annotations: toJson({ zh: { summary: `${a.ruleName} 触发`, description: '' }, en: { summary: `${a.ruleName} fired`, description: '' } }),
      value: 95.5,
      threshold: 90,
      ci_id: a.ciId ?? null,
      started_at: a.at,
      firing_at: state === 'pending' ? null : a.at,
      acked_at: state === 'acknowledged' ? a.at : null,
      acked_by: null,
      resolved_at: null,
      updated_at: a.at,
      notify_seq: 1,
    })
    .execute();
  return id;
}

/** Moves alerts to a new state (as the alerts half would: timestamps and notify_seq bumped). */
export async function setAlertState(db: Kysely<Database>, ids: readonly string[], state: 'firing' | 'acknowledged' | 'resolved', at: number): Promise<void> {
  const stamp = state === 'acknowledged' ? { acked_at: at } : state === 'resolved' ? { resolved_at: at } : { firing_at: at };
  await db
    .updateTable('alert')
    .set({ state, updated_at: at, notify_seq: sql`notify_seq + 1`, ...stamp })
    .where('id', 'in', [...ids])
    .execute();
}
