#!/usr/bin/env node
// `npm run build:agent`: the agent as the server hands it to hosts, in apps/agent/dist/:
//   yunwei-agent.mjs                 one file (esbuild bundle of src/main.ts + systeminformation), needs node ≥ 20
//   yunwei-agent-<platform>-<arch>   a single executable application (Node's SEA: this node + the bundle),
//                                    for hosts without node; built for the build machine's own platform, Linux only
//   SHA256SUMS                       `sha256sum -c` format; the install script checks what it downloads against it
//   manifest.json                    version, the digest of the sources built, and the files
// The build is skipped when manifest.json says the same sources were built by the same node (`--force` rebuilds).
// Every file is written beside its final name and renamed into place, so a server (or a second build running
// at the same time, e.g. two test projects) never sees half a file.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const AGENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST_DIR = path.join(AGENT_DIR, 'dist');
export const BUNDLE_NAME = 'yunwei-agent.mjs';
/** The executable's name for a platform and architecture as Node names them (`linux`, `x64`). */
export const executableName = (platform = process.platform, arch = process.arch) => `yunwei-agent-${platform}-${arch}`;
const NOT_ASKED = 'not asked for (--no-executable)';
// Node's SEA sentinel (the same in every Node version that has SEA).
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** The files whose content makes the build: every source (tests aside), the package and this script. */
function sourceDigest() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(file);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        hash.update(`${path.relative(AGENT_DIR, file)}\0`).update(readFileSync(file));
      }
    }
  };
  walk(path.join(AGENT_DIR, 'src'));
  hash.update(readFileSync(path.join(AGENT_DIR, 'package.json')));
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  // The executable embeds this very node, and the bundle depends on the installed systeminformation.
  hash.update(`${process.execPath}\0${process.version}\0${readVersion('systeminformation')}`);
  return hash.digest('hex');
}

/** Resolves packages as the agent's own code does (its node_modules, then the workspace's). */
const requireFromAgent = createRequire(path.join(AGENT_DIR, 'package.json'));

