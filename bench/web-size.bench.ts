// `npm run bench -- web-size [--dist <dir>] [--limit-kb 500]`
//
// What the browser downloads before the first screen is drawn: the JavaScript and CSS that index.html
// loads (its entry and every chunk the entry imports statically), plus what the screen's route
// lazy-loads (its page chunk and that chunk's static imports). Screens: the sign-in page (/login) and
// the home page (/, the shell and the home page). Sizes are raw, gzip (level 9, as precompressed by
// the build) and brotli (quality 11, likewise). Builds apps/web with its own vite.config.ts into a
// temporary directory with a manifest (the chunk graph); `--dist` measures an existing build made
// with `--manifest` instead. Target: each screen's JavaScript under 500 KB gzip. Prints one JSON line.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const WEB = path.resolve(import.meta.dirname, '../apps/web');

/** The route modules each screen lazy-loads (a module not in the manifest is part of the entry). */
const SCREENS: Record<string, string[]> = {
  login: ['src/features/identity/pages/login.page.tsx'],
  home: ['src/app/layout/app-layout.tsx', 'src/features/home/pages/home.page.tsx'],
};

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

const { values } = parseArgs({ options: { dist: { type: 'string' }, 'limit-kb': { type: 'string', default: '500' } } });
const limitKB = Number(values['limit-kb']);
const say = (text: string) => process.stderr.write(`[bench web-size] ${text}\n`);

async function buildWithManifest(outDir: string): Promise<void> {
  const { build } = await import('vite');
  say(`building apps/web into ${outDir}`);
  await build({ root: WEB, configFile: path.join(WEB, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true, manifest: true } });
}

/** The manifest keys loaded with `keys`: themselves and their static imports, transitively. */
function closure(manifest: Record<string, ManifestChunk>, keys: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key) || !manifest[key]) {
      return;
    }
    seen.add(key);
    for (const next of manifest[key].imports ?? []) {
      visit(next);
    }
  };
  keys.forEach(visit);
  return seen;
}

function sizes(dist: string, files: string[]) {
  let raw = 0;
  let gzip = 0;
  let brotli = 0;
  for (const file of files) {
    const bytes = readFileSync(path.join(dist, file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
    brotli += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length;
  }
  const kb = (n: number) => Math.round(n / 102.4) / 10;
  return { files: files.length, rawKB: kb(raw), gzipKB: kb(gzip), brotliKB: kb(brotli) };
}

const ownBuild = !values.dist;
const dist = values.dist ? path.resolve(values.dist) : mkdtempSync(path.join(tmpdir(), 'yw-web-size-'));
try {
  if (ownBuild) {
    await buildWithManifest(dist);
  }
  const manifest = JSON.parse(readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const entries = Object.keys(manifest).filter((key) => manifest[key]!.isEntry);
  const screens: Record<string, { js: ReturnType<typeof sizes> & { chunks: string[] }; css: ReturnType<typeof sizes> }> = {};
  for (const [screen, routes] of Object.entries(SCREENS)) {
    const keys = [...closure(manifest, [...entries, ...routes])];
    const js = keys.map((key) => manifest[key]!.file).filter((file) => file.endsWith('.js'));
    const css = [...new Set(keys.flatMap((key) => manifest[key]!.css ?? []))];
    screens[screen] = { js: { ...sizes(dist, js), chunks: js.map((file) => path.basename(file)).sort() }, css: sizes(dist, css) };
    say(`${screen}: ${js.length} JS files, ${screens[screen].js.gzipKB} KB gzip, ${screens[screen].js.brotliKB} KB brotli`);
  }
  const met = Object.values(screens).every((s) => s.js.gzipKB < limitKB);
  process.stdout.write(`${JSON.stringify({ bench: 'web-size', date: new Date().toISOString(), limitKBGzip: limitKB, screens, met })}\n`);
} finally {
  if (ownBuild) {
    rmSync(dist, { recursive: true, force: true });
  }
}
