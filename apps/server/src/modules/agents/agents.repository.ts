import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AgentEnrolmentTokenTable, AgentInventoryTable, AgentTable } from './agents.tables.js';

export type EnrolmentTokenRow = AgentEnrolmentTokenTable;
export type AgentRow = AgentTable;
export type TokenListRow = EnrolmentTokenRow & { org_unit_name: string | null };
/** `unit_id`: the host CI's org unit, which decides who sees the agent. */
export type AgentListRow = AgentTable & { ci_name: string | null; unit_id: string | null; unit_name: string | null; inventory_at: number | null };
/** Org units a reader reaches (null: all; rows of no unit need all). */
export type Units = ReadonlySet<string> | null;

/** Keeps the rows whose `column` is one of `units` (a reader with no unit sees nothing). */
function inUnits<Q extends { where: (...args: any[]) => Q }>(q: Q, column: string, units: Units): Q {
  if (!units) {
    return q;
  }
  return units.size ? q.where(column, 'in', [...units]) : q.where(sql<boolean>`1 = 0`);
}
export type InventoryRow = AgentInventoryTable;

/** Queries of the agents module. Methods that write take the executor (the transaction). */
export class AgentsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  // ---------------------------------------------------------------- enrolment tokens

  #tokens() {
    return this.db.selectFrom('agent_enrolment_token as t').leftJoin('org_unit as o', 'o.id', 't.org_unit_id').selectAll('t').select('o.name as org_unit_name');
  }

  listTokens(units: Units): Promise<TokenListRow[]> {
    return inUnits(this.#tokens(), 't.org_unit_id', units).orderBy('t.created_at', 'desc').orderBy('t.id', 'desc').limit(500).execute();
  }

  findToken(id: string): Promise<TokenListRow | undefined> {
    return this.#tokens().where('t.id', '=', id).executeTakeFirst();
  }

  findTokenByHash(db: Kysely<Database>, hash: string): Promise<EnrolmentTokenRow | undefined> {
    return db.selectFrom('agent_enrolment_token').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  }

  async insertToken(db: Kysely<Database>, row: EnrolmentTokenRow): Promise<void> {
    await db.insertInto('agent_enrolment_token').values(row).execute();
  }

  /** The org unit of the token an agent enrolled with (where its host CI is re-created if deleted). */
  async tokenUnit(db: Kysely<Database>, tokenId: string): Promise<string | null> {
    return (await db.selectFrom('agent_enrolment_token').select('org_unit_id').where('id', '=', tokenId).executeTakeFirst())?.org_unit_id ?? null;
  }

  async revokeToken(db: Kysely<Database>, id: string, at: number): Promise<void> {
    await db.updateTable('agent_enrolment_token').set({ revoked_at: at }).where('id', '=', id).execute();
  }

  /** Marks the token used, only if nobody used it meanwhile: true when this call consumed it. */
  async consumeToken(db: Kysely<Database>, id: string, agentId: string, at: number): Promise<boolean> {
    const result = await db
      .updateTable('agent_enrolment_token')
      .set({ used_at: at, agent_id: agentId })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  // ---------------------------------------------------------------- agents

  #agents() {
    return this.db
      .selectFrom('agent as a')
      .leftJoin('cmdb_ci as c', 'c.id', 'a.ci_id')
      .leftJoin('agent_inventory as i', 'i.agent_id', 'a.id')
      .leftJoin('org_unit as o', 'o.id', 'c.org_unit_id')
      .selectAll('a')
      .select(['c.name as ci_name', 'c.org_unit_id as unit_id', 'o.name as unit_name', 'i.received_at as inventory_at']);
  }

  listAgents(units: Units): Promise<AgentListRow[]> {
    return inUnits(this.#agents(), 'c.org_unit_id', units).orderBy('a.hostname').orderBy('a.enrolled_at', 'desc').execute();
  }

  findAgent(id: string): Promise<AgentListRow | undefined> {
    return this.#agents().where('a.id', '=', id).executeTakeFirst();
  }

  /** A CI's org unit; undefined when there is no such CI. */
  ciUnit(ciId: string): Promise<{ org_unit_id: string | null } | undefined> {
    return this.db.selectFrom('cmdb_ci').select('org_unit_id').where('id', '=', ciId).executeTakeFirst();
  }

  async orgUnitExists(id: string): Promise<boolean> {
    return (await this.db.selectFrom('org_unit').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  /** The org unit a person belongs to (the default unit of their enrolment tokens). */
  async unitOfUser(userId: string): Promise<string | null> {
    return (await this.db.selectFrom('user').select('org_unit_id').where('id', '=', userId).executeTakeFirst())?.org_unit_id ?? null;
  }

  findAgentByCredential(hash: string): Promise<AgentRow | undefined> {
    return this.db.selectFrom('agent').selectAll().where('credential_hash', '=', hash).executeTakeFirst();
  }

  /** Agents of the same machine still active (a re-enrolment supersedes them). */
  activeAgentsOfMachine(db: Kysely<Database>, machineId: string): Promise<AgentRow[]> {
    return db.selectFrom('agent').selectAll().where('machine_id', '=', machineId).where('revoked_at', 'is', null).execute();
  }

  /** The host CI the machine reported for last (kept across re-enrolments). */
  async lastCiOfMachine(db: Kysely<Database>, machineId: string): Promise<string | null> {
    const row = await db.selectFrom('agent').select('ci_id').where('machine_id', '=', machineId).where('ci_id', 'is not', null).orderBy('enrolled_at', 'desc').executeTakeFirst();
    return row?.ci_id ?? null;
  }

  async insertAgent(db: Kysely<Database>, row: AgentRow): Promise<void> {
    await db.insertInto('agent').values(row).execute();
  }

  async updateAgent(db: Kysely<Database>, id: string, patch: Partial<AgentRow>): Promise<void> {
    await db.updateTable('agent').set(patch).where('id', '=', id).execute();
  }

  // ---------------------------------------------------------------- inventory

  findInventory(agentId: string): Promise<InventoryRow | undefined> {
    return this.db.selectFrom('agent_inventory').selectAll().where('agent_id', '=', agentId).executeTakeFirst();
  }

  /** The newest inventory any agent sent for this CI. */
  latestInventoryOfCi(ciId: string): Promise<InventoryRow | undefined> {
    return this.db.selectFrom('agent_inventory').selectAll().where('ci_id', '=', ciId).orderBy('received_at', 'desc').limit(1).executeTakeFirst();
  }

  async saveInventory(db: Kysely<Database>, row: InventoryRow): Promise<void> {
    const { agent_id: _, ...rest } = row;
    await db
      .insertInto('agent_inventory')
      .values(row)
      .onConflict((oc) => oc.column('agent_id').doUpdateSet(rest))
      .execute();
  }

  async touchInventory(db: Kysely<Database>, agentId: string, receivedAt: number, collectedAt: number): Promise<void> {
    await db.updateTable('agent_inventory').set({ received_at: receivedAt, collected_at: collectedAt }).where('agent_id', '=', agentId).execute();
  }
}
