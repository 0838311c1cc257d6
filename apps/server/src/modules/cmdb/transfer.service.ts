import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { uuidv7 } from 'uuidv7';
import {
  ATTRIBUTE_TYPE_NAMES,
  type AttributeDefinition,
  CI_COLUMN_LABELS,
  CI_COLUMNS,
  CI_STATUS_NAMES,
  CI_STATUSES,
  type CiColumn,
  CMDB_PERMISSIONS as P,
  type CiExportQuery,
  IMPORT_LIMITS,
  type ImportQuery,
  type ImportReport,
  type ImportRowResult,
} from '@yunwei/contracts/cmdb';
import { type LocalizedText, pickText } from '@yunwei/contracts/i18n';
import { XLSX_TYPE } from '@yunwei/contracts/documents';
import { fromJson, toJson } from '../../db/dialect.js';
import { type Actor, inScope } from '../../platform/actor.js';
import { AppError, isAppError } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { assertSafeOfficeZip } from '../../platform/uploads/office-zip-guard.js';
import { attributeFromCell, checkAttributes, checkCiFields, type Problem, statusFromCell, subtypeFromCell } from './attributes.js';
import { CiService } from './ci.service.js';
import { ClassService } from './class.service.js';
import { CmdbRepository, type CiRow } from './cmdb.repository.js';
import type { CmdbCiTable } from './cmdb.tables.js';
import { type ClassDef, scopeOf } from './cmdb.shared.js';
import { cellText, cellValue, csvCell, headerKey, headerOf, looksLikeLegacyXls, looksLikeXlsx, parseCsv, unescapeCsvCell } from './spreadsheet.js';
import { unreadableFile } from '../../platform/uploads/unreadable-file.js';

// One definition (contracts); re-exported for this module's routes and tests.
const DATA_SHEET = '导入数据';
const HELP_SHEET = '填写说明';
const EXAMPLE_DESCRIPTION = '示例行：导入时忽略，可直接覆盖或删除';
const MAX_COLUMNS = 300;
const VALIDATION_ROWS = 500;

/** Columns an export writes that an import knows and skips. */
const EXPORT_ONLY: Record<string, LocalizedText> = {
  id: { zh: 'ID', en: 'ID' },
  class: { zh: '类别', en: 'Class' },
  attributes: { zh: '属性', en: 'Attributes' },
  created_at: { zh: '创建时间', en: 'Created at' },
  updated_at: { zh: '更新时间', en: 'Updated at' },
};

const text = (zh: string, en: string): LocalizedText => ({ zh, en });

type Cell = string | number | boolean | Date | undefined;

interface Column {
  key: string;
  label: LocalizedText;
  required: boolean;
  attribute?: AttributeDefinition;
}

/** The columns of a class, in template order: fixed fields, then attributes. */
function columnsOf(cls: ClassDef): Column[] {
  const fixed = CI_COLUMNS.filter((c) => c !== 'subtype' || cls.subtypes.length > 0).map((key) => ({ key, label: CI_COLUMN_LABELS[key], required: key === 'name' }));
  return [...fixed, ...cls.attributes.map((a) => ({ key: a.key, label: a.label, required: a.required, attribute: a }))];
}

function exampleValue(cls: ClassDef, column: Column): Cell {
  const a = column.attribute;
  if (a) {
    switch (a.type) {
      case 'string':
        return `示例${a.label.zh}`;
      case 'number':
        return 8;
      case 'boolean':
        return '是';
      case 'date':
        return '2026-01-01';
      case 'enum':
        return a.options[0];
    }
  }
  const examples: Record<CiColumn, Cell> = {
    name: `示例-${cls.code}-01`,
    subtype: cls.subtypes[0]?.key,
    status: 'active',
    ip: '192.0.2.10',
    hostname: `example-${cls.code.replace(/_/g, '-')}-01`,
    owner: '',
    org_unit: '',
    description: EXAMPLE_DESCRIPTION,
  };
  return examples[column.key as CiColumn];
}

