import { describe, expect, it } from 'vitest';
import { ExpositionError, parseExposition, parseFloatValue } from './exposition.js';

describe('Prometheus text exposition parser', () => {
  it('parses the format specification example', () => {
    const text = [
      '# HELP http_requests_total The total number of HTTP requests.',
      '# TYPE http_requests_total counter',
      'http_requests_total{method="post",code="200"} 1027 1395066363000',
      'http_requests_total{method="post",code="400"}    3 1395066363000',
      '',
      '# Escaping in label values:',
      'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
      '',
      '# Minimalistic line:',
      'metric_without_timestamp_and_labels 12.47',
      '',
      '# A weird metric from before the epoch:',
      'something_weird{problem="division by zero"} +Inf -3982045',
      '',
      '# A histogram, which has a pretty complex representation in the text format:',
      '# HELP http_request_duration_seconds A histogram of the request duration.',
      '# TYPE http_request_duration_seconds histogram',
      'http_request_duration_seconds_bucket{le="0.05"} 24054',
      'http_request_duration_seconds_bucket{le="+Inf"} 144320',
      'http_request_duration_seconds_sum 53423',
      'http_request_duration_seconds_count 144320',
      '',
      '# Finally a summary, which has a complex representation, too:',
      '# TYPE rpc_duration_seconds summary',
      'rpc_duration_seconds{quantile="0.5"} 4773',
      'rpc_duration_seconds{quantile="0.99"} NaN',
      'rpc_duration_seconds_count 2693',
    ].join('\n');
    const { samples, types, help } = parseExposition(text);
    expect(samples).toHaveLength(12);
    expect(samples[0]).toEqual({ metric: 'http_requests_total', labels: [['method', 'post'], ['code', '200']], value: 1027, ts: 1395066363000 });
    expect(samples[1]!.value).toBe(3);
    expect(samples[2]!.labels).toEqual([
      ['path', 'C:\\DIR\\FILE.TXT'],
      ['error', 'Cannot find file:\n"FILE.TXT"'],
    ]);
    expect(samples[2]!.value).toBe(1.458255915e9);
    expect(samples[3]).toEqual({ metric: 'metric_without_timestamp_and_labels', labels: [], value: 12.47, ts: null });
    expect(samples[4]).toMatchObject({ value: Infinity, ts: -3982045 });
    expect(samples[6]).toMatchObject({ metric: 'http_request_duration_seconds_bucket', labels: [['le', '+Inf']], value: 144320 });
    expect(Number.isNaN(samples[10]!.value)).toBe(true);
    expect(types.get('http_request_duration_seconds')).toBe('histogram');
    expect(types.get('rpc_duration_seconds')).toBe('summary');
    expect(help.get('http_requests_total')).toBe('The total number of HTTP requests.');
  });

  it('accepts CRLF, tabs, a trailing comma, empty label sets, spaces around tokens and stops at # EOF', () => {
    const { samples } = parseExposition('a{x="1",} 1\r\nb{} 2\r\n\tc\t{ y = "2" }\t3\t100\n# EOF\nd 4\n');
    expect(samples).toEqual([
      { metric: 'a', labels: [['x', '1']], value: 1, ts: null },
      { metric: 'b', labels: [], value: 2, ts: null },
      { metric: 'c', labels: [['y', '2']], value: 3, ts: 100 },
    ]);
  });

  it('keeps unknown escapes verbatim and unescapes HELP text', () => {
    const { samples, help } = parseExposition('# HELP m line one\\nline \\\\two\nm{v="a\\tb"} 1\n');
    expect(samples[0]!.labels).toEqual([['v', 'a\\tb']]);
    expect(help.get('m')).toBe('line one\nline \\two');
  });

  it('parses the special values Go writes', () => {
    for (const [text, value] of [
      ['NaN', NaN],
      ['+Inf', Infinity],
      ['-Inf', -Infinity],
      ['Inf', Infinity],
      ['1e3', 1000],
      ['-0.5', -0.5],
      ['.5', 0.5],
      ['5.', 5],
    ] as const) {
      expect(parseFloatValue(text)).toBe(value);
    }
    expect(parseFloatValue('12abc')).toBeNull();
    expect(parseFloatValue('')).toBeNull();
  });

  it('fails the scrape on a malformed line, naming the line', () => {
    const bad = ['m{x="1"', 'm{x=1} 2', 'm{x="1} 2', 'm{-x="1"} 2', 'm', 'm abc', 'm 1 1.5', 'm 1 2 3', '9m 1', '# TYPE m flavour', 'm{x="1" y="2"} 1'];
    for (const line of bad) {
      expect(() => parseExposition(`ok 1\n${line}\n`), line).toThrow(ExpositionError);
      expect(() => parseExposition(`ok 1\n${line}\n`), line).toThrow(/^line 2:/);
    }
  });
});
