import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { buildApp, type Yunwei } from '../app.js';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { openDatabase } from '../db/database.js';
import { createMigrator, migrateExclusively } from '../db/migrator.js';
import { serve } from '../main.js';
import { MODULES } from '../modules/index.js';
import { platformModule } from '../platform/platform.module.js';
import { checkAnchors } from '../platform/audit/audit-anchor.js';
import { auditChainKey } from '../platform/audit/audit-hash.js';
import { verifyAuditChain } from '../platform/audit/audit-verify.js';
import { loadMasterKey, SecretBox } from '../platform/crypto.js';
import { isAppError } from '../platform/errors.js';
import { errorBody } from '../platform/http/error-handler.js';
import { initCommand } from './init.command.js';
import { userCommands } from './user.commands.js';
import { writeSkillsReport } from './skills-report.js';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');

/** Builds the app without listening, runs `work`, and closes it. */
export async function withApp<T>(work: (yunwei: Yunwei) => Promise<T>, config: Config = loadConfig(process.env, { logLevel: 'warn' })): Promise<T> {
  const yunwei = await buildApp({ config });
  try {
    return await work(yunwei);
  } finally {
    await yunwei.close();
  }
}

const program = new Command('yunwei')
  .description('Yunwei (运维) — the workbench of an ICT informatization system administrator')
  .showHelpAfterError()
  .exitOverride();

program
  .command('serve')
  .description('start the web UI and API (settings from YUNWEI_* variables or YUNWEI_CONFIG)')
  .action(() => serve(loadConfig()));

program
  .command('migrate')
  .description('bring the database schema up to date')
  .action(async () => {
    const config = loadConfig();
    const database = openDatabase({ url: config.databaseUrl });
    try {
      const secrets = new SecretBox(loadMasterKey(config.masterKey, config.dataDir));
      const result = await migrateExclusively(database.db, (db, schema) => createMigrator(db, [platformModule, ...MODULES].flatMap((m) => (m.migrations ? [m.migrations] : [])), schema, { secrets }));
      const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
      console.log(applied.length ? `applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}` : 'the database is up to date');
    } finally {
      await database.close();
    }
  });

initCommand(program, withApp);

userCommands(program.command('user').description('manage user accounts from the server machine'), withApp);

const audit = program.command('audit').description('the audit trail');
audit
  .command('verify')
  .description('verify the keyed hash chain and its head; exits 1 and names what was altered or deleted')
  .option('--anchors <file>', 'also check the trail against an anchor file kept outside the server (a copy of YUNWEI_AUDIT_ANCHOR_FILE)')
  .action(async (options: { anchors?: string }) => {
    const config = loadConfig(process.env, { logLevel: 'warn' });
    const keyFile = path.join(config.dataDir, 'master.key');
    if (!config.masterKey && !existsSync(keyFile)) {
      // loadMasterKey would create a new key, against which every entry looks forged.
      throw new Error(`no master key (YUNWEI_MASTER_KEY or ${keyFile}): the chain is keyed by it`);
    }
    const anchors = options.anchors === undefined ? null : readFileSync(options.anchors, 'utf8');
    const key = auditChainKey(new SecretBox(loadMasterKey(config.masterKey, config.dataDir)));
    const database = openDatabase({ url: config.databaseUrl });
    try {
      const result = await verifyAuditChain(database.db, key);
      if (result.ok) {
        console.log(`audit trail intact: ${result.checked} entries checked`);
      } else {
        console.error(`audit trail BROKEN at entry #${result.brokenAt ?? '-'} (${result.reason}); ${result.checked} entries checked`);
        process.exitCode = 1;
      }
      if (result.lastAnchor) {
        console.log(`last exported anchor: entry #${result.lastAnchor.seq} at ${new Date(result.lastAnchor.time).toISOString()}`);
      }
      if (anchors !== null) {
        const check = await checkAnchors(database.db, key, anchors);
        for (const problem of check.problems) {
          console.error(`anchor ${problem}`);
        }
        const total = check.problems.length + check.matched + check.purged;
        if (total === 0 || check.problems.length > 0) {
          console.error(total === 0 ? `anchors BROKEN: no anchor in ${options.anchors}` : `anchors BROKEN: ${check.problems.length} of ${total} do not hold`);
          process.exitCode = 1;
        } else {
          console.log(`anchors hold: ${check.matched} found in the trail, ${check.purged} older than the retention anchor`);
        }
      }
    } finally {
      await database.close();
    }
  });

program
  .command('skills')
  .description('report which skills of the standard are proven by tests (reads reports/*.json)')
  .option('--report <file...>', 'Vitest JSON reports', [path.join(repoRoot, 'reports/vitest.json'), path.join(repoRoot, 'reports/e2e.json')])
  .option('--out <file>', 'where to write the skills report', path.join(repoRoot, 'reports/skills.json'))
  .option('-q, --quiet', 'print only the summary line')
  .action((options: { report: string[]; out: string; quiet?: boolean }) => {
    const missing = options.report.filter((file) => !existsSync(file));
    if (missing.length > 0) {
      console.error(`yunwei skills: no test report at ${missing.join(', ')} — \`npm test\` writes them; counting without`);
    }
    const { lines } = writeSkillsReport({ reports: options.report, out: options.out, root: repoRoot });
    console.log((options.quiet ? lines.slice(-1) : lines).join('\n'));
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else if (error instanceof ConfigError) {
    console.error(`yunwei: ${error.message}`);
    process.exitCode = 2;
  } else if (isAppError(error)) {
    console.error(`yunwei: ${errorBody(error.code, 'zh-CN', error.details).message}\n        ${errorBody(error.code, 'en', error.details).message} (${error.code})`);
    process.exitCode = 1;
  } else {
    console.error(`yunwei: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
