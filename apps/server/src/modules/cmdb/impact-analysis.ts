/**
 * Impact and dependency walks over the CMDB relation graph. Pure: no database, no I/O — the
 * service loads the graph and renders the result.
 *
 * Model:
 * - an edge `source → target` means "source relies on target" (app runs_on vm, vm hosted_on host,
 *   business system contains app). When it propagates, a failure of the target impacts the source;
 * - a redundancy group is a node that relies on its members and is down only when fewer than
 *   `minUp` of them are up (a web cluster of 3 with minUp 2 survives one node);
 * - business systems are where an impact walk stops: they are reported, never walked past
 *   (unless one of them is itself a failed CI).
 * Every node is visited once, so cycles end; depths are the fewest hops from a failed CI (BFS).
 */

export interface GraphEdgeInput {
  id: string;
  source: string;
  target: string;
  type: string;
  propagates: boolean;
}

export interface GroupInput {
  minUp: number;
  members: readonly string[];
}

export interface CmdbGraph {
  edges: readonly GraphEdgeInput[];
  /** Redundancy groups by id (group ids never collide with CI ids: both are UUIDs). */
  groups: ReadonlyMap<string, GroupInput>;
  businessSystems: ReadonlySet<string>;
}

export interface Reached {
  id: string;
  kind: 'ci' | 'group';
  depth: number;
  /** Node ids from the start (failed CI / root) to this node, both included. */
  path: string[];
}

export interface WalkEdge {
  id: string;
  source: string;
  target: string;
  type: string;
  propagates: boolean;
}

export interface GroupState {
  id: string;
  minUp: number;
  memberCount: number;
  down: string[];
  state: 'down' | 'degraded';
}

export interface ImpactAnalysis {
  failed: string[];
  /** Impacted nodes (CIs and groups that went down), nearest first; the failed CIs are not listed. */
  impacted: Reached[];
  /** Impacted business systems (a subset of `impacted`). */
  businessSystems: Reached[];
  /** Groups with at least one member down. */
  groups: GroupState[];
  /** Edges the impact travelled along, plus member edges of the groups listed. */
  edges: WalkEdge[];
}

export interface DependencyAnalysis {
  root: string;
  dependencies: Reached[];
  edges: WalkEdge[];
}

export const memberEdgeId = (groupId: string, ciId: string) => `member:${groupId}:${ciId}`;

interface Visit {
  depth: number;
  parent: string | null;
}

function indexBy<K extends 'source' | 'target'>(edges: readonly GraphEdgeInput[], key: K, filter: (e: GraphEdgeInput) => boolean): Map<string, GraphEdgeInput[]> {
  const out = new Map<string, GraphEdgeInput[]>();
  for (const e of edges) {
    if (filter(e)) {
      const list = out.get(e[key]);
      if (list) {
        list.push(e);
      } else {
        out.set(e[key], [e]);
      }
    }
  }
  return out;
}

function groupsOfMembers(groups: ReadonlyMap<string, GroupInput>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [id, g] of groups) {
    for (const m of new Set(g.members)) {
      out.set(m, [...(out.get(m) ?? []), id]);
    }
  }
  return out;
}

function pathOf(visits: ReadonlyMap<string, Visit>, id: string): string[] {
  const path: string[] = [];
  const seen = new Set<string>();
  let at: string | null = id;
  while (at !== null && !seen.has(at)) {
    seen.add(at);
    path.push(at);
    at = visits.get(at)?.parent ?? null;
  }
  return path.reverse();
}

/**
 * What is affected when the `failed` CIs fail. Propagates along propagating edges from target to
 * source, through redundancy groups only once fewer than `minUp` members are up, and stops at
 * business systems. `maxDepth` bounds the hops (default: no bound).
 */
