import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin, ResolvedConfig } from 'vite';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Text files worth compressing (images and fonts are compressed already). */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map)$/i;
/** Below this, the header of a compressed answer costs about what it saves. */
const MIN_BYTES = 1024;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/**
 * Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, level 9) beside every text file of
 * `dir` over 1 KiB, when smaller than the file. The server sends them as they are to clients that
 * accept them (`@fastify/static` `preCompressed`), so nothing is compressed per request and the
 * highest (slow) levels cost only build time. Returns the files written.
 */
export async function precompressDir(dir: string): Promise<string[]> {
  const written: string[] = [];
  const files = (await filesUnder(dir)).filter((f) => COMPRESSIBLE.test(f));
  await Promise.all(
    files.map(async (file) => {
      if ((await stat(file)).size < MIN_BYTES) {
        return;
      }
      const bytes = await readFile(file);
      const variants: [string, Buffer][] = [
        ['.br', await brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })],
        ['.gz', await gzipAsync(bytes, { level: 9 })],
      ];
      for (const [suffix, compressed] of variants) {
        if (compressed.length < bytes.length) {
          await writeFile(file + suffix, compressed);
          written.push(file + suffix);
        }
      }
    }),
  );
  return written;
}

/** Vite plugin: precompresses the build output once everything (public files included) is written. */
export function precompress(): Plugin {
  let config: ResolvedConfig;
  let wrote = false;
  return {
    name: 'yunwei:precompress',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    writeBundle() {
      wrote = true;
    },
    async closeBundle() {
      // closeBundle also runs after a failed build: compress only what this build wrote.
      if (!wrote) {
        return;
      }
      const outDir = path.resolve(config.root, config.build.outDir);
      const written = await precompressDir(outDir);
      config.logger.info(`precompressed: ${written.length} .br and .gz files written in ${path.relative(config.root, outDir) || '.'}`);
    },
  };
}
