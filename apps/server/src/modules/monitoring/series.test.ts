import { describe, expect, it } from 'vitest';
import { compileRules, ciIdFor } from './ci-mapping.js';
import { checkSample, isRefusal, seriesHash, seriesRef, type SeriesRef } from './series.js';

describe('series validation and canonical form', () => {
  it('sorts labels, drops empty ones and gives equal label sets one key and hash', () => {
    const a = seriesRef('node_load1', { job: 'node', instance: 'a:9100', empty: '' }) as SeriesRef;
    const b = seriesRef('node_load1', [
      ['instance', 'a:9100'],
      ['job', 'node'],
    ]) as SeriesRef;
    expect(a.labelsJson).toBe('{"instance":"a:9100","job":"node"}');
    expect(a.key).toBe(b.key);
    expect(seriesHash(a)).toBe(seriesHash(b));
    expect(seriesHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(seriesHash(seriesRef('node_load5', { job: 'node', instance: 'a:9100' }) as SeriesRef)).not.toBe(seriesHash(a));
  });

  it('refuses bad metric names, label names and values, naming the part', () => {
    const cases: [string, Record<string, string>, string][] = [
      ['1abc', {}, 'metric'],
      ['a-b', {}, 'metric'],
      ['x'.repeat(201), {}, 'metric'],
      ['ok', { 'bad-name': 'x' }, 'labels.bad-name'],
      ['ok', { __reserved: 'x' }, 'labels.__reserved'],
      ['ok', { v: 'x'.repeat(1025) }, 'labels.v'],
      ['ok', { v: 'a\u0000b' }, 'labels.v'],
      ['ok', Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`l${i}`, 'v'])), 'labels'],
    ];
    for (const [metric, labels, at] of cases) {
      const r = seriesRef(metric, labels);
      expect(isRefusal(r) && r.at, `${metric} ${JSON.stringify(labels).slice(0, 40)}`).toBe(at);
    }
    expect(isRefusal(seriesRef('ns:metric_name_total', { le: '+Inf', 中文: 'x' }))).toBe(true);
    expect(isRefusal(seriesRef('ns:metric_name_total', { le: '+Inf', host: '主机-1' }))).toBe(false);
  });

  it('checks sample values and times', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(checkSample(now, 1.5, now)).toBeNull();
    expect(checkSample(now, NaN, now)?.at).toBe('value');
    expect(checkSample(now, Infinity, now)?.at).toBe('value');
    expect(checkSample(Math.floor(now / 1000), 1, now)?.message.en).toMatch(/seconds/);
    expect(checkSample(now * 1_000_000, 1, now)?.at).toBe('ts');
    expect(checkSample(now + 11 * 60_000, 1, now)?.at).toBe('ts');
    expect(checkSample(now + 9 * 60_000, 1, now)).toBeNull();
    expect(checkSample(now + 0.5, 1, now)?.at).toBe('ts');
  });
});

describe('series → CI mapping rules', () => {
  const rule = (id: string, priority: number, label: string, pattern: string, ciTemplate: string, enabled = true) => ({ id, priority, label, pattern, ciTemplate, enabled, createdAt: 0 });

  it('applies the first matching rule by priority, with group references', () => {
    const rules = compileRules([rule('b', 20, 'instance', '(db\\d+)\\.prod:\\d+', 'ci-$1'), rule('a', 10, 'ci', '(.+)', '$1'), rule('c', 30, '__name__', 'oracle_(?<db>\\w+?)_up', 'oracle-$<db>')]);
    expect(ciIdFor(rules, 'up', { ci: 'CI-0042', instance: 'db7.prod:9100' })).toBe('CI-0042');
    expect(ciIdFor(rules, 'up', { instance: 'db7.prod:9100' })).toBe('ci-db7');
    // The whole value must match.
    expect(ciIdFor(rules, 'up', { instance: 'xdb7.prod:9100' })).toBeNull();
    expect(ciIdFor(rules, 'oracle_main_up', {})).toBe('oracle-main');
  });

  it('skips disabled rules and rules whose result is empty', () => {
    const rules = compileRules([rule('a', 1, 'job', '(.*)', '$1', false), rule('b', 2, 'host', '(.*)', '$1 '), rule('c', 3, 'host', '.*', 'fallback')]);
    expect(ciIdFor(rules, 'm', { job: 'X' })).toBeNull();
    expect(ciIdFor(rules, 'm', { host: 'h1' })).toBe('h1');
  });

  it('lets a `ci` label name the CI outright, ahead of every rule', () => {
    const rules = compileRules([rule('a', 1, 'host', '(.*)', 'rule-$1')]);
    expect(ciIdFor(rules, 'm', { ci: 'CI-7', host: 'h1' })).toBe('CI-7');
    expect(ciIdFor([], 'm', { ci: 'CI-7' })).toBe('CI-7');
    expect(ciIdFor(rules, 'm', { ci: '', host: 'h1' })).toBe('rule-h1');
  });
});