export function analyseImpact(graph: CmdbGraph, failed: readonly string[], options: { maxDepth?: number } = {}): ImpactAnalysis {
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const dependents = indexBy(graph.edges, 'target', (e) => e.propagates && e.source !== e.target);
  const memberOf = groupsOfMembers(graph.groups);
  const roots = [...new Set(failed)];
  const visits = new Map<string, Visit>(roots.map((id) => [id, { depth: 0, parent: null }]));
  const downMembers = new Map<string, Set<string>>();
  const edges = new Map<string, WalkEdge>();
  const queue = [...roots];

  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    const { depth } = visits.get(id)!;
    const isRoot = depth === 0;
    // Business systems are reported, not walked past; nothing goes beyond maxDepth.
    if ((!isRoot && graph.businessSystems.has(id)) || depth >= maxDepth) {
      continue;
    }
    for (const e of dependents.get(id) ?? []) {
      edges.set(e.id, { ...e });
      if (!visits.has(e.source)) {
        visits.set(e.source, { depth: depth + 1, parent: id });
        queue.push(e.source);
      }
    }
    if (graph.groups.has(id)) {
      continue;
    }
    for (const groupId of memberOf.get(id) ?? []) {
      const group = graph.groups.get(groupId)!;
      const down = downMembers.get(groupId) ?? new Set<string>();
      down.add(id);
      downMembers.set(groupId, down);
      const up = new Set(group.members).size - down.size;
      if (up < group.minUp && !visits.has(groupId)) {
        visits.set(groupId, { depth: depth + 1, parent: id });
        queue.push(groupId);
      }
    }
  }

  const groups: GroupState[] = [];
  for (const [groupId, down] of downMembers) {
    const group = graph.groups.get(groupId)!;
    const members = [...new Set(group.members)];
    groups.push({ id: groupId, minUp: group.minUp, memberCount: members.length, down: [...down], state: visits.has(groupId) ? 'down' : 'degraded' });
    for (const m of members) {
      edges.set(memberEdgeId(groupId, m), { id: memberEdgeId(groupId, m), source: groupId, target: m, type: 'member', propagates: true });
    }
  }

  const rootSet = new Set(roots);
  const impacted: Reached[] = queue
    .filter((id) => !rootSet.has(id))
    .map((id) => ({ id, kind: graph.groups.has(id) ? ('group' as const) : ('ci' as const), depth: visits.get(id)!.depth, path: pathOf(visits, id) }));
  return {
    failed: roots,
    impacted,
    businessSystems: impacted.filter((r) => graph.businessSystems.has(r.id)),
    groups,
    edges: [...edges.values()],
  };
}

/**
 * What `root` relies on: a forward walk over propagating edges (all edges with `includeAll`), into
 * redundancy groups and on to their members. Nearest first; cycles end.
 */
export function walkDependencies(graph: CmdbGraph, root: string, options: { includeAll?: boolean; maxDepth?: number } = {}): DependencyAnalysis {
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const needs = indexBy(graph.edges, 'source', (e) => (options.includeAll || e.propagates) && e.source !== e.target);
  const visits = new Map<string, Visit>([[root, { depth: 0, parent: null }]]);
  const edges = new Map<string, WalkEdge>();
  const queue = [root];
  const reach = (from: string, to: string, depth: number) => {
    if (!visits.has(to)) {
      visits.set(to, { depth: depth + 1, parent: from });
      queue.push(to);
    }
  };
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    const { depth } = visits.get(id)!;
    if (depth >= maxDepth) {
      continue;
    }
    for (const e of needs.get(id) ?? []) {
      edges.set(e.id, { ...e });
      reach(id, e.target, depth);
    }
    const group = graph.groups.get(id);
    for (const m of new Set(group?.members ?? [])) {
      edges.set(memberEdgeId(id, m), { id: memberEdgeId(id, m), source: id, target: m, type: 'member', propagates: true });
      reach(id, m, depth);
    }
  }
  return {
    root,
    dependencies: queue.slice(1).map((id) => ({ id, kind: graph.groups.has(id) ? 'group' : 'ci', depth: visits.get(id)!.depth, path: pathOf(visits, id) })),
    edges: [...edges.values()],
  };
}

/**
 * The business systems that rely on `ciId` (transitively over propagating edges and through the
 * groups it belongs to, whatever their redundancy): the CI's business-system membership.
 */
export function businessSystemsOf(graph: CmdbGraph, ciId: string): string[] {
  const dependents = indexBy(graph.edges, 'target', (e) => e.propagates);
  const memberOf = groupsOfMembers(graph.groups);
  const seen = new Set([ciId]);
  const queue = [ciId];
  const found: string[] = [];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    if (id !== ciId && graph.businessSystems.has(id)) {
      found.push(id);
      continue;
    }
    const next = [...(dependents.get(id) ?? []).map((e) => e.source), ...(memberOf.get(id) ?? [])];
    for (const n of next) {
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return found;
}
