import type { Locale, LocalizedText } from '@yunwei/contracts/i18n';
import type { LibraryBody } from '@yunwei/contracts/library';
import type { DocumentProvider, SectionOutcome } from '../../platform/documents/providers.js';
import { invalidField } from '../../platform/errors.js';
import { type PmNode, inlineText } from './library-body.js';
import { blocksToNodes } from './library-from-blocks.js';

/*
 * Placeholders of a document template, written as plain text in the editor:
 * - `{{alerts.summary}}` alone in a top-level paragraph: the provider's whole section (its tables, charts …);
 * - `{{alerts.summary.count}}` anywhere in a text: one value of the provider's data, formatted.
 * Provider names hold dots themselves (`monitoring.availability`), so a reference is a provider when one has
 * that name, else `<provider>.<field>` split at its last dot.
 */

const PLACEHOLDER = /\{\{\s*([^{}\s]{1,120})\s*\}\}/g;
const ALONE = /^\s*\{\{\s*([^{}\s]{1,120})\s*\}\}\s*$/;

/** What the parser needs of the provider registry. */
export interface ProviderCatalog {
  get(name: string): Pick<DocumentProvider, 'title' | 'fields' | 'value'> | undefined;
}

export type Reference = { kind: 'section'; provider: string } | { kind: 'field'; provider: string; field: string } | { kind: 'unknown'; error: LocalizedText };

/** What `ref` names: a provider's section, one of its fields, or nothing known (with the reason, in words). */
export function classify(ref: string, catalog: ProviderCatalog): Reference {
  if (catalog.get(ref)) {
    return { kind: 'section', provider: ref };
  }
  const dot = ref.lastIndexOf('.');
  const prefix = dot > 0 ? ref.slice(0, dot) : ref;
  const provider = catalog.get(prefix);
  if (!provider) {
    // `{{alerts.sumary}}` names a provider; `{{alerts.sumary.count}}` names one with a field.
    const name = prefix.includes('.') ? prefix : ref;
    return { kind: 'unknown', error: { zh: `未知的数据提供者“${name}”`, en: `unknown data provider "${name}"` } };
  }
  const field = ref.slice(dot + 1);
  if (!provider.fields || !Object.hasOwn(provider.fields, field)) {
    const known = Object.keys(provider.fields ?? {});
    const hint = known.length ? { zh: `（可用字段：${known.join('、')}）`, en: ` (fields: ${known.join(', ')})` } : { zh: '（它只能整节插入）', en: ' (it is inserted as a whole section only)' };
    return { kind: 'unknown', error: { zh: `“${prefix}”没有字段“${field}”${hint.zh}`, en: `"${prefix}" has no field "${field}"${hint.en}` } };
  }
  return { kind: 'field', provider: prefix, field };
}

/** A placeholder found in a body: its reference text and whether it stands alone in a top-level paragraph. */
export interface Placeholder {
  ref: string;
  alone: boolean;
}

/** The placeholders of a body, in document order (repeats included). */
export function placeholdersOf(body: LibraryBody): Placeholder[] {
  const out: Placeholder[] = [];
  const walk = (node: PmNode, topLevel: boolean): void => {
    if (topLevel && node.type === 'paragraph') {
      const alone = ALONE.exec(inlineText(node));
      if (alone) {
        out.push({ ref: alone[1]!, alone: true });
        return;
      }
    }
    if (node.type === 'text' && node.text) {
      for (const m of node.text.matchAll(PLACEHOLDER)) {
        out.push({ ref: m[1]!, alone: false });
      }
    }
    for (const child of node.content ?? []) {
      walk(child, false);
    }
  };
  for (const node of (body.content ?? []) as PmNode[]) {
    walk(node, true);
  }
  return out;
}

/** The distinct references of a body, in order of first appearance. */
export function referencesOf(body: LibraryBody): string[] {
  return [...new Set(placeholdersOf(body).map((p) => p.ref))];
}

/**
 * Throws 400 on `field` naming the first placeholder that names an unknown provider or field, or a whole
 * section written inside a sentence (a section is tables and charts: it needs a paragraph of its own).
 */
