import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentTone, WrittenDocument } from '@yunwei/contracts/documents';
import { renderPdf } from './pdf.js';
import { inkedPixels, pdfFonts, pdfPages, popplerAvailable } from './pdf.testing.js';

const ROWS = 90;
const tones: DocumentTone[] = Array.from({ length: ROWS }, (_, i) => (i % 9 === 0 ? 'danger' : i % 5 === 0 ? 'warning' : 'normal'));
const doc: WrittenDocument = {
  title: '资源使用率分析报告',
  facts: [
    ['单位', '市数据中心运维部'],
    ['数据区间', '2026-12-01 至 2026-12-07'],
    ['版本', 'V1.0'],
    ['文档编号', 'YW-2026-0042'],
  ],
  sections: [
    {
      heading: '一、结论',
      blocks: [
        { kind: 'paragraph', text: 'web-01 的 CPU 需扩容。', tone: 'danger' },
        { kind: 'paragraph', text: '其余主机运行正常，建议按季度复核阈值。' },
        { kind: 'list', items: ['核对容量规划', '报分管领导审批'] },
      ],
    },
    {
      heading: '二、明细',
      blocks: [
        {
          kind: 'table',
          header: ['配置项', '资源', 'P95', '建议'],
          rows: Array.from({ length: ROWS }, (_, i) => [`host-${String(i).padStart(3, '0')}`, 'CPU', `${(40 + (i % 60)).toFixed(1)}%`, i % 9 === 0 ? '需扩容：P95 已超过阈值，建议两周内增加 CPU 或迁移部分负载' : '正常']),
          tones,
        },
      ],
      sections: [{ heading: '2.1 文件系统', blocks: [{ kind: 'paragraph', text: '文件系统均正常。' }] }],
    },
  ],
};
const squeeze = (text: string) => text.replace(/\s+/g, '');

describe.skipIf(!popplerAvailable())('written documents as PDF files', () => {
  let body: Buffer;
  let pages: string[];

  beforeAll(async () => {
    body = await renderPdf(doc);
    pages = await pdfPages(body);
  }, 60_000);

  it('is an A4 PDF with a cover, a contents page and the sections, its Chinese text extractable as written', () => {
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pages.length).toBeGreaterThanOrEqual(4);
    // Cover: the title and every fact, no header or page number.
    expect(pages[0]).toContain('资源使用率分析报告');
    for (const [label, value] of doc.facts) {
      expect(squeeze(pages[0]!)).toContain(squeeze(`${label}：${value}`));
    }
    expect(squeeze(pages[0]!)).not.toContain('第1页');
    // Contents: every heading with the page it is on.
    const contents = squeeze(pages[1]!);
    expect(contents).toContain('目录');
    const pageOf = (heading: string) => pages.findIndex((p, i) => i > 1 && p.split('\n').some((line) => line.trim() === heading));
    for (const heading of ['一、结论', '二、明细', '2.1 文件系统']) {
      expect(pageOf(heading), heading).toBeGreaterThan(1);
      expect(contents).toMatch(new RegExp(`${squeeze(heading)}\\.*${pageOf(heading)}`));
    }
    // The body, exactly as written (a glyph missing from a font would not extract as the character).
    const text = pages.join('\n');
    for (const words of ['web-01 的 CPU 需扩容。', '其余主机运行正常，建议按季度复核阈值。', '核对容量规划', '报分管领导审批', '文件系统均正常。']) {
      expect(text).toContain(words);
    }
  });

  it('numbers every page but the cover as 第 X 页 / 共 Y 页 under the title as header', () => {
    const numbered = pages.length - 1;
    pages.slice(1).forEach((page, i) => {
      expect(squeeze(page)).toContain(`第${i + 1}页/共${numbered}页`);
      expect(page).toContain(doc.title);
    });
  });

  it('repeats the table header on every page the table runs over, and keeps every row', () => {
    const tablePages = pages.filter((p) => /host-\d{3}/.test(p));
    expect(tablePages.length).toBeGreaterThanOrEqual(2);
    for (const page of tablePages) {
      for (const column of ['配置项', '资源', 'P95', '建议']) {
        expect(page).toContain(column);
      }
    }
    const rows = new Set(pages.join('\n').match(/host-\d{3}/g));
    expect(rows.size).toBe(ROWS);
  });

  it('embeds subsets of the CJK faces only, and stays small', async () => {
    const fonts = await pdfFonts(body);
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual(['NotoSansSC-Bold', 'NotoSansSC-Regular', 'NotoSerifSC-Regular']);
    for (const font of fonts) {
      expect(font, font.name).toMatchObject({ embedded: true, subset: true });
    }
    // The faces are 10–15 MB each: only the glyphs used are in the file.
    expect(body.length).toBeLessThan(300_000);
  });

  it('draws ink on the cover and on a table page', async () => {
    for (const page of [1, 3]) {
      const { inked, total } = await inkedPixels(body, page);
      expect(inked / total, `page ${page}`).toBeGreaterThan(0.005);
    }
  });

  it('a character the fonts lack does not extract as itself, so the text checks above would catch boxes', async () => {
    const text = (await pdfPages(await renderPdf({ title: '缺字', facts: [], sections: [{ heading: '一', blocks: [{ kind: 'paragraph', text: 'ABC\u{E000}DEF' }] }] }))).join('');
    expect(text).toContain('ABC');
    expect(text).not.toContain('ABC\u{E000}DEF');
  });

  it('writes the fixed words in English for an English reader', async () => {
    const en = await pdfPages(await renderPdf({ ...doc, title: 'Utilisation report' }, { locale: 'en' }));
    expect(en[1]).toContain('Contents');
    expect(en[1]).toContain(`Page 1 of ${en.length - 1}`);
  });
});
