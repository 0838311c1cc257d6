import { sql, type Kysely, type Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';
import type { MigrationDeps } from '../../db/migrator.js';

/**
 * Webhook header values (an `Authorization` the receiver wants) were stored in plain text in
 * `config.headers`: each moves into the channel's sealed secrets as `headers.<name>` (the names stay
 * readable through `secretsSet`). Needs the master key: without it the migration fails rather than
 * leave plain text behind. Answers how many channels were sealed.
 */
export async function sealWebhookHeaders(db: Kysely<any>, deps?: MigrationDeps): Promise<number> {
  const rows = (await db.selectFrom('notify_channel').select(['id', 'config', 'secrets']).where('type', '=', 'webhook').execute()) as { id: string; config: string; secrets: string | null }[];
  const plain = rows.filter((row) => (JSON.parse(row.config) as { headers?: unknown }).headers !== undefined);
  if (plain.length && !deps?.secrets) {
    throw new Error(`${plain.length} webhook channel(s) hold header values in plain text and sealing them needs the master key (YUNWEI_MASTER_KEY or the key file in the data directory)`);
  }
  for (const row of plain) {
    const box = deps!.secrets!;
    const config = JSON.parse(row.config) as Record<string, unknown>;
    const secrets = row.secrets ? (JSON.parse(box.open(row.secrets)) as Record<string, string>) : {};
    for (const [name, value] of Object.entries(config.headers as Record<string, unknown>)) {
      if (typeof value === 'string') {
        secrets[`headers.${name}`] = value;
      }
    }
    delete config.headers;
    const sealed = Object.keys(secrets).length ? box.seal(JSON.stringify(secrets)) : null;
    await db.updateTable('notify_channel').set({ config: JSON.stringify(config), secrets: sealed }).where('id', '=', row.id).execute();
  }
  return plain.length;
}

/** The way back: the version before reads header values from `config.headers` only. */
async function unsealWebhookHeaders(db: Kysely<any>, deps?: MigrationDeps): Promise<void> {
  const rows = (await db.selectFrom('notify_channel').select(['id', 'config', 'secrets']).where('type', '=', 'webhook').where('secrets', 'is not', null).execute()) as { id: string; config: string; secrets: string }[];
  for (const row of rows) {
    if (!deps?.secrets) {
      throw new Error('opening sealed webhook header values needs the master key');
    }
    const secrets = JSON.parse(deps.secrets.open(row.secrets)) as Record<string, string>;
    const headers = Object.fromEntries(Object.entries(secrets).filter(([key]) => key.startsWith('headers.')).map(([key, value]) => [key.slice('headers.'.length), value]));
    if (!Object.keys(headers).length) {
      continue;
    }
    const rest = Object.fromEntries(Object.entries(secrets).filter(([key]) => !key.startsWith('headers.')));
    const config = { ...(JSON.parse(row.config) as Record<string, unknown>), headers };
    await db
      .updateTable('notify_channel')
      .set({ config: JSON.stringify(config), secrets: Object.keys(rest).length ? deps.secrets.seal(JSON.stringify(rest)) : null })
      .where('id', '=', row.id)
      .execute();
  }
}

export const notifyMigrations: Record<string, Migration> = {
  '2026-11-27-0300-create-notify': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('notify_channel')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('secrets', 'text')
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('rate_per_minute', 'integer', (c) => c.notNull())
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('notify_delivery')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', epochType)
        .addColumn('lease_until', epochType)
        .addColumn('last_error', 'text')
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('recipients', 'text', (c) => c.notNull())
        .addColumn('rate_key', 'text')
        .addColumn('source_kind', 'text')
        .addColumn('source_id', 'text')
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('sent_at', epochType)
        .addColumn('duration_ms', 'integer')
        .execute();
      // The worker's claim query (due rows) and lease recovery.
      await db.schema.createIndex('notify_delivery_due').on('notify_delivery').columns(['status', 'next_attempt_at']).execute();
      // The rate limit counts a channel's recent deliveries per key.
      await db.schema.createIndex('notify_delivery_rate').on('notify_delivery').columns(['channel_id', 'rate_key', 'created_at']).execute();
      await db.schema.createIndex('notify_delivery_created').on('notify_delivery').column('created_at').execute();
      await db.schema.createIndex('notify_delivery_source').on('notify_delivery').columns(['source_kind', 'source_id']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('notify_delivery').execute();
      await db.schema.dropTable('notify_channel').execute();
    },
  },
  // Takes MigrationDeps (the secret box) as its second argument: see db/migrator.ts.
  '2026-12-06-1200-seal-webhook-headers': {
    up: async (db: Kysely<any>, deps?: MigrationDeps) => void (await sealWebhookHeaders(db, deps)),
    down: unsealWebhookHeaders,
  },
  // Sending a test and resending became their own permission (notify.delivery.send): a custom role that
  // could manage channels keeps doing both. Built-in roles follow the modules' grants at every start.
  '2026-12-06-1201-grant-delivery-send': {
    async up(db: Kysely<any>) {
      await db
        .insertInto('role_permission')
        .columns(['role_id', 'permission'])
        .expression(
          db
            .selectFrom('role_permission as rp')
            .select(['rp.role_id', sql.lit('notify.delivery.send').as('permission')])
            .where('rp.permission', '=', 'notify.channel.write')
            .where((eb) => eb.not(eb.exists(eb.selectFrom('role_permission as held').select('held.role_id').whereRef('held.role_id', '=', 'rp.role_id').where('held.permission', '=', 'notify.delivery.send')))),
        )
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.deleteFrom('role_permission').where('permission', '=', 'notify.delivery.send').execute();
    },
  },
  // Issue 11: a channel may be a default one, which the built-in default notification policy sends
  // critical alerts to (looked up when it sends). Existing channels are not: nobody chose them.
  '2026-12-07-0900-notify-channel-default': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('notify_channel').addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('notify_channel').dropColumn('is_default').execute();
    },
  },
};
