import { describe, expect, it } from 'vitest';
import type { LibraryBody } from '@yunwei/contracts/library';
import type { SectionOutcome } from '../../platform/documents/providers.js';
import { isAppError } from '../../platform/errors.js';
import { checkPlaceholders, classify, formatValue, type ProviderCatalog, placeholdersOf, resolveBody } from './library-template-placeholders.js';
import { previousPeriod } from './library-template-generate.js';

const text = (t: string, marks?: string[]) => ({ type: 'text', text: t, ...(marks ? { marks: marks.map((m) => ({ type: m })) } : {}) });
const para = (...content: object[]) => ({ type: 'paragraph', content });
const doc = (...content: object[]) => ({ type: 'doc', content }) as LibraryBody;

const providers: Record<string, ReturnType<ProviderCatalog['get']>> = {
  'alerts.summary': {
    title: { zh: '告警统计', en: 'Alerts' },
    fields: { count: { title: { zh: '告警数', en: 'Alerts' }, format: 'number' }, mttaMinutes: { title: { zh: 'MTTA', en: 'MTTA' }, format: 'minutes' } },
    value: (data, field) => (data as Record<string, number | null>)[field] ?? null,
  },
  'monitoring.availability': { title: { zh: '可用性', en: 'Availability' }, fields: { lowest: { title: { zh: '最低', en: 'Lowest' }, format: 'percent' } }, value: () => 99.5 },
};
const catalog: ProviderCatalog = { get: (name) => providers[name] };

function refusal(body: LibraryBody): string {
  try {
    checkPlaceholders(body, catalog, 200);
  } catch (error) {
    if (isAppError(error)) {
      const f = (error.details as { field: string; fields: { field: string; message: { zh: string } }[] }).fields[0]!;
      return `${f.field}: ${f.message.zh}`;
    }
    throw error;
  }
  return 'accepted';
}

describe('template placeholders', () => {
  it('tells a provider (whose name has dots) from a provider with a field, and names what is unknown', () => {
    expect(classify('alerts.summary', catalog)).toEqual({ kind: 'section', provider: 'alerts.summary' });
    expect(classify('alerts.summary.count', catalog)).toEqual({ kind: 'field', provider: 'alerts.summary', field: 'count' });
    expect(classify('alerts.sumary', catalog)).toMatchObject({ kind: 'unknown', error: { zh: '未知的数据提供者“alerts.sumary”' } });
    expect(classify('alerts.sumary.count', catalog)).toMatchObject({ kind: 'unknown', error: { zh: '未知的数据提供者“alerts.sumary”' } });
    expect(classify('alerts.summary.cnt', catalog)).toMatchObject({ kind: 'unknown', error: { zh: expect.stringContaining('“alerts.summary”没有字段“cnt”') } });
  });

  it('finds placeholders in text, tables and headings; a paragraph holding only one stands alone', () => {
    const body = doc(para(text('{{alerts.summary}}')), para(text('共 '), text('{{alerts.summary.count}}', ['bold']), text(' 条')), { type: 'heading', attrs: { level: 1 }, content: [text('可用率 {{ monitoring.availability.lowest }}')] });
    expect(placeholdersOf(body)).toEqual([
      { ref: 'alerts.summary', alone: true },
      { ref: 'alerts.summary.count', alone: false },
      { ref: 'monitoring.availability.lowest', alone: false },
    ]);
  });

  it('refuses on save an unknown provider or field, and a whole section inside a sentence, naming the field', () => {
    expect(refusal(doc(para(text('{{alerts.summary}}')), para(text('共 {{alerts.summary.count}} 条'))))).toBe('accepted');
    expect(refusal(doc(para(text('{{alerts.sumary}}'))))).toBe('body.body: 未知的数据提供者“alerts.sumary”');
    expect(refusal(doc(para(text('共 {{alerts.summary.cnt}} 条'))))).toMatch(/^body\.body: “alerts\.summary”没有字段“cnt”/);
    expect(refusal(doc(para(text('见 {{alerts.summary}} 一节'))))).toMatch(/^body\.body: “alerts\.summary”是整节数据/);
  });

  it('formats values by kind, and says so when there is none', () => {
    expect(formatValue(20, 'minutes', 'zh-CN')).toBe('20 分钟');
    expect(formatValue(20, 'minutes', 'en')).toBe('20 min');
    expect(formatValue(99.93, 'percent', 'zh-CN')).toBe('99.93%');
    expect(formatValue(null, 'number', 'zh-CN')).toBe('无数据');
    expect(formatValue('web-01', 'text', 'en')).toBe('web-01');
  });

  it('resolves sections and fields from the outcomes; a failed provider leaves its missing paragraph and 【缺失：…】 inline', () => {
    const outcomes = new Map<string, SectionOutcome>([
      ['alerts.summary', { provider: 'alerts.summary', title: '告警统计', ok: true, error: null, data: { count: 3, mttaMinutes: 20 }, section: { heading: '告警统计', blocks: [{ kind: 'table', header: ['级别', '数量'], rows: [['严重', '2']] }] } }],
      ['monitoring.availability', { provider: 'monitoring.availability', title: '可用性', ok: false, error: '数据生成失败（超时）。', data: null, section: { heading: '可用性', blocks: [{ kind: 'paragraph', tone: 'danger', text: '本节（可用性）缺失：数据生成失败（超时）。' }] } }],
    ]);
    const body = doc(para(text('{{alerts.summary}}')), para(text('共 {{alerts.summary.count}} 条，MTTA {{alerts.summary.mttaMinutes}}，最低 {{monitoring.availability.lowest}}')), para(text('{{monitoring.availability}}')));
    const out = resolveBody(body, outcomes, catalog, 'zh-CN');
    const json = JSON.stringify(out);
    expect(out.content![0]).toMatchObject({ type: 'table' });
    expect(json).toContain('共 3 条，MTTA 20 分钟，最低 【缺失：可用性——数据生成失败（超时）。】');
    expect(json).toContain('本节（可用性）缺失：数据生成失败（超时）。');
    expect(json).not.toContain('{{');
  });

  it('computes the previous week, month and quarter in the server’s time zone', () => {
    const now = Date.UTC(2026, 11, 9, 20, 0); // Wednesday 2026-12-09 20:00 UTC = Thursday 04:00 in Shanghai
    const iso = (p: { from: number; to: number }) => [new Date(p.from).toISOString(), new Date(p.to).toISOString()];
    expect(iso(previousPeriod('month', now, 'Asia/Shanghai'))).toEqual(['2026-10-31T16:00:00.000Z', '2026-11-30T16:00:00.000Z']);
    expect(iso(previousPeriod('week', now, 'Asia/Shanghai'))).toEqual(['2026-11-29T16:00:00.000Z', '2026-12-06T16:00:00.000Z']);
    expect(iso(previousPeriod('quarter', now, 'UTC'))).toEqual(['2026-07-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z']);
    expect(iso(previousPeriod('month', Date.UTC(2026, 0, 15), 'UTC'))).toEqual(['2025-12-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z']);
  });
});
