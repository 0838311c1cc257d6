import { describe, expect, it } from 'vitest';
import type { DocumentSection } from '@yunwei/contracts/documents';
import { toWrittenDocument, validateBody } from './library-body.js';
import { bodyFromSections } from './library-from-blocks.js';

// A 2 × 3 PNG (only the IHDR is read).
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.from([0, 0, 0, 2, 0, 0, 0, 3]), Buffer.from('0806000000', 'hex')]).toString('base64');

describe('a written document filed as an editor body', () => {
  const sections: DocumentSection[] = [
    {
      heading: '一、总体概况',
      blocks: [
        { kind: 'paragraph', text: '本月共触发告警 12 条，其中严重 2 条。' },
        { kind: 'paragraph', text: '命令 df -h\n第二行', runs: [{ text: '命令 ' }, { text: 'df -h', code: true }, { text: '\n第二行' }] },
        { kind: 'table', header: ['指标', '数值'], rows: [['可用率', '99.95%'], ['MTTR（分钟）', '']] },
      ],
      sections: [{ heading: '1.1 细项', blocks: [{ kind: 'heading', level: 3, text: '1.1.1 趋势' }, { kind: 'list', ordered: true, items: ['扩容 db-01', '复核阈值'] }] }],
    },
    {
      heading: '二、附图',
      blocks: [
        { kind: 'image', mime: 'image/png', data: PNG, width: 2, height: 3, caption: 'CPU 趋势' },
        { kind: 'code', text: 'systemctl restart nginx', language: 'bash' },
        { kind: 'list', items: ['甲', '乙'] },
      ],
    },
  ];

  it('is a body the editor could have saved, and reads back to the same sections', () => {
    const body = bodyFromSections(sections);
    expect(() => validateBody(body)).not.toThrow();
    expect(toWrittenDocument(body, { title: 't', facts: [] }).sections).toEqual(sections);
  });

  it('puts the facts first, one bold label per paragraph, and keeps a danger paragraph stressed', () => {
    const body = bodyFromSections([{ heading: '三、缺失', blocks: [{ kind: 'paragraph', tone: 'danger', text: '本节（告警统计）缺失：数据生成失败。' }] }], [['报告区间', '2026-11-01 — 2026-12-01']]);
    expect(() => validateBody(body)).not.toThrow();
    const read = toWrittenDocument(body, { title: 't', facts: [] }).sections;
    expect(read[0]).toEqual({ heading: '', blocks: [{ kind: 'paragraph', text: '报告区间：2026-11-01 — 2026-12-01', runs: [{ text: '报告区间', bold: true }, { text: '：2026-11-01 — 2026-12-01' }] }] });
    expect(read[1]!.blocks[0]).toMatchObject({ kind: 'paragraph', text: '本节（告警统计）缺失：数据生成失败。', runs: [{ bold: true }] });
  });

  it('an empty document is one empty paragraph', () => {
    expect(bodyFromSections([])).toEqual({ type: 'doc', content: [{ type: 'paragraph' }] });
  });
});
