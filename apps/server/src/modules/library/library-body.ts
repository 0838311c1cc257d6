import type { DocumentBlock, DocumentRun, DocumentSection, WrittenDocument } from '@yunwei/contracts/documents';
import { LIBRARY_LIMITS, LIBRARY_MARK_TYPES, LIBRARY_NODE_TYPES, type LibraryBody } from '@yunwei/contracts/library';
import { invalidField } from '../../platform/errors.js';

/**
 * The editor's saved model (ProseMirror JSON from Tiptap: StarterKit + Table + Image + Underline) on the
 * server: checked on write, turned into plain text (search, diff) and into a WrittenDocument (Word, PDF).
 */

export interface PmMark {
  type: string;
  attrs?: Record<string, unknown>;
}

export interface PmNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: PmNode[];
  marks?: PmMark[];
  text?: string;
}

export const EMPTY_BODY: LibraryBody = { type: 'doc', content: [{ type: 'paragraph' }] };

const NODE_TYPES = new Set<string>(LIBRARY_NODE_TYPES);
const MARK_TYPES = new Set<string>(LIBRARY_MARK_TYPES);
const NODE_KEYS = new Set(['type', 'attrs', 'content', 'marks', 'text']);
const MARK_KEYS = new Set(['type', 'attrs']);
const MAX_ATTR_TEXT = 2000;
const MAX_ATTRS = 12;
const IMAGE_DATA = /^data:(image\/(?:png|jpeg));base64,([A-Za-z0-9+/]*={0,2})$/;
/** Links the web may render as <a href>: never javascript: or data:. */
const SAFE_HREF = /^(?:https?:\/\/|mailto:|\/|#)/i;

const says = (zh: string, en: string) => ({ zh, en });

/**
 * Throws 400 naming the first bad place (`body.body.content.3.attrs.src`) when `body` is not a document the
 * editor could have saved: unknown node or mark types, nesting deeper than 20, more than 2 MB, images that are
 * not PNG / JPEG data of at most 1 MB, links that are not web or mail addresses.
 */
export function validateBody(body: LibraryBody, field = 'body.body'): void {
  const bytes = Buffer.byteLength(JSON.stringify(body), 'utf8');
  if (bytes > LIBRARY_LIMITS.bodyBytes) {
    throw invalidField(field, says(`文档内容过大（${mb(bytes)}），最大 ${mb(LIBRARY_LIMITS.bodyBytes)}（含图片）`, `the document is too large (${mb(bytes)}); at most ${mb(LIBRARY_LIMITS.bodyBytes)} including pictures`));
  }
  checkNode(body as unknown, field, 1);
}

function mb(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkNode(value: unknown, at: string, depth: number): void {
  if (depth > LIBRARY_LIMITS.depth) {
    throw invalidField(at, says(`嵌套层次过深（最多 ${LIBRARY_LIMITS.depth} 层）`, `nested too deeply (at most ${LIBRARY_LIMITS.depth} levels)`));
  }
  if (!isObject(value)) {
    throw invalidField(at, says('应为编辑器的节点对象', 'must be an editor node object'));
  }
  for (const key of Object.keys(value)) {
    if (!NODE_KEYS.has(key)) {
      throw invalidField(`${at}.${key}`, says('不是编辑器节点的属性', 'is not a property of an editor node'));
    }
  }
  const type = value.type;
  if (typeof type !== 'string' || !NODE_TYPES.has(type)) {
    throw invalidField(`${at}.type`, says(`不支持的内容类型「${String(type).slice(0, 40)}」`, `unsupported node type "${String(type).slice(0, 40)}"`));
  }
  if (depth === 1 && type !== 'doc') {
    throw invalidField(`${at}.type`, says('文档的根节点应为 doc', 'the root node must be doc'));
  }
  if (depth > 1 && type === 'doc') {
    throw invalidField(`${at}.type`, says('doc 只能是根节点', 'doc may only be the root node'));
  }
  checkAttrs(type, value.attrs, `${at}.attrs`);
  if (type === 'text') {
    if (typeof value.text !== 'string' || value.text.length === 0) {
      throw invalidField(`${at}.text`, says('文本节点须有文字', 'a text node needs text'));
    }
    if (value.content !== undefined) {
      throw invalidField(`${at}.content`, says('文本节点不能有子节点', 'a text node has no children'));
    }
    if (value.marks !== undefined) {
      checkMarks(value.marks, `${at}.marks`);
    }
    return;
  }
  if (value.text !== undefined) {
    throw invalidField(`${at}.text`, says('只有文本节点可以有文字', 'only text nodes carry text'));
  }
  if (value.marks !== undefined) {
    throw invalidField(`${at}.marks`, says('只有文本节点可以有格式', 'only text nodes carry marks'));
  }
  if (value.content !== undefined) {
    if (!Array.isArray(value.content)) {
      throw invalidField(`${at}.content`, says('应为节点数组', 'must be an array of nodes'));
    }
    value.content.forEach((child, i) => checkNode(child, `${at}.content.${i}`, depth + 1));
  }
}

function checkMarks(marks: unknown, at: string): void {
  if (!Array.isArray(marks) || marks.length > MARK_TYPES.size) {
    throw invalidField(at, says('应为格式数组', 'must be an array of marks'));
  }
  marks.forEach((mark, i) => {
    const here = `${at}.${i}`;
    if (!isObject(mark)) {
      throw invalidField(here, says('应为格式对象', 'must be a mark object'));
    }
    for (const key of Object.keys(mark)) {
      if (!MARK_KEYS.has(key)) {
        throw invalidField(`${here}.${key}`, says('不是格式的属性', 'is not a property of a mark'));
      }
    }
    if (typeof mark.type !== 'string' || !MARK_TYPES.has(mark.type)) {
      throw invalidField(`${here}.type`, says(`不支持的格式「${String(mark.type).slice(0, 40)}」`, `unsupported mark "${String(mark.type).slice(0, 40)}"`));
    }
    checkAttrs(mark.type, mark.attrs, `${here}.attrs`);
  });
}

function checkAttrs(type: string, attrs: unknown, at: string): void {
  if (attrs === undefined) {
    if (type === 'image') {
      throw invalidField(`${at}.src`, says('图片须有内容', 'an image needs its data'));
    }
    return;
  }
  if (!isObject(attrs) || Object.keys(attrs).length > MAX_ATTRS) {
    throw invalidField(at, says('应为属性对象', 'must be an attributes object'));
  }
  for (const [key, value] of Object.entries(attrs)) {
    const here = `${at}.${key}`;
    if (key === 'colwidth') {
      if (value !== null && !(Array.isArray(value) && value.length <= 100 && value.every((w) => typeof w === 'number' && Number.isFinite(w) && w >= 0 && w <= 10_000))) {
        throw invalidField(here, says('应为列宽数组', 'must be an array of column widths'));
      }
      continue;
    }
    if (type === 'image' && key === 'src') {
      continue;
    }
    const ok = value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= 1_000_000) || (typeof value === 'string' && value.length <= MAX_ATTR_TEXT);
    if (!ok) {
      throw invalidField(here, says('属性值不正确', 'is not a valid attribute value'));
    }
  }
  if (type === 'heading') {
    const level = attrs.level;
    if (!(typeof level === 'number' && Number.isInteger(level) && level >= 1 && level <= 6)) {
      throw invalidField(`${at}.level`, says('标题级别应为 1 到 6', 'the heading level must be 1 to 6'));
    }
  }
  if (type === 'link') {
    const href = attrs.href;
    if (typeof href !== 'string' || !SAFE_HREF.test(href)) {
      throw invalidField(`${at}.href`, says('链接须以 http://、https://、mailto: 或 / 开头', 'a link must start with http://, https://, mailto: or /'));
    }
  }
  if (type === 'image') {
    imageOf(attrs.src, `${at}.src`);
  }
}

/** The picture of an image node: PNG or JPEG base64 of at most 1 MB, with its pixel size read from its header. */
export function imageOf(src: unknown, at: string): { mime: 'image/png' | 'image/jpeg'; data: string; width: number; height: number } {
  const m = typeof src === 'string' ? IMAGE_DATA.exec(src) : null;
  if (!m) {
    throw invalidField(at, says('图片只能是嵌入的 PNG 或 JPEG（data:image/png 或 data:image/jpeg 的 base64）', 'an image must be embedded PNG or JPEG (base64 data:image/png or data:image/jpeg)'));
  }
  const data = m[2]!;
  const bytes = Math.floor((data.length * 3) / 4);
  if (bytes > LIBRARY_LIMITS.imageBytes) {
    throw invalidField(at, says(`图片过大（${mb(bytes)}），每张最大 ${mb(LIBRARY_LIMITS.imageBytes)}`, `the picture is too large (${mb(bytes)}); at most ${mb(LIBRARY_LIMITS.imageBytes)} each`));
  }
  const mime = m[1] as 'image/png' | 'image/jpeg';
  const size = pixelSize(Buffer.from(data, 'base64'), mime);
  if (!size) {
    throw invalidField(at, says(`图片内容不是有效的 ${mime === 'image/png' ? 'PNG' : 'JPEG'}`, `the picture is not a valid ${mime === 'image/png' ? 'PNG' : 'JPEG'}`));
  }
  return { mime, data, ...size };
}

/** Width and height from a PNG's IHDR or a JPEG's first SOF marker; null when the header is not there. */
export function pixelSize(bytes: Buffer, mime: 'image/png' | 'image/jpeg'): { width: number; height: number } | null {
  if (mime === 'image/png') {
    if (bytes.length < 24 || bytes.readUInt32BE(0) !== 0x89504e47 || bytes.toString('latin1', 12, 16) !== 'IHDR') {
      return null;
    }
    return sane(bytes.readUInt32BE(16), bytes.readUInt32BE(20));
  }
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) {
    return null;
  }
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) {
      return null;
    }
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    const length = bytes.readUInt16BE(i + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return sane(bytes.readUInt16BE(i + 7), bytes.readUInt16BE(i + 5));
    }
    i += 2 + length;
  }
  return null;
}

