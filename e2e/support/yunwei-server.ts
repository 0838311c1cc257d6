import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface RunningYunwei {
  url: string;
  dataDir: string;
  pid: number;
  /** SIGTERM (a clean stop), then SIGKILL after 5 s; removes the data directory it made. */
  stop(): Promise<void>;
  /** kill -9: the process dies without stopping anything (a crashed node). */
  kill(): Promise<void>;
  /** What it printed so far. */
  output(): string;
}

export interface StartOptions {
  /** The server's own address becomes `YUNWEI_PUBLIC_URL`, so links in its messages open. */
  publicUrl?: boolean;
  /** Use this data directory (kept on stop; several nodes of a cluster share one) instead of a fresh one. */
  dataDir?: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `yunwei serve` as a real process on a free loopback port, by default with a fresh SQLite data dir. */
export async function startYunwei(env: Record<string, string> = {}, options: StartOptions = {}): Promise<RunningYunwei> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'yw-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'apps/server/bin/yunwei.mjs'), 'serve'], {
    cwd: root,
    env: { ...process.env, YUNWEI_HOST: '127.0.0.1', YUNWEI_PORT: String(port), YUNWEI_DATA_DIR: dataDir, YUNWEI_LOG_LEVEL: 'warn', ...(options.publicUrl ? { YUNWEI_PUBLIC_URL: url } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`yunwei exited with ${child.exitCode}:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`yunwei did not start within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const exited = () => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r())));
  return {
    url,
    dataDir,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited(), new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
          await exited();
        }
      }
      if (!options.dataDir) {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    async kill() {
      child.kill('SIGKILL');
      await exited();
    },
    output: () => output,
  };
}
