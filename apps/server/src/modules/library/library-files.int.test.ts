import ExcelJS from 'exceljs';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryDocumentDetail, LibraryImportResult } from '@yunwei/contracts/library';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { docxText } from '../../platform/documents/docx.testing.js';
import { pdfPages, popplerAvailable } from '../../platform/documents/pdf.testing.js';
import { makeXlsxBomb } from '../../platform/uploads/office-bomb.testing.js';
import { doc, heading, ok, para } from './library.testing.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const MiB = 1024 * 1024;

/** A real Word file made here (no binary checked in): headings, a bulleted list, a table, bold text. */
async function wordFile(): Promise<Buffer> {
  const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });
  const file = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: '机房巡检业务操作规范', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ children: [new TextRun('每日 9:00 前完成'), new TextRun({ text: '机房巡检', bold: true }), new TextRun('。')] }),
          new Paragraph({ text: '巡检步骤', heading: HeadingLevel.HEADING_2 }),
          new Paragraph({ text: '检查空调温度', bullet: { level: 0 } }),
          new Paragraph({ text: '检查 UPS 电量', bullet: { level: 0 } }),
          new Table({ rows: [new TableRow({ children: [cell('设备'), cell('标准')] }), new TableRow({ children: [cell('精密空调'), cell('22±2℃')] })] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(file);
}

describe.skipIf(!databaseAvailable())('document library files', () => {
  let t: TestApp;
  let admin: TestSession;
  let published: LibraryDocumentDetail;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    await ok(admin.request('PATCH', '/api/library/types/fault_procedure', { flowCode: null }));
    const body = doc(
      para('本规程适用于生产环境。'),
      heading(1, '一、故障分级'),
      para('按影响范围分为三级。'),
      heading(2, '1.1 一级故障'),
      { type: 'orderedList', attrs: { start: 1 }, content: [{ type: 'listItem', content: [para('核心业务中断')] }, { type: 'listItem', content: [para('数据丢失')] }] },
      heading(3, '1.1.1 响应时限'),
      {
        type: 'table',
        content: [
          { type: 'tableRow', content: [{ type: 'tableHeader', content: [para('级别')] }, { type: 'tableHeader', content: [para('响应时限')] }] },
          { type: 'tableRow', content: [{ type: 'tableCell', content: [para('一级')] }, { type: 'tableCell', content: [para('15 分钟')] }] },
        ],
      },
      { type: 'codeBlock', attrs: { language: 'bash' }, content: [{ type: 'text', text: 'systemctl status nginx' }] },
    );
    const created = await ok(admin.request('POST', '/api/library/documents', { typeCode: 'fault_procedure', title: '生产故障处理规程', body }));
    await ok(admin.request('POST', `/api/library/documents/${created.id}/submit`, {}));
    published = await ok(admin.request('POST', `/api/library/documents/${created.id}/publish`, {}));
  });
  afterAll(() => t?.close());

  const download = async (format: string, locale = 'zh-CN') =>
    t.app.inject({ method: 'GET', url: `/api/library/documents/${published.id}/versions/${published.latestVersion.id}/download?format=${format}`, cookies: { yw_session: admin.cookie }, headers: { 'accept-language': locale } });

  it('downloads a version as Word: cover facts, sections, sub-sections, headings, list, table and code, named by number and title', async () => {
    const res = await download('docx');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe(DOCX);
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent(`${published.number} 生产故障处理规程 v1.0.docx`));
    const text = await docxText(res.rawPayload);
    for (const expected of ['生产故障处理规程', '文档编号', published.number, '版本', 'v1.0', '故障处理规程', '编制人', '已发布', '本规程适用于生产环境。', '一、故障分级', '1.1 一级故障', '核心业务中断', '1.1.1 响应时限', '级别', '15 分钟', 'systemctl status nginx']) {
      expect(text, expected).toContain(expected);
    }
    const en = await docxText((await download('docx', 'en')).rawPayload);
    expect(en).toContain('Number');
    expect(en).toContain('Fault handling procedure');
    expect(en).toContain('Published');
    const audit = await t.ctx.db.selectFrom('audit_log').select('after').where('action', '=', 'library.version.download').execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it.skipIf(!popplerAvailable())('downloads a version as PDF with the same content (pdftotext finds the headings)', async () => {
    const res = await download('pdf');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = (await pdfPages(res.rawPayload)).join('\n').replace(/\s+/g, '');
    for (const expected of ['生产故障处理规程', published.number, '一、故障分级', '1.1一级故障', '1.1.1响应时限', '核心业务中断', '15分钟', 'systemctlstatusnginx']) {
      expect(text, expected).toContain(expected);
    }
  });

  it('refuses an unknown format and a version of another document', async () => {
    expect((await download('odt')).statusCode).toBe(400);
    const other = await ok(admin.request('POST', '/api/library/documents', { typeCode: 'fault_procedure', title: '另一份' }));
    const res = await t.app.inject({ method: 'GET', url: `/api/library/documents/${other.id}/versions/${published.latestVersion.id}/download?format=pdf`, cookies: { yw_session: admin.cookie } });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('YW_LIBRARY_VERSION_NOT_FOUND');
  });

  it('imports a .docx as HTML for the editor: headings, list, table and bold text survive', async () => {
    const res = await admin.request('POST', '/api/library/import', await wordFile(), { 'content-type': DOCX });
    expect(res.status, res.body).toBe(200);
    const result = res.json as LibraryImportResult;
    expect(result.html).toContain('<h1>机房巡检业务操作规范</h1>');
    expect(result.html).toContain('<h2>巡检步骤</h2>');
    expect(result.html).toMatch(/<ul><li>检查空调温度<\/li><li>检查 UPS 电量<\/li><\/ul>/);
    expect(result.html).toMatch(/<table>.*精密空调.*22±2℃.*<\/table>/s);
    expect(result.html).toContain('<strong>机房巡检</strong>');
    expect(result.suggestedTitle).toBe('机房巡检业务操作规范');
    expect(Array.isArray(result.warnings)).toBe(true);
  });

  it('refuses a decompression bomb with 413, a file that is not Word, and other content types, importing nothing', async () => {
    const before = Number((await t.ctx.db.selectFrom('document').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const bomb = await makeXlsxBomb({ inflatedBytes: 200 * MiB });
    expect(bomb.bytes.length).toBeLessThan(2 * MiB);
    const refused = await admin.request('POST', '/api/library/import', bomb.bytes, { 'content-type': DOCX });
    expect(refused.status).toBe(413);
    expect(refused.json.code).toBe('YW_UPLOAD_ARCHIVE_TOO_LARGE');
    const forged = await makeXlsxBomb({ inflatedBytes: 200 * MiB, statedBytes: 512 * 1024 });
    expect((await admin.request('POST', '/api/library/import', forged.bytes, { 'content-type': DOCX })).status).toBe(413);

    const text = await admin.request('POST', '/api/library/import', Buffer.from('这不是 Word 文件'), { 'content-type': DOCX });
    expect(text.status).toBe(400);
    expect(text.json).toMatchObject({ code: 'YW_LIBRARY_IMPORT_UNREADABLE', details: { field: 'body' } });
    // A ZIP that is no Word document (an .xlsx of ordinary size).
    const book = new ExcelJS.Workbook();
    book.addWorksheet('资产').addRow(['名称', 'IP']);
    const notWord = await admin.request('POST', '/api/library/import', Buffer.from(await book.xlsx.writeBuffer()), { 'content-type': DOCX });
    expect(notWord.status).toBe(400);
    expect(notWord.json.code).toBe('YW_LIBRARY_IMPORT_UNREADABLE');
    expect((await admin.request('POST', '/api/library/import', 'plain', { 'content-type': 'text/plain' })).status).toBe(415);
    const tooBig = await admin.request('POST', '/api/library/import', Buffer.alloc(11 * MiB, 1), { 'content-type': DOCX });
    expect(tooBig.status).toBe(413);
    expect(Number((await t.ctx.db.selectFrom('document').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(before);
  });

  it('refuses the import to people who cannot write documents', async () => {
    const viewer = await t.signIn(await t.newUser({ roles: ['viewer'] }));
    expect((await viewer.request('POST', '/api/library/import', await wordFile(), { 'content-type': DOCX })).status).toBe(403);
  });
});
