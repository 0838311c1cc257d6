import type { GraphEdge, GraphNode } from '@yunwei/contracts/cmdb';

export interface Placed {
  id: string;
  layer: number;
  x: number;
  y: number;
}

export const LAYER_GAP = 220;
// Rows further apart than columns: the chart is fitted to its width, and labels sit under the nodes.
export const ROW_GAP = 130;

/**
 * A layered ("dagre-like") layout of an impact or dependency graph: one column per hop from the
 * failed CI (or the root), so the answer reads left to right — failure → … → business system.
 * Nodes without a depth (a group's members that are up, a degraded group) sit next to their group.
 * Deterministic, unlike a force layout: the same graph always looks the same.
 */
export function layeredLayout(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): Map<string, Placed> {
  const layer = new Map<string, number>();
  for (const n of nodes) {
    if (n.depth !== null) {
      layer.set(n.id, n.depth);
    }
  }
  const members = edges.filter((e) => e.type === 'member');
  // A group without a depth: one hop after its furthest known member.
  for (const n of nodes) {
    if (n.kind === 'group' && !layer.has(n.id)) {
      const known = members.filter((e) => e.source === n.id && layer.has(e.target)).map((e) => layer.get(e.target) as number);
      if (known.length) {
        layer.set(n.id, Math.max(...known) + 1);
      }
    }
  }
  // A member without a depth: beside the members that have one (one hop before its group).
  for (const n of nodes) {
    if (!layer.has(n.id)) {
      const group = members.find((e) => e.target === n.id && layer.has(e.source));
      layer.set(n.id, group ? Math.max(0, (layer.get(group.source) as number) - 1) : 0);
    }
  }

  const columns = new Map<number, GraphNode[]>();
  for (const n of nodes) {
    const l = layer.get(n.id) as number;
    columns.set(l, [...(columns.get(l) ?? []), n]);
  }
  const placed = new Map<string, Placed>();
  for (const [l, column] of columns) {
    // Business systems last in their column; then by name, so the picture is stable.
    const sorted = [...column].sort((a, b) => Number(a.businessSystem) - Number(b.businessSystem) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    sorted.forEach((n, i) => placed.set(n.id, { id: n.id, layer: l, x: l * LAYER_GAP, y: (i - (sorted.length - 1) / 2) * ROW_GAP }));
  }
  return placed;
}

/** The most nodes in one column: what the chart's height has to accommodate. */
export function tallestColumn(placed: ReadonlyMap<string, Placed>): number {
  const counts = new Map<number, number>();
  for (const p of placed.values()) {
    counts.set(p.layer, (counts.get(p.layer) ?? 0) + 1);
  }
  return Math.max(0, ...counts.values());
}
