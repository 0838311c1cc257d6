import { afterEach, expect } from 'vitest';

/**
 * Records in each test's meta what the skills report needs to judge whether the test proves
 * anything: how many assertions it made, and whether it is an `it.fails` (which passes when its body
 * fails). The JSON reporter copies `meta` into reports/*.json; `yunwei skills` ignores tests with no
 * assertion and `it.fails` tests (apps/server/src/cli/skills-report.ts).
 */
declare module 'vitest' {
  interface TaskMeta {
    assertions?: number;
    fails?: boolean;
  }
}

afterEach(({ task }) => {
  task.meta.assertions = expect.getState().assertionCalls;
  if (task.fails) {
    task.meta.fails = true;
  }
});
