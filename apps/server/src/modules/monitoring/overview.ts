import { BUSINESS_SYSTEM_CLASS, CMDB_PERMISSIONS } from '@yunwei/contracts/cmdb';
import type { DownReason, MonitoringOverview, MonitorState, OverviewBusinessSystem, OverviewCi, OverviewProblem } from '@yunwei/contracts/dashboards';
import { type Actor, inScope } from '../../platform/actor.js';
import type { ModuleContext } from '../../platform/module.js';
import { analyseImpact, walkDependencies } from '../cmdb/impact-analysis.js';
import { ImpactService } from '../cmdb/impact.service.js';
import { MetricsRepository } from './metrics.repository.js';

/** An agent pushes every 15 s by default: this much silence means it (or its host) is gone. */
export const AGENT_SILENT_AFTER_MS = 3 * 60_000;
/** Check results and file-system samples older than this no longer say anything about "now". */
const FRESH_MS = 15 * 60_000;
export const FS_FULL_PERCENT = 90;
const WATCHED = ['check_up', 'host_cpu_usage_percent', 'host_fs_usage_percent'] as const;
const MAX_LISTED = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Latest {
  metric: (typeof WATCHED)[number];
  labels: Record<string, string>;
  ciId: string | null;
  ts: number | null;
  value: number | null;
  lastSeen: number;
}

interface CiFacts {
  agentLastSeen: number | null;
  cpu: number | null;
  checksUp: number;
  checksDown: number;
}

/** The pure decision: a CI's monitoring state from what its series say. */
export function monitorState(f: CiFacts, now: number): { state: MonitorState; reasons: DownReason[] } {
  const reasons: DownReason[] = [];
  if (f.checksDown > 0) {
    reasons.push('check_down');
  }
  const agentFresh = f.agentLastSeen !== null && now - f.agentLastSeen <= AGENT_SILENT_AFTER_MS;
  if (f.agentLastSeen !== null && !agentFresh) {
    reasons.push('agent_silent');
  }
  if (reasons.length) {
    return { state: 'down', reasons };
  }
  return { state: agentFresh || f.checksUp > 0 ? 'up' : 'unknown', reasons };
}

/**
 * GET /api/monitoring/overview: every CI in the caller's CMDB scope counted as up, down or unknown
 * (from its check results and its agent's freshness), the problems now (CIs down, checks down, file
 * systems over 90 %), and the health of each business system: down when the CMDB impact walk
 * (redundancy groups included) reaches it from the CIs that are down, degraded when something it
 * relies on is down but redundancy absorbs it.
 */
export class OverviewService {
  constructor(private readonly ctx: Pick<ModuleContext, 'db'>) {}

