import { describe, expect, it } from 'vitest';
import { analyseImpact, businessSystemsOf, type CmdbGraph, type GraphEdgeInput, walkDependencies } from './impact-analysis.js';

let n = 0;
const edge = (source: string, type: string, target: string, propagates = type !== 'connects_to'): GraphEdgeInput => ({ id: `e${n++}`, source, target, type, propagates });

/**
 * 网上营业厅 (business system) contains app; app runs_on web-cluster (vm1..3, minUp 2) and
 * depends_on db; vm1, vm2 hosted_on host1, vm3 hosted_on host2; db hosted_on array; host1/host2
 * connects_to core-switch (not propagating); db depends_on core-switch (propagating).
 */
function bank(): CmdbGraph {
  return {
    edges: [
      edge('bs', 'contains', 'app'),
      edge('app', 'runs_on', 'web'),
      edge('app', 'depends_on', 'db'),
      edge('vm1', 'hosted_on', 'host1'),
      edge('vm2', 'hosted_on', 'host1'),
      edge('vm3', 'hosted_on', 'host2'),
      edge('db', 'hosted_on', 'array'),
      edge('host1', 'connects_to', 'switch'),
      edge('host2', 'connects_to', 'switch'),
      edge('db', 'depends_on', 'switch'),
    ],
    groups: new Map([['web', { minUp: 2, members: ['vm1', 'vm2', 'vm3'] }]]),
    businessSystems: new Set(['bs']),
  };
}

const ids = (items: { id: string }[]) => items.map((i) => i.id);

describe('impact analysis (pure graph walk)', () => {
  it('one web node down: the group is degraded, nothing is impacted up the chain', () => {
    const r = analyseImpact(bank(), ['vm1']);
    expect(r.impacted).toEqual([]);
    expect(r.businessSystems).toEqual([]);
    expect(r.groups).toEqual([{ id: 'web', minUp: 2, memberCount: 3, down: ['vm1'], state: 'degraded' }]);
    // The UI can still draw the group with its members.
    expect(r.edges.filter((e) => e.type === 'member').map((e) => e.target).sort()).toEqual(['vm1', 'vm2', 'vm3']);
  });

  it('[L3-2.3.2] a host carrying two of three web nodes: the group goes down, the app and the business system are impacted', () => {
    const r = analyseImpact(bank(), ['host1']);
    expect(ids(r.impacted)).toEqual(['vm1', 'vm2', 'web', 'app', 'bs']);
    expect(r.impacted.find((x) => x.id === 'web')).toMatchObject({ kind: 'group', depth: 2 });
    expect(r.businessSystems).toEqual([{ id: 'bs', kind: 'ci', depth: 4, path: ['host1', 'vm2', 'web', 'app', 'bs'] }]);
    expect(r.groups).toEqual([{ id: 'web', minUp: 2, memberCount: 3, down: ['vm1', 'vm2'], state: 'down' }]);
  });

  it('two of three nodes down given as extra failed CIs: the same outcome', () => {
    const r = analyseImpact(bank(), ['vm1', 'vm3']);
    expect(r.failed).toEqual(['vm1', 'vm3']);
    expect(ids(r.impacted)).toEqual(['web', 'app', 'bs']);
    expect(ids(r.businessSystems)).toEqual(['bs']);
  });

  it('[L3-2.3.2] follows propagating relations only: the switch impacts the database (depends_on), not the hosts (connects_to)', () => {
    const r = analyseImpact(bank(), ['switch']);
    expect(ids(r.impacted)).toEqual(['db', 'app', 'bs']);
    expect(r.impacted.map((x) => x.depth)).toEqual([1, 2, 3]);
    expect(r.edges.map((e) => e.type)).not.toContain('connects_to');
  });

  it('an overridden relation: connects_to made propagating does carry the impact', () => {
    const g = bank();
    const r = analyseImpact({ ...g, edges: g.edges.map((e) => (e.source === 'host2' ? { ...e, propagates: true } : e)) }, ['switch']);
    expect(ids(r.impacted)).toContain('host2');
    expect(ids(r.impacted)).toContain('vm3');
  });

  it('stops at business systems: what relies on a business system is not walked', () => {
    const g = bank();
    const r = analyseImpact({ ...g, edges: [...g.edges, edge('portal', 'depends_on', 'bs')] }, ['array']);
    expect(ids(r.impacted)).toEqual(['db', 'app', 'bs']);
    // …unless the business system itself is the failed CI.
    expect(ids(analyseImpact({ ...g, edges: [...g.edges, edge('portal', 'depends_on', 'bs')] }, ['bs']).impacted)).toEqual(['portal']);
  });

  it('ends on cycles and reports each node once, at its shortest depth', () => {
    const g: CmdbGraph = {
      edges: [edge('a', 'depends_on', 'b'), edge('b', 'depends_on', 'c'), edge('c', 'depends_on', 'a'), edge('d', 'depends_on', 'c'), edge('x', 'depends_on', 'x')],
      groups: new Map(),
      businessSystems: new Set(),
    };
    const r = analyseImpact(g, ['a']);
    expect(ids(r.impacted)).toEqual(['c', 'b', 'd']);
    expect(r.impacted.map((x) => x.depth)).toEqual([1, 2, 2]);
    expect(r.impacted.find((x) => x.id === 'b')!.path).toEqual(['a', 'c', 'b']);
    expect(analyseImpact(g, ['x']).impacted).toEqual([]);
  });

  it('honours maxDepth', () => {
    expect(ids(analyseImpact(bank(), ['switch'], { maxDepth: 1 }).impacted)).toEqual(['db']);
  });

  it('a group whose members all fail but minUp 1 with one left up survives', () => {
    const g: CmdbGraph = { edges: [edge('app', 'runs_on', 'g')], groups: new Map([['g', { minUp: 1, members: ['n1', 'n2'] }]]), businessSystems: new Set() };
    expect(analyseImpact(g, ['n1']).impacted).toEqual([]);
    expect(ids(analyseImpact(g, ['n1', 'n2']).impacted)).toEqual(['g', 'app']);
  });
});

