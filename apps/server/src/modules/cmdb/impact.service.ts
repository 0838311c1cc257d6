import {
  CMDB_PERMISSIONS as P,
  type DependencyQuery,
  type DependencyResult,
  type GraphEdge,
  type GraphItem,
  type GraphNode,
  type ImpactQuery,
  type ImpactResult,
  type RelationType,
} from '@yunwei/contracts/cmdb';
import { type Actor, inScope, requireScope } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { CmdbRepository, type CiRow, type GroupRow } from './cmdb.repository.js';
import { analyseImpact, businessSystemsOf, type CmdbGraph, type GroupInput, type Reached, type WalkEdge, walkDependencies } from './impact-analysis.js';

const MAX_EXTRA_FAILED = 200;

/**
 * Impact ("what is affected if X fails") and dependency ("what does X rely on") analysis. The graph
 * is loaded whole (relations, groups and their members: a few columns per row) and walked in memory
 * by the pure functions of impact-analysis.ts. The walk sees every CI, so the answer is right;
 * CIs outside the caller's read scope are shown as restricted (id and place in the graph only).
 */
export class ImpactService {
  private readonly repo: CmdbRepository;

  constructor(ctx: Pick<ModuleContext, 'db'>) {
    this.repo = new CmdbRepository(ctx.db);
  }

  async graph(): Promise<CmdbGraph> {
    const relations = await this.repo.allRelations();
    const groupRows = await this.repo.allGroups();
    const members = await this.repo.members(null);
    const businessSystems = await this.repo.businessSystemIds();
    const groups = new Map<string, GroupInput & { members: string[] }>(groupRows.map((g) => [g.id, { minUp: g.min_up, members: [] }]));
    for (const m of members) {
      groups.get(m.group_id)?.members.push(m.ci_id);
    }
    return {
      edges: relations.map((r) => ({ id: r.id, source: r.source_id, target: (r.target_ci_id ?? r.target_group_id)!, type: r.type, propagates: r.propagates === 1 })),
      groups,
      businessSystems,
    };
  }

  async impact(actor: Actor, id: string, query: ImpactQuery): Promise<ImpactResult> {
    const root = await this.#requireCi(actor, id);
    const extra = [...new Set((query.failed ?? '').split(',').filter((x) => x !== '' && x !== id))];
    if (extra.length > MAX_EXTRA_FAILED) {
      throw new AppError('YW_VALIDATION', { field: 'querystring.failed', fields: [{ field: 'querystring.failed', message: { zh: `最多 ${MAX_EXTRA_FAILED} 个配置项`, en: `at most ${MAX_EXTRA_FAILED} CIs` } }] });
    }
    const found = new Map((await this.repo.findCis(extra)).map((r) => [r.id, r]));
    for (const x of extra) {
      const row = found.get(x);
      if (!row) {
        throw new AppError('YW_CMDB_CI_NOT_FOUND', { field: 'querystring.failed', id: x });
      }
      requireScope(actor, P.ciRead, row.org_unit_id);
    }
    const graph = await this.graph();
    const result = analyseImpact(graph, [root.id, ...extra], { maxDepth: query.maxDepth });

    const groupIds = [...result.groups.map((g) => g.id), ...result.impacted.filter((r) => r.kind === 'group').map((r) => r.id)];
    const memberIds = result.groups.flatMap((g) => graph.groups.get(g.id)!.members);
    const ciIds = [...result.failed, ...result.impacted.filter((r) => r.kind === 'ci').map((r) => r.id), ...memberIds];
    const lookup = await this.#lookup(actor, ciIds, groupIds, graph);

    const nodes = new Map<string, GraphNode>();
    for (const f of result.failed) {
      nodes.set(f, lookup.node(f, 'failed', 0));
    }
    for (const r of result.impacted) {
      nodes.set(r.id, lookup.node(r.id, 'impacted', r.depth));
    }
    for (const g of result.groups) {
      if (!nodes.has(g.id)) {
        nodes.set(g.id, lookup.node(g.id, 'degraded', null));
      }
      Object.assign(nodes.get(g.id)!, { downCount: g.down.length });
      for (const m of graph.groups.get(g.id)!.members) {
        if (!nodes.has(m)) {
          nodes.set(m, lookup.node(m, 'up', null));
        }
      }
    }
    const affected = result.impacted.filter((r) => r.kind === 'ci').map((r) => lookup.item(r));
    return {
      rootId: root.id,
      failedIds: result.failed,
      affected,
      businessSystems: result.businessSystems.map((r) => lookup.item(r)),
      groups: result.groups.map((g) => ({ id: g.id, name: lookup.groupName(g.id), minUp: g.minUp, memberCount: g.memberCount, downCount: g.down.length, state: g.state })),
      nodes: [...nodes.values()],
      edges: result.edges.map(edgeView),
    };
  }

