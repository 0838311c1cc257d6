import { DOCX_TYPE, PDF_TYPE, XLSX_TYPE, type TabularFormat, type WrittenDocument } from '@yunwei/contracts/documents';
import type { Locale } from '@yunwei/contracts/i18n';
import { renderDocx } from './docx.js';
import { renderPdf } from './pdf.js';
import { renderXlsx } from './xlsx.js';

/** A rendered document, ready to be sent as a download. */
export interface DocumentFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

/** The document as a file of `format`, named `<name>.<format>` (a workbook only for reports made of tables). */
export async function renderDocument(doc: WrittenDocument, format: TabularFormat, name: string, locale: Locale): Promise<DocumentFile> {
  const filename = `${name}.${format}`;
  switch (format) {
    case 'pdf':
      return { filename, contentType: PDF_TYPE, body: await renderPdf(doc, { locale }) };
    case 'xlsx':
      return { filename, contentType: XLSX_TYPE, body: await renderXlsx(doc, { locale }) };
    case 'docx':
      return { filename, contentType: DOCX_TYPE, body: await renderDocx(doc, { locale }) };
  }
}
