import { beforeAll, describe, expect, it } from 'vitest';
import type { WrittenDocument } from '@yunwei/contracts/documents';
import { codeSegments } from './pdf-inline.js';
import { renderPdf } from './pdf.js';
import { pdfFonts, pdfPages, popplerAvailable, type PdfFont } from './pdf.testing.js';

const squeeze = (text: string) => text.replace(/\s+/g, '');

/*
 * Code in a PDF: Courier (a standard font, named, not embedded) has glyphs for Latin-1 at most, so a
 * code block or inline code with Chinese would print nothing or garbage for the Chinese. Code is split by
 * script (codeSegments): printable ASCII in Courier, everything else in the embedded Noto Sans SC.
 */
const CODE_BLOCK = '# 备份脚本：每天凌晨执行\nmysqldump --all-databases > /备份/全量.sql  # 全量备份\necho "完成 ✓ 温度 45°C"';
const INLINE = '重启服务';
const doc: WrittenDocument = {
  title: '代码块测试',
  facts: [],
  sections: [
    {
      heading: '一、脚本',
      blocks: [
        { kind: 'paragraph', text: `执行 ${INLINE} 命令之前先备份。`, runs: [{ text: '执行 ' }, { text: INLINE, code: true }, { text: ' 命令之前先备份。' }] },
        { kind: 'code', text: CODE_BLOCK, language: 'bash' },
      ],
    },
  ],
};

describe('code segments', () => {
  it('puts only printable ASCII in Courier: Chinese, full-width and Latin-1 characters go to the embedded sans face', () => {
    const segments = codeSegments('echo "完成：45°C" ok', { color: '#000' });
    expect(segments.map((s) => [s.text, s.style.face])).toEqual([
      ['echo "', 'mono'],
      ['完成：', 'sans'],
      ['45', 'mono'],
      ['°', 'sans'],
      ['C" ok', 'mono'],
    ]);
  });
});

describe.skipIf(!popplerAvailable())('code with Chinese in a PDF', () => {
  let text: string;
  let fonts: PdfFont[];

  beforeAll(async () => {
    const body = await renderPdf(doc);
    text = squeeze((await pdfPages(body)).join('\n'));
    fonts = await pdfFonts(body);
  }, 60_000);

  it('prints the Chinese of a code block and of inline code (read back with pdftotext)', () => {
    for (const line of CODE_BLOCK.split('\n')) {
      expect(text, line).toContain(squeeze(line));
    }
    expect(text).toContain(squeeze(`执行 ${INLINE} 命令之前先备份。`));
  });

  it('sets them in the embedded Noto Sans SC; Courier carries ASCII only (pdffonts)', () => {
    const names = fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
    expect(names).toContain('Courier');
    const sans = fonts.find((f) => f.name.endsWith('NotoSansSC-Regular'));
    expect(sans).toMatchObject({ embedded: true, subset: true });
  });
});