function helpOf(cls: ClassDef, column: Column): [string, string, string] {
  const a = column.attribute;
  if (a) {
    const hint: Record<AttributeDefinition['type'], string> = {
      string: '文本，最多 2000 个字符',
      number: '数字',
      boolean: '是/否（也可填 true/false、1/0）',
      date: '日期，格式 YYYY-MM-DD（也可使用 Excel 日期单元格）',
      enum: `可选值：${a.options.join('、')}`,
    };
    return [ATTRIBUTE_TYPE_NAMES[a.type].zh, a.required ? '是' : '否', `自定义属性“${a.label.zh}”：${hint[a.type]}`];
  }
  const fixed: Record<CiColumn, [string, string]> = {
    name: ['文本', '同一类别下名称唯一，最多 128 个字符'],
    subtype: ['枚举', `可填编码或中文名：${cls.subtypes.map((s) => `${s.key}（${s.name.zh}）`).join('、')}；可留空`],
    status: ['枚举', `可填编码或中文名：${CI_STATUSES.map((s) => `${s}（${CI_STATUS_NAMES[s].zh}）`).join('、')}；留空为 active（在用）`],
    ip: ['文本', 'IPv4 或 IPv6 地址，可留空'],
    hostname: ['文本', '主机名（字母、数字、连字符和点），可留空'],
    owner: ['文本', '负责人的用户名（或唯一的显示名），可留空'],
    org_unit: ['文本', '所属组织机构的名称、编码或 ID；只能导入到您数据范围内的机构；留空表示不属于任何机构（需要全部数据范围）'],
    description: ['文本', '描述，最多 2000 个字符'],
  };
  const [type, hint] = fixed[column.key as CiColumn];
  return [type, column.required ? '是' : '否', hint];
}

function exportValue(row: CiRow, key: string, attribute?: AttributeDefinition): Cell {
  if (attribute) {
    const v = fromJson<Record<string, unknown>>(row.attributes)[key];
    return v === null || v === undefined ? undefined : typeof v === 'object' ? JSON.stringify(v) : (v as Cell);
  }
  const values: Record<string, Cell> = {
    id: row.id,
    class: row.class_code,
    name: row.name,
    subtype: row.subtype ?? '',
    status: row.status,
    ip: row.ip,
    hostname: row.hostname,
    owner: row.owner_id ? (row.owner_username ?? '') : '',
    org_unit: row.org_unit_id ? (row.org_unit_name ?? '') : '',
    description: row.description,
    attributes: row.attributes,
    created_at: new Date(Number(row.created_at)).toISOString(),
    updated_at: new Date(Number(row.updated_at)).toISOString(),
  };
  return values[key];
}

