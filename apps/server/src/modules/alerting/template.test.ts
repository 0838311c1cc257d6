import { describe, expect, it } from 'vitest';
import { formatNumber, parseTemplate, renderTemplate, TemplateError } from './template.js';

describe('alert annotation templates', () => {
  it('[L3-2.1.3] renders labels, value and threshold, with or without spaces inside the braces', () => {
    const out = renderTemplate('{{ $labels.instance }} 的 CPU 使用率 {{$value}}% 超过 {{ $threshold }}%（{{ $severity }}）', {
      labels: { instance: 'web-1' },
      value: 93.456789,
      threshold: 90,
      severity: 'critical',
    });
    expect(out).toBe('web-1 的 CPU 使用率 93.46% 超过 90%（critical）');
  });

  it('renders a missing label or value as empty text', () => {
    expect(renderTemplate('[{{ $labels.nope }}][{{ $value }}]', { labels: {} })).toBe('[][]');
  });

  it('refuses unknown variables, expressions and unbalanced braces, saying where', () => {
    expect(() => parseTemplate('{{ $values }}')).toThrow(TemplateError);
    expect(() => parseTemplate('x {{ $labels.a | upper }}')).toThrow(/unknown variable .* at position 3/);
    expect(() => parseTemplate('{{ constructor.constructor("x")() }}')).toThrow(/unknown variable/);
    expect(() => parseTemplate('value {{ $value')).toThrow(/unclosed/);
    expect(() => parseTemplate('value }}')).toThrow(/without/);
  });

  it('prints what the alert is about by name ($object) and the forecast time in the configured zone ($eta)', () => {
    const eta = Date.UTC(2026, 11, 6, 12, 15, 3);
    expect(renderTemplate('{{ $object }} 将于 {{ $eta }} 写满', { labels: {}, object: 'web-01', eta, timeZone: 'Asia/Shanghai' })).toBe('web-01 将于 2026-12-06 20:15:03 (UTC+08:00) 写满');
    expect(renderTemplate('{{ $eta }}', { labels: {}, eta, timeZone: 'UTC' })).toBe('2026-12-06 12:15:03 (UTC+00:00)');
  });

  it('keeps plain text as it is', () => {
    expect(parseTemplate('no variables here')).toEqual([{ text: 'no variables here' }]);
    expect(renderTemplate('', { labels: {} })).toBe('');
  });

  it('formats numbers for people', () => {
    expect(formatNumber(90)).toBe('90');
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(12345.678)).toBe('12345.68');
  });
});