export function checkPlaceholders(body: LibraryBody, catalog: ProviderCatalog, limit: number, field = 'body.body'): void {
  const found = placeholdersOf(body);
  if (found.length > limit) {
    throw invalidField(field, { zh: `一个模板最多 ${limit} 个数据占位符`, en: `a template holds at most ${limit} data placeholders` });
  }
  for (const p of found) {
    const ref = classify(p.ref, catalog);
    if (ref.kind === 'unknown') {
      throw invalidField(field, ref.error);
    }
    if (ref.kind === 'section' && !p.alone) {
      throw invalidField(field, {
        zh: `“${p.ref}”是整节数据，须单独成段（正文顶层的一段只写 {{${p.ref}}}）；文中的单个数值请写 {{${p.ref}.字段}}`,
        en: `"${p.ref}" is a whole section: give it a top-level paragraph of its own ({{${p.ref}}} alone); a single value in a sentence is {{${p.ref}.field}}`,
      });
    }
  }
}

/** How a field's value prints. */
export function formatValue(value: number | string | null, format: 'number' | 'percent' | 'minutes' | 'text', locale: Locale): string {
  const en = locale === 'en';
  if (value === null || value === '') {
    return en ? 'no data' : '无数据';
  }
  if (typeof value === 'string' || format === 'text') {
    return String(value);
  }
  switch (format) {
    case 'percent':
      return `${value}%`;
    case 'minutes':
      return en ? `${value} min` : `${value} 分钟`;
    case 'number':
      return String(value);
  }
}

/** The text put where a field could not be filled: which part is missing and why (never a silent blank). */
export function missingText(what: string, why: string, locale: Locale): string {
  return locale === 'en' ? `[missing: ${what} — ${why}]` : `【缺失：${what}——${why}】`;
}

/**
 * The body with every placeholder replaced from `outcomes` (one per provider the body names, run beforehand):
 * a section placeholder by the section's nodes (sub-sections under level-3 headings), a field by its
 * formatted value. A provider that failed gives its "missing" paragraph, or `【缺失：…】` inline.
 */
export function resolveBody(body: LibraryBody, outcomes: ReadonlyMap<string, SectionOutcome>, catalog: ProviderCatalog, locale: Locale): LibraryBody {
  const en = locale === 'en';
  const fieldText = (ref: string): string => {
    const r = classify(ref, catalog);
    if (r.kind === 'unknown') {
      return missingText(ref, en ? r.error.en : r.error.zh, locale);
    }
    const outcome = outcomes.get(r.provider);
    if (!outcome || !outcome.ok) {
      return missingText(outcome?.title ?? r.provider, outcome?.error ?? (en ? 'not computed' : '未生成'), locale);
    }
    if (r.kind === 'section') {
      return missingText(ref, en ? 'a whole section cannot stand inside a sentence' : '整节数据不能写在句子中', locale);
    }
    const provider = catalog.get(r.provider)!;
    const meta = provider.fields![r.field]!;
    try {
      return formatValue(provider.value ? provider.value(outcome.data, r.field) : null, meta.format, locale);
    } catch (error) {
      return missingText(`${outcome.title} · ${en ? meta.title.en : meta.title.zh}`, error instanceof Error ? error.message : String(error), locale);
    }
  };
  const sectionNodes = (ref: string): PmNode[] => {
    const r = classify(ref, catalog);
    const outcome = r.kind === 'unknown' ? undefined : outcomes.get(r.provider);
    if (r.kind !== 'section' || !outcome) {
      return [{ type: 'paragraph', content: [{ type: 'text', text: fieldText(ref) }] }];
    }
    const nodes = blocksToNodes(outcome.section.blocks);
    for (const sub of outcome.section.sections ?? []) {
      nodes.push({ type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: sub.heading }] }, ...blocksToNodes(sub.blocks));
    }
    return nodes.length ? nodes : [{ type: 'paragraph' }];
  };
  const inline = (node: PmNode): PmNode => {
    if (node.type === 'text' && node.text?.includes('{{')) {
      return { ...node, text: node.text.replace(PLACEHOLDER, (_all, ref: string) => fieldText(ref)) };
    }
    return node.content ? { ...node, content: node.content.map(inline) } : node;
  };
  const content: PmNode[] = [];
  for (const node of (body.content ?? []) as PmNode[]) {
    const alone = node.type === 'paragraph' ? ALONE.exec(inlineText(node)) : null;
    content.push(...(alone ? sectionNodes(alone[1]!) : [inline(node)]));
  }
  return { type: 'doc', content: content.length ? content : [{ type: 'paragraph' }] } as LibraryBody;
}
