import { describe, expect, it } from 'vitest';
import type { LibraryBody } from '@yunwei/contracts/library';
import { AppError } from '../../platform/errors.js';
import { bodyLines, pixelSize, toWrittenDocument, validateBody } from './library-body.js';
import { sideBySide } from './library-diff.js';
import { addMonths, nextLabel, searchText } from './library.service.js';

// A 2 × 3 PNG (IHDR only matters for the size) and the smallest JPEG header with an SOF0 of 4 × 5.
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.from([0, 0, 0, 2, 0, 0, 0, 3]), Buffer.from('0806000000', 'hex')]);
const JPEG = Buffer.from('ffd8ffc0001108000500040301220002110103110100', 'hex');

const text = (t: string, marks?: string[]) => ({ type: 'text', text: t, ...(marks ? { marks: marks.map((m) => ({ type: m })) } : {}) });
const p = (...content: object[]) => ({ type: 'paragraph', content });
const h = (level: number, t: string) => ({ type: 'heading', attrs: { level }, content: [text(t)] });
const li = (t: string, nested?: object) => ({ type: 'listItem', content: [p(text(t)), ...(nested ? [nested] : [])] });
const cell = (type: 'tableHeader' | 'tableCell', t: string) => ({ type, attrs: { colspan: 1, rowspan: 1, colwidth: null }, content: [p(text(t))] });
const doc = (...content: object[]) => ({ type: 'doc', content }) as LibraryBody;

function fieldOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).details?.field;
  }
  return undefined;
}