function sane(width: number, height: number): { width: number; height: number } | null {
  return width >= 1 && height >= 1 && width <= 100_000 && height <= 100_000 ? { width, height } : null;
}

// ---------------------------------------------------------------- plain text

const children = (node: PmNode): PmNode[] => node.content ?? [];

/** The text of a node's inline content (hard breaks as new lines). */
export function inlineText(node: PmNode): string {
  if (node.type === 'text') {
    return node.text ?? '';
  }
  if (node.type === 'hardBreak') {
    return '\n';
  }
  if (node.type === 'image') {
    return '';
  }
  return children(node).map(inlineText).join('');
}

/** The text of a node and everything in it, paragraphs joined by a space. */
function deepText(node: PmNode): string {
  if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'codeBlock') {
    return inlineText(node);
  }
  return children(node)
    .map(deepText)
    .filter((t) => t !== '')
    .join(' ');
}

/**
 * The document as lines of text, one per block (heading, paragraph, list item, table row, code block,
 * picture): what the side-by-side diff compares and what search reads.
 */
export function bodyLines(body: LibraryBody): string[] {
  const out: string[] = [];
  const walk = (node: PmNode, depth: number): void => {
    switch (node.type) {
      case 'heading':
        out.push(`${'#'.repeat(headingLevel(node))} ${inlineText(node)}`);
        return;
      case 'paragraph': {
        const text = inlineText(node);
        if (text.trim() !== '') {
          out.push(unmarked(text));
        }
        for (const image of children(node).filter((c) => c.type === 'image')) {
          walk(image, depth);
        }
        return;
      }
      case 'bulletList':
      case 'orderedList':
        children(node).forEach((item, i) => {
          const own = children(item).filter((c) => c.type !== 'bulletList' && c.type !== 'orderedList').map(deepText).join(' ');
          out.push(`${'  '.repeat(depth)}${node.type === 'orderedList' ? `${listStart(node) + i}.` : '•'} ${own}`);
          for (const nested of children(item).filter((c) => c.type === 'bulletList' || c.type === 'orderedList')) {
            walk(nested, depth + 1);
          }
        });
        return;
      case 'codeBlock':
        out.push(unmarked(inlineText(node)));
        return;
      case 'table':
        for (const row of children(node)) {
          out.push(`| ${children(row).map(deepText).join(' | ')} |`);
        }
        return;
      case 'image':
        out.push(`[图片 image${typeof node.attrs?.alt === 'string' && node.attrs.alt ? `: ${node.attrs.alt}` : ''}]`);
        return;
      case 'horizontalRule':
        out.push('———');
        return;
      default:
        for (const child of children(node)) {
          walk(child, depth);
        }
    }
  };
  walk(body as PmNode, 0);
  return out;
}

