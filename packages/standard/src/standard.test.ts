import { describe, expect, it } from 'vitest';
import { findSkill, loadStandard, skillTags, weightOf } from './standard.js';

describe('standard', () => {
  it('has the 91 skills over four levels and five functions', () => {
    const s = loadStandard();
    expect(s.skills).toHaveLength(91);
    expect(s.levels.map((l) => l.id)).toEqual(['L4', 'L3', 'L2', 'L1']);
    expect(s.functions).toHaveLength(5);
    expect(new Set(s.skills.map((k) => k.id)).size).toBe(91);
  });

  it('derives level, function and work from the id', () => {
    expect(findSkill('L3-2.1.3')).toMatchObject({ level: 'L3', functionId: '2', workId: '2.1' });
    expect(findSkill('L9-9.9.9')).toBeUndefined();
  });

  it('reads skill tags from a test title', () => {
    expect(skillTags('[L4-1.1.2] [L3-1.1.2] roles')).toEqual(['L4-1.1.2', 'L3-1.1.2']);
    expect(skillTags('no tag [L5-1.1.1]')).toEqual([]);
  });

  it('theory weights of every level add up to 100', () => {
    for (const level of ['L4', 'L3', 'L2', 'L1'] as const) {
      const total = Object.keys(loadStandard().weights.theory).reduce((sum, area) => sum + (weightOf('theory', area, level) ?? 0), 0);
      expect(total).toBe(100);
    }
  });
});
