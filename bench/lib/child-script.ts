import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/**
 * Runs `script` in a Node child (`node -e`): a peer for a bench (HTTP receivers, TCP listeners) that
 * prints one JSON line when it is ready. Resolves with that line; `stop()` ends it (SIGTERM). Lines
 * after the first go to `onLine`.
 */
export async function startScript<T>(script: string, what: string, onLine?: (line: string) => void): Promise<{ ready: T; child: ChildProcessWithoutNullStreams; stop(): void }> {
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] }) as unknown as ChildProcessWithoutNullStreams;
  const ready = await new Promise<T>((resolve, reject) => {
    let buffer = '';
    let first = true;
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (first) {
          first = false;
          resolve(JSON.parse(line) as T);
        } else {
          onLine?.(line);
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code})`)));
  });
  return { ready, child, stop: () => void child.kill('SIGTERM') };
}

/** The q-quantile of ascending `sorted` (nearest rank below), null when empty. */
export function quantile(sorted: readonly number[], q: number): number | null {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : null;
}
