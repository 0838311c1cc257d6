import { describe, expect, it } from 'vitest';
import { anyFilterSet, matchesText, MAX_FILTER_TEXT, readFilters, writeFilters } from './url-filters';

const SPEC = { status: ['online', 'offline', 'revoked'], q: 'text' } as const;

describe('list filters in the URL', () => {
  it('reads a linked filter back, and ignores what the page cannot show', () => {
    expect(readFilters(new URLSearchParams('status=offline&q=web'), SPEC)).toEqual({ status: 'offline', q: 'web' });
    // An old link or a typo would otherwise hide every row behind a filter no control displays.
    expect(readFilters(new URLSearchParams('status=gone&q=%E5%8D%8E%E4%B8%9C'), SPEC)).toEqual({ status: '', q: '华东' });
    expect(readFilters(new URLSearchParams(''), SPEC)).toEqual({ status: '', q: '' });
    expect(readFilters(new URLSearchParams({ q: 'x'.repeat(MAX_FILTER_TEXT + 50) }), SPEC).q).toHaveLength(MAX_FILTER_TEXT);
  });

  it('writes changes without touching other params, and removes cleared filters', () => {
    const params = new URLSearchParams('tab=schedules&status=online');
    const next = writeFilters(params, { status: 'offline', q: '机房 A' });
    expect(next.toString()).toBe('tab=schedules&status=offline&q=%E6%9C%BA%E6%88%BF+A');
    expect(params.toString()).toBe('tab=schedules&status=online');
    expect(writeFilters(next, { status: '', q: undefined }).toString()).toBe('tab=schedules');
    // What was written reads back the same: a reload shows the same filtered list.
    expect(readFilters(next, SPEC)).toEqual({ status: 'offline', q: '机房 A' });
  });

  it('tells "nothing matches" from "nothing exists": only a set filter counts', () => {
    expect(anyFilterSet({ status: '', q: '' })).toBe(false);
    expect(anyFilterSet({ status: '', q: '   ' })).toBe(false);
    expect(anyFilterSet({ status: 'revoked', q: '' })).toBe(true);
  });

  it('matches text case-insensitively in any of the fields', () => {
    expect(matchesText('WEB', 'web-01.example', null)).toBe(true);
    expect(matchesText(' 10.0.0 ', 'db-01', '10.0.0.7')).toBe(true);
    expect(matchesText('mail', 'web-01', undefined, '')).toBe(false);
    expect(matchesText('', 'anything')).toBe(true);
  });
});
