import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSkillsReport } from '../../cli/skills-report.js';
import { capabilityMatrix, skillStatus } from './capability.service.js';

const run = (status: 'passed' | 'failed' | 'skipped' | 'ignored', title = 't', file = 'a.test.ts') => ({ title, file, status });

function writeReport(dir: string, json: unknown): string {
  const file = path.join(dir, `vitest-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(json));
  return file;
}

describe('capability matrix', () => {
  it('a skill is proven only when each of its tests passed in some run; failing when any failed', () => {
    expect(skillStatus([])).toBe('unproven');
    expect(skillStatus([run('skipped')])).toBe('unproven');
    expect(skillStatus([run('passed', 'a'), run('passed', 'b')])).toBe('proven');
    expect(skillStatus([run('passed', 'a'), run('failed', 'b')])).toBe('failing');
    // The same test skipped on one database and passed on the other proves the skill.
    expect(skillStatus([run('passed', 'a'), run('skipped', 'a')])).toBe('proven');
    // A trivial passing test does not cover for the real one skipped for a missing peer.
    expect(skillStatus([run('passed', 'trivial'), run('skipped', 'needs snmpd'), run('skipped', 'needs snmpd')])).toBe('unproven');
    // Ignored tests (no assertion, it.fails) neither prove nor block.
    expect(skillStatus([run('ignored')])).toBe('unproven');
    expect(skillStatus([run('passed', 'a'), run('ignored', 'b')])).toBe('proven');
  });

  it('lists all 91 skills with the modules serving each, the tests proving it, and the tested commit', () => {
    const matrix = capabilityMatrix([{ id: 'access', skills: ['L4-1.1.2'] }], {
      generatedAt: 2,
      testedAt: 1,
      commit: 'abc',
      skills: { 'L4-1.1.2': [{ title: '[L4-1.1.2] roles', file: 'a.test.ts', status: 'passed' }] },
    });
    expect(matrix).toMatchObject({ total: 91, proven: 1, testedAt: 1, commit: 'abc' });
    expect(matrix.skills.find((s) => s.id === 'L4-1.1.2')).toMatchObject({ modules: ['access'], status: 'proven', level: 'L4', functionId: '1' });
    expect(matrix.skills.find((s) => s.id === 'L1-5.2.3')).toMatchObject({ modules: [], status: 'unproven' });
  });

  it('reads skill ids from the tests\' own titles only, never from a describe', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'yw-skills-'));
    const file = writeReport(dir, {
      startTime: 1_700_000_000_000,
      testResults: [
        {
          name: path.join(dir, 'x.int.test.ts'),
          status: 'failed',
          assertionResults: [
            { fullName: 'roles [L4-1.1.2] [L3-1.1.2] assigns', title: '[L3-1.1.2] assigns', status: 'passed', meta: { assertions: 3 } },
            { fullName: '[L1-1.1.1] suite untagged', title: 'untagged', status: 'passed', meta: { assertions: 1 } },
            { fullName: '[L3-2.1.3] alerts', title: '[L3-2.1.3] alerts', status: 'failed', meta: { assertions: 1 } },
          ],
        },
      ],
    });
    const report = buildSkillsReport([file, path.join(dir, 'missing.json')], dir, 'c0ffee');
    expect(Object.keys(report.skills).sort()).toEqual(['L3-1.1.2', 'L3-2.1.3']);
    expect(report.skills['L3-2.1.3']![0]).toMatchObject({ file: 'x.int.test.ts', status: 'failed' });
    expect(report).toMatchObject({ testedAt: 1_700_000_000_000, commit: 'c0ffee' });
  });

  it('does not count it.fails, tests without an assertion or todos; a file that failed to load fails its skills', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'yw-skills-'));
    const broken = path.join(dir, 'broken.int.test.ts');
    writeFileSync(broken, "import { nothing } from './gone.js';\nit('[L2-1.1.1] would prove', () => expect(nothing).toBe(1));\n");
    const file = writeReport(dir, {
      testResults: [
        {
          name: path.join(dir, 'y.test.ts'),
          status: 'passed',
          assertionResults: [
            { title: '[L3-3.1.1] inverted', status: 'passed', meta: { assertions: 1, fails: true } },
            { title: '[L3-3.1.2] asserts nothing', status: 'passed', meta: { assertions: 0 } },
            { title: '[L3-3.2.1] later', status: 'todo', meta: {} },
          ],
        },
        { name: broken, status: 'failed', message: "Cannot find module './gone.js'", assertionResults: [] },
      ],
    });
    const report = buildSkillsReport([file], dir);
    expect(report.skills['L3-3.1.1']).toEqual([{ title: '[L3-3.1.1] inverted', file: 'y.test.ts', status: 'ignored', reason: 'expected-failure' }]);
    expect(report.skills['L3-3.1.2']![0]).toMatchObject({ status: 'ignored', reason: 'no-assertion' });
    expect(report.skills['L3-3.2.1']![0]).toMatchObject({ status: 'skipped', reason: 'todo' });
    expect(report.skills['L2-1.1.1']).toEqual([{ title: "Cannot find module './gone.js'", file: 'broken.int.test.ts', status: 'failed', reason: 'load-error' }]);
    for (const id of ['L3-3.1.1', 'L3-3.1.2', 'L3-3.2.1']) {
      expect(skillStatus(report.skills[id]!), id).toBe('unproven');
    }
    expect(skillStatus(report.skills['L2-1.1.1']!)).toBe('failing');
  });
});
