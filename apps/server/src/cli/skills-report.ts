import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { shortCommit, type SkillTest } from '@yunwei/contracts/standard';
import { loadStandard, skillTags } from '@yunwei/standard';
import type { SkillsReport } from '../modules/standard/capability.service.js';
import { skillStatus } from '../modules/standard/capability.service.js';

interface VitestAssertion {
  title: string;
  status: string;
  /** Written by test/proof-meta.setup.ts. */
  meta?: { assertions?: number; fails?: boolean };
}

interface VitestJson {
  startTime?: number;
  testResults: { name: string; status?: string; message?: string; assertionResults: VitestAssertion[] }[];
}

/** What one test result says about the skills in its title. */
function judge(test: VitestAssertion): Pick<SkillTest, 'status' | 'reason'> {
  if (test.status === 'passed' || test.status === 'failed') {
    // `it.fails` passes when its body fails: it proves nothing whichever way it went.
    if (test.meta?.fails) {
      return { status: 'ignored', reason: 'expected-failure' };
    }
    if (test.status === 'passed' && test.meta?.assertions === 0) {
      return { status: 'ignored', reason: 'no-assertion' };
    }
    return { status: test.status };
  }
  return test.status === 'todo' ? { status: 'skipped', reason: 'todo' } : { status: 'skipped' };
}

/** The skill ids a test file names, read from its source: what a file that failed to load would have proven. */
function tagsInSource(file: string): string[] {
  try {
    return [...new Set(skillTags(readFileSync(file, 'utf8')))];
  } catch {
    return [];
  }
}

/** The commit of the working tree, `-dirty` with uncommitted changes; null outside a git checkout. */
export function currentCommit(root: string): string | null {
  try {
    const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git('rev-parse', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no') === '' ? head : `${head}-dirty`;
  } catch {
    return null;
  }
}

/**
 * Builds the skills report from Vitest JSON reports (unit, integration and the Playwright
 * journeys, which run under Vitest too). A skill id counts only in a test's own title, never in a
 * `describe`; tests without an assertion and `it.fails` are listed as ignored; a test file that
 * failed to load fails every skill its source names.
 */
export function buildSkillsReport(reportFiles: string[], root: string, commit: string | null = null): SkillsReport {
  const skills: SkillsReport['skills'] = {};
  const starts: number[] = [];
  for (const file of reportFiles) {
    if (!existsSync(file)) {
      continue;
    }
    const json = JSON.parse(readFileSync(file, 'utf8')) as VitestJson;
    if (typeof json.startTime === 'number') {
      starts.push(json.startTime);
    }
    for (const suite of json.testResults) {
      const relative = path.relative(root, suite.name);
      if (suite.status === 'failed' && suite.assertionResults.length === 0) {
        for (const id of tagsInSource(suite.name)) {
          (skills[id] ??= []).push({ title: suite.message || 'the test file failed to load', file: relative, status: 'failed', reason: 'load-error' });
        }
        continue;
      }
      for (const test of suite.assertionResults) {
        for (const id of skillTags(test.title)) {
          (skills[id] ??= []).push({ title: test.title, file: relative, ...judge(test) });
        }
      }
    }
  }
  return { generatedAt: Date.now(), testedAt: starts.length > 0 ? Math.min(...starts) : null, commit, skills };
}

export function writeSkillsReport(options: { reports: string[]; out: string; root: string }): { proven: number; total: number; lines: string[] } {
  const report = buildSkillsReport(options.reports, options.root, currentCommit(options.root));
  mkdirSync(path.dirname(options.out), { recursive: true });
  writeFileSync(options.out, JSON.stringify(report, null, 2));
  const standard = loadStandard();
  const lines: string[] = [];
  let proven = 0;
  for (const skill of standard.skills) {
    const tests = report.skills[skill.id] ?? [];
    const status = skillStatus(tests);
    if (status === 'proven') {
      proven++;
    }
    if (tests.length) {
      const count = (s: SkillTest['status']) => tests.filter((t) => t.status === s).length;
      lines.push(`${status === 'proven' ? '✔' : '✘'} ${skill.id} ${skill.zh} — ${tests.length} test run(s): ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped, ${count('ignored')} ignored`);
    }
  }
  lines.push(`skills: ${proven} of ${standard.skills.length} proven${report.commit ? ` (commit ${shortCommit(report.commit)})` : ''}`);
  return { proven, total: standard.skills.length, lines };
}
