import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ROLE_KIND_NAMES } from '@yunwei/contracts/access';
import type { DutyAccountsCreate, DutyAccountsCreated } from '@yunwei/contracts/duty-accounts';
import type { Yunwei } from '../app.js';
import { loadConfig, type Config } from '../config/config.js';
import { systemActor } from '../platform/actor.js';
import { DutyAccountsService } from '../modules/identity/duty-accounts.service.js';

export interface InitOptions {
  securityAdmin?: string;
  securityAdminName: string;
  auditAdmin?: string;
  auditAdminName: string;
  adminPasswordFile?: string;
}

type WithApp = <T>(work: (yunwei: Yunwei) => Promise<T>, config?: Config) => Promise<T>;

/** The accounts `yunwei init` asks for, as the set-up service takes them. */
export function initRequest(options: InitOptions): DutyAccountsCreate {
  if (!options.securityAdmin && !options.auditAdmin) {
    throw new Error('name the accounts to create: --security-admin <username> and/or --audit-admin <username>');
  }
  return {
    ...(options.securityAdmin ? { securityAdmin: { username: options.securityAdmin, displayName: options.securityAdminName } } : {}),
    ...(options.auditAdmin ? { auditAdmin: { username: options.auditAdmin, displayName: options.auditAdminName } } : {}),
  };
}

/** What `yunwei init` prints: each account with its one-time password, and who handed the security duty over. */
export function describeCreated(created: DutyAccountsCreated): string {
  const lines: string[] = [];
  for (const account of created.accounts) {
    const role = ROLE_KIND_NAMES[account.roleKind];
    lines.push(`created ${role.en.toLowerCase()} "${account.username}" (${account.displayName}, ${role.zh}) with the one-time password`, '', `    ${account.initialPassword}`, '');
  }
  for (const person of created.handedOver) {
    lines.push(`"${person.username}" keeps the system administrator role and no longer holds the security administrator role (三员分立).`);
  }
  lines.push('These passwords are shown only this once. Each holder must change it and enrol an authenticator (TOTP) at first sign-in.');
  return lines.join('\n');
}

/**
 * `yunwei init`: the first-day set-up from the host, without a browser. Starting the app creates
 * `admin` if there is nobody yet (with the password from --admin-password-file, or a generated one
 * printed once); then the security and audit administrators are created as by the web wizard, and
 * refused (exit 1, naming the holder) once someone else holds the duty.
 */
export function initCommand(program: Command, withApp: WithApp): void {
  program
    .command('init')
    .description('first-day set-up: create the security and audit administrator accounts (三员分立) and print their one-time passwords')
    .option('--security-admin <username>', 'user name of the security administrator')
    .option('--security-admin-name <displayName>', 'display name of the security administrator', '安全管理员')
    .option('--audit-admin <username>', 'user name of the audit administrator')
    .option('--audit-admin-name <displayName>', 'display name of the audit administrator', '审计管理员')
    .option('--admin-password-file <file>', 'initial password of "admin" when this start creates it (first line of the file; default: generated and printed)')
    .action(async (options: InitOptions) => {
      const request = initRequest(options);
      let config = loadConfig(process.env, { logLevel: 'warn' });
      if (options.adminPasswordFile) {
        const password = readFileSync(options.adminPasswordFile, 'utf8').split(/\r?\n/)[0] ?? '';
        if (password.length < 8 || password.length > 256) {
          throw new Error(`${options.adminPasswordFile}: the admin password must have 8 to 256 characters`);
        }
        config = { ...config, adminPassword: password };
      }
      const startedAt = Date.now();
      await withApp(async (yunwei) => {
        if (options.adminPasswordFile) {
          const admin = await yunwei.ctx.db.selectFrom('user').select('created_at').where('username', '=', 'admin').executeTakeFirst();
          if (!admin || admin.created_at < startedAt) {
            console.error('yunwei: "admin" already existed: --admin-password-file was not used');
          }
        }
        const created = await new DutyAccountsService(yunwei.ctx).create(systemActor('cli'), request);
        console.log(describeCreated(created));
      }, config);
    });
}