/** Spreadsheet import and export of CIs, and the import template. */
export class TransferService {
  private readonly repo: CmdbRepository;
  private readonly classes: ClassService;
  private readonly cis: CiService;

  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>) {
    this.repo = new CmdbRepository(ctx.db);
    this.classes = new ClassService(ctx);
    this.cis = new CiService(ctx);
  }

  // ---------------------------------------------------------------- template

  /** An XLSX: the class's columns with an example row, and a sheet explaining each column in Chinese. */
  async template(classId: string): Promise<{ body: Buffer; filename: string }> {
    const cls = await this.classes.require(classId, 'querystring.classId');
    const columns = columnsOf(cls);
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'Yunwei';
    const sheet = workbook.addWorksheet(DATA_SHEET);
    sheet.columns = columns.map((c) => ({ header: headerOf(c.key, c.label, c.required), key: c.key, width: Math.min(40, Math.max(14, headerOf(c.key, c.label, c.required).length * 2)) }));
    sheet.getRow(1).font = { bold: true };
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    const example = sheet.addRow(columns.map((c) => exampleValue(cls, c) ?? ''));
    example.font = { italic: true, color: { argb: 'FF888888' } };
    // Drop-down lists for the columns with a fixed set of values (when Excel can hold the list inline).
    for (const [i, c] of columns.entries()) {
      const options = c.key === 'status' ? [...CI_STATUSES] : c.key === 'subtype' ? cls.subtypes.map((s) => s.key) : c.attribute?.type === 'enum' ? c.attribute.options : c.attribute?.type === 'boolean' ? ['是', '否'] : null;
      if (options && options.join(',').length < 250 && !options.some((o) => /[,"]/.test(o))) {
        for (let r = 2; r <= VALIDATION_ROWS; r++) {
          sheet.getCell(r, i + 1).dataValidation = { type: 'list', allowBlank: true, formulae: [`"${options.join(',')}"`] };
        }
      }
    }

    const help = workbook.addWorksheet(HELP_SHEET);
    help.columns = [
      { header: '列（表头）', key: 'header', width: 28 },
      { header: '字段编码', key: 'key', width: 16 },
      { header: '类型', key: 'type', width: 10 },
      { header: '必填', key: 'required', width: 8 },
      { header: '说明', key: 'hint', width: 80 },
    ];
    help.getRow(1).font = { bold: true };
    for (const c of columns) {
      const [type, required, hint] = helpOf(cls, c);
      help.addRow([headerOf(c.key, c.label, c.required), c.key, type, required, hint]);
    }
    help.addRow([]);
    for (const note of [
      `配置项类别：${cls.name.zh}（${cls.code}）`,
      '第 1 行为表头：带 * 的列必填；请勿修改括号中的字段编码（列的顺序可以调整，不需要的可选列可以删除）。',
      '第 2 行为示例：内容不变时导入会忽略它，可直接覆盖或删除。',
      '每行单独校验：有错误的行不会写入，也不影响其他行的导入；导入结果会逐行列出错误所在的列和原因。',
      `支持 XLSX 和 UTF-8 编码的 CSV（也接受 GB18030/GBK 编码的 CSV）；每次最多 ${IMPORT_LIMITS.rows} 行、${IMPORT_LIMITS.bodyBytes / 1024 / 1024} MB。`,
      '配置项之间的关系（依赖、运行于、部署于、包含、连接）请在导入后在配置项详情中维护。',
    ]) {
      help.addRow([note]);
    }
    const body = Buffer.from(await workbook.xlsx.writeBuffer());
    return { body, filename: `cmdb-template-${cls.code}.xlsx` };
  }

  // ---------------------------------------------------------------- import

  /**
   * Imports the rows of an XLSX or CSV file as CIs of a class. Every row is checked on its own and
   * written in its own transaction with its audit entry, so a bad row never blocks a good one and
   * leaves nothing behind; one more audit entry records the import with its counts.
   */
  async import(actor: Actor, query: ImportQuery, body: unknown): Promise<ImportReport> {
    const cls = await this.classes.require(query.classId, 'querystring.classId');
    if (!Buffer.isBuffer(body)) {
      throw new AppError('YW_UNSUPPORTED_MEDIA_TYPE', { field: 'headers.content-type', expected: [XLSX_TYPE, 'text/csv'] });
    }
    const table = await readTable(body);
    const header = (table[0] ?? []).map((h) => cellText(h));
    if (header.length > MAX_COLUMNS) {
      throw unreadableFile('YW_CMDB_IMPORT_UNREADABLE', `more than ${MAX_COLUMNS} columns`);
    }
    const columns = columnsOf(cls);
    const known = new Map<string, LocalizedText>([...columns.map((c) => [c.key, c.label] as const), ...Object.entries(EXPORT_ONLY)]);
    const at = new Map<string, number>();
    const ignoredColumns: string[] = [];
    for (const [i, h] of header.entries()) {
      if (h === '') {
        continue;
      }
      const key = headerKey(h, known);
      if (key === null || at.has(key)) {
        ignoredColumns.push(h);
      } else if (!(key in EXPORT_ONLY)) {
        at.set(key, i);
      }
    }
    if (!at.has('name')) {
      const column = headerOf('name', CI_COLUMN_LABELS.name, true);
      throw new AppError('YW_CMDB_IMPORT_MISSING_COLUMN', { field: 'body', column, explanation: { zh: `第一行没有“${column}”列`, en: `no "${column}" column in the first row` } });
    }
    const columnName = (key: string) => {
      const i = at.get(key);
      if (i !== undefined) {
        return header[i]!;
      }
      const c = columns.find((x) => x.key === key);
      return c ? headerOf(c.key, c.label, c.required) : key;
    };
    const example = columns.map((c) => [c.key, String(exampleValue(cls, c) ?? '')] as const);
    const rows: { row: number; cells: Cell[] }[] = [];
    for (const [i, cells] of table.entries()) {
      if (i === 0 || cells.every((c) => cellText(c) === '')) {
        continue;
      }
      const isExample = example.every(([key, value]) => (at.has(key) ? cellText(cells[at.get(key)!]) === value : true));
      if (!isExample) {
        rows.push({ row: i + 1, cells });
      }
    }
    if (rows.length > IMPORT_LIMITS.rows) {
      throw new AppError('YW_CMDB_IMPORT_TOO_MANY_ROWS', {
        field: 'body',
        rows: rows.length,
        limit: IMPORT_LIMITS.rows,
        explanation: { zh: `共 ${rows.length} 行，每次最多 ${IMPORT_LIMITS.rows} 行`, en: `${rows.length} rows, at most ${IMPORT_LIMITS.rows} at a time` },
      });
    }

    const resolver = await this.#resolver();
    const seen = new Map<string, number>();
    const results: ImportRowResult[] = [];
    const message = (t: LocalizedText) => pickText(t, actor.locale);
    for (const { row, cells } of rows) {
      const get = (key: string): Cell => (at.has(key) ? cellValue(cells[at.get(key)!]) : undefined);
      const str = (key: string) => unescapeCsvCell(cellText(get(key)));
      const problems: Problem[] = [];
      const subtypeText = str('subtype');
      const subtype = subtypeFromCell(cls.subtypes, subtypeText);
      const statusText = str('status');
      const status = statusFromCell(statusText);
      const draft = { name: str('name'), subtype: subtype === undefined ? subtypeText : subtype, status: status ?? statusText, ip: str('ip'), hostname: str('hostname'), description: str('description') };
      problems.push(...checkCiFields(cls, draft));
      const values: Record<string, unknown> = {};
      for (const a of cls.attributes) {
        const raw = get(a.key);
        const converted = attributeFromCell(a, typeof raw === 'string' ? unescapeCsvCell(raw) : raw);
        if ('problem' in converted) {
          problems.push({ field: `attributes.${a.key}`, message: converted.problem });
        } else {
          values[a.key] = converted.value;
        }
      }
      const attributes = checkAttributes(cls.attributes, values);
      problems.push(...attributes.problems.filter((p) => !problems.some((q) => q.field === p.field)));
      const owner = await resolver.owner(str('owner'));
      if ('problem' in owner) {
        problems.push({ field: 'owner', message: owner.problem });
      }
      const unit = resolver.unit(str('org_unit'));
      if ('problem' in unit) {
        problems.push({ field: 'org_unit', message: unit.problem });
      } else if (!inScope(actor, P.ciImport, unit.id)) {
        problems.push({ field: 'org_unit', message: unit.id ? text('该机构不在您的数据范围内', 'is outside your data scope') : text('不填机构需要全部数据范围，请填写您范围内的机构', 'a CI without a unit needs an unrestricted scope: name a unit of yours') });
      }
      const earlier = seen.get(draft.name);
      if (draft.name !== '' && earlier !== undefined) {
        problems.push({ field: 'name', message: text(`与第 ${earlier} 行重名`, `duplicates row ${earlier}`) });
      } else if (draft.name !== '') {
        seen.set(draft.name, row);
      }
      const errors = () => problems.map((p) => ({ column: columnName(p.field.replace(/^attributes\./, '')), message: message(p.message) }));
      if (problems.length || 'problem' in owner || 'problem' in unit) {
        results.push({ row, status: 'failed', errors: errors() });
        continue;
      }
      const now = Date.now();
      const record: CmdbCiTable = {
        id: uuidv7(),
        class_id: cls.id,
        subtype: draft.subtype,
        name: draft.name,
        status: draft.status as CmdbCiTable['status'],
        ip: draft.ip,
        hostname: draft.hostname,
        owner_id: owner.id,
        org_unit_id: unit.id,
        attributes: toJson(attributes.values),
        description: draft.description,
        created_at: now,
        updated_at: now,
      };
      try {
        await this.ctx.db.transaction().execute((trx) => this.cis.insert(trx, actor, record, { import: { filename: query.filename ?? '', row } }));
        results.push({ row, status: 'imported', errors: [], ciId: record.id });
      } catch (error) {
        if (isAppError(error) && error.code === 'YW_CMDB_CI_NAME_TAKEN') {
          problems.push({ field: 'name', message: text('该类别下已有同名配置项', 'a CI of this class already has this name') });
          results.push({ row, status: 'failed', errors: errors() });
        } else {
          throw error;
        }
      }
    }
    const imported = results.filter((r) => r.status === 'imported').length;
    const report: ImportReport = { imported, failed: results.length - imported, total: results.length, ignoredColumns, rows: results };
    await this.ctx.audit.recordNow({
      actor,
      action: 'cmdb.ci.import',
      targetType: 'cmdb_class',
      targetId: cls.id,
      outcome: report.failed && !report.imported ? 'failure' : 'success',
      after: { class: cls.code, filename: query.filename ?? '', total: report.total, imported, failed: report.failed, failedRows: results.filter((r) => r.status === 'failed').map((r) => r.row), ignoredColumns },
    });
    return report;
  }

  /** Looks up owners (user name or unique display name) and units (id, code or unique name). */
  async #resolver() {
    const units = await this.repo.allOrgUnits();
    const owners = new Map<string, { id: string | null } | { problem: LocalizedText }>();
    return {
      owner: async (value: string): Promise<{ id: string | null } | { problem: LocalizedText }> => {
        if (value === '') {
          return { id: null };
        }
        if (!owners.has(value)) {
          const found = await this.repo.findUserByName(value);
          const exact = found.filter((u) => u.username === value);
          const pick = exact.length === 1 ? exact : found;
          owners.set(value, pick.length === 1 ? { id: pick[0]!.id } : pick.length ? { problem: text(`有多个用户名为“${value}”，请填写用户名`, `several users are called "${value}": use the user name`) } : { problem: text(`找不到用户“${value}”`, `no user "${value}"`) });
        }
        return owners.get(value)!;
      },
      unit: (value: string): { id: string | null } | { problem: LocalizedText } => {
        if (value === '') {
          return { id: null };
        }
        const byId = units.find((u) => u.id === value) ?? units.find((u) => u.code !== '' && u.code === value);
        if (byId) {
          return { id: byId.id };
        }
        const named = units.filter((u) => u.name === value);
        if (named.length === 1) {
          return { id: named[0]!.id };
        }
        return named.length
          ? { problem: text(`有多个机构名为“${value}”，请填写机构编码或 ID`, `several units are called "${value}": use the unit's code or id`) }
          : { problem: text(`找不到组织机构“${value}”`, `no organisation unit "${value}"`) };
      },
    };
  }

  // ---------------------------------------------------------------- export

  /**
   * CIs matching the filters as CSV (UTF-8 with BOM) or XLSX, in the import's format: exported with
   * a classId, the file imports back into that class. The export itself is audited.
   */
  async export(actor: Actor, query: CiExportQuery): Promise<{ stream: Readable; contentType: string; filename: string }> {
    const { format, sort, order, ...filters } = query;
    const cls = filters.classId ? await this.classes.require(filters.classId, 'querystring.classId') : null;
    const filter = await this.cis.filterOf(actor, filters, P.ciRead);
    const columns: Column[] = cls
      ? [{ key: 'id', label: EXPORT_ONLY.id!, required: false }, ...columnsOf(cls), { key: 'created_at', label: EXPORT_ONLY.created_at!, required: false }, { key: 'updated_at', label: EXPORT_ONLY.updated_at!, required: false }]
      : [
          { key: 'id', label: EXPORT_ONLY.id!, required: false },
          { key: 'class', label: EXPORT_ONLY.class!, required: false },
          ...CI_COLUMNS.map((key) => ({ key, label: CI_COLUMN_LABELS[key], required: key === 'name' })),
          { key: 'attributes', label: EXPORT_ONLY.attributes!, required: false },
          { key: 'created_at', label: EXPORT_ONLY.created_at!, required: false },
          { key: 'updated_at', label: EXPORT_ONLY.updated_at!, required: false },
        ];
    await this.ctx.audit.recordNow({ actor, action: 'cmdb.ci.export', targetType: 'cmdb_ci', after: { format, filters, scope: scopeOf(actor, P.ciRead) === null ? 'all' : 'limited' } });
    const headers = columns.map((c) => headerOf(c.key, c.label, c.required));
    const values = (row: CiRow) => columns.map((c) => exportValue(row, c.key, c.attribute));
    const stamp = new Date().toISOString().slice(0, 10);
    const base = `cmdb-${cls?.code ?? 'cis'}-${stamp}`;
    const out = new PassThrough();
    const rows = this.repo.scanCis(filter, sort ?? 'name', order ?? 'asc');
    if (format === 'csv') {
      void (async () => {
        out.write('\uFEFF' + headers.map((h) => csvCell(h)).join(',') + '\n');
        for await (const page of rows) {
          out.write(page.map((r) => values(r).map((v) => csvCell(v instanceof Date ? v.toISOString() : v)).join(',')).join('\n') + '\n');
        }
        out.end();
      })().catch((error: unknown) => out.destroy(error as Error));
      return { stream: out, contentType: 'text/csv; charset=utf-8', filename: `${base}.csv` };
    }
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
    const sheet = workbook.addWorksheet(DATA_SHEET);
    sheet.columns = headers.map((h, i) => ({ header: h, key: columns[i]!.key, width: Math.max(14, Math.min(60, h.length * 2)) }));
    void (async () => {
      for await (const page of rows) {
        for (const r of page) {
          sheet.addRow(values(r).map((v) => v ?? null)).commit();
        }
      }
      sheet.commit();
      await workbook.commit();
    })().catch((error: unknown) => out.destroy(error as Error));
    return { stream: out, contentType: XLSX_TYPE, filename: `${base}.xlsx` };
  }
}

