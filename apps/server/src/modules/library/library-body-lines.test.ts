import { describe, expect, it } from 'vitest';
import type { LibraryBody } from '@yunwei/contracts/library';
import { bodyLines } from './library-body.js';
import { sideBySide } from './library-diff.js';

const text = (t: string) => ({ type: 'text', text: t });
const p = (t: string) => ({ type: 'paragraph', content: [text(t)] });
const h = (level: number, t: string) => ({ type: 'heading', attrs: { level }, content: [text(t)] });
const code = (t: string) => ({ type: 'codeBlock', content: [text(t)] });
const cell = (t: string) => ({ type: 'tableCell', content: [p(t)] });
const doc = (...content: object[]) => ({ type: 'doc', content }) as LibraryBody;

describe('bodyLines markers', () => {
  it('marks headings with # per level and table rows with pipes (the diff compares these lines)', () => {
    expect(bodyLines(doc(h(2, '目的'), { type: 'table', content: [{ type: 'tableRow', content: [cell('角色'), cell('职责')] }] }))).toEqual(['## 目的', '| 角色 | 职责 |']);
  });

  it('escapes a paragraph or code block that begins like a heading or a row, so the diff page shows it as written', () => {
    expect(bodyLines(doc(code('# 每天凌晨执行\nmysqldump > /backup/all.sql'), p('| a | b |'), p('\\# 已转义'), p('#标签'), p('| 不成行'), p('a | b |')))).toEqual([
      '\\# 每天凌晨执行\nmysqldump > /backup/all.sql',
      '\\| a | b |',
      '\\\\# 已转义',
      '#标签',
      '| 不成行',
      'a | b |',
    ]);
  });

  it('keeps a heading and a paragraph with the same words apart in the diff', () => {
    const diff = sideBySide(bodyLines(doc(h(1, '总则'))), bodyLines(doc(p('# 总则'))));
    expect(diff.stats.same).toBe(0);
  });
});
