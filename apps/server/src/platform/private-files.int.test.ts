import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, sqliteHandleOf } from '../db/database.js';
import { createTestApp, databaseAvailable } from '../../test/test-app.js';
import { testDialect } from '../../test/test-env.js';
import { loadMasterKey } from './crypto.js';
import { ensurePrivateDir, type ModeFix } from './private-files.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'yw-modes-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const modeOf = (file: string) => (statSync(file).mode & 0o777).toString(8);

/** Windows, and mounts without Unix modes (FAT, some network shares), cannot express 0600: those runs skip. */
function unixModesWork(): boolean {
  if (process.platform === 'win32') {
    return false;
  }
  const probe = path.join(scratch, 'probe');
  writeFileSync(probe, '');
  chmodSync(probe, 0o640);
  return modeOf(probe) === '640';
}
const canExpressModes = unixModesWork();
if (!canExpressModes) {
  console.warn(`SKIPPED #10.17 file-mode tests: the file system of ${scratch} cannot express Unix modes`);
}

describe.skipIf(!databaseAvailable() || !canExpressModes)('data directory and database file modes', () => {
  it('#10.17 a fresh data directory is created 0700 and its master key 0600; the SQLite database, -wal and -shm 0600', async () => {
    const dataDir = path.join(scratch, 'fresh', 'data');
    const t = await createTestApp({ YUNWEI_DATA_DIR: dataDir });
    try {
      expect(modeOf(dataDir)).toBe('700');
      expect(modeOf(path.join(dataDir, 'master.key'))).toBe('600');
      if (testDialect() === 'sqlite') {
        const file = sqliteHandleOf(t.ctx.db)!.name;
        await t.ctx.db.selectFrom('user').select('id').execute();
        // Under the usual umask 022 these would be 0644 without the fix.
        expect([file, `${file}-wal`, `${file}-shm`].map(modeOf)).toEqual(['600', '600', '600']);
      }
    } finally {
      await t.close();
    }
  });

  it('#10.17 existing files that others could read are tightened, and each change is reported', async () => {
    const dataDir = path.join(scratch, 'loose');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(path.join(dataDir, 'master.key'), 'ab'.repeat(32), { mode: 0o644 });
    chmodSync(path.join(dataDir, 'master.key'), 0o644);
    const t = await createTestApp({ YUNWEI_DATA_DIR: dataDir });
    await t.close();
    expect(modeOf(dataDir)).toBe('700');
    expect(modeOf(path.join(dataDir, 'master.key'))).toBe('600');
    // What buildApp logs (a warning each): the path, the old and the new mode.
    chmodSync(dataDir, 0o750);
    chmodSync(path.join(dataDir, 'master.key'), 0o640);
    const reported: ModeFix[] = [];
    ensurePrivateDir(dataDir, (fix) => reported.push(fix));
    loadMasterKey(undefined, dataDir, (fix) => reported.push(fix));
    expect(reported).toEqual([
      { path: dataDir, from: '750', to: '700' },
      { path: path.join(dataDir, 'master.key'), from: '640', to: '600' },
    ]);

    if (testDialect() === 'sqlite') {
      // A database copied with loose modes, with a (still empty) write-ahead log beside it.
      const file = path.join(dataDir, 'copied.db');
      const first = openDatabase({ url: `sqlite:${file}` });
      await first.close();
      writeFileSync(`${file}-wal`, '');
      chmodSync(file, 0o644);
      chmodSync(`${file}-wal`, 0o664);
      const fixes: ModeFix[] = [];
      const reopened = openDatabase({ url: `sqlite:${file}`, onModeFix: (fix) => fixes.push(fix) });
      await reopened.db.selectFrom('sqlite_master' as never).selectAll().execute();
      await reopened.close();
      expect(fixes).toEqual([
        { path: file, from: '644', to: '600' },
        { path: `${file}-wal`, from: '664', to: '600' },
      ]);
      expect(modeOf(file)).toBe('600');
    }
  });
});
