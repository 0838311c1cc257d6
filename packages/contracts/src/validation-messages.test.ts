import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PATTERN_MESSAGES } from './validation-messages.js';

/** Every `pattern` of a string schema reachable from `value` (a contract module's exports). */
function patternsIn(value: unknown, found: Set<string>, seen = new Set<unknown>()): Set<string> {
  if (!value || typeof value !== 'object' || seen.has(value)) {
    return found;
  }
  seen.add(value);
  const schema = value as Record<string, unknown>;
  if (typeof schema.pattern === 'string' && schema.type === 'string') {
    found.add(schema.pattern);
  }
  for (const child of Object.values(schema)) {
    patternsIn(child, found, seen);
  }
  return found;
}

describe('validation messages', () => {
  it('words every pattern of the contract schemas in both languages', async () => {
    const dir = new URL('.', import.meta.url);
    const modules = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const patterns = new Set<string>();
    for (const file of modules) {
      patternsIn(await import(new URL(file, dir).href), patterns);
    }
    expect(patterns.size).toBeGreaterThan(20);
    const missing = [...patterns].filter((p) => !PATTERN_MESSAGES[p]);
    expect(missing, 'add these patterns to PATTERN_MESSAGES').toEqual([]);
    for (const text of Object.values(PATTERN_MESSAGES)) {
      expect(text.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(text.en).not.toMatch(/[\u3000-\u9fff\uff00-\uffef]/);
    }
  });
});