function readVersion(pkg) {
  try {
    return JSON.parse(readFileSync(requireFromAgent.resolve(`${pkg}/package.json`), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Writes `file` through a temporary name in the same directory, then renames it into place. */
function place(tmp, file, mode) {
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}

function agentVersion() {
  const text = readFileSync(path.join(AGENT_DIR, 'src/version.ts'), 'utf8');
  return /VERSION = '([^']+)'/.exec(text)?.[1] ?? '0.0.0';
}

async function bundle(esbuild, form, format, outfile) {
  await esbuild.build({
    entryPoints: [path.join(AGENT_DIR, 'src/main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format,
    outfile,
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
    define: { __YUNWEI_AGENT_FORM__: JSON.stringify(form) },
    // The bundle is ESM: systeminformation (CommonJS) requires node's built-ins, which needs a real `require`.
    ...(format === 'esm'
      ? { banner: { js: "#!/usr/bin/env node\nimport { createRequire as __ywCreateRequire } from 'node:module';\nconst require = __ywCreateRequire(import.meta.url);" } }
      : {}),
  });
}

/**
 * The single executable: Node 20's SEA (`--experimental-sea-config` writes the blob; postject injects it into a
 * copy of this node). Returns the reason when it cannot be made here (e.g. a node linked against a shared
 * libnode, as some distributions ship, has no SEA fuse).
 */
async function buildExecutable(esbuild, work, target) {
  if (process.platform !== 'linux') {
    return `single executables are built on Linux only (this is ${process.platform}: macOS needs code signing, Windows a PE resource)`;
  }
  const node = readFileSync(process.execPath);
  if (!node.includes(SEA_FUSE)) {
    return `${process.execPath} has no single-executable fuse (a node linked against a shared libnode cannot carry an application)`;
  }
  const main = path.join(work, 'sea-main.cjs');
  const blob = path.join(work, 'sea.blob');
  await bundle(esbuild, 'executable', 'cjs', main);
  const config = path.join(work, 'sea-config.json');
  writeFileSync(config, JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: false }));
  const prep = spawnSync(process.execPath, ['--experimental-sea-config', config], { encoding: 'utf8' });
  if (prep.status !== 0) {
    return `node --experimental-sea-config failed: ${(prep.stderr || prep.stdout).trim()}`;
  }
  const exe = path.join(work, 'yunwei-agent');
  copyFileSync(process.execPath, exe);
  chmodSync(exe, 0o755);
  let postject;
  try {
    postject = requireFromAgent('postject');
  } catch {
    return 'postject is not installed (npm ci installs it: a devDependency of @yunwei/agent)';
  }
  // postject prints LIEF's harmless "Can't find string offset for section name '.note.100'" warnings: hidden.
  const write = process.stderr.write;
  process.stderr.write = () => true;
  try {
    await postject.inject(exe, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE });
  } catch (error) {
    return `postject could not inject the application: ${error.message}`;
  } finally {
    process.stderr.write = write;
  }
  const check = spawnSync(exe, ['--version'], { encoding: 'utf8' });
  if (check.status !== 0 || check.stdout.trim() !== agentVersion()) {
    return `the executable does not run: ${check.status} ${check.stdout}${check.stderr}`.trim();
  }
  copyFileSync(exe, `${target}.tmp-${process.pid}`);
  place(`${target}.tmp-${process.pid}`, target, 0o755);
  return null;
}

/**
 * Builds what is missing or stale; returns the manifest. `executable: false` skips the SEA;
 * `requireExecutable` makes a failed SEA an error (CI) instead of a warning.
 */
export async function buildAgent({ force = false, executable = true, requireExecutable = false, log = console.log } = {}) {
  const digest = sourceDigest();
  const manifestFile = path.join(DIST_DIR, 'manifest.json');
  if (!force && existsSync(manifestFile)) {
    const current = JSON.parse(readFileSync(manifestFile, 'utf8'));
    const complete = current.files.every((f) => existsSync(path.join(DIST_DIR, f.name)));
    // A single executable that could not be made here is not tried at every start again (same node, same reason)…
    const executableSettled = current.files.some((f) => f.form === 'executable') || (current.executableProblem !== null && current.executableProblem !== NOT_ASKED);
    // …except when it is required (CI), so that the build fails saying why.
    if (current.sourceDigest === digest && complete && (!executable || (executableSettled && !(requireExecutable && current.executableProblem)))) {
      return current;
    }
  }
  const esbuild = await import('esbuild');
  mkdirSync(DIST_DIR, { recursive: true });
  const work = mkdtempSync(path.join(os.tmpdir(), 'yw-agent-build-'));
  try {
    const files = [];
    const bundleFile = path.join(DIST_DIR, BUNDLE_NAME);
    const bundleTmp = `${bundleFile}.tmp-${process.pid}`;
    await bundle(esbuild, 'bundle', 'esm', bundleTmp);
    place(bundleTmp, bundleFile, 0o755);
    files.push({ name: BUNDLE_NAME, form: 'bundle', platform: null, arch: null });

    const exeFile = path.join(DIST_DIR, executableName());
    const problem = executable ? await buildExecutable(esbuild, work, exeFile) : NOT_ASKED;
    if (problem === null) {
      files.push({ name: executableName(), form: 'executable', platform: process.platform, arch: process.arch });
    } else {
      rmSync(exeFile, { force: true });
      if (requireExecutable) {
        throw new Error(`the agent's single executable could not be built: ${problem}`);
      }
      log(`build:agent: no single executable (${problem}); hosts need node ≥ 20 for ${BUNDLE_NAME}`);
    }

    const listed = files.map((f) => {
      const file = path.join(DIST_DIR, f.name);
      return { ...f, sha256: sha256(file), size: readFileSync(file).length };
    });
    const sums = path.join(DIST_DIR, 'SHA256SUMS');
    writeFileSync(`${sums}.tmp-${process.pid}`, listed.map((f) => `${f.sha256}  ${f.name}\n`).join(''));
    place(`${sums}.tmp-${process.pid}`, sums, 0o644);
    const manifest = { version: agentVersion(), sourceDigest: digest, node: process.version, builtAt: new Date().toISOString(), executableProblem: problem, files: listed };
    writeFileSync(`${manifestFile}.tmp-${process.pid}`, `${JSON.stringify(manifest, null, 2)}\n`);
    place(`${manifestFile}.tmp-${process.pid}`, manifestFile, 0o644);
    log(`build:agent: ${listed.map((f) => `${f.name} (${(f.size / 1024 / 1024).toFixed(1)} MiB)`).join(', ')} in ${path.relative(process.cwd(), DIST_DIR) || DIST_DIR}`);
    return manifest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = new Set(process.argv.slice(2));
  buildAgent({ force: args.has('--force'), executable: !args.has('--no-executable'), requireExecutable: process.env.YUNWEI_REQUIRE_ALL === '1' }).catch((error) => {
    console.error(`build:agent: ${error.message}`);
    process.exit(1);
  });
}
