import { defineConfig } from 'vitest/config';

const integration = ['apps/**/*.int.test.ts'];

/**
 * Projects: `unit` (pure code beside it), `sqlite` and `postgres` (the same integration tests on
 * each database), `e2e` (Playwright journeys in the system Chromium).
 */
export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      { test: { name: 'unit', include: ['apps/**/*.test.ts', 'packages/**/*.test.ts'], exclude: [...integration, '**/node_modules/**'] } },
      { test: { name: 'sqlite', include: integration, env: { YUNWEI_TEST_DB: 'sqlite' }, testTimeout: 30_000, hookTimeout: 60_000 } },
      {
        test: {
          name: 'postgres',
          include: integration,
          env: { YUNWEI_TEST_DB: 'postgres' },
          globalSetup: ['apps/server/test/postgres.global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'e2e', include: ['e2e/**/*.e2e.ts'], testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false } },
    ],
  },
});
