import { spawnSync } from 'node:child_process';
import path from 'node:path';

const BUILD_SCRIPT = path.resolve(import.meta.dirname, '../../agent/scripts/build.mjs');

/**
 * `npm run build:agent` before the integration tests: the server serves the agent's downloads from
 * apps/agent/dist (`/agent/*`), so a test run from a fresh clone finds them. A no-op while the agent's
 * sources have not changed since the last build (scripts/test.mjs has usually built it just before).
 */
export default function setup(): void {
  const build = spawnSync(process.execPath, [BUILD_SCRIPT], { encoding: 'utf8' });
  if (build.status !== 0) {
    throw new Error(`npm run build:agent failed: ${build.stderr}${build.stdout}`);
  }
}