/** The cells of the first worksheet of an XLSX, or of a CSV (UTF-8, else GB18030). Row 0 is the header. */
async function readTable(body: Buffer): Promise<Cell[][]> {
  if (body.length === 0) {
    throw unreadableFile('YW_CMDB_IMPORT_UNREADABLE', 'empty file');
  }
  if (looksLikeLegacyXls(body)) {
    throw unreadableFile('YW_CMDB_IMPORT_UNREADABLE', 'legacy .xls: save the file as .xlsx or CSV');
  }
  if (looksLikeXlsx(body)) {
    await assertSafeOfficeZip(body, { unreadable: (reason) => unreadableFile('YW_CMDB_IMPORT_UNREADABLE', reason) });
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(body as unknown as ArrayBuffer);
    } catch (error) {
      throw unreadableFile('YW_CMDB_IMPORT_UNREADABLE', (error as Error).message.slice(0, 200));
    }
    const sheet = workbook.getWorksheet(DATA_SHEET) ?? workbook.worksheets[0];
    if (!sheet) {
      throw unreadableFile('YW_CMDB_IMPORT_UNREADABLE', 'no worksheet');
    }
    const table: Cell[][] = [];
    const last = Math.min(sheet.rowCount, IMPORT_LIMITS.rows * 2 + 10);
    for (let r = 1; r <= last; r++) {
      const row = sheet.getRow(r);
      const cells: Cell[] = [];
      for (let c = 1; c <= Math.min(row.cellCount, MAX_COLUMNS + 1); c++) {
        cells.push(cellValue(row.getCell(c).value));
      }
      table.push(cells);
    }
    if (sheet.rowCount > last) {
      throw new AppError('YW_CMDB_IMPORT_TOO_MANY_ROWS', { field: 'body', rows: sheet.rowCount - 1, limit: IMPORT_LIMITS.rows });
    }
    return table;
  }
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    try {
      decoded = new TextDecoder('gb18030', { fatal: true }).decode(body);
    } catch {
      throw unreadableFile('YW_CMDB_IMPORT_UNREADABLE', 'not UTF-8 or GB18030 text');
    }
  }
  if (decoded.includes('\u0000')) {
    throw unreadableFile('YW_CMDB_IMPORT_UNREADABLE', 'binary data');
  }
  return parseCsv(decoded);
}
