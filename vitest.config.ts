import { defineConfig } from 'vitest/config';

const integration = ['apps/**/*.int.test.ts'];
// Every project records assertion counts and `it.fails` in the report (skills are judged by them).
const setupFiles = ['test/proof-meta.setup.ts'];
// The agent's downloads (apps/agent/dist) that the server serves at /agent/*: built before the integration tests.
const agentBuild = 'apps/server/test/agent-build.global-setup.ts';

/**
 * Projects: `unit` (pure code beside it), `sqlite` and `postgres` (the same integration tests on
 * each database), `e2e` (Playwright journeys in the system Chromium).
 */
export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      { test: { name: 'unit', setupFiles, include: ['apps/**/*.test.ts', 'packages/**/*.test.ts'], exclude: [...integration, '**/node_modules/**'] } },
      { test: { name: 'sqlite', setupFiles, include: integration, env: { YUNWEI_TEST_DB: 'sqlite' }, globalSetup: [agentBuild], testTimeout: 30_000, hookTimeout: 60_000 } },
      {
        test: {
          name: 'postgres',
          setupFiles,
          include: integration,
          env: { YUNWEI_TEST_DB: 'postgres' },
          globalSetup: ['apps/server/test/postgres.global-setup.ts', agentBuild],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'e2e', setupFiles, include: ['e2e/**/*.e2e.ts'], testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false } },
    ],
  },
});
