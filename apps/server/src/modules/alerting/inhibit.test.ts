import { describe, expect, it } from 'vitest';
import type { CmdbGraph } from '../cmdb/impact-analysis.js';
import type { DispatchAlert } from './dispatch-alerts.js';
import { inhibitions } from './inhibit.js';

const edge = (source: string, target: string) => ({ id: `${source}>${target}`, source, target, type: 'runs_on', propagates: true });
const graph = (edges: [string, string][]): CmdbGraph => ({ edges: edges.map(([s, t]) => edge(s, t)), groups: new Map(), businessSystems: new Set() });
const alert = (id: string, ciId: string, source = false, state: DispatchAlert['state'] = 'firing'): DispatchAlert => ({
  id,
  ruleId: `r-${id}`,
  ruleName: source ? 'HostDown' : 'AppDown',
  ruleNameEn: null,
  severity: 'critical',
  state,
  labels: source ? { inhibit_source: 'true' } : {},
  annotations: {},
  value: null,
  threshold: null,
  ciId,
  firingAt: 0,
  ackedAt: null,
  resolvedAt: null,
});

describe('inhibition through CMDB relations', () => {
  // app runs_on vm, vm runs_on host, host connects through switch.
  const g = graph([
    ['app', 'vm'],
    ['vm', 'host'],
    ['host', 'switch'],
  ]);

  it('inhibits what is impacted by a down CI, and the other alerts of that CI, not the source itself', () => {
    const result = inhibitions([alert('down', 'host', true), alert('a1', 'app'), alert('a2', 'host'), alert('a3', 'elsewhere')], g);
    expect([...result.keys()].sort()).toEqual(['a1', 'a2']);
    expect(result.get('a1')).toEqual({ refId: 'down', sourceCiId: 'host', sourceAlertName: 'HostDown' });
  });

  it('a source behind another source is inhibited (only the root cause is told), by the nearest one', () => {
    const result = inhibitions([alert('sw', 'switch', true), alert('h', 'host', true), alert('a', 'app')], g);
    expect(result.get('h')?.refId).toBe('sw');
    expect(result.get('a')?.refId).toBe('h');
    expect(result.has('sw')).toBe(false);
  });

  it('sources that impact each other (a cycle) do not silence each other; pending sources inhibit nothing', () => {
    const cycle = graph([
      ['x', 'y'],
      ['y', 'x'],
    ]);
    expect(inhibitions([alert('x1', 'x', true), alert('y1', 'y', true)], cycle).size).toBe(0);
    expect(inhibitions([alert('down', 'host', true, 'pending'), alert('a1', 'app')], g).size).toBe(0);
  });
});
