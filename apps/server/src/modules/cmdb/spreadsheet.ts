/**
 * Reading and writing the spreadsheets of CMDB import / export: CSV (RFC 4180, UTF-8 with or without
 * BOM) and the cell values of ExcelJS. Pure.
 */

/** Rows of a CSV text; quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(input: string): string[][] {
  const textIn = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < textIn.length) {
    const c = textIn[i]!;
    if (quoted) {
      if (c === '"') {
        if (textIn[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (c === '\r' && textIn[i + 1] === '\n') {
        i++;
      }
    } else {
      field += c;
    }
    i++;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * One CSV cell. Text starting with = + - @ (or a tab / CR) would run as a formula in Excel: it gets
 * a leading apostrophe (CSV injection), which `unescapeCsvCell` removes on import.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) {
    return '';
  }
  const text = String(value);
  const safe = typeof value === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function unescapeCsvCell(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

/** The value of an ExcelJS cell: text, number, boolean, Date, or undefined when empty. */
export function cellValue(raw: unknown): string | number | boolean | Date | undefined {
  if (raw === null || raw === undefined) {
    return undefined;
  }
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' || raw instanceof Date) {
    return raw;
  }
  if (typeof raw === 'object') {
    const o = raw as { richText?: { text: string }[]; text?: unknown; result?: unknown; formula?: unknown; error?: unknown; hyperlink?: unknown };
    if (Array.isArray(o.richText)) {
      return o.richText.map((r) => r.text).join('');
    }
    if ('result' in o || 'formula' in o) {
      return cellValue(o.result);
    }
    if ('text' in o) {
      return cellValue(o.text);
    }
    if ('error' in o) {
      return undefined;
    }
  }
  return String(raw);
}

/** A cell as text (numbers as written, dates as YYYY-MM-DD), trimmed. */
export function cellText(raw: unknown): string {
  const v = cellValue(raw);
  if (v === undefined) {
    return '';
  }
  if (v instanceof Date) {
    return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  }
  return String(v).trim();
}

/**
 * The key a header cell names. Headers are written as `*名称 (name)`; a user may also write the key
 * alone, or the Chinese or English label. Returns the key or null.
 */
export function headerKey(header: string, labels: ReadonlyMap<string, { zh: string; en: string }>): string | null {
  const h = header.replace(/^\uFEFF/, '').trim().replace(/^\*\s*/, '');
  const inParens = /[(（]\s*([A-Za-z0-9_]+)\s*[)）]\s*$/.exec(h);
  if (inParens && labels.has(inParens[1]!.toLowerCase())) {
    return inParens[1]!.toLowerCase();
  }
  const plain = h.toLowerCase();
  if (labels.has(plain)) {
    return plain;
  }
  for (const [key, label] of labels) {
    if (label.zh === h || label.en.toLowerCase() === plain) {
      return key;
    }
  }
  return null;
}

/** A header as written in templates and exports: `*名称 (name)` (the star marks a required column). */
export function headerOf(key: string, label: { zh: string }, required: boolean): string {
  return `${required ? '*' : ''}${label.zh} (${key})`;
}

/** True when the bytes are a ZIP container (XLSX); old binary .xls files start D0 CF 11 E0. */
export function looksLikeXlsx(bytes: Buffer): boolean {
  return bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export function looksLikeLegacyXls(bytes: Buffer): boolean {
  return bytes.length > 4 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
}
