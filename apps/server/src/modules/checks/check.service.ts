import { uuidv7 } from 'uuidv7';
import type { PermissionId } from '@yunwei/contracts/access';
import type { EscalationStep } from '@yunwei/contracts/alert-routing';
import { CHECK_LIMITS, CHECK_SECRET_FIELDS, CHECKS_PERMISSIONS as P, type Check, type CheckCreate, type CheckList, type CheckListQuery, type CheckResultList, type CheckResultsQuery, type CheckType, type CheckUpdate } from '@yunwei/contracts/checks';
import { fromJson, toJson } from '../../db/dialect.js';
import { type Actor, inScope } from '../../platform/actor.js';
import { requireReach } from '../../platform/data-scope.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { scopeOf } from '../cmdb/cmdb.shared.js';
import { CheckAlerting, immediateChannels } from './check-alerting.js';
import { prepareSettings, targetOf, type Secrets } from './check-settings.js';
import { auditView, channelIdsOf, checkView, resultView } from './check-view.js';
import { ChecksRepository, type CheckRow } from './checks.repository.js';
import type { CheckDefinitionTable } from './checks.tables.js';

const DEFAULT_INTERVAL_S = 60;
const DEFAULT_TIMEOUT_MS = 10_000;

/** What a committed change means for the scheduler: re-read the definitions, and probe this check now (new, or probing something else). */
export interface CheckChange {
  probeNow?: string;
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
    private readonly ctx: ModuleContext,
    /** Called after a change commits: the scheduler re-reads the definitions. */
    private readonly onChange: (change: CheckChange) => void,
  ) {
    this.repo = new ChecksRepository(ctx.db);
    this.alerting = new CheckAlerting(ctx);
  }

  readonly alerting: CheckAlerting;

  openSecrets(sealed: string | null): Secrets {
    return sealed ? (JSON.parse(this.ctx.secrets.open(sealed)) as Secrets) : {};
  }

  #seal(secrets: Secrets): string | null {
    return Object.keys(secrets).length ? this.ctx.secrets.seal(JSON.stringify(secrets)) : null;
  }

  async list(actor: Actor, query: CheckListQuery): Promise<CheckList> {
    const { rows, total } = await this.repo.list(query, scopeOf(actor, P.checkRead));
    return { items: await this.#views(rows), total };
  }

  /** Checks with their heartbeat bars, uptime and channel names (a few queries for the whole page). */
  async #views(rows: readonly CheckRow[], now = Date.now()): Promise<Check[]> {
    const ids = rows.map((r) => r.id);
    const [beats, uptime] = [await this.repo.heartbeats(ids, CHECK_LIMITS.heartbeatSize, now), await this.repo.uptime(ids, now)];
    const wanted = channelIdsOf(rows);
    const channelNames = await this.repo.channelNames(wanted);
    return rows.map((r) => checkView(r, this.#secretsOf(r), { beats: beats.get(r.id) ?? [], uptime: uptime.get(r.id), channelNames }));
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
    return (await this.#views([row]))[0]!;
  }

  /** A check just written, for the writer (whose write scope placed it; their read scope may differ). */
  async #fresh(id: string): Promise<Check> {
    return (await this.#views([await this.#row(id)]))[0]!;
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
        throw invalidField('body.orgUnitId', { zh: '关联配置项的检查属于该配置项的组织机构，请不要填写组织机构', en: "a check on a CI belongs to the CI's org unit: leave orgUnitId out" });
      }
      const ci = await this.repo.ciUnit(ciId);
      if (!ci) {
        throw invalidField('body.ciId', { zh: '配置项不存在', en: 'no such configuration item' });
      }
      return { stored: null, unit: ci.org_unit_id, field: 'body.ciId' };
    }
    if (orgUnitId === undefined && fallback) {
      return { stored: fallback.unit, unit: fallback.unit, field: 'body.orgUnitId' };
    }
    if (orgUnitId === undefined && scopeOf(actor, P.checkWrite) !== null) {
      throw invalidField('body.orgUnitId', { zh: '未关联配置项的检查必须选择组织机构（您可管理的机构之一）', en: 'is required for a check without a CI: name one of your org units' });
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
    await this.alerting.checkChannels(actor, input.notifyChannelIds?.length ? input.notifyChannelIds : undefined, placement.unit);
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
      retries: input.retries ?? CHECK_LIMITS.defaultRetries,
      alert_rule_id: null,
      notify_policy_id: null,
      escalation_policy_id: null,
      created_at: now,
      updated_at: now,
    };
    const channels = input.notifyChannelIds ?? [];
    // The check, its alert rule and its notification policy: all or nothing, each audited.
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('check_definition').values(row).execute();
      Object.assign(row, await this.alerting.sync(trx, actor, row, null, channels));
      await trx.updateTable('check_definition').set({ alert_rule_id: row.alert_rule_id, notify_policy_id: row.notify_policy_id, escalation_policy_id: row.escalation_policy_id }).where('id', '=', row.id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'checks.check.create', targetType: 'check', targetId: row.id, after: auditView(row, secrets, channels) });
    });
    this.alerting.committed();
    // Its first result within seconds, not a whole interval later.
    this.onChange({ probeNow: row.enabled === 1 ? row.id : undefined });
    return this.#fresh(row.id);
  }

  async update(actor: Actor, id: string, input: CheckUpdate): Promise<Check> {
    const placed = await this.#reachable(actor, id, P.checkWrite);
    const before = await this.#definitionRow(id);
    const type = input.type ?? (before.type as CheckType);
    if (input.type !== undefined && input.type !== before.type && input.settings === undefined) {
      throw invalidField('body.settings', { zh: '更改类型时必须同时填写设置', en: 'is required when the type changes' });
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
    const channelsBefore = channelsOf(placed);
    const channels = input.notifyChannelIds === undefined || sameSet(input.notifyChannelIds, channelsBefore) ? undefined : input.notifyChannelIds;
    await this.alerting.checkChannels(actor, channels, placement.unit);
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
      retries: input.retries ?? before.retries,
      updated_at: Math.max(Date.now(), Number(before.updated_at) + 1),
    };
    // Under the evaluator's lock: a check disabled disables its rule, whose open alerts resolve.
    await this.alerting.exclusive(() =>
      this.ctx.db.transaction().execute(async (trx) => {
        Object.assign(after, await this.alerting.sync(trx, actor, after, before, channels));
        const { id: _id, created_at: _c, ...patch } = after;
        await trx.updateTable('check_definition').set(patch).where('id', '=', id).execute();
        await this.ctx.audit.record(trx, {
          actor,
          action: 'checks.check.update',
          targetType: 'check',
          targetId: id,
          before: auditView(before, current, channelsBefore),
          after: { ...auditView(after, secrets, channels ?? channelsBefore), secretsDropped: dropped },
        });
      }),
    );
    this.alerting.committed();
    // A check that probes something else now (or again) shows it within seconds.
    const probes = after.target !== before.target || after.type !== before.type || after.settings !== before.settings || after.secrets !== before.secrets || before.enabled === 0;
    this.onChange({ probeNow: after.enabled === 1 && probes ? id : undefined });
    return { ...(await this.#fresh(id)), secretsDropped: dropped };
  }

  /** The check with its results, its alert rule (its open alerts resolve) and its notification policies. */
  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.definition(actor, id, P.checkWrite);
    await this.alerting.exclusive(() =>
      this.ctx.db.transaction().execute(async (trx) => {
        await this.alerting.remove(trx, actor, before);
        await trx.deleteFrom('check_definition').where('id', '=', id).execute();
        await trx.deleteFrom('check_state').where('check_id', '=', id).execute();
        await trx.deleteFrom('check_result').where('check_id', '=', id).execute();
        await trx.deleteFrom('check_uptime_hour').where('check_id', '=', id).execute();
        await this.ctx.audit.record(trx, { actor, action: 'checks.check.delete', targetType: 'check', targetId: id, before: auditView(before, this.#secretsOf(before)) });
      }),
    );
    this.alerting.committed();
    this.onChange({});
  }

  async results(actor: Actor, id: string, query: CheckResultsQuery): Promise<CheckResultList> {
    await this.#reachable(actor, id);
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
      throw invalidField('querystring.from', { zh: '不能晚于结束时间', en: 'must not be after `to`' });
    }
    return { items: (await this.repo.results(id, query, Date.now())).map(resultView) };
  }

  purgeHistory(now = Date.now()): Promise<number> {
    return this.repo.purge(now - CHECK_LIMITS.historyDays * 86_400_000, now - CHECK_LIMITS.uptimeDays * 86_400_000);
  }
}

/** The channels a check's notification policy notifies at once, as it is now. */
function channelsOf(row: CheckRow): string[] {
  return row.policy_steps ? immediateChannels(fromJson<EscalationStep[]>(row.policy_steps)) : [];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function checkTimeout(intervalS: number, timeoutMs: number, field: string): void {
  if (timeoutMs > intervalS * 1000) {
    throw invalidField(field, { zh: '超时时间不能超过执行间隔', en: 'the timeout must not exceed the interval' });
  }
}
