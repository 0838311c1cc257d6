import { spawn, type ChildProcess } from 'node:child_process';

/** What a server child sends its parent once it listens. */
interface ReadyMessage {
  ready: true;
  port: number;
}
/** Asked by the parent: the child's CPU time so far. */
interface CpuRequest {
  cpu: number;
}
interface CpuAnswer {
  cpu: number;
  /** user + system, µs. */
  micros: number;
}

export interface ServerProcess {
  url: string;
  pid: number;
  /** CPU time (user + system) the child has used so far, in µs. */
  cpuMicros(): Promise<number>;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();

function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts `node [nodeArgs] --import tsx <file> ...args` with an IPC channel and waits until it
 * listens. The child's stdout goes to our stderr: a bench's stdout is only its JSON result line.
 */
export function startServer(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[]; timeoutMs?: number } = {}): Promise<ServerProcess> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', file, ...args], {
    stdio: ['ignore', 2, 2, 'ipc'],
    env: { ...process.env, ...options.env },
  });
  running.add(child);
  child.once('exit', () => running.delete(child));

  let asked = 0;
  const answers = new Map<number, (micros: number) => void>();
  const cpuMicros = () =>
    new Promise<number>((resolve) => {
      asked += 1;
      answers.set(asked, resolve);
      child.send({ cpu: asked } satisfies CpuRequest);
    });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stopChild(child, 0);
      reject(new Error(`${file}: not listening after ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${file}: exited before it was listening (code ${code}, signal ${signal})`));
    });
    child.on('message', (message: ReadyMessage | CpuAnswer) => {
      if ('ready' in message) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${message.port}`, pid: child.pid!, cpuMicros, stop: (graceMs = 10_000) => stopChild(child, graceMs) });
      } else if ('micros' in message) {
        answers.get(message.cpu)?.(message.micros);
        answers.delete(message.cpu);
      }
    });
  });
}

/** Stops every server child still running, gracefully. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child, 10_000)));
}

/** Kills every server child still running (on signals). */
export function killAllServers(): void {
  for (const child of running) {
    child.kill('SIGKILL');
  }
}

/**
 * In a server child: tells the parent the port, answers its CPU-time questions, and exits cleanly
 * on SIGTERM/SIGINT or when the parent goes away.
 */
export function announceReady(port: number, close: () => Promise<void>): void {
  let closing = false;
  const shutdown = () => {
    if (closing) {
      return;
    }
    closing = true;
    // process.exit() after close: lets --cpu-prof write its profile.
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.on('disconnect', shutdown);
  process.on('message', (message: CpuRequest) => {
    if (typeof message?.cpu === 'number') {
      const usage = process.cpuUsage();
      process.send?.({ cpu: message.cpu, micros: usage.user + usage.system } satisfies CpuAnswer);
    }
  });
  process.send?.({ ready: true, port } satisfies ReadyMessage);
}
