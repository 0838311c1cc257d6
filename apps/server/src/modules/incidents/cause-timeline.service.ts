import { CAUSE_TIMELINE_LIMITS as L, INCIDENT_TIMELINE_PERMISSION, type CauseEvent, type CauseTimeline, type CauseTimelineCi } from '@yunwei/contracts/incident-timeline';
import { type Actor, inScope } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { CmdbRepository } from '../cmdb/cmdb.repository.js';
import { ImpactService } from '../cmdb/impact.service.js';
import { walkDependencies } from '../cmdb/impact-analysis.js';
import { rankEvents, rankReason } from './cause-timeline.js';
import { type TimelineSource, timelineSources } from './cause-timeline.sources.js';

export interface CauseTimelineOptions {
  ciIds: readonly string[];
  /** The incident's start, epoch ms. */
  at: number;
  beforeMs?: number;
  afterMs?: number;
  depth?: number;
  limit?: number;
}

const PERMISSION = INCIDENT_TIMELINE_PERMISSION;
const QUERY_FIELD = 'querystring.ciId';

/**
 * Cause tracing (L2-2.1.3): what happened around an incident's start on the affected CIs and on what
 * they rely on (up to `depth` hops in the CMDB), ranked by closeness in time and in the graph
 * (cause-timeline.ts). Needs no incident: the incidents module calls it with the incident's CIs and
 * start. Data scope: the CIs named must be readable (else 404 naming `querystring.ciId`);
 * dependencies outside the reader's scope are left out and counted in `hiddenCis`.
 */
export class CauseTimelineService {
  readonly #cmdb: CmdbRepository;
  readonly #impact: ImpactService;
  readonly #sources: TimelineSource[];

  constructor(ctx: Pick<ModuleContext, 'db'>, sources?: TimelineSource[]) {
    this.#cmdb = new CmdbRepository(ctx.db);
    this.#impact = new ImpactService(ctx);
    this.#sources = sources ?? timelineSources(ctx.db);
  }

  async timeline(actor: Actor, options: CauseTimelineOptions): Promise<CauseTimeline> {
    const roots = [...new Set(options.ciIds)];
    if (roots.length === 0 || roots.length > L.ciIds) {
      throw invalidField(QUERY_FIELD, { zh: `请指定 1 到 ${L.ciIds} 个配置项`, en: `name 1 to ${L.ciIds} CIs` });
    }
    const beforeMs = bounded(options.beforeMs, L.beforeMs.default, L.beforeMs.max, 'querystring.before');
    const afterMs = bounded(options.afterMs, L.afterMs.default, L.afterMs.max, 'querystring.after');
    const depth = bounded(options.depth, L.depth.default, L.depth.max, 'querystring.depth');
    const limit = bounded(options.limit, L.limit.default, L.limit.max, 'querystring.limit');
    const at = options.at;
    const from = at - beforeMs;
    const to = at + afterMs;

    const rootRows = new Map((await this.#cmdb.findCis(roots)).map((r) => [r.id, r]));
    for (const id of roots) {
      const row = rootRows.get(id);
      // A CI outside the reader's scope does not exist for them.
      if (!row || !inScope(actor, PERMISSION, row.org_unit_id)) {
        throw new AppError('YW_CMDB_CI_NOT_FOUND', { field: QUERY_FIELD, id });
      }
    }

    // Hops: the fewest dependency hops from any named CI; a redundancy group is passed through, not counted.
    const graph = await this.#impact.graph();
    const hops = new Map<string, number>(roots.map((id) => [id, 0]));
    for (const root of roots) {
      for (const d of walkDependencies(graph, root, { maxDepth: depth * 2 }).dependencies) {
        if (d.kind !== 'ci') {
          continue;
        }
        const h = d.path.filter((id) => !graph.groups.has(id)).length - 1;
        if (h <= depth && h < (hops.get(d.id) ?? Number.POSITIVE_INFINITY)) {
          hops.set(d.id, h);
        }
      }
    }
    const rows = new Map((await this.#cmdb.findCis([...hops.keys()])).map((r) => [r.id, r]));
    const cis: CauseTimelineCi[] = [];
    let hiddenCis = 0;
    for (const [id, h] of hops) {
      const row = rows.get(id);
      if (!row) {
        continue; // a relation to a CI deleted meanwhile
      }
      if (!inScope(actor, PERMISSION, row.org_unit_id)) {
        hiddenCis++;
        continue;
      }
      cis.push({ id, name: row.name, classCode: row.class_code, className: { zh: row.class_name_zh, en: row.class_name_en }, hops: h });
    }
    cis.sort((a, b) => a.hops - b.hops || a.name.localeCompare(b.name));

    const names = new Map(cis.map((c) => [c.id, c.name]));
    const ciIds = cis.map((c) => c.id);
    const query = { ciIds, from, to, locale: actor.locale, ciName: (id: string) => names.get(id) ?? '' };
    const found = (await Promise.all(this.#sources.map((s) => s.collect(query)))).flat();
    const ranked = rankEvents(
      found.map((e) => ({ ...e, hops: hops.get(e.ciId) ?? depth })),
      at,
    ).slice(0, limit);
    const events: CauseEvent[] = ranked.map((e) => ({
      id: e.id,
      kind: e.kind,
      at: e.at,
      ciId: e.ciId,
      ciName: names.get(e.ciId) ?? '',
      hops: e.hops,
      title: e.title,
      detail: e.detail,
      ...(e.severity ? { severity: e.severity } : {}),
      link: e.link,
      score: e.score,
      reason: rankReason(e, at, actor.locale),
    }));
    const byTime = [...events].sort((a, b) => a.at - b.at || a.id.localeCompare(b.id)).map((e) => e.id);
    return { at, from, to, depth, cis, hiddenCis, events, byTime, total: found.length };
  }
}

function bounded(value: number | undefined, fallback: number, max: number, field: string): number {
  if (value === undefined) {
    return fallback;
  }
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw invalidField(field, { zh: `须为 0 到 ${max} 之间的整数`, en: `must be an integer from 0 to ${max}` });
  }
  return value;
}
