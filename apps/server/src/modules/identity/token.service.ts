import { uuidv7 } from 'uuidv7';
import type { ApiToken, ApiTokenCreate } from '@yunwei/contracts/identity';
import { fromJson, toJson } from '../../db/dialect.js';
import type { Actor } from '../../platform/actor.js';
import { randomToken, sha256Hex } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { TOKEN_PREFIX } from './authenticator.js';
import { CredentialRepository, type ApiTokenRow } from './session.repository.js';

function tokenView(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: fromJson<string[]>(row.scopes),
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    createdAt: row.created_at,
    revoked: row.revoked_at !== null,
  };
}

/** Personal API tokens: scoped to a subset of the owner's permissions, expiring, stored hashed. */
export class TokenService {
  private readonly repo: CredentialRepository;

  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>) {
    this.repo = new CredentialRepository(ctx.db);
  }

  async list(actor: Actor): Promise<ApiToken[]> {
    return (await this.repo.tokensOf(actor.userId!)).map(tokenView);
  }

  async create(actor: Actor, input: ApiTokenCreate): Promise<{ token: ApiToken; secret: string }> {
    const beyond = input.scopes.findIndex((s) => !actor.permissions.has(s as never));
    if (beyond >= 0) {
      throw new AppError('YW_TOKEN_SCOPE_EXCEEDS', { field: `body.scopes.${beyond}`, permission: input.scopes[beyond] });
    }
    const secret = `${TOKEN_PREFIX}${randomToken(32)}`;
    const now = Date.now();
    const row: ApiTokenRow = {
      id: uuidv7(),
      user_id: actor.userId!,
      name: input.name.trim(),
      prefix: secret.slice(0, 10),
      token_hash: sha256Hex(secret),
      scopes: toJson([...input.scopes].sort()),
      expires_at: now + input.expiresInDays * 86_400_000,
      last_used_at: null,
      created_at: now,
      revoked_at: null,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.repo.insertToken(trx, row);
      await this.ctx.audit.record(trx, { actor, action: 'identity.token.create', targetType: 'api_token', targetId: row.id, after: tokenView(row) });
    });
    return { token: tokenView(row), secret };
  }

  async revoke(actor: Actor, id: string): Promise<void> {
    const row = await this.repo.findToken(id);
    if (!row || row.user_id !== actor.userId) {
      throw new AppError('YW_TOKEN_NOT_FOUND', { id });
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.repo.updateToken(trx, id, { revoked_at: Date.now() });
      await this.ctx.audit.record(trx, { actor, action: 'identity.token.revoke', targetType: 'api_token', targetId: id, before: tokenView(row) });
    });
  }
}
