import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode } from '@yunwei/contracts/cmdb';
import { LAYER_GAP, layeredLayout } from './graph-layout';

const node = (id: string, depth: number | null, extra: Partial<GraphNode> = {}): GraphNode => ({
  id,
  kind: 'ci',
  name: id,
  classCode: 'vm',
  status: 'active',
  businessSystem: false,
  restricted: false,
  state: depth === null ? 'up' : depth === 0 ? 'failed' : 'impacted',
  depth,
  ...extra,
});
const edge = (source: string, target: string, type: GraphEdge['type'] = 'runs_on'): GraphEdge => ({ id: `${source}-${target}`, source, target, type, propagates: true });

describe('layered layout of an impact graph', () => {
  it('puts each node in the column of its depth and an up member beside the failed one, before its group', () => {
    const nodes = [node('vm1', 0), node('vm2', null), node('g', 1, { kind: 'group', classCode: null }), node('app', 2), node('bs', 3, { businessSystem: true, classCode: 'business_system' })];
    const edges = [edge('g', 'vm1', 'member'), edge('g', 'vm2', 'member'), edge('app', 'g'), edge('bs', 'app', 'contains')];
    const placed = layeredLayout(nodes, edges);
    expect(Object.fromEntries([...placed].map(([id, p]) => [id, p.layer]))).toEqual({ vm1: 0, vm2: 0, g: 1, app: 2, bs: 3 });
    expect(placed.get('bs')!.x).toBe(3 * LAYER_GAP);
    // Two nodes in column 0 are spread around the middle line.
    expect(placed.get('vm1')!.y).toBe(-placed.get('vm2')!.y);
  });

  it('places a degraded group (no depth) one hop after its failed member', () => {
    const nodes = [node('vm1', 0), node('vm2', null), node('vm3', null), node('g', null, { kind: 'group', classCode: null, state: 'degraded' })];
    const edges = ['vm1', 'vm2', 'vm3'].map((m) => edge('g', m, 'member'));
    const placed = layeredLayout(nodes, edges);
    expect(placed.get('g')!.layer).toBe(1);
    expect(placed.get('vm3')!.layer).toBe(0);
  });

  it('lists business systems last in a column and is the same every time', () => {
    const nodes = [node('z-bs', 1, { businessSystem: true }), node('a-app', 1), node('root', 0)];
    const one = layeredLayout(nodes, []);
    expect(one.get('z-bs')!.y).toBeGreaterThan(one.get('a-app')!.y);
    const again = layeredLayout([...nodes].reverse(), []);
    for (const [id, p] of one) {
      expect(again.get(id)).toEqual(p);
    }
  });
});
