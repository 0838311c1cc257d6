import { existsSync, readFileSync } from 'node:fs';
import { loadStandard } from '@yunwei/standard';
import type { CapabilityMatrix, CapabilityRow } from '@yunwei/contracts/standard';

/** The report `npm run skills` writes: per skill, the tests that carry its id and their result. */
export interface SkillsReport {
  generatedAt: number;
  skills: Record<string, { title: string; file: string; status: 'passed' | 'failed' | 'skipped' }[]>;
}

export function readSkillsReport(file: string): SkillsReport | null {
  if (!existsSync(file)) {
    return null;
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SkillsReport;
  } catch {
    return null;
  }
}

/** A skill is proven when at least one test names it and every test naming it passed. */
export function skillStatus(tests: { status: string }[]): CapabilityRow['status'] {
  if (tests.some((t) => t.status === 'failed')) {
    return 'failing';
  }
  return tests.some((t) => t.status === 'passed') ? 'proven' : 'unproven';
}

/** The 91 skills, the modules that serve each, and the tests that prove it. */
export function capabilityMatrix(modules: readonly { id: string; skills: readonly string[] }[], report: SkillsReport | null): CapabilityMatrix {
  const standard = loadStandard();
  const skills = standard.skills.map((s): CapabilityRow => {
    const tests = report?.skills[s.id] ?? [];
    return {
      id: s.id,
      level: s.level,
      functionId: s.functionId,
      workId: s.workId,
      zh: s.zh,
      en: s.en,
      modules: modules.filter((m) => m.skills.includes(s.id)).map((m) => m.id),
      tests,
      status: skillStatus(tests),
    };
  });
  return {
    generatedAt: report?.generatedAt ?? null,
    proven: skills.filter((s) => s.status === 'proven').length,
    total: skills.length,
    levels: standard.levels.map(({ id, zh, en }) => ({ id, zh, en })),
    functions: standard.functions.map(({ id, zh, en }) => ({ id, zh, en })),
    skills,
  };
}
