import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSkillsReport } from '../../cli/skills-report.js';
import { capabilityMatrix, skillStatus } from './capability.service.js';

describe('capability matrix', () => {
  it('a skill is proven only when its tests passed, failing when any failed', () => {
    expect(skillStatus([])).toBe('unproven');
    expect(skillStatus([{ status: 'skipped' }])).toBe('unproven');
    expect(skillStatus([{ status: 'passed' }, { status: 'passed' }])).toBe('proven');
    expect(skillStatus([{ status: 'passed' }, { status: 'failed' }])).toBe('failing');
  });

  it('lists all 91 skills with the modules serving each and the tests proving it', () => {
    const matrix = capabilityMatrix([{ id: 'access', skills: ['L4-1.1.2'] }], {
      generatedAt: 1,
      skills: { 'L4-1.1.2': [{ title: '[L4-1.1.2] roles', file: 'a.test.ts', status: 'passed' }] },
    });
    expect(matrix.total).toBe(91);
    expect(matrix.proven).toBe(1);
    expect(matrix.skills.find((s) => s.id === 'L4-1.1.2')).toMatchObject({ modules: ['access'], status: 'proven', level: 'L4', functionId: '1' });
    expect(matrix.skills.find((s) => s.id === 'L1-5.2.3')).toMatchObject({ modules: [], status: 'unproven' });
  });

  it('reads skill ids from the titles in Vitest JSON reports', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'yw-skills-'));
    const file = path.join(dir, 'vitest.json');
    writeFileSync(
      file,
      JSON.stringify({
        testResults: [
          {
            name: path.join(dir, 'x.int.test.ts'),
            assertionResults: [
              { fullName: 'roles [L4-1.1.2] [L3-1.1.2] assigns', title: 'assigns', status: 'passed' },
              { fullName: 'untagged', title: 'untagged', status: 'passed' },
              { fullName: '[L3-2.1.3] alerts', title: 'alerts', status: 'failed' },
            ],
          },
        ],
      }),
    );
    const report = buildSkillsReport([file, path.join(dir, 'missing.json')], dir);
    expect(Object.keys(report.skills).sort()).toEqual(['L3-1.1.2', 'L3-2.1.3', 'L4-1.1.2']);
    expect(report.skills['L3-2.1.3']![0]).toMatchObject({ file: 'x.int.test.ts', status: 'failed' });
  });
});
