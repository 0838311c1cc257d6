import mammoth from 'mammoth';
import { DOCX_TYPE, type DocumentFormat } from '@yunwei/contracts/documents';
import { LIBRARY_LIMITS, type LibraryBody, type LibraryImportResult, type LibraryVersionStatus } from '@yunwei/contracts/library';
import type { Locale } from '@yunwei/contracts/i18n';
import { fromJson } from '../../db/dialect.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { renderDocument, type DocumentFile } from '../../platform/documents/render.js';
import { assertSafeOfficeZip } from '../../platform/uploads/office-zip-guard.js';
import { unreadableFile } from '../../platform/uploads/unreadable-file.js';
import { formatMessageTime } from '../../platform/notify/message-format.js';
import { toWrittenDocument } from './library-body.js';
import type { LibraryService } from './library.service.js';

const STATUS_NAMES: Record<LibraryVersionStatus | 'retired', { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  in_review: { zh: '审批中', en: 'In review' },
  approved: { zh: '已批准', en: 'Approved' },
  published: { zh: '已发布', en: 'Published' },
  superseded: { zh: '已被替代', en: 'Superseded' },
  retired: { zh: '已废止', en: 'Retired' },
};

const FACT_LABELS = {
  zh: { number: '文档编号', version: '版本', type: '类型', unit: '编制单位', author: '编制人', date: '日期', status: '状态', wholeOrg: '全机构' },
  en: { number: 'Number', version: 'Version', type: 'Type', unit: 'Organisation unit', author: 'Author', date: 'Date', status: 'Status', wholeOrg: 'Whole organisation' },
} as const;

/** Characters no file system takes in a name. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what a file name must not carry
const UNSAFE_NAME = /[\\/:*?"<>|\u0000-\u001f]+/g;

/** A version's downloads (Word, PDF) and the import of an existing .docx. */
export class LibraryFiles {
  constructor(
    private readonly service: LibraryService,
    private readonly ctx: Pick<ModuleContext, 'audit' | 'config'>,
  ) {}

  /** The version as a file: the body's sections and blocks under a cover of facts, named by number, title and version. */
  async download(actor: Actor, id: string, versionId: string, format: DocumentFormat, locale: Locale): Promise<DocumentFile> {
    const { document: d, version: v } = await this.service.readVersion(actor, id, versionId);
    const lang = locale === 'en' ? 'en' : 'zh';
    const labels = FACT_LABELS[lang];
    const status = d.status === 'retired' ? STATUS_NAMES.retired : STATUS_NAMES[v.status];
    const date = formatMessageTime(Number(v.published_at ?? v.updated_at), this.ctx.config.timeZone).slice(0, 10);
    const written = toWrittenDocument(fromJson<LibraryBody>(v.body), {
      title: d.title,
      facts: [
        [labels.number, d.number],
        [labels.version, v.label],
        [labels.type, lang === 'en' ? d.type_name_en : d.type_name_zh],
        [labels.unit, d.unit_name ?? labels.wholeOrg],
        [labels.author, v.author_name ?? v.author_id],
        [labels.date, date],
        [labels.status, status[lang]],
      ],
    });
    const name = `${d.number} ${d.title} ${v.label}`.replace(UNSAFE_NAME, '_').slice(0, 150);
    const file = await renderDocument(written, format, name, locale);
    // Who took a copy of which version (as the other modules' downloads are).
    await this.ctx.audit.recordNow({ actor, action: 'library.version.download', targetType: 'library_document', targetId: d.id, after: { version: v.label, filename: file.filename } });
    return file;
  }

  /**
   * An uploaded .docx as HTML for the editor. Nothing is stored: the person reviews the result in the editor
   * and saves it as a new document. HTML goes back (not Tiptap JSON) because the editor's own HTML parser
   * is the one place that knows its schema: it keeps exactly the nodes and marks it supports and drops the
   * rest, so the server does not keep a second copy of the schema in step with the web's extensions; what
   * the editor then saves is checked by `validateBody` like any other edit.
   */
  async importDocx(body: Buffer): Promise<LibraryImportResult> {
    const unreadable = (reason: string) => unreadableFile('YW_LIBRARY_IMPORT_UNREADABLE', reason);
    if (!Buffer.isBuffer(body)) {
      // Another content type that Fastify parses by itself (text/plain, JSON).
      throw new AppError('YW_UNSUPPORTED_MEDIA_TYPE', { field: 'body', expected: DOCX_TYPE });
    }
    if (body.length < 4) {
      throw unreadable('empty file');
    }
    if (body.readUInt32LE(0) !== 0x04034b50) {
      throw unreadable('not a .docx file (a Word 2007+ document)');
    }
    // A .docx is a ZIP: mammoth (JSZip) inflates whole entries in memory, so the bomb guard runs first.
    await assertSafeOfficeZip(body, { limits: { maxUncompressedBytes: LIBRARY_LIMITS.importUncompressedBytes }, unreadable });
    const warnings: string[] = [];
    let dropped = 0;
    let result: { value: string; messages: { type: string; message: string }[] };
    try {
      result = await mammoth.convertToHtml(
        { buffer: body },
        {
          // Never follow links to files outside the upload (mammoth can read linked images from disk).
          externalFileAccess: false,
          convertImage: mammoth.images.imgElement(async (image) => {
            const type = image.contentType;
            if (type !== 'image/png' && type !== 'image/jpeg') {
              dropped++;
              return { src: '' };
            }
            const data = await image.readAsBase64String();
            if (Math.floor((data.length * 3) / 4) > LIBRARY_LIMITS.imageBytes) {
              dropped++;
              return { src: '' };
            }
            return { src: `data:${type};base64,${data}` };
          }),
        },
      );
    } catch (error) {
      throw unreadable(error instanceof Error ? error.message.slice(0, 200) : 'not a Word document');
    }
    for (const m of result.messages) {
      warnings.push(`${m.type}: ${m.message}`.slice(0, 500));
    }
    if (dropped > 0) {
      warnings.push(`${dropped} picture(s) left out: only PNG or JPEG of at most ${LIBRARY_LIMITS.imageBytes / 1024 / 1024} MB are kept`);
    }
    const html = result.value.replace(/<img src=""[^>]*>/g, '');
    return { html, warnings: warnings.slice(0, 100), suggestedTitle: firstText(html) };
  }
}

/** The text of the first heading or paragraph (tags stripped, entities of the five XML characters decoded). */
function firstText(html: string): string {
  const m = /<(h[1-6]|p)[^>]*>(.*?)<\/\1>/s.exec(html);
  if (!m) {
    return '';
  }
  return m[2]!
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim()
    .slice(0, 200);
}
