import { beforeAll, describe, expect, it } from 'vitest';
import type { WrittenDocument } from '@yunwei/contracts/documents';
import { pngBase64, richDocument, RICH_TEXT } from './blocks.testing.js';
import { MARGINS } from './pdf-pages.js';
import { renderPdf } from './pdf.js';
import { inkedPixels, pdfFonts, pdfImages, pdfPages, popplerAvailable, type PdfImage } from './pdf.testing.js';

const squeeze = (text: string) => text.replace(/\s+/g, '');
const A4_WIDTH = 595.28;
const TEXT_WIDTH = A4_WIDTH - MARGINS.left - MARGINS.right;

describe.skipIf(!popplerAvailable())('rich blocks in PDF files', () => {
  let body: Buffer;
  let pages: string[];
  let images: PdfImage[];

  beforeAll(async () => {
    body = await renderPdf(richDocument());
    pages = await pdfPages(body);
    images = await pdfImages(body);
  }, 60_000);

  it('sets every block kind in document order, marked runs and code lines reading as written', () => {
    const text = squeeze(pages.slice(2).join('\n'));
    const order = [
      '正文之前的前言文字。',
      '一、格式',
      RICH_TEXT,
      '1.1三级标题',
      '1.备份数据库2.停止服务3.升级软件包',
      '四级标题：回退',
      // Each numbered list starts again at 1.
      '1.恢复备份2.启动服务',
      '无序条目',
      'server{listen80;#监听端口root/var/www;}',
      '1.1图片',
      '图1宽于正文的图片',
      '图2小图片',
      '图片之后的文字。',
    ].map(squeeze);
    let at = -1;
    for (const words of order) {
      const found = text.indexOf(words, at + 1);
      expect(found, words).toBeGreaterThan(at);
      at = found;
    }
  });

  it('lists the titled sections in the 目录, not the untitled one nor the level 3 and 4 headings', () => {
    const contents = squeeze(pages[1]!);
    expect(contents).toMatch(/一、格式\.*\d/);
    expect(contents).toMatch(/1\.1图片\.*\d/);
    expect(contents).not.toContain('三级标题');
    expect(contents).not.toContain('四级标题');
    // Two entries: the untitled section made none (not even an empty line with a page number).
    expect(pages[1]!.split('\n').filter((line) => /^\d+$/.test(line.trim()))).toHaveLength(2);
    // And no heading line is printed for it: the preface is the first text under the page header.
    const firstBodyLines = pages[2]!.split('\n').map((l) => l.trim()).filter(Boolean);
    expect(firstBodyLines.slice(0, 2)).toEqual(['富文本测试文档', '正文之前的前言文字。']);
  });

  it('embeds the bold face for bold runs and sets code in Courier with its CJK in the sans face', async () => {
    const fonts = await pdfFonts(body);
    const names = fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
    expect(names).toEqual(expect.arrayContaining(['NotoSerifSC-Regular', 'NotoSerifSC-Bold', 'NotoSansSC-Regular', 'NotoSansSC-Bold', 'Courier']));
    for (const font of fonts.filter((f) => f.name.includes('Noto'))) {
      expect(font, font.name).toMatchObject({ embedded: true, subset: true });
    }
    // Courier is one of the 14 standard fonts every PDF viewer has: named, not embedded.
    expect(fonts.find((f) => f.name === 'Courier')).toMatchObject({ type: 'Type 1', embedded: false });
  });

  it('puts the pictures in: the PNG scaled down to the text width, the small JPEG not scaled up, each with its caption on its page', async () => {
    const png = images.find((i) => i.type === 'image' && i.width === 800);
    const jpeg = images.find((i) => i.type === 'image' && i.width === 17);
    expect(png).toBeDefined();
    expect(jpeg).toBeDefined();
    // The PNG's alpha is its soft mask.
    expect(images.some((i) => i.type === 'smask' && i.page === png!.page)).toBe(true);
    // 800 CSS px are 600 pt, more than the text width: printed at the text width (ppi = pixels per inch printed).
    expect(png!.xPpi).toBeCloseTo(800 / (TEXT_WIDTH / 72), -1);
    // 17 CSS px at 0.75 pt each: 96 ppi, its own size.
    expect(jpeg!.xPpi).toBe(96);
    expect(squeeze(pages[png!.page - 1]!)).toContain('图1宽于正文的图片');
    expect(squeeze(pages[jpeg!.page - 1]!)).toContain('图2小图片');
    // The picture is drawn: its page is well inked (a blue block of 451 × 226 pt).
    const { inked, total } = await inkedPixels(body, png!.page);
    expect(inked / total).toBeGreaterThan(0.1);
  });

  it('keeps a picture whole on one page: one that does not fit under the text goes to the next page', async () => {
    const tall = richDocument();
    const image = tall.sections[1]!.sections![0]!.blocks[0]!;
    // Text enough to fill most of the first page, then a picture taller than what is left.
    tall.sections[1]!.sections![0]!.blocks = [{ kind: 'paragraph', text: '占位文字。'.repeat(400) }, { ...image, caption: '图 3 换页的图片' } as typeof image];
    const out = await renderPdf(tall);
    const [png] = (await pdfImages(out)).filter((i) => i.type === 'image' && i.width === 800);
    const text = await pdfPages(out);
    expect(squeeze(text[png!.page - 1]!)).toContain('图3换页的图片');
    expect(squeeze(text[png!.page - 2]!)).toContain('占位文字');
    expect(squeeze(text[png!.page - 1]!)).not.toContain('占位文字');
  });

  it('scales a picture taller than a page down to fit one page with its caption', async () => {
    const doc: WrittenDocument = { title: '长图', facts: [], sections: [{ heading: '一', blocks: [{ kind: 'image', mime: 'image/png', data: pngBase64(200, 1500), width: 200, height: 1500, caption: '图 1 长图' }] }] };
    const out = await renderPdf(doc);
    const [image] = (await pdfImages(out)).filter((i) => i.type === 'image');
    const printedHeight = (1500 / image!.yPpi) * 72;
    expect(printedHeight).toBeLessThan(842 - MARGINS.top - MARGINS.bottom - 12);
    expect(printedHeight).toBeGreaterThan(0.9 * (842 - MARGINS.top - MARGINS.bottom - 40));
    expect(squeeze((await pdfPages(out))[image!.page - 1]!)).toContain('图1长图');
  });

  it('writes a note in place of a picture whose bytes are not the PNG they claim to be', async () => {
    const bad: WrittenDocument = { title: '坏图', facts: [], sections: [{ heading: '一', blocks: [{ kind: 'image', mime: 'image/png', data: Buffer.from('not a png').toString('base64'), width: 10, height: 10, caption: '图 1' }] }] };
    const text = squeeze((await pdfPages(await renderPdf(bad))).join(''));
    expect(text).toContain('［图片无法显示：图1］');
  });

  it('cuts a table row taller than a page over the pages, under the header again, losing no text and leaving none below the page', async () => {
    const long = '第一条说明文字，'.repeat(600);
    const doc: WrittenDocument = {
      title: '长行',
      facts: [],
      sections: [{ heading: '一、表', blocks: [{ kind: 'table', header: ['配置项', '说明'], rows: [['web-01', long], ['web-02', '正常']] }, { kind: 'paragraph', text: '表后文字。' }] }],
    };
    const text = await pdfPages(await renderPdf(doc));
    const body = text.slice(2);
    // 600 × 8 characters at 9 pt in a column of ~380 pt: some 3 pages.
    const tablePages = body.filter((p) => p.includes('第一条说明文字'));
    expect(tablePages.length).toBeGreaterThanOrEqual(3);
    for (const page of tablePages) {
      expect(page).toContain('配置项');
      // The footer is still on the page, so nothing was written over it.
      expect(squeeze(page)).toMatch(/第\d+页\/共\d+页/);
    }
    // Every character is on a page (text drawn below a page is not extracted); 条 is in the long cell only.
    expect(body.join('').match(/条/g)).toHaveLength(600);
    expect(squeeze(body.join(''))).toContain('web-02正常');
    expect(squeeze(body.at(-1)!)).toContain('表后文字。');
  });
});
