import { beforeAll, describe, expect, it } from 'vitest';
import type { WrittenDocument } from '@yunwei/contracts/documents';
import { richDocument, RICH_TEXT } from './blocks.testing.js';
import { renderDocx } from './docx.js';
import { docxParts, docxText } from './docx.testing.js';

/** The runs (<w:r>…</w:r>) of a part whose text is `text`. */
function runsOf(xml: string, text: string): string[] {
  return (xml.match(/<w:r>.*?<\/w:r>/gs) ?? []).filter((r) => new RegExp(`<w:t[^>]*>${text}</w:t>`).test(r));
}

/** The paragraphs (<w:p>…</w:p>) holding `text`. */
function paragraphsOf(xml: string, text: string): string[] {
  return (xml.match(/<w:p>.*?<\/w:p>|<w:p [^>]*>.*?<\/w:p>/gs) ?? []).filter((p) => p.includes(text));
}

describe('rich blocks in Word files', () => {
  let body: Buffer;
  let xml: string;
  let parts: Awaited<ReturnType<typeof docxParts>>;

  beforeAll(async () => {
    body = await renderDocx(richDocument());
    parts = await docxParts(body);
    xml = await parts.text('word/document.xml');
  });

  it('reads back as the text of every block in order, the untitled section without a heading', async () => {
    const lines = (await docxText(body)).split('\n');
    expect(lines).toEqual([
      '富文本测试文档',
      '作者：admin',
      '正文之前的前言文字。',
      '一、格式',
      RICH_TEXT,
      '1.1 三级标题',
      '备份数据库',
      '停止服务',
      '升级软件包',
      '四级标题：回退',
      '恢复备份',
      '启动服务',
      '无序条目',
      'server {',
      '    listen 80;  # 监听端口',
      '    root /var/www;',
      '}',
      '1.1 图片',
      '图 1 宽于正文的图片',
      '图 2 小图片',
      '图片之后的文字。',
    ]);
    // Headings: one Heading1 (the untitled section has none), the level 3 and 4 headings as Heading3/4.
    expect(xml.match(/<w:pStyle w:val="Heading1"\/>/g)).toHaveLength(1);
    expect(paragraphsOf(xml, '1.1 三级标题')[0]).toContain('<w:pStyle w:val="Heading3"/>');
    expect(paragraphsOf(xml, '四级标题：回退')[0]).toContain('<w:pStyle w:val="Heading4"/>');
  });

  it('marks the runs: bold, italic, underline, strike and code in Consolas on grey', () => {
    expect(runsOf(xml, '粗体')[0]).toMatch(/<w:b\/>/);
    expect(runsOf(xml, '斜体 italic')[0]).toMatch(/<w:i\/>/);
    expect(runsOf(xml, '下划线')[0]).toMatch(/<w:u w:val="single"\/>/);
    expect(runsOf(xml, '删除线')[0]).toMatch(/<w:strike\/>/);
    const code = runsOf(xml, 'npm run build')[0]!;
    expect(code).toMatch(/w:ascii="Consolas"/);
    expect(code).toMatch(/<w:shd [^>]*w:fill="F2F2F2"/);
    // The plain runs carry no mark.
    expect(runsOf(xml, '这是')[0]).not.toMatch(/<w:b\/>|<w:i\/>|<w:u /);
  });

  it('numbers ordered lists 1. 2. 3. with Word numbering, each list starting again at 1', async () => {
    const numbering = await parts.text('word/numbering.xml');
    expect(numbering).toMatch(/<w:numFmt w:val="decimal"\/>/);
    expect(numbering).toMatch(/<w:lvlText w:val="%1\."\/>/);
    const numId = (text: string) => /<w:numId w:val="(\d+)"\/>/.exec(paragraphsOf(xml, text)[0] ?? '')?.[1];
    expect(numId('备份数据库')).toBeDefined();
    expect(numId('升级软件包')).toBe(numId('备份数据库'));
    // The second list is another numbering instance, restarting at 1.
    expect(numId('恢复备份')).toBeDefined();
    expect(numId('恢复备份')).not.toBe(numId('备份数据库'));
    const restart = new RegExp(`<w:num w:numId="${numId('恢复备份')}"[^>]*>.*?<w:startOverride w:val="1"/>.*?</w:num>`, 's');
    expect(numbering).toMatch(restart);
    // The bullet list is not numbered with the decimal list.
    expect(numId('无序条目')).not.toBe(numId('备份数据库'));
  });

  it('keeps the code lines and their indentation, on grey in Consolas', () => {
    const line = paragraphsOf(xml, 'listen 80;')[0]!;
    expect(line).toContain(`<w:t xml:space="preserve">${' '.repeat(4)}listen 80;  # 监听端口</w:t>`);
    expect(line).toMatch(/<w:shd [^>]*w:fill="F2F2F2"/);
    expect(line).toMatch(/w:ascii="Consolas"/);
  });

  it('embeds the pictures, the wide one scaled down to the text width, the small one at its size, captions under them', () => {
    const media = parts.names.filter((n) => n.startsWith('word/media/'));
    expect(media.some((n) => n.endsWith('.png'))).toBe(true);
    expect(media.some((n) => n.endsWith('.jpg') || n.endsWith('.jpeg'))).toBe(true);
    const extents = [...xml.matchAll(/<wp:extent cx="(\d+)" cy="(\d+)"\/>/g)].map((m) => ({ cx: Number(m[1]), cy: Number(m[2]) }));
    expect(extents).toHaveLength(2);
    // EMU: 9525 per CSS pixel. A4 with 1-inch margins leaves 601.7 px of text width.
    const EMU = 9525;
    expect(extents[0]!.cx / EMU).toBeGreaterThan(595);
    expect(extents[0]!.cx / EMU).toBeLessThanOrEqual(602);
    expect(extents[0]!.cx / extents[0]!.cy).toBeCloseTo(2, 1);
    expect(extents[1]).toEqual({ cx: 17 * EMU, cy: 24 * EMU });
    // The caption follows its picture, and the picture is kept with it.
    const picture = (xml.match(/<w:p>(?:(?!<\/w:p>).)*<w:drawing>.*?<\/w:p>/gs) ?? [])[0]!;
    expect(picture).toContain('<w:keepNext/>');
    expect(xml.indexOf('图 1 宽于正文的图片')).toBeGreaterThan(xml.indexOf('<w:drawing>'));
  });

  it('writes a note in place of a picture whose bytes are not the PNG they claim to be', async () => {
    const bad: WrittenDocument = { title: '坏图', facts: [], sections: [{ heading: '一', blocks: [{ kind: 'image', mime: 'image/png', data: Buffer.from('not a png').toString('base64'), width: 10, height: 10 }] }] };
    const out = await renderDocx(bad, { locale: 'en' });
    expect(await docxText(out)).toContain('[The picture cannot be shown]');
    expect((await docxParts(out)).names.some((n) => n.startsWith('word/media/'))).toBe(false);
  });
});
