import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { randomToken, sha256Hex } from '../../platform/crypto.js';
import type { ApiTokenTable, SessionTable } from './identity.tables.js';

export type SessionRow = SessionTable;
export type ApiTokenRow = ApiTokenTable;

/** Sessions and API tokens: the two kinds of credential a request can carry. */
export class CredentialRepository {
  constructor(private readonly db: Kysely<Database>) {}

  findSession(id: string): Promise<SessionRow | undefined> {
    return this.db.selectFrom('session').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertSession(row: SessionRow): Promise<void> {
    await this.db.insertInto('session').values(row).execute();
  }

  async updateSession(id: string, patch: Partial<SessionRow>): Promise<void> {
    await this.db.updateTable('session').set(patch).where('id', '=', id).execute();
  }

  /**
   * Replaces a live session by a new one with a new id (cookie secret) and CSRF token, keeping its
   * user, times and client; `patch` changes other columns (e.g. the state). Returns the new secret,
   * or null when the old session was already ended (so a session can be rotated only once).
   */
  async rotateSession(db: Kysely<Database>, oldId: string, patch: Partial<SessionRow> = {}, now = Date.now()): Promise<string | null> {
    const old = await db.selectFrom('session').selectAll().where('id', '=', oldId).executeTakeFirst();
    const ended = await db.updateTable('session').set({ revoked_at: now }).where('id', '=', oldId).where('revoked_at', 'is', null).executeTakeFirst();
    if (!old || Number(ended.numUpdatedRows) !== 1) {
      return null;
    }
    const secret = randomToken();
    await db
      .insertInto('session')
      .values({ ...old, ...patch, id: sha256Hex(secret), csrf_token: randomToken(24), last_seen_at: now, revoked_at: null })
      .execute();
    return secret;
  }

  /** Ends the session with this cookie secret, if it is live. */
  async revokeSessionBySecret(secret: string, now = Date.now()): Promise<void> {
    await this.db.updateTable('session').set({ revoked_at: now }).where('id', '=', sha256Hex(secret)).where('revoked_at', 'is', null).execute();
  }

  findTokenByHash(hash: string): Promise<ApiTokenRow | undefined> {
    return this.db.selectFrom('api_token').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  }

  findToken(id: string): Promise<ApiTokenRow | undefined> {
    return this.db.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirst();
  }

  tokensOf(userId: string): Promise<ApiTokenRow[]> {
    return this.db.selectFrom('api_token').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
  }

  async insertToken(db: Kysely<Database>, row: ApiTokenRow): Promise<void> {
    await db.insertInto('api_token').values(row).execute();
  }

  async touchToken(id: string, at: number): Promise<void> {
    await this.db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  async updateToken(db: Kysely<Database>, id: string, patch: Partial<ApiTokenRow>): Promise<void> {
    await db.updateTable('api_token').set(patch).where('id', '=', id).execute();
  }
}
