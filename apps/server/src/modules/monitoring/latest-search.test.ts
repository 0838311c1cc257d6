import { describe, expect, it } from 'vitest';
import { likeSafe, parseSearch, searchMatches } from './latest-search.js';

const fs = { metric: 'host_fs_usage_percent', labels: { ci: 'c1', mount: '/Data', agent: 'ag' }, ciId: 'c1' };
const ruled = { metric: 'node_load1', labels: { instance: '10.0.0.5:9100' }, ciId: 'c2' };
const free = { metric: 'up', labels: { job: 'node' }, ciId: null };
const named: Record<string, string[]> = { web: ['c1'], db: ['c2'] };
const ciNamed = (text: string) => new Set(Object.entries(named).flatMap(([k, ids]) => (k.includes(text) ? ids : [])));
const matches = (search: string, s: typeof fs | typeof ruled | typeof free) => searchMatches(parseSearch(search), s, ciNamed);

describe('latest data search words', () => {
  it('parses plain words and label=text words (quotes dropped, text lower-cased)', () => {
    expect(parseSearch('  CPU  mount="/Data" ci= 9100=x =y ')).toEqual([
      { label: null, text: 'cpu' },
      { label: 'mount', text: '/data' },
      { label: 'ci', text: '' },
      { label: null, text: '9100=x' },
      { label: null, text: '=y' },
    ]);
    expect(parseSearch('')).toEqual([]);
  });

  it('a plain word matches the metric name, a label value or the CI name, ignoring case; not a label name', () => {
    expect(matches('FS_usage', fs)).toBe(true);
    expect(matches('/data', fs)).toBe(true);
    expect(matches('web', fs)).toBe(true);
    expect(matches('mount', fs)).toBe(false);
    expect(matches('fs web /data', fs)).toBe(true);
    expect(matches('fs db', fs)).toBe(false);
  });

  it('label=text looks in that label only; ci= also in the CI name, and ci= alone means "has a CI"', () => {
    expect(matches('mount=data', fs)).toBe(true);
    expect(matches('agent=data', fs)).toBe(false);
    expect(matches('__name__=load', ruled)).toBe(true);
    expect(matches('ci=db', ruled)).toBe(true);
    expect(matches('ci=web', ruled)).toBe(false);
    expect(matches('ci=', ruled)).toBe(true);
    expect(matches('ci=', free)).toBe(false);
    expect(matches('job=', free)).toBe(true);
    expect(matches('mount=', free)).toBe(false);
  });

  it('LIKE narrows only words it cannot miss (escaped JSON characters, letters SQLite does not fold)', () => {
    expect(likeSafe('host_cpu%')).toBe(true);
    expect(likeSafe('网上营业厅')).toBe(true);
    expect(likeSafe('a"b')).toBe(false);
    expect(likeSafe('a\\b')).toBe(false);
    expect(likeSafe('ümlaut')).toBe(false);
    expect(likeSafe('tab\there')).toBe(false);
  });
});
