import { describe, expect, it } from 'vitest';
import { ERRORS } from '@yunwei/contracts/errors';
import en from './en.json';
import zh from './zh-CN.json';

const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

/** `{ a: { b: 'x' } }` → `[['a.b', 'x']]`. */
function flatten(value: unknown, prefix = ''): [string, unknown][] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, child]) => flatten(child, prefix ? `${prefix}.${key}` : key));
  }
  return [[prefix, value]];
}

describe('both languages, complete', () => {
  const zhKeys = new Map(flatten(zh));
  const enKeys = new Map(flatten(en));

  it('every message key exists in zh-CN and in English', () => {
    expect([...zhKeys.keys()].filter((k) => !enKeys.has(k)), 'only in zh-CN.json').toEqual([]);
    expect([...enKeys.keys()].filter((k) => !zhKeys.has(k)), 'only in en.json').toEqual([]);
  });

  it('every message is a non-empty string with the same {{placeholders}} in both languages', () => {
    const placeholders = (text: unknown) => [...String(text).matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();
    for (const [key, text] of zhKeys) {
      expect(typeof text === 'string' && text.trim() !== '', `zh-CN ${key}`).toBe(true);
      expect(typeof enKeys.get(key) === 'string' && String(enKeys.get(key)).trim() !== '', `en ${key}`).toBe(true);
      expect(placeholders(enKeys.get(key)), key).toEqual(placeholders(text));
    }
  });

  it('no English message contains Chinese characters or full-width punctuation', () => {
    // Allowed: the product's name, a language named in its own script (the language switch), and a
    // Chinese term glossed in parentheses after its English name, e.g. "Separation of duties (三员分立)".
    const english = ([key, text]: [string, unknown]) => key.endsWith('.zh-CN') || !CJK.test(String(text).replaceAll('运维', '').replace(/\([^()]*\)/g, ''));
    expect([...enKeys].filter((entry) => !english(entry)).map(([key, text]) => `${key}: ${String(text)}`)).toEqual([]);
  });

  it('every server error code has a zh and an English message, the English one without Chinese', () => {
    for (const [code, definition] of Object.entries(ERRORS)) {
      expect(definition.zh.trim(), code).not.toBe('');
      expect(definition.en.trim(), code).not.toBe('');
      expect(CJK.test(definition.en), `${code}: ${definition.en}`).toBe(false);
    }
  });
});
