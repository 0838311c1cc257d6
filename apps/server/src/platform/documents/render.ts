import { DOCX_TYPE, PDF_TYPE, type DocumentFormat, type WrittenDocument } from '@yunwei/contracts/documents';
import type { Locale } from '@yunwei/contracts/i18n';
import { renderDocx } from './docx.js';
import { renderPdf } from './pdf.js';

/** A rendered document, ready to be sent as a download. */
export interface DocumentFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

/** The document as a file of `format`, named `<name>.<format>`. */
export async function renderDocument(doc: WrittenDocument, format: DocumentFormat, name: string, locale: Locale): Promise<DocumentFile> {
  const filename = `${name}.${format}`;
  if (format === 'pdf') {
    return { filename, contentType: PDF_TYPE, body: await renderPdf(doc, { locale }) };
  }
  return { filename, contentType: DOCX_TYPE, body: await renderDocx(doc, { locale }) };
}
