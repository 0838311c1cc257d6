import { describe, expect, it } from 'vitest';
import { exactMetric, parseDuration, parsePromTime, parseSelector, SelectorError, seriesMatches } from './selector.js';

describe('series selectors', () => {
  it('parses a metric name with =, !=, =~ and !~ matchers', () => {
    const m = parseSelector('node_cpu_seconds_total{ mode = "idle", cpu!="1",instance=~"web-\\\\d+:9100", job !~ \'test|dev\' , }');
    expect(m.map(({ label, op, value }) => [label, op, value])).toEqual([
      ['__name__', '=', 'node_cpu_seconds_total'],
      ['mode', '=', 'idle'],
      ['cpu', '!=', '1'],
      ['instance', '=~', 'web-\\d+:9100'],
      ['job', '!~', 'test|dev'],
    ]);
    expect(exactMetric(m)).toBe('node_cpu_seconds_total');
    expect(seriesMatches(m, 'node_cpu_seconds_total', { mode: 'idle', cpu: '0', instance: 'web-12:9100', job: 'prod' })).toBe(true);
    expect(seriesMatches(m, 'node_cpu_seconds_total', { mode: 'idle', cpu: '1', instance: 'web-12:9100', job: 'prod' })).toBe(false);
    // Regular expressions match the whole value.
    expect(seriesMatches(m, 'node_cpu_seconds_total', { mode: 'idle', cpu: '0', instance: 'xweb-12:9100', job: 'prod' })).toBe(false);
    expect(seriesMatches(m, 'node_cpu_seconds_total', { mode: 'idle', cpu: '0', instance: 'web-12:9100', job: 'dev' })).toBe(false);
  });

  it('treats a missing label as the empty string, like Prometheus', () => {
    const absent = parseSelector('up{env=""}');
    expect(seriesMatches(absent, 'up', {})).toBe(true);
    expect(seriesMatches(absent, 'up', { env: 'prod' })).toBe(false);
    const present = parseSelector('up{env!=""}');
    expect(seriesMatches(present, 'up', {})).toBe(false);
    expect(seriesMatches(parseSelector('up{env=~"prod|"}'), 'up', {})).toBe(true);
  });

  it('accepts a name given as __name__ matcher, and label-only selectors that cannot match everything', () => {
    const byRegex = parseSelector('{__name__=~"node_(load1|load5)"}');
    expect(exactMetric(byRegex)).toBeNull();
    expect(seriesMatches(byRegex, 'node_load5', {})).toBe(true);
    expect(seriesMatches(byRegex, 'node_load15', {})).toBe(false);
    expect(exactMetric(parseSelector('{__name__="up", job="x"}'))).toBe('up');
    expect(parseSelector('{job="node"}')).toHaveLength(1);
    expect(parseSelector('x{a=`raw\\d`}')[1]!.value).toBe('raw\\d');
    expect(parseSelector('x{a="\\u00e9\\n"}')[1]!.value).toBe('é\n');
  });

  it('refuses malformed selectors with the position', () => {
    const bad = ['', '{}', '{job=~".*"}', 'up{', 'up{job}', 'up{job="x"', 'up{job="x" env="y"}', 'up{job=x}', 'up{1job="x"}', 'rate(up[5m])', 'up{job=~"("}', 'up{job="\\q"}', 'up offset 5m'];
    for (const s of bad) {
      expect(() => parseSelector(s), s).toThrow(SelectorError);
    }
    expect(() => parseSelector('rate(up[5m])')).toThrow(/position 5/);
  });
});

describe('durations and times', () => {
  it('parses Prometheus durations and plain seconds into milliseconds', () => {
    expect(parseDuration('15s')).toBe(15_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('60')).toBe(60_000);
    expect(parseDuration('0.5')).toBe(500);
    for (const bad of ['', '5x', 'm5', '1h 30m', '-5m']) {
      expect(parseDuration(bad), bad).toBeNull();
    }
  });

  it('parses Unix seconds and RFC 3339 times into epoch milliseconds', () => {
    expect(parsePromTime('1764000000')).toBe(1_764_000_000_000);
    expect(parsePromTime('1764000000.781')).toBe(1_764_000_000_781);
    expect(parsePromTime('2025-11-24T16:00:00Z')).toBe(Date.UTC(2025, 10, 24, 16));
    expect(parsePromTime('2025-11-25T00:00:00.5+08:00')).toBe(Date.UTC(2025, 10, 24, 16) + 500);
    for (const bad of ['yesterday', '2025-11-24', '1e9', '']) {
      expect(parsePromTime(bad), bad).toBeNull();
    }
  });
});
