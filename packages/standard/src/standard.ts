import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { FunctionId, LevelId, Skill, Standard } from './types.js';

export const SKILL_ID_PATTERN = /^L[1-4]-[1-5]\.[1-3]\.[1-4]$/;
/** Finds skill ids in a test title, e.g. `[L3-2.1.3] fires when …`. */
export const SKILL_TAG_PATTERN = /\[(L[1-4]-[1-5]\.[1-3]\.[1-4])\]/g;

interface RawSkill {
  id: string;
  zh: string;
  en: string;
}

let cached: Standard | undefined;

/** The occupational standard 4-04-04-03 (2023), parsed once from `data/skills.yaml`. */
export function loadStandard(): Standard {
  if (cached) {
    return cached;
  }
  const raw = parse(readFileSync(new URL('../data/skills.yaml', import.meta.url), 'utf8')) as Omit<Standard, 'skills'> & {
    skills: RawSkill[];
  };
  const skills = raw.skills.map((s): Skill => {
    if (!SKILL_ID_PATTERN.test(s.id)) {
      throw new Error(`skills.yaml: malformed skill id ${s.id}`);
    }
    const [level, rest] = s.id.split('-') as [LevelId, string];
    const [fn, work] = rest.split('.') as [FunctionId, string];
    return { id: s.id, zh: s.zh, en: s.en, level, functionId: fn, workId: `${fn}.${work}` };
  });
  cached = Object.freeze({ ...raw, skills }) as Standard;
  return cached;
}

export function findSkill(id: string): Skill | undefined {
  return loadStandard().skills.find((s) => s.id === id);
}

export function isSkillId(id: string): boolean {
  return loadStandard().skills.some((s) => s.id === id);
}

/** Skill ids named in brackets in a test title. */
export function skillTags(title: string): string[] {
  return [...title.matchAll(SKILL_TAG_PATTERN)].map((m) => m[1]!);
}

/** Percent weight of a function in the theory or skills part of the exam at a level (null = not assessed). */
export function weightOf(part: 'theory' | 'skills', area: string, level: LevelId): number | null {
  return loadStandard().weights[part][area]?.[level] ?? null;
}
