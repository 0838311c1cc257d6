import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadStandard, skillTags } from '@yunwei/standard';
import type { SkillsReport } from '../modules/standard/capability.service.js';
import { skillStatus } from '../modules/standard/capability.service.js';

interface VitestJson {
  testResults: { name: string; assertionResults: { fullName: string; title: string; status: string }[] }[];
}

type TestStatus = 'passed' | 'failed' | 'skipped';

function normalise(status: string): TestStatus {
  return status === 'passed' ? 'passed' : status === 'failed' ? 'failed' : 'skipped';
}

/**
 * Builds the skills report from Vitest JSON reports (unit, integration and the Playwright
 * journeys, which run under Vitest too): every test whose title carries `[Lx-y.z.n]`.
 */
export function buildSkillsReport(reportFiles: string[], root: string): SkillsReport {
  const skills: SkillsReport['skills'] = {};
  for (const file of reportFiles) {
    if (!existsSync(file)) {
      continue;
    }
    const json = JSON.parse(readFileSync(file, 'utf8')) as VitestJson;
    for (const suite of json.testResults) {
      for (const test of suite.assertionResults) {
        for (const id of skillTags(test.fullName)) {
          (skills[id] ??= []).push({ title: test.fullName, file: path.relative(root, suite.name), status: normalise(test.status) });
        }
      }
    }
  }
  return { generatedAt: Date.now(), skills };
}

export function writeSkillsReport(options: { reports: string[]; out: string; root: string }): { proven: number; total: number; lines: string[] } {
  const report = buildSkillsReport(options.reports, options.root);
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
      lines.push(`${status === 'proven' ? '✔' : '✘'} ${skill.id} ${skill.zh} — ${tests.length} test(s), ${tests.filter((t) => t.status === 'passed').length} passed`);
    }
  }
  lines.push(`skills: ${proven} of ${standard.skills.length} proven`);
  return { proven, total: standard.skills.length, lines };
}
