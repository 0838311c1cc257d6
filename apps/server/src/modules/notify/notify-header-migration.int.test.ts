import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAvailable } from '../../../test/test-app.js';
import { postgresTestUrl, testDialect } from '../../../test/test-env.js';
import { openDatabase, type DatabaseHandle } from '../../db/database.js';
import { createMigrator, migrateToLatest, type SealingMigration } from '../../db/migrator.js';
import { SecretBox } from '../../platform/crypto.js';
import { platformModule } from '../../platform/platform.module.js';
import { MODULES } from '../index.js';
import { notifyMigrations } from './notify.migrations.js';

const SEAL_MIGRATION = '2026-12-06-1200-seal-webhook-headers';

describe.skipIf(!databaseAvailable())('notification channels: upgrading a database with plain-text webhook headers', () => {
  let database: DatabaseHandle;
  let dir: string;
  let schema: string | undefined;
  const box = new SecretBox(randomBytes(32));
  const sets = [platformModule, ...MODULES].flatMap((m) => (m.migrations ? [m.migrations] : []));
  // The database as the version before this migration left it.
  const before = sets.map((set) => Object.fromEntries(Object.entries(set).filter(([name]) => name < SEAL_MIGRATION)));

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'yw-seal-'));
    let url = `sqlite:${path.join(dir, 'yunwei.db')}`;
    if (testDialect() === 'postgres') {
      url = postgresTestUrl();
      schema = `t_seal_${process.pid}_${Date.now().toString(36)}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`create schema ${schema}`);
      await client.end();
    }
    database = openDatabase({ url, pgSchema: schema, pgPoolSize: 2 });
    await migrateToLatest(createMigrator(database.db, before, schema));
  });
  afterAll(async () => {
    if (schema) {
      await sql.raw(`drop schema ${schema} cascade`).execute(database.db);
    }
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('#10.10 the migration seals plain-text header values; without the master key it fails and leaves them as they were (#10.2: custom channel managers keep sending tests)', async () => {
    const now = Date.now();
    const legacy = JSON.stringify({ url: 'https://hooks.example.cn/legacy', headers: { Authorization: 'Bearer LEGACY-SECRET' } });
    // The table as that version had it (without the later columns).
    await (database.db as Kysely<any>)
      .insertInto('notify_channel')
      .values([
        { id: 'legacy-1', name: 'legacy hook', type: 'webhook', config: legacy, secrets: box.seal(JSON.stringify({ secret: 'legacy-hmac' })), locale: 'en', enabled: 1, rate_per_minute: 10, max_attempts: 3, created_at: now, updated_at: now },
        { id: 'legacy-2', name: 'plain hook', type: 'webhook', config: JSON.stringify({ url: 'https://hooks.example.cn/x' }), secrets: null, locale: 'en', enabled: 1, rate_per_minute: 10, max_attempts: 3, created_at: now, updated_at: now },
      ])
      .execute();

    await database.db.insertInto('role').values({ id: 'role-custom', name: '渠道管理', description: '', kind: 'custom', builtin: 0, created_at: now, updated_at: now }).execute();
    await database.db
      .insertInto('role_permission')
      .values(['notify.channel.read', 'notify.channel.write'].map((permission) => ({ role_id: 'role-custom', permission })))
      .execute();

    await expect(migrateToLatest(createMigrator(database.db, sets, schema, {}))).rejects.toThrow(new RegExp(`${SEAL_MIGRATION} failed: 1 webhook channel.*plain text.*master key`));
    const untouched = await database.db.selectFrom('notify_channel').select('config').where('id', '=', 'legacy-1').executeTakeFirstOrThrow();
    expect(untouched.config).toBe(legacy);

    const result = await migrateToLatest(createMigrator(database.db, sets, schema, { secrets: box }));
    expect(result.results?.map((r) => r.migrationName)).toContain(SEAL_MIGRATION);
    const rows = await database.db.selectFrom('notify_channel').selectAll().orderBy('id').execute();
    expect(JSON.parse(rows[0]!.config)).toEqual({ url: 'https://hooks.example.cn/legacy' });
    expect(JSON.parse(box.open(rows[0]!.secrets!))).toEqual({ secret: 'legacy-hmac', 'headers.Authorization': 'Bearer LEGACY-SECRET' });
    expect(rows[1]).toMatchObject({ config: JSON.stringify({ url: 'https://hooks.example.cn/x' }), secrets: null });

    // A custom role that managed channels may still send tests and resend (now a permission of its own).
    const grants = await database.db.selectFrom('role_permission').select(['role_id', 'permission']).where('role_id', '=', 'role-custom').orderBy('permission').execute();
    expect(grants.map((g) => g.permission)).toEqual(['notify.channel.read', 'notify.channel.write', 'notify.delivery.send']);

    // Down puts them back where the version before reads them.
    await (notifyMigrations[SEAL_MIGRATION] as SealingMigration).down!(database.db, { secrets: box });
    const restored = await database.db.selectFrom('notify_channel').selectAll().where('id', '=', 'legacy-1').executeTakeFirstOrThrow();
    expect(JSON.parse(restored.config)).toEqual(JSON.parse(legacy));
    expect(JSON.parse(box.open(restored.secrets!))).toEqual({ secret: 'legacy-hmac' });
  });
});