  async dependencies(actor: Actor, id: string, query: DependencyQuery): Promise<DependencyResult> {
    const root = await this.#requireCi(actor, id);
    const graph = await this.graph();
    const result = walkDependencies(graph, root.id, { includeAll: query.all ?? false, maxDepth: query.maxDepth });
    const lookup = await this.#lookup(
      actor,
      [root.id, ...result.dependencies.filter((d) => d.kind === 'ci').map((d) => d.id)],
      result.dependencies.filter((d) => d.kind === 'group').map((d) => d.id),
      graph,
    );
    return {
      rootId: root.id,
      dependencies: result.dependencies.map((d) => lookup.item(d)),
      nodes: [lookup.node(root.id, 'root', 0), ...result.dependencies.map((d) => lookup.node(d.id, 'dependency', d.depth))],
      edges: result.edges.map(edgeView),
    };
  }

  /** The business systems relying on a CI (its membership), as ids. */
  async businessSystemsOf(ciId: string): Promise<string[]> {
    return businessSystemsOf(await this.graph(), ciId);
  }

  /** The CIs `id` relies on (transitively, over propagating relations and through groups). */
  async reliedOnBy(id: string): Promise<string[]> {
    const graph = await this.graph();
    return walkDependencies(graph, id)
      .dependencies.filter((d) => d.kind === 'ci')
      .map((d) => d.id);
  }

  async #requireCi(actor: Actor, id: string): Promise<CiRow> {
    const row = await this.repo.findCi(id);
    if (!row) {
      throw new AppError('YW_CMDB_CI_NOT_FOUND', { id });
    }
    requireScope(actor, P.ciRead, row.org_unit_id);
    return row;
  }

  /** Names and classes of the nodes shown, with out-of-scope CIs restricted. */
  async #lookup(actor: Actor, ciIds: string[], groupIds: string[], graph: CmdbGraph) {
    const cis = new Map((await this.repo.findCis(ciIds)).map((r) => [r.id, r]));
    const groups = new Map<string, GroupRow>((await this.repo.findGroups(groupIds)).map((g) => [g.id, g]));
    const visible = (row: CiRow | undefined) => row !== undefined && inScope(actor, P.ciRead, row.org_unit_id);
    const describe = (id: string) => {
      const group = groups.get(id);
      if (group) {
        return { kind: 'group' as const, name: group.name, classCode: null, status: null, restricted: false };
      }
      const row = cis.get(id);
      return visible(row)
        ? { kind: 'ci' as const, name: row!.name, classCode: row!.class_code, status: row!.status as string, restricted: false }
        : { kind: 'ci' as const, name: '', classCode: null, status: null, restricted: true };
    };
    return {
      node(id: string, state: GraphNode['state'], depth: number | null): GraphNode {
        const d = describe(id);
        const node: GraphNode = { id, ...d, businessSystem: graph.businessSystems.has(id), state, depth };
        const group = graph.groups.get(id);
        if (group) {
          node.minUp = group.minUp;
          node.memberCount = new Set(group.members).size;
        }
        return node;
      },
      item(r: Reached): GraphItem {
        const d = describe(r.id);
        return { id: r.id, kind: d.kind, name: d.name, classCode: d.classCode, restricted: d.restricted, depth: r.depth, path: r.path };
      },
      groupName: (id: string) => groups.get(id)?.name ?? '',
    };
  }
}

function edgeView(e: WalkEdge): GraphEdge {
  return { id: e.id, source: e.source, target: e.target, type: e.type as RelationType | 'member', propagates: e.propagates };
}
