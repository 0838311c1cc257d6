import { describe, expect, it } from 'vitest';
import { aggregateValues, groupKey, InstantQueryError, parseInstantQuery } from './instant-query.js';

describe('instant query expressions (GET /api/v1/query)', () => {
  it('evaluates numbers and one arithmetic operation (Grafana checks a data source with 1+1)', () => {
    expect(parseInstantQuery('1+1')).toEqual({ kind: 'scalar', value: 2 });
    expect(parseInstantQuery(' 42 ')).toEqual({ kind: 'scalar', value: 42 });
    expect(parseInstantQuery('2 * 3.5')).toEqual({ kind: 'scalar', value: 7 });
    expect(parseInstantQuery('1e3 / 4')).toEqual({ kind: 'scalar', value: 250 });
    expect(parseInstantQuery('-1 - -2')).toEqual({ kind: 'scalar', value: 1 });
  });

  it('passes selectors through, including braces and parentheses inside quoted values', () => {
    expect(parseInstantQuery('node_load1')).toEqual({ kind: 'selector', selector: 'node_load1' });
    expect(parseInstantQuery(' up{job=~"(node|db)"} ')).toEqual({ kind: 'selector', selector: 'up{job=~"(node|db)"}' });
    expect(parseInstantQuery('{__name__="x"}')).toEqual({ kind: 'selector', selector: '{__name__="x"}' });
  });

  it('parses aggregations with the grouping before or after the selector', () => {
    expect(parseInstantQuery('sum(up)')).toEqual({ kind: 'aggregate', op: 'sum', grouping: null, selector: 'up' });
    expect(parseInstantQuery('avg by (job, instance) (node_load1{job="node"})')).toEqual({ kind: 'aggregate', op: 'avg', grouping: { mode: 'by', labels: ['job', 'instance'] }, selector: 'node_load1{job="node"}' });
    expect(parseInstantQuery('max(up{a=~"(x)"}) without (instance)')).toEqual({ kind: 'aggregate', op: 'max', grouping: { mode: 'without', labels: ['instance'] }, selector: 'up{a=~"(x)"}' });
    expect(parseInstantQuery('count by () (up)')).toEqual({ kind: 'aggregate', op: 'count', grouping: { mode: 'by', labels: [] }, selector: 'up' });
  });

  it('refuses what it does not evaluate, saying what is supported', () => {
    for (const q of ['rate(x[5m])', 'up > 0', 'sum(up', 'sum by (a) (up) by (b)', 'sum by (bad-label) (up)', 'up[5m]', 'sum()', 'topk(3, up)', 'sum(up) or up']) {
      expect(() => parseInstantQuery(q), q).toThrow(InstantQueryError);
    }
  });

  it('groups and aggregates like Prometheus (by keeps the listed labels, without drops them and the name)', () => {
    const m = { __name__: 'up', job: 'node', instance: 'a' };
    expect(groupKey(m, { mode: 'by', labels: ['job', 'missing'] })).toEqual({ job: 'node' });
    expect(groupKey(m, { mode: 'without', labels: ['instance'] })).toEqual({ job: 'node' });
    expect(groupKey(m, null)).toEqual({});
    expect([aggregateValues('sum', [1, 2, 3]), aggregateValues('avg', [1, 2, 3]), aggregateValues('min', [3, 1]), aggregateValues('max', [3, 1]), aggregateValues('count', [5, 5])]).toEqual([6, 2, 1, 3, 2]);
  });
});
