import { createHash } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import {
  AGENT_CREDENTIAL_PREFIX,
  ENROLMENT_TOKEN_PREFIX,
  type Agent,
  type AgentEnroll,
  type AgentEnrolled,
  type AgentInventory,
  type AgentMetrics,
  type EnrolmentToken,
  type EnrolmentTokenCreate,
  type EnrolmentTokenCreated,
  type HostInventory,
  type HostInventoryData,
} from '@yunwei/contracts/agents';
import { AGENTS_PERMISSIONS as P } from '@yunwei/contracts/agents';
import { fromJson, toJson } from '../../db/dialect.js';
import { inScope, systemActor, type Actor } from '../../platform/actor.js';
import { requireReach } from '../../platform/data-scope.js';
import { randomToken, sha256Hex } from '../../platform/crypto.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { scopeOf } from '../cmdb/cmdb.shared.js';
import { monitoringOf } from '../monitoring/runtime.js';
import { agentCommandsOf } from './agent-commands.service.js';
import { agentSamples } from './agent-samples.js';
import { AgentsRepository, type AgentListRow, type AgentRow, type EnrolmentTokenRow, type TokenListRow } from './agents.repository.js';
import { HostCis, hostFacts } from './host-ci.js';

const HOUR = 3_600_000;
/** An agent is offline when it has not been heard of for this many intervals (and at least a minute). */
const OFFLINE_AFTER_INTERVALS = 3;
const OFFLINE_AFTER_MIN_MS = 60_000;
/** last_contact_at is written at most this often per agent (a write per push would double the writes). */
const CONTACT_EVERY_MS = 5_000;

export function tokenState(row: EnrolmentTokenRow, now: number): EnrolmentToken['state'] {
  if (row.used_at !== null) {
    return 'used';
  }
  if (row.revoked_at !== null) {
    return 'revoked';
  }
  return row.expires_at <= now ? 'expired' : 'active';
}

function tokenView(row: EnrolmentTokenRow & Partial<Pick<TokenListRow, 'org_unit_name'>>, now = Date.now()): EnrolmentToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    state: tokenState(row, now),
    expiresAt: row.expires_at,
    usedAt: row.used_at,
    agentId: row.agent_id,
    orgUnitId: row.org_unit_id,
    orgUnitName: row.org_unit_id === null ? null : (row.org_unit_name ?? null),
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export function agentStatus(row: Pick<AgentRow, 'revoked_at' | 'last_contact_at' | 'interval_seconds'>, now: number): Agent['status'] {
  if (row.revoked_at !== null) {
    return 'revoked';
  }
  const window = Math.max(OFFLINE_AFTER_INTERVALS * row.interval_seconds * 1000, OFFLINE_AFTER_MIN_MS);
  return row.last_contact_at !== null && now - row.last_contact_at <= window ? 'online' : 'offline';
}

function agentView(row: AgentRow & Partial<Pick<AgentListRow, 'ci_name' | 'unit_id' | 'unit_name' | 'inventory_at'>>, now = Date.now()): Agent {
  return {
    id: row.id,
    hostname: row.hostname,
    machineId: row.machine_id,
    ciId: row.ci_id,
    ciName: row.ci_name ?? null,
    orgUnitId: row.unit_id ?? null,
    orgUnitName: row.unit_id ? (row.unit_name ?? null) : null,
    version: row.version,
    os: row.os,
    ip: row.ip,
    intervalSeconds: row.interval_seconds,
    status: agentStatus(row, now),
    enrolledAt: row.enrolled_at,
    lastContactAt: row.last_contact_at,
    lastInventoryAt: row.inventory_at ?? null,
    revokedAt: row.revoked_at,
    remoteExec: row.remote_exec === null ? null : row.remote_exec === 1,
  };
}

/** The actor of what an agent does (audit entries name the host). */
export function agentActor(hostname: string, ip: string): Actor {
  return { ...systemActor(`agent:${hostname}`), ip };
}

/** sha-256 of an inventory's JSON (the agent sends lists sorted, so equal inventories hash equal). */
export function inventoryHash(inventory: HostInventoryData): string {
  return createHash('sha256').update(JSON.stringify(inventory)).digest('hex');
}

