import { describe, expect, it } from 'vitest';
import { changedParts } from './diff-marks';
import { readBlock } from './diff-blocks';

describe('readBlock', () => {
  it('reads a heading line as a heading of its level, without the # marks', () => {
    expect(readBlock('# 一、总则')).toEqual({ kind: 'heading', level: 1, text: '一、总则' });
    expect(readBlock('### 1.1 目的')).toEqual({ kind: 'heading', level: 3, text: '1.1 目的' });
  });

  it('reads a table row as its cells, shown as "a · b" without the pipes', () => {
    expect(readBlock('| 角色 | 职责 |')).toEqual({ kind: 'row', cells: ['角色', '职责'], text: '角色 · 职责' });
    expect(readBlock('| 值班员 |  | 首次响应 |')).toEqual({ kind: 'row', cells: ['值班员', '', '首次响应'], text: '值班员 ·  · 首次响应' });
  });

  it('leaves paragraphs, list items and text that only looks like a marker as written', () => {
    expect(readBlock('本预案适用于核心业务系统。')).toEqual({ kind: 'text', text: '本预案适用于核心业务系统。' });
    expect(readBlock('1. 发现')).toEqual({ kind: 'text', text: '1. 发现' });
    expect(readBlock('#no-space')).toEqual({ kind: 'text', text: '#no-space' });
    expect(readBlock('####### seven')).toEqual({ kind: 'text', text: '####### seven' });
    expect(readBlock('a | b')).toEqual({ kind: 'text', text: 'a | b' });
  });

  it('shows a paragraph or code that only begins like a marker as written, without the escaping backslash', () => {
    expect(readBlock('\\# 每天凌晨执行\nmysqldump > /backup/all.sql')).toEqual({ kind: 'text', text: '# 每天凌晨执行\nmysqldump > /backup/all.sql' });
    expect(readBlock('\\| a | b |')).toEqual({ kind: 'text', text: '| a | b |' });
    expect(readBlock('\\\\# x')).toEqual({ kind: 'text', text: '\\# x' });
    // A backslash before anything else is the text's own.
    expect(readBlock('\\n 换行')).toEqual({ kind: 'text', text: '\\n 换行' });
  });

  it('keeps the diff meaning: a changed cell is marked in the readable text, not in the pipes', () => {
    const left = readBlock('| 值班员 | 首次响应 |');
    const right = readBlock('| 值班员 | 首次响应与升级 |');
    expect(changedParts(left.text, right.text)).toEqual({ prefix: '值班员 · 首次响应', left: '', right: '与升级', suffix: '' });
    // A heading whose level changed stays a changed pair of headings of different levels.
    expect([readBlock('## 目的'), readBlock('# 目的')].map((b) => (b.kind === 'heading' ? b.level : 0))).toEqual([2, 1]);
  });
});
