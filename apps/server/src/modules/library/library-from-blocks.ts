import type { DocumentBlock, DocumentRun, DocumentSection } from '@yunwei/contracts/documents';
import type { LibraryBody } from '@yunwei/contracts/library';
import type { PmMark, PmNode } from './library-body.js';

/*
 * The way back from a written document to the editor: a report generated from live data (its sections of
 * paragraphs, tables, lists and chart pictures) becomes a library body, so it can be filed, versioned,
 * approved and edited like a document written by hand. The inverse of `toWrittenDocument` in
 * library-body.ts: a body made here reads back to the same sections (a test holds both directions together).
 * What the editor cannot hold is expressed in what it can: a warning or danger tone becomes bold text, a
 * table row's tone is not kept (its cells say the judgement in words).
 */

const text = (value: string, marks?: PmMark[]): PmNode[] => (value === '' ? [] : [{ type: 'text', text: value, ...(marks?.length ? { marks } : {}) }]);

/** Text with line breaks as hard breaks (the editor's text nodes hold no new lines). */
function inline(value: string, marks?: PmMark[]): PmNode[] {
  return value.split('\n').flatMap((line, i) => [...(i > 0 ? [{ type: 'hardBreak' }] : []), ...text(line, marks)]);
}

function marksOf(run: DocumentRun, bold: boolean): PmMark[] {
  const marks: PmMark[] = [];
  if (run.bold || bold) {marks.push({ type: 'bold' });}
  if (run.italic) {marks.push({ type: 'italic' });}
  if (run.underline) {marks.push({ type: 'underline' });}
  if (run.strike) {marks.push({ type: 'strike' });}
  if (run.code) {marks.push({ type: 'code' });}
  return marks;
}

const paragraph = (content: PmNode[]): PmNode => (content.length ? { type: 'paragraph', content } : { type: 'paragraph' });
const heading = (level: number, value: string): PmNode => ({ type: 'heading', attrs: { level }, content: inline(value.replace(/\n/g, ' ')) });
const cell = (type: 'tableHeader' | 'tableCell', value: string): PmNode => ({ type, attrs: { colspan: 1, rowspan: 1, colwidth: null }, content: [paragraph(inline(value))] });

/** The editor nodes of some blocks. */
export function blocksToNodes(blocks: readonly DocumentBlock[]): PmNode[] {
  return blocks.flatMap((block): PmNode[] => {
    switch (block.kind) {
      case 'paragraph': {
        const stressed = block.tone === 'danger' || block.tone === 'warning';
        const runs = block.runs ?? [{ text: block.text }];
        return [paragraph(runs.flatMap((run) => inline(run.text, marksOf(run, stressed))))];
      }
      case 'heading':
        return [heading(block.level, block.text)];
      case 'list':
        return block.items.length
          ? [{ type: block.ordered ? 'orderedList' : 'bulletList', ...(block.ordered ? { attrs: { start: 1 } } : {}), content: block.items.map((item) => ({ type: 'listItem', content: [paragraph(inline(item))] })) }]
          : [];
      case 'table': {
        const width = Math.max(block.header.length, ...block.rows.map((r) => r.length));
        const pad = (row: readonly string[]) => [...row, ...Array<string>(width - row.length).fill('')];
        return width === 0
          ? []
          : [{ type: 'table', content: [{ type: 'tableRow', content: pad(block.header).map((h) => cell('tableHeader', h)) }, ...block.rows.map((row) => ({ type: 'tableRow', content: pad(row).map((c) => cell('tableCell', c)) }))] }];
      }
      case 'code':
        return [{ type: 'codeBlock', attrs: { language: block.language ?? null }, content: text(block.text) }];
      case 'image':
        return [{ type: 'image', attrs: { src: `data:${block.mime};base64,${block.data}`, alt: block.caption ?? null, title: block.caption ?? null, width: block.width, height: block.height } }];
    }
  });
}

/**
 * A library body holding `sections` (heading 1 per section, heading 2 per sub-section), after the `facts`
 * (period, scope, author …), one paragraph each: 「**报告区间**：…」.
 */
export function bodyFromSections(sections: readonly DocumentSection[], facts: readonly (readonly [string, string])[] = []): LibraryBody {
  const content: PmNode[] = facts.map(([label, value]) => paragraph([...text(label, [{ type: 'bold' }]), ...inline(`：${value}`)]));
  for (const section of sections) {
    if (section.heading.trim()) {
      content.push(heading(1, section.heading));
    }
    content.push(...blocksToNodes(section.blocks));
    for (const sub of section.sections ?? []) {
      content.push(heading(2, sub.heading), ...blocksToNodes(sub.blocks));
    }
  }
  return { type: 'doc', content: content.length ? content : [{ type: 'paragraph' }] } as LibraryBody;
}
