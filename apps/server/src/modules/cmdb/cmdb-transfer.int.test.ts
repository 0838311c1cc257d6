import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ci, CiClass, ImportReport } from '@yunwei/contracts/cmdb';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { parseCsv } from './spreadsheet.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function workbookOf(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

const rowValues = (sheet: ExcelJS.Worksheet, r: number) => (sheet.getRow(r).values as unknown[]).slice(1);

describe.skipIf(!databaseAvailable())('CMDB import and export', () => {
  let t: TestApp;
  let admin: TestSession;
  let server: CiClass;
  let unitId: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    server = ((await admin.request('GET', '/api/cmdb/classes')).json as CiClass[]).find((c) => c.code === 'server')!;
    unitId = (await admin.request('POST', '/api/org-units', { name: '华东数据中心', code: 'EDC' })).json.id;
  });
  afterAll(() => t?.close());

  /** A GET whose body is a file (raw bytes). */
  const download = async (url: string, session = admin) => {
    const res = await t.app.inject({ method: 'GET', url, cookies: { yw_session: session.cookie }, headers: { 'accept-language': 'en' } });
    return { status: res.statusCode, headers: res.headers, bytes: res.rawPayload, text: res.body };
  };
  const upload = (body: Buffer | string, contentType: string, qs = `classId=${server.id}&filename=servers.xlsx`, session = admin) =>
    session.request('POST', `/api/cmdb/import?${qs}`, body, { 'content-type': contentType, 'accept-language': 'zh-CN' });
  const ciNamed = (name: string) => t.ctx.db.selectFrom('cmdb_ci').selectAll().where('name', '=', name).executeTakeFirst();

  it('downloads an XLSX template that parses back: header row with fields and attributes, an example row, a Chinese explanation sheet', async () => {
    const res = await download(`/api/cmdb/import-template?classId=${server.id}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(String(res.headers['content-disposition'])).toBe('attachment; filename="cmdb-template-server.xlsx"');
    const workbook = await workbookOf(res.bytes);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['导入数据', '填写说明']);
    const data = workbook.getWorksheet('导入数据')!;
    const header = rowValues(data, 1);
    expect(header).toEqual([
      '*名称 (name)',
      '状态 (status)',
      'IP 地址 (ip)',
      '主机名 (hostname)',
      '负责人 (owner)',
      '所属机构 (org_unit)',
      '描述 (description)',
      ...server.attributes.map((a) => `${a.label.zh} (${a.key})`),
    ]);
    expect(header).toContain('CPU 核数 (cpu_cores)');
    const example = rowValues(data, 2);
    expect(example[0]).toBe('示例-server-01');
    expect(example[header.indexOf('CPU 核数 (cpu_cores)')]).toBe(8);
    expect(data.getCell(2, 2).dataValidation).toMatchObject({ type: 'list', formulae: ['"active,maintenance,retired"'] });
    const help = workbook.getWorksheet('填写说明')!;
    expect(rowValues(help, 1)).toEqual(['列（表头）', '字段编码', '类型', '必填', '说明']);
    expect(rowValues(help, 2)).toEqual(['*名称 (name)', 'name', '文本', '是', '同一类别下名称唯一，最多 128 个字符']);
    const cpu = help.getColumn(2).values.indexOf('cpu_cores');
    expect(rowValues(help, cpu)).toEqual(['CPU 核数 (cpu_cores)', 'cpu_cores', '数字', '否', '自定义属性“CPU 核数”：数字']);
    const notes = help.getColumn(1).values.filter((v): v is string => typeof v === 'string');
    expect(notes.some((n) => n.includes('示例') && n.includes('忽略'))).toBe(true);

    // The untouched template imports as nothing (the example row is skipped).
    const empty = await upload(res.bytes, XLSX);
    expect(empty.json).toEqual({ imported: 0, failed: 0, total: 0, ignoredColumns: [], rows: [] });

    const network = ((await admin.request('GET', '/api/cmdb/classes')).json as CiClass[]).find((c) => c.code === 'network_device')!;
    const withSubtype = await workbookOf((await download(`/api/cmdb/import-template?classId=${network.id}`)).bytes);
    expect(rowValues(withSubtype.worksheets[0]!, 1)).toContain('子类型 (subtype)');
    expect((await admin.request('GET', '/api/cmdb/import-template')).json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'querystring.classId' } });
  });

  it('imports an Excel file with bad rows: good rows imported, each bad row reported with its column and message, nothing of it written', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('服务器');
    // Headers as a person might write them: the template's, a bare key, a Chinese label, and one unknown.
    sheet.addRow(['*名称 (name)', '状态', 'ip', '负责人 (owner)', '所属机构 (org_unit)', 'CPU 核数 (cpu_cores)', '购置日期 (purchase_date)', '操作系统 (os)', '备注']);
    sheet.addRow(['imp-srv-01', '在用', '10.9.0.1', 'admin', '华东数据中心', 16, new Date(Date.UTC(2025, 5, 30)), 'Kylin V10', '无']);
    sheet.addRow(['imp-srv-02', 'active', '999.1.1.1', '', 'EDC', 'sixteen', '2025-02-30', '', '']);
    sheet.addRow(['imp-srv-03', 'maintenance', '', '', unitId, '8', '2024/1/5', 'UOS', '']);
    sheet.addRow([]);
    sheet.addRow(['imp-srv-01', '', '10.9.0.9', '', 'EDC', '', '', '', '']);
    sheet.addRow(['imp-srv-05', '坏了', '', 'nobody-here', '不存在的机构', '', '', '', '']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const auditBefore = Number((await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    const res = await upload(bytes, XLSX);
    expect(res.status, res.body).toBe(200);
    const report = res.json as ImportReport;
    expect(report).toMatchObject({ imported: 2, failed: 3, total: 5, ignoredColumns: ['备注'] });
    expect(report.rows.map((r) => [r.row, r.status])).toEqual([
      [2, 'imported'],
      [3, 'failed'],
      [4, 'imported'],
      [6, 'failed'],
      [7, 'failed'],
    ]);
    expect(report.rows[1]!.errors).toEqual([
      { column: 'ip', message: '不是有效的 IPv4 或 IPv6 地址' },
      { column: 'CPU 核数 (cpu_cores)', message: '应为数字' },
      { column: '购置日期 (purchase_date)', message: '应为日期 YYYY-MM-DD' },
    ]);
    expect(report.rows[3]!.errors).toEqual([{ column: '*名称 (name)', message: '与第 2 行重名' }]);
    expect(report.rows[4]!.errors.map((e) => e.column)).toEqual(['状态', '负责人 (owner)', '所属机构 (org_unit)']);
    expect(report.rows[4]!.errors[1]!.message).toBe('找不到用户“nobody-here”');

    const first = (await admin.request('GET', `/api/cmdb/cis/${report.rows[0]!.ciId}`)).json as Ci;
    expect(first).toMatchObject({ name: 'imp-srv-01', status: 'active', ip: '10.9.0.1', ownerUsername: 'admin', orgUnitId: unitId, attributes: { cpu_cores: 16, purchase_date: '2025-06-30', os: 'Kylin V10' } });
    const third = (await admin.request('GET', `/api/cmdb/cis/${report.rows[2]!.ciId}`)).json as Ci;
    expect(third).toMatchObject({ name: 'imp-srv-03', status: 'maintenance', attributes: { cpu_cores: 8, purchase_date: '2024-01-05', os: 'UOS' } });
    expect(await ciNamed('imp-srv-02')).toBeUndefined();
    expect(await ciNamed('imp-srv-05')).toBeUndefined();
    expect((await t.ctx.db.selectFrom('cmdb_ci').select('ip').where('name', '=', 'imp-srv-01').execute()).map((r) => r.ip)).toEqual(['10.9.0.1']);

    // Audited: one entry per imported CI and one for the whole import, with its counts.
    const entries = await t.ctx.db.selectFrom('audit_log').select(['action', 'target_id', 'after']).where('id', '>', auditBefore).orderBy('id').execute();
    expect(entries.map((e) => e.action)).toEqual(['cmdb.ci.create', 'cmdb.ci.create', 'cmdb.ci.import']);
    expect(JSON.parse(entries[0]!.after)).toMatchObject({ name: 'imp-srv-01', import: { filename: 'servers.xlsx', row: 2 } });
    expect(JSON.parse(entries[2]!.after)).toEqual({ class: 'server', filename: 'servers.xlsx', total: 5, imported: 2, failed: 3, failedRows: [3, 6, 7], ignoredColumns: ['备注'] });

    // Importing the same file again: every row is now a duplicate of an existing CI, reported as such.
    const again = (await upload(bytes, XLSX)).json as ImportReport;
    expect(again).toMatchObject({ imported: 0, failed: 5 });
    expect(again.rows[0]!.errors).toEqual([{ column: '*名称 (name)', message: '该类别下已有同名配置项' }]);
  });

  it('imports a CSV (BOM, quotes, Chinese headers) and reports messages in the caller\'s language', async () => {
    const csv = '\uFEFF名称,状态,IP 地址,描述,内存（GB）\r\ncsv-srv-01,在用,10.9.1.1,"含逗号, 和 ""引号""",64\r\ncsv-srv-02,retired,,"多行\n描述",lots\r\n';
    const res = await upload(csv, 'text/csv; charset=utf-8', `classId=${server.id}`);
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({ imported: 1, failed: 1, total: 2 });
    expect(res.json.rows[1]).toEqual({ row: 3, status: 'failed', errors: [{ column: '内存（GB）', message: '应为数字' }] });
    expect(await ciNamed('csv-srv-01')).toMatchObject({ description: '含逗号, 和 "引号"', attributes: JSON.stringify({ memory_gb: 64 }) });
    const en = await admin.request('POST', `/api/cmdb/import?classId=${server.id}`, 'name,memory_gb\ncsv-srv-03,x\n', { 'content-type': 'text/csv', 'accept-language': 'en' });
    expect(en.json.rows[0].errors).toEqual([{ column: 'memory_gb', message: 'must be a number' }]);
  });

  it('refuses files it cannot use with a 4xx naming the problem, writing nothing', async () => {
    const before = Number((await t.ctx.db.selectFrom('cmdb_ci').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const cases: [Buffer | string, string, number, string][] = [
      ['名称\n', 'text/csv', 200, ''],
      ['ip,hostname\n10.0.0.1,h\n', 'text/csv', 400, 'YW_CMDB_IMPORT_MISSING_COLUMN'],
      [Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]), XLSX, 400, 'YW_CMDB_IMPORT_UNREADABLE'],
      [Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'application/vnd.ms-excel', 400, 'YW_CMDB_IMPORT_UNREADABLE'],
      ['', 'text/csv', 400, 'YW_CMDB_IMPORT_UNREADABLE'],
      [Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x41, 0x00]), 'text/csv', 400, 'YW_CMDB_IMPORT_UNREADABLE'],
      ['{"name":"x"}', 'application/json', 415, 'YW_UNSUPPORTED_MEDIA_TYPE'],
      ['<x/>', 'application/xml', 415, 'YW_UNSUPPORTED_MEDIA_TYPE'],
      [`name\n${'a,'.repeat(6_000_000)}`, 'text/csv', 413, 'YW_BODY_TOO_LARGE'],
    ];
    for (const [body, type, status, code] of cases) {
      const res = await upload(body, type);
      expect(res.status, `${type} ${String(body).slice(0, 20)}`).toBe(status);
      if (code) {
        expect(res.json.code, type).toBe(code);
      }
    }
    const rows = `名称\n${Array.from({ length: 5001 }, (_, i) => `bulk-${i}`).join('\n')}\n`;
    const tooMany = await upload(rows, 'text/csv');
    expect(tooMany.json).toMatchObject({ code: 'YW_CMDB_IMPORT_TOO_MANY_ROWS', details: { field: 'body' } });
    expect((await upload('名称\nx\n', 'text/csv', 'filename=x.csv')).json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'querystring.classId' } });
    expect(Number((await t.ctx.db.selectFrom('cmdb_ci').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(before);
  });

  it('imports only into units of the importer\'s data scope, per row', async () => {
    const other = (await admin.request('POST', '/api/org-units', { name: '华南数据中心' })).json.id;
    const importer = await t.signIn(await t.newUser({ permissions: ['cmdb.ci.import', 'cmdb.ci.read'], orgUnitIds: [unitId] }));
    const res = await upload('名称,所属机构\nscope-imp-1,华东数据中心\nscope-imp-2,华南数据中心\nscope-imp-3,\n', 'text/csv', `classId=${server.id}`, importer);
    expect(res.json).toMatchObject({ imported: 1, failed: 2 });
    expect(res.json.rows[1].errors).toEqual([{ column: '所属机构', message: '该机构不在您的数据范围内' }]);
    expect(res.json.rows[2].errors[0].column).toBe('所属机构');
    expect(await ciNamed('scope-imp-2')).toBeUndefined();
    expect(other).toBeTruthy();
  });

  it('exports CIs as XLSX and CSV that import back into the class unchanged (round trip)', async () => {
    const owner = await t.newUser({ permissions: ['cmdb.ci.read'] });
    const made: Ci[] = [];
    for (const [i, extra] of [
      [1, { ip: '10.20.0.1', hostname: 'rt-01', ownerId: owner.id, orgUnitId: unitId, attributes: { cpu_cores: 8, memory_gb: 32.5, os: '=cmd|calc', purchase_date: '2025-12-31', vendor: '华为' } }],
      [2, { status: 'maintenance', description: '第二台, "带引号"\n两行', attributes: { serial_number: '-0042' } }],
      [3, { status: 'retired' }],
    ] as const) {
      const res = await admin.request('POST', '/api/cmdb/cis', { classId: server.id, name: `roundtrip-${i}`, ...extra });
      expect(res.status, res.body).toBe(200);
      made.push(res.json);
    }
    const comparable = (c: Ci) => ({ name: c.name, status: c.status, ip: c.ip, hostname: c.hostname, ownerId: c.ownerId, orgUnitId: c.orgUnitId, attributes: c.attributes, description: c.description, subtype: c.subtype });

    const xlsx = await download(`/api/cmdb/export?format=xlsx&classId=${server.id}&q=roundtrip`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toBe(XLSX);
    expect(String(xlsx.headers['content-disposition'])).toMatch(/^attachment; filename="cmdb-server-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    const sheet = (await workbookOf(xlsx.bytes)).worksheets[0]!;
    expect(sheet.actualRowCount).toBe(4);
    const header = rowValues(sheet, 1);
    expect(header.slice(0, 3)).toEqual(['ID (id)', '*名称 (name)', '状态 (status)']);
    expect(rowValues(sheet, 2)[header.indexOf('CPU 核数 (cpu_cores)')]).toBe(8);
    expect(rowValues(sheet, 2)[header.indexOf('操作系统 (os)')]).toBe('=cmd|calc');
    expect(sheet.getRow(2).getCell(header.indexOf('操作系统 (os)') + 1).type).toBe(ExcelJS.ValueType.String);

    const csv = await download(`/api/cmdb/export?format=csv&classId=${server.id}&q=roundtrip&sort=name&order=desc`);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const table = parseCsv(csv.text);
    expect(table.map((r) => r[1])).toEqual(['*名称 (name)', 'roundtrip-3', 'roundtrip-2', 'roundtrip-1']);
    expect(table[3]![header.indexOf('操作系统 (os)')]).toBe("'=cmd|calc");

    // Delete them, import the XLSX export back: the same CIs again.
    for (const c of made) {
      expect((await admin.request('DELETE', `/api/cmdb/cis/${c.id}`)).status).toBe(200);
    }
    const back = await upload(xlsx.bytes, XLSX, `classId=${server.id}&filename=export.xlsx`);
    expect(back.json).toMatchObject({ imported: 3, failed: 0, ignoredColumns: [] });
    const reimported = ((await admin.request('GET', '/api/cmdb/cis?q=roundtrip&sort=name')).json.items as Ci[]).map(comparable);
    expect(reimported).toEqual(made.map(comparable));

    // …and the CSV export the same way.
    for (const c of (await admin.request('GET', '/api/cmdb/cis?q=roundtrip')).json.items as Ci[]) {
      await admin.request('DELETE', `/api/cmdb/cis/${c.id}`);
    }
    const fromCsv = await upload(csv.bytes, 'text/csv', `classId=${server.id}&filename=export.csv`);
    expect(fromCsv.json).toMatchObject({ imported: 3, failed: 0 });
    expect(((await admin.request('GET', '/api/cmdb/cis?q=roundtrip&sort=name')).json.items as Ci[]).map(comparable)).toEqual(made.map(comparable));

    // An export without a class lists every class, attributes as JSON; exports are audited.
    const all = parseCsv((await download('/api/cmdb/export?format=csv&q=roundtrip-1')).text);
    expect(all[0]).toEqual(['ID (id)', '类别 (class)', '*名称 (name)', '子类型 (subtype)', '状态 (status)', 'IP 地址 (ip)', '主机名 (hostname)', '负责人 (owner)', '所属机构 (org_unit)', '描述 (description)', '属性 (attributes)', '创建时间 (created_at)', '更新时间 (updated_at)']);
    expect(all[1]![1]).toBe('server');
    expect(JSON.parse(all[1]![10]!)).toMatchObject({ cpu_cores: 8 });
    const exported = await t.ctx.db.selectFrom('audit_log').select('after').where('action', '=', 'cmdb.ci.export').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(exported.after)).toMatchObject({ format: 'csv', filters: { q: 'roundtrip-1' } });
    expect((await admin.request('GET', '/api/cmdb/export?format=pdf')).json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'querystring.format' } });
  });
});