describe('the editor body', () => {
  const sample = doc(
    p(text('适用范围：'), text('全部业务系统', ['bold'])),
    h(1, '一、总则'),
    p(text('本预案规定'), text('应急', ['underline', 'italic']), text('响应流程。')),
    h(2, '1.1 目的'),
    { type: 'orderedList', attrs: { start: 1, type: null }, content: [li('发现'), li('报告', { type: 'bulletList', content: [li('电话')] })] },
    h(3, '1.1.1 细则'),
    { type: 'codeBlock', attrs: { language: 'bash' }, content: [text('systemctl restart nginx')] },
    h(1, '二、职责'),
    { type: 'table', content: [{ type: 'tableRow', content: [cell('tableHeader', '角色'), cell('tableHeader', '职责')] }, { type: 'tableRow', content: [cell('tableCell', '值班员'), cell('tableCell', '首次响应')] }] },
    { type: 'image', attrs: { src: `data:image/png;base64,${PNG.toString('base64')}`, alt: '拓扑图', title: null } },
    { type: 'horizontalRule' },
    p(text('见 '), { type: 'text', text: '附件', marks: [{ type: 'link', attrs: { href: 'https://example.cn/a', target: '_blank', rel: 'noopener', class: null } }] }),
  );

  it('accepts what Tiptap saves (StarterKit, table, image, underline, link)', () => {
    expect(() => validateBody(sample)).not.toThrow();
  });

  it('refuses unknown nodes and marks, deep nesting, foreign pictures, unsafe links and oversize bodies, naming the place', () => {
    expect(fieldOf(() => validateBody(doc(p(text('x')), { type: 'iframe' })))).toBe('body.body.content.1.type');
    expect(fieldOf(() => validateBody(doc(p({ type: 'text', text: 'x', marks: [{ type: 'highlight' }] }))))).toBe('body.body.content.0.content.0.marks.0.type');
    expect(fieldOf(() => validateBody({ type: 'doc', content: [{ type: 'paragraph', onclick: 'x' }] } as LibraryBody))).toBe('body.body.content.0.onclick');
    let deep: object = p(text('x'));
    for (let i = 0; i < 20; i++) {
      deep = { type: 'blockquote', content: [deep] };
    }
    expect(fieldOf(() => validateBody(doc(deep)))).toMatch(/^body\.body(\.content\.0)+$/);
    expect(fieldOf(() => validateBody(doc({ type: 'image', attrs: { src: 'https://evil.example/x.png' } })))).toBe('body.body.content.0.attrs.src');
    expect(fieldOf(() => validateBody(doc({ type: 'image', attrs: { src: 'data:image/gif;base64,R0lGODlh' } })))).toBe('body.body.content.0.attrs.src');
    expect(fieldOf(() => validateBody(doc({ type: 'image', attrs: { src: `data:image/png;base64,${Buffer.alloc(1_100_000).toString('base64')}` } })))).toBe('body.body.content.0.attrs.src');
    expect(fieldOf(() => validateBody(doc(p({ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }))))).toBe('body.body.content.0.content.0.marks.0.attrs.href');
    expect(fieldOf(() => validateBody(doc(h(9, 'x'))))).toBe('body.body.content.0.attrs.level');
    const big = doc(...Array.from({ length: 30 }, () => ({ type: 'image', attrs: { src: `data:image/png;base64,${Buffer.concat([PNG, Buffer.alloc(90_000)]).toString('base64')}` } })));
    expect(fieldOf(() => validateBody(big))).toBe('body.body');
  });

  it('reads picture sizes from PNG and JPEG headers', () => {
    expect(pixelSize(PNG, 'image/png')).toEqual({ width: 2, height: 3 });
    expect(pixelSize(JPEG, 'image/jpeg')).toEqual({ width: 4, height: 5 });
    expect(pixelSize(Buffer.from('not a picture'), 'image/png')).toBeNull();
  });

  it('converts faithfully to a WrittenDocument: h1 sections, h2 sub-sections, h3 headings, marks, lists, code, tables, pictures', () => {
    const written = toWrittenDocument(sample, { title: '应急预案', facts: [['文档编号', 'YJYA-2026-001']] });
    expect(written.title).toBe('应急预案');
    const [intro, general, duties] = written.sections;
    expect(intro).toMatchObject({ heading: '', blocks: [{ kind: 'paragraph', text: '适用范围：全部业务系统', runs: [{ text: '适用范围：' }, { text: '全部业务系统', bold: true }] }] });
    expect(general!.heading).toBe('一、总则');
    expect(general!.blocks).toEqual([{ kind: 'paragraph', text: '本预案规定应急响应流程。', runs: [{ text: '本预案规定' }, { text: '应急', italic: true, underline: true }, { text: '响应流程。' }] }]);
    expect(general!.sections).toEqual([
      {
        heading: '1.1 目的',
        blocks: [
          { kind: 'list', ordered: true, items: ['发现', '报告', '\u3000• 电话'] },
          { kind: 'heading', level: 3, text: '1.1.1 细则' },
          { kind: 'code', text: 'systemctl restart nginx', language: 'bash' },
        ],
      },
    ]);
    expect(duties!.heading).toBe('二、职责');
    expect(duties!.blocks[0]).toEqual({ kind: 'table', header: ['角色', '职责'], rows: [['值班员', '首次响应']] });
    expect(duties!.blocks[1]).toEqual({ kind: 'image', mime: 'image/png', data: PNG.toString('base64'), width: 2, height: 3, caption: '拓扑图' });
    expect(duties!.blocks[2]).toEqual({ kind: 'paragraph', text: '见 附件' });
  });

  it('turns the body into lines of text per block, and diffs two versions side by side', () => {
    expect(bodyLines(sample).slice(0, 6)).toEqual(['适用范围：全部业务系统', '# 一、总则', '本预案规定应急响应流程。', '## 1.1 目的', '1. 发现', '2. 报告']);
    const rows = sideBySide(['# 总则', '第一条', '第二条', '第三条'], ['# 总则', '第一条（修订）', '第三条', '第四条']);
    expect(rows.rows).toEqual([
      { kind: 'same', left: '# 总则', right: '# 总则' },
      { kind: 'changed', left: '第一条', right: '第一条（修订）' },
      { kind: 'removed', left: '第二条', right: null },
      { kind: 'same', left: '第三条', right: '第三条' },
      { kind: 'added', left: null, right: '第四条' },
    ]);
    expect(rows.stats).toEqual({ same: 2, added: 1, removed: 1, changed: 1 });
  });

  it('labels versions, adds review months and lower-cases the search text', () => {
    expect(nextLabel({ major: 1, minor: 0 }, false).label).toBe('v1.1');
    expect(nextLabel({ major: 1, minor: 9 }, false).label).toBe('v1.10');
    expect(nextLabel({ major: 1, minor: 3 }, true).label).toBe('v2.0');
    expect(new Date(addMonths(Date.UTC(2026, 0, 31), 1)).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(new Date(addMonths(Date.UTC(2026, 11, 7), 12)).toISOString()).toBe('2027-12-07T00:00:00.000Z');
    expect(searchText('Nginx 故障', 'GZGC-2026-001', ['重启 NGINX'])).toBe('nginx 故障\ngzgc-2026-001\n重启 nginx');
  });
});
