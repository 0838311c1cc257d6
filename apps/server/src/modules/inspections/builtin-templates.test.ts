import { describe, expect, it } from 'vitest';
import { seededText } from '@yunwei/contracts/seeded-texts';
import { BUILTIN_TEMPLATES } from './builtin-templates.js';

describe('built-in inspection templates', () => {
  it('have an English text for every Chinese text they seed (name, description, items, guidance)', () => {
    const texts = BUILTIN_TEMPLATES.flatMap((t) => [t.name, t.description, ...t.items.flatMap((i) => [i.name, ...(i.guidance ? [i.guidance] : [])])]);
    expect(texts.length).toBeGreaterThan(10);
    for (const text of texts) {
      const english = seededText(text, 'en');
      expect(english, text).not.toBe(text);
      expect(english, text).not.toMatch(/[\u3000-\u9fff\uff00-\uffef]/);
      expect(seededText(text, 'zh-CN')).toBe(text);
    }
  });

  it('leave a text a person typed as typed', () => {
    expect(seededText('机房 A 日常巡检', 'en')).toBe('机房 A 日常巡检');
  });
});