/**
 * A paragraph or code text that would read as a heading (`# …`) or a table row (`| … |`) line gets a `\`
 * in front (and one more `\` for text already starting with `\` before such a marker), so that the diff
 * page, which shows heading and row lines without their markers, tells `# 注释` in a script from a heading.
 */
function unmarked(text: string): string {
  return /^\\*(#{1,6} |\| .* \|$)/s.test(text) ? `\\${text}` : text;
}

/** The body's plain text (search, previews). */
export function bodyText(body: LibraryBody): string {
  return bodyLines(body).join('\n');
}

function headingLevel(node: PmNode): number {
  const level = Number(node.attrs?.level ?? 1);
  return Number.isInteger(level) && level >= 1 ? Math.min(level, 6) : 1;
}

function listStart(node: PmNode): number {
  const start = Number(node.attrs?.start ?? 1);
  return Number.isInteger(start) ? start : 1;
}

// ---------------------------------------------------------------- WrittenDocument

/** One inline run per stretch of text with the same marks (links keep their text; the renderers have no links). */
function runsOf(node: PmNode): DocumentRun[] {
  const runs: DocumentRun[] = [];
  const visit = (n: PmNode): void => {
    if (n.type === 'text' || n.type === 'hardBreak') {
      const marks = new Set((n.marks ?? []).map((m) => m.type));
      const run: DocumentRun = { text: n.type === 'text' ? (n.text ?? '') : '\n' };
      if (marks.has('bold')) {run.bold = true;}
      if (marks.has('italic')) {run.italic = true;}
      if (marks.has('underline')) {run.underline = true;}
      if (marks.has('strike')) {run.strike = true;}
      if (marks.has('code')) {run.code = true;}
      const last = runs.at(-1);
      if (last && sameMarks(last, run)) {
        last.text += run.text;
      } else {
        runs.push(run);
      }
      return;
    }
    for (const child of children(n)) {
      visit(child);
    }
  };
  visit(node);
  return runs;
}

function sameMarks(a: DocumentRun, b: DocumentRun): boolean {
  return !!a.bold === !!b.bold && !!a.italic === !!b.italic && !!a.underline === !!b.underline && !!a.strike === !!b.strike && !!a.code === !!b.code;
}

function paragraphBlock(node: PmNode): DocumentBlock | null {
  const runs = runsOf(node);
  const text = runs.map((r) => r.text).join('');
  if (text.trim() === '') {
    return null;
  }
  return runs.some((r) => r.bold || r.italic || r.underline || r.strike || r.code) ? { kind: 'paragraph', text, runs } : { kind: 'paragraph', text };
}

function imageBlock(node: PmNode): DocumentBlock | null {
  try {
    const image = imageOf(node.attrs?.src, 'src');
    const width = positive(node.attrs?.width) ?? image.width;
    const height = positive(node.attrs?.height) ?? Math.round((image.height * width) / image.width);
    const caption = [node.attrs?.title, node.attrs?.alt].find((x): x is string => typeof x === 'string' && x.trim() !== '');
    return { kind: 'image', mime: image.mime, data: image.data, width: clampPx(width), height: clampPx(height), ...(caption ? { caption: caption.slice(0, 500) } : {}) };
  } catch {
    // Only stored, validated bodies get here; a picture that no longer reads is left out rather than failing the download.
    return null;
  }
}

function positive(value: unknown): number | null {
  const n = typeof value === 'string' ? Number.parseFloat(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 1 ? Math.round(n) : null;
}

const clampPx = (n: number) => Math.max(1, Math.min(10_000, Math.round(n)));

/** The items of a list, nested lists flattened under their item (indented with ideographic spaces). */
function listItems(node: PmNode, depth: number, out: string[]): void {
  children(node).forEach((item, i) => {
    const own = children(item).filter((c) => c.type !== 'bulletList' && c.type !== 'orderedList').map(deepText).join(' ');
    const marker = depth === 0 ? '' : node.type === 'orderedList' ? `${listStart(node) + i}. ` : '• ';
    out.push(`${'\u3000'.repeat(depth)}${marker}${own}`);
    for (const nested of children(item).filter((c) => c.type === 'bulletList' || c.type === 'orderedList')) {
      listItems(nested, depth + 1, out);
    }
  });
}

function tableBlock(node: PmNode): DocumentBlock | null {
  const rows = children(node).map((row) =>
    children(row).flatMap((cell) => {
      const span = Math.max(1, Math.min(50, Number(cell.attrs?.colspan ?? 1) || 1));
      return [deepText(cell), ...Array<string>(span - 1).fill('')];
    }),
  );
  if (rows.length === 0) {
    return null;
  }
  const width = Math.max(...rows.map((r) => r.length));
  const padded = rows.map((r) => [...r, ...Array<string>(width - r.length).fill('')]);
  return { kind: 'table', header: padded[0]!, rows: padded.slice(1) };
}

/** The blocks of one node at section level (headings 1 and 2 are handled by the caller). */
function blocksOf(node: PmNode): DocumentBlock[] {
  switch (node.type) {
    case 'paragraph': {
      const out: DocumentBlock[] = [];
      const p = paragraphBlock(node);
      if (p) {out.push(p);}
      // Inline pictures (Image with `inline: true`) follow their paragraph.
      for (const image of children(node).filter((c) => c.type === 'image')) {
        const block = imageBlock(image);
        if (block) {out.push(block);}
      }
      return out;
    }
    case 'heading': {
      const text = inlineText(node).trim();
      return text ? [{ kind: 'heading', level: headingLevel(node) >= 4 ? 4 : 3, text }] : [];
    }
    case 'bulletList':
    case 'orderedList': {
      const items: string[] = [];
      listItems(node, 0, items);
      return items.length ? [{ kind: 'list', items, ...(node.type === 'orderedList' ? { ordered: true } : {}) }] : [];
    }
    case 'codeBlock': {
      const language = typeof node.attrs?.language === 'string' && node.attrs.language ? node.attrs.language.slice(0, 40) : undefined;
      return [{ kind: 'code', text: inlineText(node), ...(language ? { language } : {}) }];
    }
    case 'table': {
      const block = tableBlock(node);
      return block ? [block] : [];
    }
    case 'image': {
      const block = imageBlock(node);
      return block ? [block] : [];
    }
    case 'blockquote':
      return children(node).flatMap(blocksOf);
    default:
      // horizontalRule and anything without printable content.
      return [];
  }
}

export interface WrittenMeta {
  title: string;
  facts: [string, string][];
}

/**
 * The body as a WrittenDocument: heading 1 starts a section, heading 2 a sub-section, headings 3–6 become
 * heading blocks (5 and 6 print as 4); text before the first heading 1 is a section with an empty heading;
 * a table's first row is its header.
 */
export function toWrittenDocument(body: LibraryBody, meta: WrittenMeta): WrittenDocument {
  const sections: DocumentSection[] = [];
  let section: DocumentSection | null = null;
  let sub: { heading: string; blocks: DocumentBlock[] } | null = null;
  const current = (): DocumentSection => {
    if (!section) {
      section = { heading: '', blocks: [] };
      sections.push(section);
    }
    return section;
  };
  for (const node of children(body as PmNode)) {
    if (node.type === 'heading' && headingLevel(node) <= 2) {
      const text = inlineText(node).replace(/\n/g, ' ').trim();
      if (headingLevel(node) === 1) {
        section = { heading: text, blocks: [] };
        sections.push(section);
        sub = null;
      } else {
        const parent = current();
        sub = { heading: text, blocks: [] };
        (parent.sections ??= []).push(sub);
      }
      continue;
    }
    const blocks = blocksOf(node);
    if (blocks.length === 0) {
      continue;
    }
    if (sub) {
      sub.blocks.push(...blocks);
    } else {
      current().blocks.push(...blocks);
    }
  }
  return { title: meta.title, facts: meta.facts, sections };
}
