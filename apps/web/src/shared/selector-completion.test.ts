import { describe, expect, it } from 'vitest';
import { applyCompletion, completionContext, seriesSelector, type CompletionContext } from './selector-completion';

/** The context at the `|` in `marked`. */
function at(marked: string): CompletionContext | null {
  return completionContext(marked.replace('|', ''), marked.indexOf('|'));
}

function take(marked: string, choice: string): string {
  const text = marked.replace('|', '');
  const ctx = at(marked);
  expect(ctx, marked).not.toBeNull();
  const out = applyCompletion(text, ctx!, choice);
  return `${out.text.slice(0, out.caret)}|${out.text.slice(out.caret)}`;
}

describe('selector completion', () => {
  it('completes the metric name before any brace', () => {
    expect(at('|')).toMatchObject({ kind: 'metric', prefix: '' });
    expect(at('host_c|')).toMatchObject({ kind: 'metric', prefix: 'host_c' });
    expect(at('host_c|pu{ci="x"}')).toMatchObject({ kind: 'metric', prefix: 'host_c', from: 0, to: 8 });
    expect(take('host_c|', 'host_cpu_usage_percent')).toBe('host_cpu_usage_percent|');
    expect(take('ho|st{ci="x"}', 'host_load1')).toBe('host_load1|{ci="x"}');
  });

  it('completes label names inside braces, knowing the metric and the labels already used', () => {
    expect(at('host_fs{|')).toMatchObject({ kind: 'label', metric: 'host_fs', prefix: '', used: [] });
    expect(at('host_fs{ci="a", mo|')).toMatchObject({ kind: 'label', metric: 'host_fs', prefix: 'mo', used: ['ci'] });
    expect(at('{__name__="x",|}')).toMatchObject({ kind: 'label', metric: null, used: ['__name__'] });
    expect(take('host_fs{mo|', 'mount')).toBe('host_fs{mount="|"}');
    expect(take('host_fs{mo|,ci="a"}', 'mount')).toBe('host_fs{mount="|",ci="a"}');
    expect(take('host_fs{mo|="/"}', 'mount')).toBe('host_fs{mount|="/"}');
  });

  it('completes quoted values, escaping quotes, and regular expressions for =~', () => {
    expect(at('host_fs{mount="/d|')).toMatchObject({ kind: 'value', label: 'mount', prefix: '/d', closed: false });
    expect(at('host_fs{mount="/d|ata"}')).toMatchObject({ kind: 'value', label: 'mount', prefix: '/d', closed: true });
    expect(take('host_fs{mount="/d|', '/data')).toBe('host_fs{mount="/data"|}');
    expect(take('host_fs{mount="/d|x", ci="a"}', '/data')).toBe('host_fs{mount="/data"|, ci="a"}');
    expect(take('m{job="|"}', 'say "hi"')).toBe('m{job="say \\"hi\\""|}');
    expect(take('m{instance=~"|"}', '10.0.0.5:9100')).toBe('m{instance=~"10\\\\.0\\\\.0\\\\.5:9100"|}');
  });

  it('completes nothing after an operator without a quote, between matchers or past the braces', () => {
    expect(at('m{job=|')).toBeNull();
    expect(at('m{job="a"|')).toBeNull();
    expect(at('m{job="a"}|')).toBeNull();
    expect(at('m |')).toBeNull();
  });
});

describe('the selector of one series', () => {
  it('matches the metric and every label exactly, quotes escaped', () => {
    expect(seriesSelector('up', {})).toBe('up');
    expect(seriesSelector('host_fs_usage_percent', { mount: '/data', ci: 'c1' })).toBe('host_fs_usage_percent{ci="c1",mount="/data"}');
    expect(seriesSelector('m', { job: 'say "hi"\\' })).toBe('m{job="say \\"hi\\"\\\\"}');
  });
});
