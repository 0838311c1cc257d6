import { describe, expect, it } from 'vitest';
import { NEW, OLD, replaceDefaults } from './annotations-by-name.migration.js';
import { DEFAULT_ANNOTATIONS } from './rule-model.js';

describe('the annotations-by-name migration', () => {
  it('moves texts still at the first defaults to today’s (what a new rule gets), keeps what an administrator wrote, and goes back', () => {
    expect(NEW).toEqual(DEFAULT_ANNOTATIONS);
    for (const kind of Object.keys(OLD)) {
      expect(replaceDefaults(kind, OLD[kind]!)).toEqual(NEW[kind]);
      expect(replaceDefaults(kind, NEW[kind]!, NEW, OLD)).toEqual(OLD[kind]);
    }
    const mixed = { zh: { summary: OLD.check!.zh.summary, description: '自己写的说明' }, en: OLD.check!.en };
    expect(replaceDefaults('check', mixed)).toEqual({ zh: { summary: NEW.check!.zh.summary, description: '自己写的说明' }, en: NEW.check!.en });
    expect(replaceDefaults('check', { zh: { summary: 'mine', description: '' }, en: { summary: 'mine', description: '' } })).toBeNull();
  });
});
