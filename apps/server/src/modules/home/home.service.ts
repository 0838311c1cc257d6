import type { PermissionId } from '@yunwei/contracts/access';
import { AGENTS_PERMISSIONS, type Agent } from '@yunwei/contracts/agents';
import { ALERTING_PERMISSIONS, alertObjectName } from '@yunwei/contracts/alerting';
import { CHECKS_PERMISSIONS } from '@yunwei/contracts/checks';
import {
  HOME_LIMITS,
  type HomeAgentsOffline,
  type HomeChecksDown,
  type HomeCoverageGaps,
  type HomeGettingStarted,
  type HomeInspections,
  type HomeOncall,
  type HomeProblems,
  type HomeSummary,
} from '@yunwei/contracts/home';
import { INSPECTION_PERMISSIONS } from '@yunwei/contracts/inspections';
import { NOTIFY_PERMISSIONS } from '@yunwei/contracts/notify';
import { ONCALL_PERMISSIONS } from '@yunwei/contracts/oncall';
import { can, type Actor } from '../../platform/actor.js';
import { unitsReached } from '../../platform/data-scope.js';
import type { ModuleContext } from '../../platform/module.js';
import { AgentsService } from '../agents/agents.service.js';
import { alertingOf } from '../alerting/alerts-runtime.js';
import { checksOf } from '../checks/runtime.js';
import { inspectionsOf } from '../inspections/runtime.js';
import { notifyOf } from '../notify/runtime.js';
import { oncallOf } from '../oncall/runtime.js';
import { shiftsOf } from './my-shifts.js';

const N = HOME_LIMITS.items;

/** Agents that went silent (revoked ones are not expected to talk), the longest silent first: nobody has noticed those. */
function offlineOf(agents: readonly Agent[]): HomeAgentsOffline {
  const offline = agents.filter((a) => a.status === 'offline').sort((a, b) => (a.lastContactAt ?? 0) - (b.lastContactAt ?? 0));
  return { count: offline.length, items: offline.slice(0, N).map((a) => ({ agentId: a.id, hostname: a.hostname, ciName: a.ciName, lastContactAt: a.lastContactAt })) };
}
const DAY_MS = 86_400_000;
/** Coverage reads every CI's newest samples: one answer per scope is reused this long (the page refreshes every 30 s). */
const COVERAGE_TTL_MS = 30_000;

/**
 * The home page's summary. Each section asks the module that owns the data, through that module's
 * service and with the caller as actor, so the module's data scope applies (a reader limited to some
 * org units counts and lists only theirs); a section whose read permission the caller lacks is null.
 */
export class HomeService {
  readonly #agents: AgentsService;
  readonly #coverage = new Map<string, { at: number; value: Promise<HomeCoverageGaps> }>();

  constructor(private readonly ctx: ModuleContext) {
    this.#agents = new AgentsService(ctx);
  }

