import type { Command } from 'commander';
import { ROLE_KINDS, type RoleKind } from '@yunwei/contracts/access';
import type { Yunwei } from '../app.js';
import { systemActor } from '../platform/actor.js';
import { randomToken } from '../platform/crypto.js';
import { AppError } from '../platform/errors.js';
import { AccessService } from '../modules/access/access.service.js';
import { UserRepository } from '../modules/identity/user.repository.js';
import { UserService } from '../modules/identity/user.service.js';

type WithApp = <T>(work: (yunwei: Yunwei) => Promise<T>) => Promise<T>;

async function findUser(yunwei: Yunwei, username: string) {
  const row = await new UserRepository(yunwei.ctx.db).findByUsername(username);
  if (!row) {
    throw new AppError('YW_USER_NOT_FOUND', { username });
  }
  return row;
}

/** `yunwei user …`: for the person at the server when nobody can sign in (lost admin password, lockout). */
export function userCommands(user: Command, withApp: WithApp): void {
  const actor = systemActor('cli');

  user
    .command('create <username>')
    .description('create a user (must change the password at first sign-in)')
    .requiredOption('--name <displayName>', 'display name')
    .option('--password <password>', 'initial password (default: generated and printed)')
    .option('--role <kind...>', `built-in roles: ${ROLE_KINDS.join(', ')}`, [])
    .action(async (username: string, options: { name: string; password?: string; role: string[] }) => {
      const unknown = options.role.find((r) => !(ROLE_KINDS as readonly string[]).includes(r));
      if (unknown) {
        throw new Error(`unknown role "${unknown}"; use one of ${ROLE_KINDS.join(', ')}`);
      }
      const password = options.password ?? `Yw-${randomToken(12)}`;
      await withApp(async (yunwei) => {
        const access = new AccessService(yunwei.ctx);
        const roles = await Promise.all(options.role.map(async (kind) => ({ roleId: await access.builtinRoleId(kind as RoleKind), orgUnitIds: null })));
        const created = await new UserService(yunwei.ctx).create(actor, { username, displayName: options.name, password, roles });
        console.log(`created user ${created.username} (${created.id})${options.password ? '' : `\none-time password: ${password}`}`);
      });
    });

  user
    .command('reset-password <username>')
    .description('set a new password that must be changed at next sign-in, end their sessions and revoke their API tokens')
    .option('--password <password>', 'the new password (default: generated and printed)')
    .action(async (username: string, options: { password?: string }) => {
      const password = options.password ?? `Yw-${randomToken(12)}`;
      await withApp(async (yunwei) => {
        const row = await findUser(yunwei, username);
        await new UserService(yunwei.ctx).resetPassword(actor, row.id, password);
        console.log(`password of ${username} reset${options.password ? '' : `; one-time password: ${password}`}`);
      });
    });

  user
    .command('reset-mfa <username>')
    .description('clear a lost authenticator (MFA) and end their sessions; the next sign-in enrols anew where the policy requires MFA')
    .action(async (username: string) => {
      await withApp(async (yunwei) => {
        const row = await findUser(yunwei, username);
        await new UserService(yunwei.ctx).resetMfa(actor, row.id);
        console.log(`MFA of ${username} reset`);
      });
    });

  user
    .command('unlock <username>')
    .description('clear a lockout after failed sign-ins')
    .action(async (username: string) => {
      await withApp(async (yunwei) => {
        const row = await findUser(yunwei, username);
        await new UserService(yunwei.ctx).unlock(actor, row.id);
        console.log(`${username} unlocked`);
      });
    });
}