describe('dependencies and membership (pure graph walk)', () => {
  it('[L3-2.3.2] lists the full chain a business system relies on, through the group to the hosts', () => {
    const r = walkDependencies(bank(), 'bs');
    expect(ids(r.dependencies)).toEqual(['app', 'web', 'db', 'vm1', 'vm2', 'vm3', 'array', 'switch', 'host1', 'host2']);
    expect(r.dependencies.find((d) => d.id === 'host2')).toMatchObject({ depth: 4, path: ['bs', 'app', 'web', 'vm3', 'host2'] });
    // connects_to is not a dependency unless asked for.
    expect(r.edges.map((e) => e.type)).not.toContain('connects_to');
    expect(walkDependencies(bank(), 'host1', { includeAll: true }).dependencies.map((d) => d.id)).toEqual(['switch']);
    expect(walkDependencies(bank(), 'bs', { maxDepth: 2 }).dependencies.map((d) => d.id)).toEqual(['app', 'web', 'db']);
  });

  it('ends on cycles', () => {
    const g: CmdbGraph = { edges: [edge('a', 'depends_on', 'b'), edge('b', 'depends_on', 'a')], groups: new Map(), businessSystems: new Set() };
    expect(ids(walkDependencies(g, 'a').dependencies)).toEqual(['b']);
  });

  it('[L3-2.3.2] finds the business systems a CI belongs to, whatever the redundancy', () => {
    expect(businessSystemsOf(bank(), 'vm3')).toEqual(['bs']);
    expect(businessSystemsOf(bank(), 'switch')).toEqual(['bs']);
    expect(businessSystemsOf(bank(), 'bs')).toEqual([]);
  });
});
