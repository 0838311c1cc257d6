import { describe, expect, it } from 'vitest';
import type { WrittenDocument } from '@yunwei/contracts/documents';
import { renderDocx } from './docx.js';
import { docxText } from './docx.testing.js';

describe('written documents as Word files', () => {
  it('renders the title, facts, sections, lists and tables, and reads back as the same text', async () => {
    const doc: WrittenDocument = {
      title: '资源使用率分析报告',
      facts: [
        ['数据区间', '2026-12-01 至 2026-12-07'],
        ['Author', 'admin'],
      ],
      sections: [
        {
          heading: '一、结论',
          blocks: [
            { kind: 'paragraph', text: 'web-01 的 CPU 需扩容。', tone: 'danger' },
            { kind: 'list', items: ['第一条', '第二条'] },
          ],
          sections: [{ heading: '1.1 明细', blocks: [{ kind: 'table', header: ['配置项', 'P95'], rows: [['web-01', '85.0%']], tones: ['danger'] }] }],
        },
      ],
    };
    const body = await renderDocx(doc);
    // A ZIP (PK\x03\x04) holding word/document.xml.
    expect(body.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    expect(body.includes(Buffer.from('word/document.xml'))).toBe(true);
    const text = await docxText(body);
    expect(text.split('\n')).toEqual(['资源使用率分析报告', '数据区间：2026-12-01 至 2026-12-07', 'Author: admin', '一、结论', 'web-01 的 CPU 需扩容。', '第一条', '第二条', '1.1 明细', '配置项', 'P95', 'web-01', '85.0%']);
  });
});
