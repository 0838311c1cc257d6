import { existsSync, readFileSync } from 'node:fs';
import { loadStandard } from '@yunwei/standard';
import type { CapabilityMatrix, CapabilityRow, SkillTest } from '@yunwei/contracts/standard';

/** The report `npm run skills` writes: per skill, the tests that carry its id and their result. */
export interface SkillsReport {
  generatedAt: number;
  /** Start of the test run (null: the reports did not say), and the commit it tested. */
  testedAt: number | null;
  commit: string | null;
  skills: Record<string, SkillTest[]>;
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

/**
 * A skill is failing when a test naming it failed (or its file did not load); proven when a test
 * naming it passed and every test naming it passed in at least one run (a test runs once per
 * project: SQLite, PostgreSQL). A test skipped in every run — a missing peer, `it.skip`, a todo —
 * leaves the skill unproven, in CI and outside it. Ignored tests (no assertion, `it.fails`) do not count.
 */
export function skillStatus(tests: Pick<SkillTest, 'title' | 'file' | 'status'>[]): CapabilityRow['status'] {
  if (tests.some((t) => t.status === 'failed')) {
    return 'failing';
  }
  const passedSomewhere = new Map<string, boolean>();
  for (const t of tests.filter((t) => t.status !== 'ignored')) {
    const key = `${t.file}\u0000${t.title}`;
    passedSomewhere.set(key, passedSomewhere.get(key) === true || t.status === 'passed');
  }
  const runs = [...passedSomewhere.values()];
  return runs.length > 0 && runs.every(Boolean) ? 'proven' : 'unproven';
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
    testedAt: report?.testedAt ?? null,
    commit: report?.commit ?? null,
    proven: skills.filter((s) => s.status === 'proven').length,
    total: skills.length,
    levels: standard.levels.map(({ id, zh, en }) => ({ id, zh, en })),
    functions: standard.functions.map(({ id, zh, en }) => ({ id, zh, en })),
    skills,
  };
}
