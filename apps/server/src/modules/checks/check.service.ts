import { uuidv7 } from 'uuidv7';
import type { PermissionId } from '@yunwei/contracts/access';
import { CHECK_LIMITS, CHECK_SECRET_FIELDS, CHECKS_PERMISSIONS as P, type Check, type CheckCreate, type CheckList, type CheckListQuery, type CheckResult, type CheckResultList, type CheckResultsQuery, type CheckType, type CheckUpdate } from '@yunwei/contracts/checks';
import { fromJson, toJson } from '../../db/dialect.js';
import { type Actor, inScope } from '../../platform/actor.js';
import { requireReach } from '../../platform/data-scope.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { scopeOf } from '../cmdb/cmdb.shared.js';
import { prepareSettings, secretsSet, targetOf, type Secrets } from './check-settings.js';
import { ChecksRepository, type CheckRow } from './checks.repository.js';
import type { CheckDefinitionTable } from './checks.tables.js';

const DEFAULT_INTERVAL_S = 60;
const DEFAULT_TIMEOUT_MS = 10_000;

function view(row: CheckRow, secrets: Secrets): Check {
  const type = row.type as CheckType;
  return {
    id: row.id,
    name: row.name,
    type,
    settings: fromJson<Record<string, unknown>>(row.settings),
    secretsSet: secretsSet(type, secrets),
    target: row.target,
    ciId: row.ci_id,
    ciName: row.ci_name,
    orgUnitId: row.unit_id,
    orgUnitName: row.unit_id === null ? null : row.unit_name,
    intervalSeconds: row.interval_s,
    timeoutMs: row.timeout_ms,
    enabled: row.enabled === 1,
    status: row.up === null || row.up === undefined ? 'unknown' : Number(row.up) === 1 ? 'up' : 'down',
    lastCheckedAt: row.checked_at === null ? null : Number(row.checked_at),
    latencyMs: row.latency_ms,
    message: row.message,
    values: row.values ? fromJson<Record<string, number>>(row.values) : {},
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** A check's configuration as the audit trail records it: which secrets are set, never their values. */
function auditView(row: CheckDefinitionTable, secrets: Secrets) {
  return {
    name: row.name,
    type: row.type,
    settings: fromJson<Record<string, unknown>>(row.settings),
    secretsSet: secretsSet(row.type as CheckType, secrets),
    ciId: row.ci_id,
    orgUnitId: row.org_unit_id,
    intervalSeconds: row.interval_s,
    timeoutMs: row.timeout_ms,
    enabled: row.enabled === 1,
  };
}

export function resultView(row: { check_id: string; at: number; up: number; latency_ms: number | null; message: string | null; values: string }): CheckResult {
  return {
    checkId: row.check_id,
    at: Number(row.at),
    status: Number(row.up) === 1 ? 'up' : 'down',
    latencyMs: row.latency_ms,
    message: row.message,
    values: fromJson<Record<string, number>>(row.values),
  };
}

/** Where a check belongs: `stored` goes in its own column (null when on a CI), `unit` is the effective one. */
interface Placement {
  stored: string | null;
  unit: string | null;
  /** The request field that decided it (named when the unit is outside the actor's scope). */
  field: string;
}

/**
 * Check definitions: list, read, create, change, delete (audited; secrets sealed, never returned).
 * Data scope: a check belongs to its CI's org unit, or to its own without a CI; a check outside the
 * reader's scope does not exist for them (404), one they see but may not change is a 403.
 */
export class CheckService {
  readonly repo: ChecksRepository;

  constructor(
    private readonly ctx: Pick<ModuleContext, 'db' | 'audit' | 'secrets'>,
    /** Called after a change commits: the scheduler re-reads the definitions. */
    private readonly onChange: () => void,
  ) {
    this.repo = new ChecksRepository(ctx.db);
  }

  openSecrets(sealed: string | null): Secrets {
    return sealed ? (JSON.parse(this.ctx.secrets.open(sealed)) as Secrets) : {};
  }

  #seal(secrets: Secrets): string | null {
    return Object.keys(secrets).length ? this.ctx.secrets.seal(JSON.stringify(secrets)) : null;
  }

  async list(actor: Actor, query: CheckListQuery): Promise<CheckList> {
    const { rows, total } = await this.repo.list(query, scopeOf(actor, P.checkRead));
    return { items: rows.map((r) => view(r, this.#secretsOf(r))), total };
  }

  /** For `secretsSet` only: a secret that cannot be opened (master key changed) still counts as set. */
  #secretsOf(row: Pick<CheckDefinitionTable, 'secrets' | 'type'>): Secrets {
    try {
      return this.openSecrets(row.secrets);
    } catch {
      return Object.fromEntries(CHECK_SECRET_FIELDS[row.type as CheckType].map((f) => [f, '?']));
    }
  }

  async #row(id: string): Promise<CheckRow> {
    const row = await this.repo.find(id);
    if (!row) {
      throw new AppError('YW_CHECK_NOT_FOUND', { id });
    }
    return row;
  }

  /**
   * A check the actor may use with `permission`. Outside every scope of theirs it is not found;
   * readable but outside `permission`'s scope it is a 403.
   */
  async #reachable(actor: Actor, id: string, permission: PermissionId = P.checkRead): Promise<CheckRow> {
    const row = await this.#row(id);
    requireReach(actor, row.unit_id, permission, P.checkRead, () => new AppError('YW_CHECK_NOT_FOUND', { id }));
    return row;
  }

  async get(actor: Actor, id: string): Promise<Check> {
    const row = await this.#reachable(actor, id);
    return view(row, this.#secretsOf(row));
  }

  /** A check just written, for the writer (whose write scope placed it; their read scope may differ). */
  async #fresh(id: string): Promise<Check> {
    const row = await this.#row(id);
    return view(row, this.#secretsOf(row));
  }

  /** The stored definition of a check the actor may use with `permission` (run, change). */
  async definition(actor: Actor, id: string, permission: PermissionId): Promise<CheckDefinitionTable> {
    await this.#reachable(actor, id, permission);
    return this.#definitionRow(id);
  }

  async #definitionRow(id: string): Promise<CheckDefinitionTable> {
    const row = await this.repo.definition(id);
    if (!row) {
      throw new AppError('YW_CHECK_NOT_FOUND', { id });
    }
    return row;
  }

  /**
   * Where a check goes. On a CI: the CI's unit (a unit of its own is refused). Without: `orgUnitId`,
   * required unless the actor's write grant is unrestricted (then null = the whole organisation);
   * `fallback` is the unit kept when the request names none (a change that leaves it alone).
   */
  async #placement(actor: Actor, ciId: string | null, orgUnitId: string | null | undefined, fallback?: { unit: string | null }): Promise<Placement> {
    if (ciId !== null) {
      if (orgUnitId) {
        throw invalidField('body.orgUnitId', "a check on a CI belongs to the CI's org unit: leave orgUnitId out");
      }
      const ci = await this.repo.ciUnit(ciId);
      if (!ci) {
        throw invalidField('body.ciId', 'no such configuration item');
      }
      return { stored: null, unit: ci.org_unit_id, field: 'body.ciId' };
    }
    if (orgUnitId === undefined && fallback) {
      return { stored: fallback.unit, unit: fallback.unit, field: 'body.orgUnitId' };
    }
    if (orgUnitId === undefined && scopeOf(actor, P.checkWrite) !== null) {
      throw invalidField('body.orgUnitId', 'is required for a check without a CI: name one of your org units');
    }
    if (orgUnitId && !(await this.repo.orgUnitExists(orgUnitId))) {
      throw new AppError('YW_ORG_NOT_FOUND', { field: 'body.orgUnitId', id: orgUnitId });
    }
    return { stored: orgUnitId ?? null, unit: orgUnitId ?? null, field: 'body.orgUnitId' };
  }

  #requireWritable(actor: Actor, placement: Placement): void {
    if (!inScope(actor, P.checkWrite, placement.unit)) {
      throw new AppError('YW_OUT_OF_SCOPE', { permission: P.checkWrite, field: placement.field });
    }
  }

  async create(actor: Actor, input: CheckCreate): Promise<Check> {
    const { plain, secrets } = prepareSettings(input.type, input.settings);
    const intervalS = input.intervalSeconds ?? DEFAULT_INTERVAL_S;
    const timeoutMs = input.timeoutMs ?? Math.min(DEFAULT_TIMEOUT_MS, intervalS * 1000);
    checkTimeout(intervalS, timeoutMs, input.timeoutMs === undefined ? 'body.intervalSeconds' : 'body.timeoutMs');
    const ciId = input.ciId ?? null;
    const placement = await this.#placement(actor, ciId, input.orgUnitId);
    this.#requireWritable(actor, placement);
    const now = Date.now();
    const row: CheckDefinitionTable = {
      id: uuidv7(),
      name: input.name.trim(),
      type: input.type,
      settings: toJson(plain),
      secrets: this.#seal(secrets),
      target: targetOf(input.type, plain),
      ci_id: ciId,
      org_unit_id: placement.stored,
      interval_s: intervalS,
      timeout_ms: timeoutMs,
      enabled: input.enabled === false ? 0 : 1,
      created_at: now,
      updated_at: now,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('check_definition').values(row).execute();
      await this.ctx.audit.record(trx, { actor, action: 'checks.check.create', targetType: 'check', targetId: row.id, after: auditView(row, secrets) });
    });
    this.onChange();
    return this.#fresh(row.id);
  }

  async update(actor: Actor, id: string, input: CheckUpdate): Promise<Check> {
    const placed = await this.#reachable(actor, id, P.checkWrite);
    const before = await this.#definitionRow(id);
    const type = input.type ?? (before.type as CheckType);
    if (input.type !== undefined && input.type !== before.type && input.settings === undefined) {
      throw invalidField('body.settings', 'is required when the type changes');
    }
    const current = this.openSecrets(before.secrets);
    const stored = fromJson<Record<string, unknown>>(before.settings);
    // Secrets carry over only within the same type (a database password is no SNMP community) and the
    // same destination (a changed host or port drops those not entered again: they never follow it).
    const prepared = input.settings === undefined ? { plain: stored, secrets: current, dropped: [] } : prepareSettings(type, input.settings, type === before.type ? current : {}, stored);
    const { plain, secrets } = prepared;
    const dropped = Object.keys(current).filter((key) => prepared.dropped.includes(key) || (type !== before.type && secrets[key] === undefined));
    const intervalS = input.intervalSeconds ?? before.interval_s;
    const timeoutMs = input.timeoutMs ?? before.timeout_ms;
    checkTimeout(intervalS, timeoutMs, input.timeoutMs === undefined ? 'body.intervalSeconds' : 'body.timeoutMs');
    const ciId = input.ciId === undefined ? before.ci_id : input.ciId;
    // Taken off its CI without a unit named, a check stays in the unit it was in.
    const placement = await this.#placement(actor, ciId, input.orgUnitId, { unit: placed.unit_id });
    if (placement.unit !== placed.unit_id || ciId !== before.ci_id) {
      this.#requireWritable(actor, placement);
    }
    const after: CheckDefinitionTable = {
      ...before,
      name: input.name?.trim() ?? before.name,
      type,
      settings: toJson(plain),
      secrets: this.#seal(secrets),
      target: targetOf(type, plain),
      ci_id: ciId,
      org_unit_id: placement.stored,
      interval_s: intervalS,
      timeout_ms: timeoutMs,
      enabled: input.enabled === undefined ? before.enabled : input.enabled ? 1 : 0,
      updated_at: Math.max(Date.now(), Number(before.updated_at) + 1),
    };
    const { id: _id, created_at: _c, ...patch } = after;
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('check_definition').set(patch).where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'checks.check.update', targetType: 'check', targetId: id, before: auditView(before, current), after: { ...auditView(after, secrets), secretsDropped: dropped } });
    });
    this.onChange();
    return { ...(await this.#fresh(id)), secretsDropped: dropped };
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.definition(actor, id, P.checkWrite);
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('check_definition').where('id', '=', id).execute();
      await trx.deleteFrom('check_state').where('check_id', '=', id).execute();
      await trx.deleteFrom('check_result').where('check_id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'checks.check.delete', targetType: 'check', targetId: id, before: auditView(before, this.#secretsOf(before)) });
    });
    this.onChange();
  }

  async results(actor: Actor, id: string, query: CheckResultsQuery): Promise<CheckResultList> {
    await this.#reachable(actor, id);
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
      throw invalidField('querystring.from', 'must not be after `to`');
    }
    return { items: (await this.repo.results(id, query, Date.now())).map(resultView) };
  }

  purgeHistory(now = Date.now()): Promise<number> {
    return this.repo.purge(now - CHECK_LIMITS.historyDays * 86_400_000);
  }
}

function checkTimeout(intervalS: number, timeoutMs: number, field: string): void {
  if (timeoutMs > intervalS * 1000) {
    throw invalidField(field, 'the timeout must not exceed the interval');
  }
}