  async overview(actor: Actor, now = Date.now()): Promise<MonitoringOverview> {
    const latest = await this.#latest(now);
    const facts = new Map<string, CiFacts>();
    const factsOf = (ciId: string) => {
      let f = facts.get(ciId);
      if (!f) {
        f = { agentLastSeen: null, cpu: null, checksUp: 0, checksDown: 0 };
        facts.set(ciId, f);
      }
      return f;
    };
    for (const l of latest) {
      if (l.ciId === null) {
        continue;
      }
      if (l.metric === 'host_cpu_usage_percent') {
        const f = factsOf(l.ciId);
        const seen = l.ts ?? l.lastSeen;
        if (f.agentLastSeen === null || seen > f.agentLastSeen) {
          f.agentLastSeen = seen;
          f.cpu = l.value;
        }
      } else if (l.metric === 'check_up' && l.value !== null) {
        const f = factsOf(l.ciId);
        if (l.value > 0) {
          f.checksUp++;
        } else {
          f.checksDown++;
        }
      }
    }

    const rows = await this.ctx.db
      .selectFrom('cmdb_ci as c')
      .innerJoin('cmdb_class as k', 'k.id', 'c.class_id')
      .select(['c.id', 'c.name', 'c.org_unit_id', 'k.code'])
      .where('c.status', '!=', 'retired')
      .execute();
    const visible = rows.filter((r) => inScope(actor, CMDB_PERMISSIONS.ciRead, r.org_unit_id));
    const names = new Map(visible.map((r) => [r.id, r.name]));
    const counts = { up: 0, down: 0, unknown: 0, total: 0 };
    const cis: OverviewCi[] = [];
    const stateOf = new Map<string, MonitorState>();
    for (const r of visible) {
      const f = facts.get(r.id);
      const { state, reasons } = f ? monitorState(f, now) : { state: 'unknown' as const, reasons: [] };
      stateOf.set(r.id, state);
      if (r.code === BUSINESS_SYSTEM_CLASS && state === 'unknown') {
        continue; // a business system's health comes from what it relies on (below)
      }
      counts[state]++;
      counts.total++;
      if (f && state !== 'unknown') {
        cis.push({ id: r.id, name: r.name, classCode: r.code, state, reasons, agentLastSeen: f.agentLastSeen, checksUp: f.checksUp, checksDown: f.checksDown, cpu: f.cpu });
      }
    }
    cis.sort((a, b) => (a.state === b.state ? a.name.localeCompare(b.name) : a.state === 'down' ? -1 : 1));

    const problems: OverviewProblem[] = [];
    for (const c of cis) {
      if (c.state === 'down') {
        problems.push({ kind: 'ci_down', ciId: c.id, ciName: c.name, subject: c.reasons.join(','), value: c.reasons.includes('agent_silent') && c.agentLastSeen !== null ? now - c.agentLastSeen : null, at: c.agentLastSeen });
      }
    }
    const checkNames = await this.#checkNames(latest.filter((l) => l.metric === 'check_up' && l.value !== null && l.value <= 0).map((l) => l.labels.check ?? ''));
    for (const l of latest) {
      const hidden = l.ciId !== null && !names.has(l.ciId);
      if (hidden || l.value === null) {
        continue;
      }
      const ci = { ciId: l.ciId, ciName: l.ciId === null ? null : names.get(l.ciId)! };
      if (l.metric === 'check_up' && l.value <= 0) {
        // By name: a check's id is not for people (a `check` label pushed by hand that is no id stays as it is).
        const check = l.labels.check;
        const checkName = check ? (checkNames.get(check) ?? (UUID.test(check) ? undefined : check)) : undefined;
        problems.push({ kind: 'check_down', ...ci, checkId: check && checkNames.has(check) ? check : null, subject: [l.labels.type, checkName].filter(Boolean).join(' ') || l.metric, value: null, at: l.ts });
      } else if (l.metric === 'host_fs_usage_percent' && l.value > FS_FULL_PERCENT) {
        problems.push({ kind: 'fs_full', ...ci, subject: l.labels.mount ?? l.labels.device ?? l.metric, value: l.value, at: l.ts });
      }
    }

    const down = [...stateOf].filter(([, s]) => s === 'down').map(([id]) => id);
    return {
      at: now,
      agentSilentAfterMs: AGENT_SILENT_AFTER_MS,
      counts,
      cis: cis.slice(0, MAX_LISTED),
      problems: problems.slice(0, MAX_LISTED),
      businessSystems: await this.#businessSystems(
        visible.filter((r) => r.code === BUSINESS_SYSTEM_CLASS),
        stateOf,
        down,
        names,
      ),
    };
  }

  async #checkNames(ids: string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter(Boolean))];
    const out = new Map<string, string>();
    for (let i = 0; i < wanted.length; i += 500) {
      for (const r of await this.ctx.db.selectFrom('check_definition').select(['id', 'name']).where('id', 'in', wanted.slice(i, i + 500)).execute()) {
        out.set(r.id, r.name);
      }
    }
    return out;
  }

  async #businessSystems(systems: { id: string; name: string }[], stateOf: ReadonlyMap<string, MonitorState>, down: string[], names: ReadonlyMap<string, string>): Promise<OverviewBusinessSystem[]> {
    if (systems.length === 0) {
      return [];
    }
    const graph = await new ImpactService(this.ctx).graph();
    const impacted = new Set(down.length ? analyseImpact(graph, down).businessSystems.map((b) => b.id) : []);
    return systems
      .map((bs) => {
        const deps = walkDependencies(graph, bs.id).dependencies.filter((d) => d.kind === 'ci');
        const monitored = deps.filter((d) => stateOf.get(d.id) === 'up' || stateOf.get(d.id) === 'down');
        const downDeps = deps.filter((d) => stateOf.get(d.id) === 'down');
        const self = stateOf.get(bs.id);
        const health = self === 'down' || impacted.has(bs.id) ? 'down' : downDeps.length ? 'degraded' : monitored.length || self === 'up' ? 'up' : 'unknown';
        return {
          id: bs.id,
          name: bs.name,
          health,
          dependencies: deps.length,
          monitored: monitored.length,
          down: downDeps.map((d) => ({ id: d.id, name: names.get(d.id) ?? '' })),
        } satisfies OverviewBusinessSystem;
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The newest sample (within FRESH_MS) of every watched series. */
  async #latest(now: number): Promise<Latest[]> {
    const series = await this.ctx.db.selectFrom('metric_series').select(['id', 'metric', 'labels', 'ci_id', 'last_seen']).where('metric', 'in', [...WATCHED]).execute();
    const values = await new MetricsRepository(this.ctx.db).latestSamples(
      series.map((s) => Number(s.id)),
      now - FRESH_MS,
    );
    return series.map((s) => {
      const v = values.get(Number(s.id));
      return { metric: s.metric as Latest['metric'], labels: JSON.parse(s.labels) as Record<string, string>, ciId: s.ci_id, ts: v?.ts ?? null, value: v?.value ?? null, lastSeen: Number(s.last_seen) };
    });
  }
}
