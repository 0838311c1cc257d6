#!/usr/bin/env node
// `npm test`: every test of Yunwei, then the skills report.
//   0. the agent as hosts download it (apps/agent/dist: bundle, single executable, SHA256SUMS)
//   1. unit tests, and the integration tests on SQLite and on PostgreSQL   → reports/vitest.json
//   2. the web UI build, then the Playwright journeys in the system Chromium → reports/e2e.json
//   3. `yunwei skills`: which skills of the standard the tests prove        → reports/skills.json
// Ends with one line "tests: N passed, N failed" and a non-zero exit code on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

mkdirSync('reports', { recursive: true });

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  return result.status ?? 1;
}

function counts(file) {
  if (!existsSync(file)) {
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: report.numPassedTests, failed: report.numFailedTests + (report.numFailedTestSuites ?? 0), skipped: report.numPendingTests + (report.numTodoTests ?? 0) };
}

const vitest = ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json'];
const codes = [];
// Before the tests that install it from a running server (the tests would build it too, once per project).
codes.push(run('npm', ['run', '--silent', 'build:agent']));
codes.push(run('node', [...vitest, '--outputFile.json=reports/vitest.json', '--project', 'unit', '--project', 'sqlite', '--project', 'postgres']));
const built = run('npm', ['run', '--silent', 'build:web']);
codes.push(built);
if (built === 0) {
  codes.push(run('node', [...vitest, '--outputFile.json=reports/e2e.json', '--project', 'e2e']));
}
codes.push(run('node', ['apps/server/bin/yunwei.mjs', 'skills', '--quiet']));

const total = [counts('reports/vitest.json'), built === 0 ? counts('reports/e2e.json') : { passed: 0, failed: 1, skipped: 0 }].reduce(
  (sum, c) => ({ passed: sum.passed + c.passed, failed: sum.failed + c.failed, skipped: sum.skipped + c.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
const failed = codes.some((c) => c !== 0) ? Math.max(total.failed, 1) : total.failed;
console.log(`tests: ${total.passed} passed, ${failed} failed, ${total.skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
