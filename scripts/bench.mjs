#!/usr/bin/env node
// `npm run bench -- <name> [options]`: runs bench/<name>.bench.ts through tsx (no build step).
// Without a name, or with an unknown one, lists the benchmarks there are. Options go to the bench
// (every bench takes --duration <s>). The result is the bench's last stdout line, one JSON object.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const benchDir = path.join(root, 'bench');
const SUFFIX = '.bench.ts';
const available = existsSync(benchDir)
  ? readdirSync(benchDir)
      .filter((f) => f.endsWith(SUFFIX))
      .map((f) => f.slice(0, -SUFFIX.length))
      .sort()
  : [];

const [name, ...rest] = process.argv.slice(2);
if (!name || name.startsWith('-') || !available.includes(name)) {
  if (name && !name.startsWith('-')) {
    console.error(`unknown benchmark "${name}"`);
  }
  console.error('usage: npm run bench -- <name> [--duration <s>] [options]');
  console.error(`benchmarks: ${available.length ? available.join(', ') : '(none in bench/)'}`);
  process.exit(name ? 1 : 2);
}

const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(benchDir, `${name}${SUFFIX}`), ...rest], { stdio: 'inherit', cwd: root, env: process.env });
if (result.error) {
  console.error(result.error.message);
}
process.exit(result.status ?? 1);