/**
 * Enrolment tokens, enrolment, agents, and what they push (metrics, inventory). Data scope: an agent
 * belongs to its host CI's org unit, a token to the unit its host CI will be created in; outside the
 * reader's scope they do not exist for them (404).
 */
export class AgentsService {
  private readonly repo: AgentsRepository;
  private readonly hosts: HostCis;

  constructor(private readonly ctx: ModuleContext) {
    this.repo = new AgentsRepository(ctx.db);
    this.hosts = new HostCis(ctx);
  }

  get repository(): AgentsRepository {
    return this.repo;
  }

  // ---------------------------------------------------------------- enrolment tokens

  async listTokens(actor: Actor): Promise<EnrolmentToken[]> {
    const now = Date.now();
    return (await this.repo.listTokens(scopeOf(actor, P.agentRead))).map((r) => tokenView(r, now));
  }

  /**
   * The unit a new token's host CI goes in: the one named, else the creator's own unit when their
   * scope reaches it, else none — which only an unrestricted grant may choose.
   */
  async #tokenUnit(actor: Actor, named: string | null | undefined): Promise<string | null> {
    let unit = named ?? null;
    if (named === undefined && actor.userId) {
      const own = await this.repo.unitOfUser(actor.userId);
      unit = own !== null && inScope(actor, P.tokenWrite, own) ? own : null;
    }
    if (unit === null && named === undefined && !inScope(actor, P.tokenWrite, null)) {
      throw invalidField('body.orgUnitId', { zh: '请选择主机所属的组织机构', en: 'name the org unit the host will belong to' });
    }
    if (unit !== null && !(await this.repo.orgUnitExists(unit))) {
      throw new AppError('YW_ORG_NOT_FOUND', { field: 'body.orgUnitId', id: unit });
    }
    if (!inScope(actor, P.tokenWrite, unit)) {
      throw new AppError('YW_OUT_OF_SCOPE', { permission: P.tokenWrite, field: 'body.orgUnitId' });
    }
    return unit;
  }

  async createToken(actor: Actor, input: EnrolmentTokenCreate): Promise<EnrolmentTokenCreated> {
    const orgUnitId = await this.#tokenUnit(actor, input.orgUnitId);
    const secret = `${ENROLMENT_TOKEN_PREFIX}${randomToken(24)}`;
    const now = Date.now();
    const row: EnrolmentTokenRow = {
      id: uuidv7(),
      name: input.name.trim(),
      prefix: secret.slice(0, 10),
      token_hash: sha256Hex(secret),
      expires_at: now + (input.expiresInHours ?? 24) * HOUR,
      used_at: null,
      agent_id: null,
      revoked_at: null,
      org_unit_id: orgUnitId,
      created_by: actor.username,
      created_at: now,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.repo.insertToken(trx, row);
      await this.ctx.audit.record(trx, { actor, action: 'agents.token.create', targetType: 'agent_enrolment_token', targetId: row.id, after: tokenView(row, now) });
    });
    return { token: tokenView((await this.repo.findToken(row.id)) ?? row, now), secret, serverUrl: this.ctx.config.publicUrl ?? null };
  }

  /** Revokes an unused token (a used one is already dead: nothing to do). */
  async revokeToken(actor: Actor, id: string): Promise<void> {
    const row = await this.repo.findToken(id);
    if (!row) {
      throw new AppError('YW_AGENT_TOKEN_NOT_FOUND', { id });
    }
    requireReach(actor, row.org_unit_id, P.tokenWrite, P.agentRead, () => new AppError('YW_AGENT_TOKEN_NOT_FOUND', { id }));
    if (row.revoked_at !== null || row.used_at !== null) {
      return;
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.repo.revokeToken(trx, id, Date.now());
      await this.ctx.audit.record(trx, { actor, action: 'agents.token.revoke', targetType: 'agent_enrolment_token', targetId: id, before: tokenView(row) });
    });
  }

  // ---------------------------------------------------------------- enrolment (agent side)

  /**
   * Consumes a one-time token and returns the agent's own credential (stored hashed only). The host
   * CI is the one the machine reported for before, or a server CI of this hostname, or a new one.
   * A re-enrolled machine's earlier agents are revoked: their credentials are stale copies.
   */
  async enroll(input: AgentEnroll, requestIp: string): Promise<AgentEnrolled> {
    const now = Date.now();
    const ip = input.ip?.trim() || requestIp;
    const actor = agentActor(input.hostname, requestIp);
    const token = input.token.startsWith(ENROLMENT_TOKEN_PREFIX) ? await this.repo.findTokenByHash(this.ctx.db, sha256Hex(input.token)) : undefined;
    const refusal = token ? (tokenState(token, now) === 'active' ? null : tokenState(token, now)) : 'unknown';
    if (!token || refusal) {
      await this.ctx.audit.recordNow({ actor, action: 'agents.agent.enroll', targetType: 'agent_enrolment_token', targetId: token?.id ?? null, outcome: 'failure', after: { hostname: input.hostname, reason: refusal } });
      throw new AppError('YW_AGENT_ENROLMENT_TOKEN_INVALID', { reason: refusal });
    }
    // The key the agent pins to verify commands (created at start; read before the transaction).
    const commandKey = (await agentCommandsOf(this.ctx).signing.key()).publicKey;
    const credential = `${AGENT_CREDENTIAL_PREFIX}${randomToken(32)}`;
    const agentId = uuidv7();
    const ciId = await this.ctx.db.transaction().execute(async (trx) => {
      if (!(await this.repo.consumeToken(trx, token.id, agentId, now))) {
        throw new AppError('YW_AGENT_ENROLMENT_TOKEN_INVALID', { reason: 'used' });
      }
      const host = await this.hosts.findOrCreate(trx, actor, input.hostname, ip, await this.repo.lastCiOfMachine(trx, input.machineId), token.org_unit_id);
      for (const old of await this.repo.activeAgentsOfMachine(trx, input.machineId)) {
        await this.repo.updateAgent(trx, old.id, { revoked_at: now });
        await this.ctx.audit.record(trx, { actor, action: 'agents.agent.revoke', targetType: 'agent', targetId: old.id, before: agentView(old, now), after: { reason: 'superseded by a re-enrolment', by: agentId } });
      }
      const row: AgentRow = {
        id: agentId,
        hostname: input.hostname.trim(),
        machine_id: input.machineId,
        ci_id: host.ciId,
        version: input.version,
        os: input.os ?? '',
        ip,
        interval_seconds: input.intervalSeconds ?? 15,
        credential_hash: sha256Hex(credential),
        enrolment_token_id: token.id,
        enrolled_at: now,
        last_contact_at: now,
        revoked_at: null,
        remote_exec: null,
      };
      await this.repo.insertAgent(trx, row);
      await this.ctx.audit.record(trx, { actor, action: 'agents.agent.enroll', targetType: 'agent', targetId: agentId, after: { ...agentView(row, now), tokenId: token.id, ciCreated: host.created } });
      return host.ciId;
    });
    return { agentId, ciId, credential, commandKey };
  }

  // ---------------------------------------------------------------- agents (people)

  async list(actor: Actor): Promise<Agent[]> {
    const now = Date.now();
    return (await this.repo.listAgents(scopeOf(actor, P.agentRead))).map((r) => agentView(r, now));
  }

  /** Revokes an agent: its credential is refused from the next request on. */
  async revoke(actor: Actor, id: string): Promise<Agent> {
    const row = await this.repo.findAgent(id);
    if (!row) {
      throw new AppError('YW_AGENT_NOT_FOUND', { id });
    }
    requireReach(actor, row.unit_id, P.agentWrite, P.agentRead, () => new AppError('YW_AGENT_NOT_FOUND', { id }));
    if (row.revoked_at === null) {
      await this.ctx.db.transaction().execute(async (trx) => {
        await this.repo.updateAgent(trx, id, { revoked_at: Date.now() });
        await this.ctx.audit.record(trx, { actor, action: 'agents.agent.revoke', targetType: 'agent', targetId: id, before: agentView(row) });
      });
    }
    return agentView((await this.repo.findAgent(id))!);
  }

  /** A host outside the reader's scope has no inventory for them. */
  async inventoryOfCi(actor: Actor, ciId: string): Promise<HostInventory> {
    const row = await this.repo.latestInventoryOfCi(ciId);
    if (!row || !inScope(actor, P.agentRead, (await this.repo.ciUnit(ciId))?.org_unit_id ?? null)) {
      throw new AppError('YW_AGENT_INVENTORY_NOT_FOUND', { ciId });
    }
    return { ciId: row.ci_id, agentId: row.agent_id, collectedAt: row.collected_at, receivedAt: row.received_at, hash: row.hash, inventory: fromJson<HostInventoryData>(row.body) };
  }

  // ---------------------------------------------------------------- what agents push

  /** Writes an agent's samples (labels `ci` and `agent` from its identity) and notes the contact. */
  async pushMetrics(agent: AgentRow, body: AgentMetrics): Promise<number> {
    const ciId = agent.ci_id ?? (await this.#rebind(agent));
    const samples = agentSamples(body.samples, { agentId: agent.id, ciId }, Date.now());
    // Its samples name its own CI (no scope to check), but free labels could still mint series: budgeted.
    const m = monitoringOf(this.ctx);
    await m.guard.admit({ agentId: agent.id }, samples, 'agent');
    await m.ingest.write(samples);
    await this.#contact(agent, { version: body.version, interval_seconds: body.intervalSeconds, remote_exec: body.remoteExec === undefined ? undefined : body.remoteExec ? 1 : 0 });
    return samples.length;
  }

  /**
   * Keeps the agent's latest inventory and brings its host CI in line with it. An unchanged inventory
   * (same hash) only refreshes the times, so people's edits of the CI are not undone every hour.
   */
  async pushInventory(agent: AgentRow, body: AgentInventory, requestIp: string): Promise<{ ciId: string; ciChanged: boolean }> {
    const now = Date.now();
    const hash = inventoryHash(body.inventory);
    const actor = agentActor(agent.hostname, requestIp);
    const previous = await this.repo.findInventory(agent.id);
    const facts = hostFacts(body.inventory, agent.ip);
    return this.ctx.db.transaction().execute(async (trx) => {
      let ciId = agent.ci_id;
      if (!ciId || !(await trx.selectFrom('cmdb_ci').select('id').where('id', '=', ciId).executeTakeFirst())) {
        ciId = (await this.hosts.findOrCreate(trx, actor, agent.hostname, facts.ip, null, await this.repo.tokenUnit(trx, agent.enrolment_token_id))).ciId;
        await this.repo.updateAgent(trx, agent.id, { ci_id: ciId });
      }
      let ciChanged = false;
      if (previous && previous.hash === hash && previous.ci_id === ciId) {
        await this.repo.touchInventory(trx, agent.id, now, body.collectedAt);
      } else {
        await this.repo.saveInventory(trx, { agent_id: agent.id, ci_id: ciId, collected_at: body.collectedAt, received_at: now, hash, body: toJson(body.inventory) });
        ciChanged = await this.hosts.apply(trx, actor, ciId, facts);
      }
      const os = facts.attributes.os as string;
      await this.repo.updateAgent(trx, agent.id, { last_contact_at: now, os, ip: facts.ip || agent.ip });
      return { ciId, ciChanged };
    });
  }

  async #contact(agent: AgentRow, reported: { version?: string; interval_seconds?: number; remote_exec?: number }): Promise<void> {
    const now = Date.now();
    const patch: Partial<AgentRow> = {};
    if (reported.version && reported.version !== agent.version) {
      patch.version = reported.version;
    }
    if (reported.interval_seconds && reported.interval_seconds !== agent.interval_seconds) {
      patch.interval_seconds = reported.interval_seconds;
    }
    if (reported.remote_exec !== undefined && reported.remote_exec !== agent.remote_exec) {
      patch.remote_exec = reported.remote_exec;
    }
    if (Object.keys(patch).length || agent.last_contact_at === null || now - agent.last_contact_at >= CONTACT_EVERY_MS) {
      await this.repo.updateAgent(this.ctx.db, agent.id, { ...patch, last_contact_at: now });
    }
  }

  /** An agent whose CI is unknown gets one (found by hostname or created). */
  async #rebind(agent: AgentRow): Promise<string> {
    return this.ctx.db.transaction().execute(async (trx) => {
      const unit = await this.repo.tokenUnit(trx, agent.enrolment_token_id);
      const { ciId } = await this.hosts.findOrCreate(trx, agentActor(agent.hostname, agent.ip), agent.hostname, agent.ip, null, unit);
      await this.repo.updateAgent(trx, agent.id, { ci_id: ciId });
      return ciId;
    });
  }
}
