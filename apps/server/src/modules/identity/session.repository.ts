import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
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
