import type { Kysely, Migration } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { ROUTING_DEFAULTS } from '@yunwei/contracts/alert-routing';

/** The id of the catch-all notification policy seeded by the first routing migration. */
export const DEFAULT_POLICY_ID = '0190d6a0-0000-7000-8000-000000000001';

/** The built-in default policy's names, and what it matches on a new install. */
export const DEFAULT_POLICY = {
  name: '默认通知策略',
  nameEn: 'Default policy',
  matchers: [{ name: 'severity', op: '=', value: 'critical' }],
} as const;

/** The name the first version seeded (renamed only while nobody changed it). */
const SEEDED_NAME = '默认策略';

/**
 * Issue 11: a first critical alert reaches someone without any routing set up. The catch-all policy
 * seeded at install becomes the built-in default policy: critical alerts (`severity="critical"`) to
 * every default channel. Its matchers and switches may now change; it stays last and cannot go.
 *
 * - It sent nothing (no escalation policy: the seed as it was): it is adopted as it stands, with the
 *   new matcher and names.
 * - An administrator routed every alert through it to an escalation policy: it keeps doing exactly that
 *   as an ordinary policy, last of the ordered ones and continuing, and a new built-in default policy
 *   follows it — so what reached people before still does, and critical alerts also reach the default
 *   channels (never twice to one channel: see default-channels.ts).
 *
 * Answers which of the two happened (null: no default policy, nothing to do).
 */
export async function upgradeDefaultPolicy(db: Kysely<any>, now = Date.now()): Promise<'adopted' | 'split' | null> {
  const current = (await db.selectFrom('alert_notification_policy').selectAll().where('is_default', '=', 1).executeTakeFirst()) as { id: string; name: string; escalation_policy_id: string | null } | undefined;
  if (!current) {
    return null;
  }
  const names = { name_en: current.name === SEEDED_NAME ? DEFAULT_POLICY.nameEn : null, name: current.name === SEEDED_NAME ? DEFAULT_POLICY.name : current.name };
  if (current.escalation_policy_id === null) {
    await db
      .updateTable('alert_notification_policy')
      .set({ ...names, matchers: JSON.stringify(DEFAULT_POLICY.matchers), notify_default_channels: 1, updated_at: now })
      .where('id', '=', current.id)
      .execute();
    return 'adopted';
  }
  const last = (await db.selectFrom('alert_notification_policy').select((eb) => eb.fn.max('position').as('p')).where('is_default', '=', 0).executeTakeFirst()) as { p: number | string | null } | undefined;
  const position = last?.p === null || last?.p === undefined ? 0 : Number(last.p) + 1;
  await db.updateTable('alert_notification_policy').set({ is_default: 0, position, continue_matching: 1, updated_at: now }).where('id', '=', current.id).execute();
  await db
    .insertInto('alert_notification_policy')
    .values({
      id: uuidv7(),
      name: DEFAULT_POLICY.name,
      name_en: DEFAULT_POLICY.nameEn,
      position: 1_000_000,
      matchers: JSON.stringify(DEFAULT_POLICY.matchers),
      group_by: '["alertname"]',
      group_wait_s: ROUTING_DEFAULTS.groupWaitSeconds,
      group_interval_s: ROUTING_DEFAULTS.groupIntervalSeconds,
      repeat_interval_s: ROUTING_DEFAULTS.repeatIntervalSeconds,
      escalation_policy_id: null,
      continue_matching: 0,
      notify_default_channels: 1,
      enabled: 1,
      is_default: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return 'split';
}

/** The way back: one catch-all default policy again, without matchers (the version before refuses them). */
async function downgradeDefaultPolicy(db: Kysely<any>): Promise<void> {
  const seeded = (await db.selectFrom('alert_notification_policy').select(['id', 'is_default']).where('id', '=', DEFAULT_POLICY_ID).executeTakeFirst()) as { id: string; is_default: number } | undefined;
  if (seeded && seeded.is_default === 0) {
    const builtIn = db.selectFrom('alert_notification_policy').select('id').where('is_default', '=', 1);
    const groups = db.selectFrom('alert_group').select('id').where('policy_id', 'in', builtIn);
    await db.deleteFrom('alert_escalation_state').where('group_id', 'in', groups).execute();
    await db.deleteFrom('alert_group').where('policy_id', 'in', builtIn).execute();
    await db.deleteFrom('alert_notification_policy').where('is_default', '=', 1).execute();
    await db.updateTable('alert_notification_policy').set({ is_default: 1, position: 1_000_000, continue_matching: 0 }).where('id', '=', DEFAULT_POLICY_ID).execute();
  }
  await db.updateTable('alert_notification_policy').set({ matchers: '[]', enabled: 1, continue_matching: 0 }).where('is_default', '=', 1).execute();
  await db.updateTable('alert_notification_policy').set({ name: SEEDED_NAME }).where('is_default', '=', 1).where('name', '=', DEFAULT_POLICY.name).execute();
}

/** English names for built-in policies, the "also to the default channels" switch, and the built-in default policy. */
export const defaultPolicyMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('alert_notification_policy').addColumn('name_en', 'text').execute();
    await db.schema.alterTable('alert_notification_policy').addColumn('notify_default_channels', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await upgradeDefaultPolicy(db);
  },
  async down(db: Kysely<any>) {
    await downgradeDefaultPolicy(db);
    await db.schema.alterTable('alert_notification_policy').dropColumn('notify_default_channels').execute();
    await db.schema.alterTable('alert_notification_policy').dropColumn('name_en').execute();
  },
};
