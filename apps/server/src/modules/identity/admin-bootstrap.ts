import { DEFAULT_SECURITY_POLICY } from '@yunwei/contracts/identity';
import { systemActor } from '../../platform/actor.js';
import { randomToken } from '../../platform/crypto.js';
import type { ModuleContext } from '../../platform/module.js';
import { AccessService } from '../access/access.service.js';
import { newUserRow, storePassword } from './user.service.js';
import { UserRepository } from './user.repository.js';
import { BOOTSTRAP_ADMIN_NAME } from '@yunwei/contracts/seeded-texts';

/**
 * First start: creates `admin` (system + security administrator) with the configured password or a
 * generated one printed once. Either way it must be changed at first sign-in.
 */
export async function bootstrapAdmin(ctx: ModuleContext): Promise<void> {
  const any = await ctx.db.selectFrom('user').select('id').limit(1).executeTakeFirst();
  if (any) {
    return;
  }
  const repo = new UserRepository(ctx.db);
  const access = new AccessService(ctx);
  const password = ctx.config.adminPassword ?? `Yw-${randomToken(12)}`;
  const row = newUserRow({ username: 'admin', displayName: BOOTSTRAP_ADMIN_NAME.zh, orgUnitId: null });
  const id = row.id;
  const actor = systemActor('bootstrap');
  const roles = [await access.builtinRoleId('system_admin'), await access.builtinRoleId('security_admin')];
  await ctx.db.transaction().execute(async (trx) => {
    await repo.insert(trx, row);
    await storePassword(trx, repo, DEFAULT_SECURITY_POLICY, id, password, true);
    await ctx.audit.record(trx, { actor, action: 'identity.user.create', targetType: 'user', targetId: id, after: { username: 'admin', bootstrap: true } });
    await access.setAssignments(trx, actor, id, roles.map((roleId) => ({ roleId, orgUnitIds: null })), 'admin');
  });
  if (!ctx.config.adminPassword) {
    ctx.announce(`\n  Yunwei: created the account "admin" with the one-time password\n\n      ${password}\n\n  It is shown only this once and must be changed at first sign-in.\n`);
  }
}