  async summary(actor: Actor): Promise<HomeSummary> {
    const now = Date.now();
    const when = <T>(permission: PermissionId, section: () => Promise<T>): Promise<T | null> => (can(actor, permission) ? section() : Promise.resolve(null));
    const agents = await when(AGENTS_PERMISSIONS.agentRead, () => this.#agents.list(actor));
    const agentsOffline = agents && offlineOf(agents);
    const [problems, checksDown, inspections, coverage, oncall] = await Promise.all([
      when(ALERTING_PERMISSIONS.alertRead, () => this.#problems(actor)),
      when(CHECKS_PERMISSIONS.checkRead, () => this.#checksDown(actor)),
      when(INSPECTION_PERMISSIONS.recordRead, () => this.#inspections(actor)),
      when(INSPECTION_PERMISSIONS.policyRead, () => this.#coverageGaps(actor)),
      when(ONCALL_PERMISSIONS.scheduleRead, () => this.#oncall(actor, now)),
    ]);
    const gettingStarted = await this.#gettingStarted(actor, problems, agents);
    return { at: now, problems, checksDown, agentsOffline, inspections, coverage, oncall, gettingStarted };
  }

  async #problems(actor: Actor): Promise<HomeProblems> {
    const { alerts } = alertingOf(this.ctx);
    const count = async (state: string, severity?: 'critical' | 'warning') => (await alerts.list(actor, { state, ...(severity ? { severity } : {}), limit: 1 })).total;
    const [critical, warning, acknowledged, firing] = await Promise.all([count('firing', 'critical'), count('firing', 'warning'), count('acknowledged'), alerts.list(actor, { state: 'firing', limit: N })]);
    return {
      firing: { critical, warning },
      acknowledged,
      items: firing.items.map((a) => ({
        alertId: a.id,
        severity: a.severity,
        state: a.state,
        summary: { zh: a.annotations.zh.summary || a.ruleName, en: a.annotations.en.summary || a.ruleNameEn || a.ruleName },
        ruleName: a.ruleName,
        ruleNameEn: a.ruleNameEn ?? null,
        ciName: a.labels.ci_name ?? null,
        object: alertObjectName(a.labels),
        firingAt: a.firingAt,
        suppressed: a.suppressedBy.length > 0,
      })),
    };
  }

  async #checksDown(actor: Actor): Promise<HomeChecksDown> {
    const { items, total } = await checksOf(this.ctx).service.list(actor, { status: 'down', enabled: true, limit: N });
    return { count: total, items: items.map((c) => ({ checkId: c.id, name: c.name, ciName: c.ciName, target: c.target, message: c.message, lastCheckedAt: c.lastCheckedAt })) };
  }

  async #inspections(actor: Actor): Promise<HomeInspections> {
    const m = inspectionsOf(this.ctx);
    const now = m.now();
    const cutoff = now - HOME_LIMITS.overdueAfterMs;
    // Overdue records lead the list; the rest fill it.
    const overdue = await m.records.list(actor, { status: 'open', to: cutoff, limit: N });
    const recent = await m.records.list(actor, { status: 'open', from: cutoff, limit: N });
    const items = [...overdue.items, ...recent.items].slice(0, N).map((r) => ({ recordId: r.id, name: r.scheduleName ?? r.templateName, dueAt: r.dueAt ?? r.createdAt, overdue: r.createdAt < cutoff }));
    let upcoming: HomeInspections['upcoming'] = null;
    if (can(actor, INSPECTION_PERMISSIONS.templateRead)) {
      const due = (await m.schedules.list(actor)).items
        .filter((s): s is typeof s & { nextRunAt: number } => s.enabled && s.nextRunAt !== null && s.nextRunAt <= now + HOME_LIMITS.upcomingWithinMs)
        .sort((a, b) => a.nextRunAt - b.nextRunAt);
      upcoming = { count: due.length, items: due.slice(0, N).map((s) => ({ scheduleId: s.id, name: s.name, templateName: s.templateName, nextRunAt: s.nextRunAt })) };
    }
    return { open: overdue.total + recent.total, overdue: overdue.total, items, upcoming };
  }

  /** The coverage view's own answer (uncovered CIs only), shared by readers of the same scope for a few seconds. */
  #coverageGaps(actor: Actor): Promise<HomeCoverageGaps> {
    const units = unitsReached(actor, INSPECTION_PERMISSIONS.policyRead);
    const key = units === null ? '*' : [...units].sort().join(',');
    const now = Date.now();
    const cached = this.#coverage.get(key);
    if (cached && now - cached.at < COVERAGE_TTL_MS) {
      return cached.value;
    }
    const m = inspectionsOf(this.ctx);
    const value = m.policies.coverage(actor, { uncoveredOnly: true }, m.now()).then((c) => ({
      policies: c.policies,
      total: c.total,
      uncovered: c.total - c.covered,
      items: c.cis.slice(0, N).map((ci) => ({ ciId: ci.ciId, ciName: ci.ciName, policyName: ci.policyName, missing: ci.requirements.filter((r) => !r.met).map((r) => r.label).slice(0, 20) })),
    }));
    // A failure is not remembered.
    value.catch(() => this.#coverage.delete(key));
    for (const [k, v] of this.#coverage) {
      if (now - v.at >= COVERAGE_TTL_MS) {
        this.#coverage.delete(k);
      }
    }
    this.#coverage.set(key, { at: now, value });
    return value;
  }

  /** The caller's shifts in every schedule, from a day back (to see when the current one began) to two weeks ahead. */
  async #oncall(actor: Actor, now: number): Promise<HomeOncall | null> {
    const userId = actor.userId;
    if (!userId) {
      return null;
    }
    const { schedules } = oncallOf(this.ctx);
    const out: HomeOncall = { now: [], next: null };
    for (const s of (await schedules.list(now)).items.slice(0, HOME_LIMITS.oncallSchedules)) {
      const timeline = await schedules.timeline(s.id, { from: now - DAY_MS, to: now + HOME_LIMITS.oncallLookaheadDays * DAY_MS });
      const { current, next } = shiftsOf(timeline.segments, userId, now);
      if (current) {
        out.now.push({ scheduleId: s.id, scheduleName: s.name, ...current });
      }
      if (next && (!out.next || next.start < out.next.start)) {
        out.next = { scheduleId: s.id, scheduleName: s.name, ...next };
      }
    }
    return out;
  }

  /** First steps, each judged on what the caller sees (null: they may not see it at all). */
  async #gettingStarted(actor: Actor, problems: HomeProblems | null, agentList: readonly Agent[] | null): Promise<HomeGettingStarted> {
    const any = async (permission: PermissionId, count: () => Promise<number>): Promise<boolean | null> => (can(actor, permission) ? (await count()) > 0 : null);
    const checks = await any(CHECKS_PERMISSIONS.checkRead, async () => (await checksOf(this.ctx).service.list(actor, { limit: 1 })).total);
    const agents = agentList && agentList.length > 0;
    const hasHostOrCheck = checks === null && agents === null ? null : Boolean(checks) || Boolean(agents);
    const notify = notifyOf(this.ctx);
    const hasChannel = await any(NOTIFY_PERMISSIONS.channelRead, async () => (await notify.service.list({ limit: 1 })).total);
    const hasSentTest = await any(NOTIFY_PERMISSIONS.deliveryRead, async () => (await notify.deliveries.list(actor, { limit: 1 })).total);
    const open = problems ? problems.firing.critical + problems.firing.warning + problems.acknowledged : 0;
    const hasSeenAlert = await any(ALERTING_PERMISSIONS.alertRead, async () => open || (await alertingOf(this.ctx).alerts.list(actor, { state: 'firing,acknowledged,resolved', limit: 1 })).total);
    return { hasHostOrCheck, hasChannel, hasSentTest, hasSeenAlert };
  }
}
