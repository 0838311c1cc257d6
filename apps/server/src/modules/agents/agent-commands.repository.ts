import { sql, type Kysely } from 'kysely';
import type { AgentCommandStatus } from '@yunwei/contracts/agent-commands';
import type { Database } from '../../db/schema.js';
import type { AgentCommandTable } from './agent-commands.tables.js';
import type { AgentRow } from './agents.repository.js';

export type AgentCommandRow = AgentCommandTable;
/** A command with the names people read: its agent's host, its CI and unit, who asked for it. */
export type AgentCommandView = AgentCommandRow & {
  agent_hostname: string;
  agent_remote_exec: number | null;
  ci_name: string | null;
  unit_id: string | null;
  requested_by_name: string | null;
};

/** A running command whose agent has not said how it ended this long after its timeout is given up on. */
export const LOST_AFTER_MS = 60_000;

/** Queries of the agent command queue. Every status change is a conditional UPDATE (statuses only move forward). */
export class AgentCommandsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  #view() {
    return this.db
      .selectFrom('agent_command as k')
      .innerJoin('agent as a', 'a.id', 'k.agent_id')
      .leftJoin('cmdb_ci as c', 'c.id', 'k.ci_id')
      .leftJoin('user as u', 'u.id', 'k.requested_by')
      .selectAll('k')
      .select(['a.hostname as agent_hostname', 'a.remote_exec as agent_remote_exec', 'c.name as ci_name', 'c.org_unit_id as unit_id', 'u.display_name as requested_by_name']);
  }

  find(id: string): Promise<AgentCommandView | undefined> {
    return this.#view().where('k.id', '=', id).executeTakeFirst();
  }

  /** A CI with its unit, and the agent reporting for it (the newest active one, else the newest). */
  async hostOfCi(db: Kysely<Database>, ciId: string): Promise<{ ci: { name: string; org_unit_id: string | null } | undefined; agent: AgentRow | undefined }> {
    const ci = await db.selectFrom('cmdb_ci').select(['name', 'org_unit_id']).where('id', '=', ciId).executeTakeFirst();
    const agent = ci
      ? await db
          .selectFrom('agent')
          .selectAll()
          .where('ci_id', '=', ciId)
          .orderBy(sql`case when revoked_at is null then 0 else 1 end`)
          .orderBy('enrolled_at', 'desc')
          .limit(1)
          .executeTakeFirst()
      : undefined;
    return { ci, agent };
  }

  findRow(id: string): Promise<AgentCommandRow | undefined> {
    return this.db.selectFrom('agent_command').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listOfAgent(agentId: string, limit: number): Promise<AgentCommandView[]> {
    return this.#view().where('k.agent_id', '=', agentId).orderBy('k.created_at', 'desc').orderBy('k.id', 'desc').limit(limit).execute();
  }

  async insert(db: Kysely<Database>, row: AgentCommandRow): Promise<void> {
    await db.insertInto('agent_command').values(row).execute();
  }

  /** Queued commands past their validity → expired; running ones whose agent went silent → failed. */
  async sweep(filter: { agentId?: string; id?: string }, now: number): Promise<void> {
    let expire = this.db
      .updateTable('agent_command')
      .set({ status: 'expired', finished_at: now, reason: 'not picked up by the agent before it expired (does the host allow remote execution?)' })
      .where('status', '=', 'queued')
      .where('expires_at', '<=', now);
    let lost = this.db
      .updateTable('agent_command')
      .set({ status: 'failed', finished_at: now, reason: 'the agent did not say how the command ended' })
      .where('status', '=', 'running')
      .where(sql<boolean>`started_at + timeout_ms + ${LOST_AFTER_MS} < ${now}`);
    if (filter.agentId) {
      expire = expire.where('agent_id', '=', filter.agentId);
      lost = lost.where('agent_id', '=', filter.agentId);
    }
    if (filter.id) {
      expire = expire.where('id', '=', filter.id);
      lost = lost.where('id', '=', filter.id);
    }
    await expire.execute();
    await lost.execute();
  }

  /** The oldest command still waiting for this agent. */
  nextQueued(agentId: string, now: number): Promise<AgentCommandRow | undefined> {
    return this.db
      .selectFrom('agent_command')
      .selectAll()
      .where('agent_id', '=', agentId)
      .where('status', '=', 'queued')
      .where('expires_at', '>', now)
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
  }

  /** Moves a command from one of `from` to `to`: true when this call moved it. */
  async move(db: Kysely<Database>, id: string, from: readonly AgentCommandStatus[], to: AgentCommandStatus, patch: Partial<AgentCommandRow> = {}): Promise<boolean> {
    const result = await db
      .updateTable('agent_command')
      .set({ ...patch, status: to })
      .where('id', '=', id)
      .where('status', 'in', [...from])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Writes appended output if nobody appended meanwhile (the sequence read is still the stored one). */
  async writeOutput(id: string, readSeq: number, next: Pick<AgentCommandRow, 'output' | 'output_tail' | 'output_size' | 'output_seq'>): Promise<boolean> {
    const result = await this.db
      .updateTable('agent_command')
      .set(next)
      .where('id', '=', id)
      .where('output_seq', '=', readSeq)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async setRemoteExec(agentId: string, on: boolean): Promise<void> {
    await this.db.updateTable('agent').set({ remote_exec: on ? 1 : 0 }).where('id', '=', agentId).execute();
  }
}
