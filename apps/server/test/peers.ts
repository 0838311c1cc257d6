import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { requireAll } from './test-env.js';

/**
 * Real peers of the integration tests (Prometheus, exporters, …): programs installed on the machine,
 * started by the test on free loopback ports and stopped after it. Without the program a test skips
 * loudly; with YUNWEI_REQUIRE_ALL=1 (CI) it fails instead.
 */
export const PEERS = {
  prometheus: { binary: process.env.YUNWEI_PROMETHEUS ?? '/usr/bin/prometheus', apt: 'prometheus' },
  nodeExporter: { binary: process.env.YUNWEI_NODE_EXPORTER ?? '/usr/bin/prometheus-node-exporter', apt: 'prometheus-node-exporter' },
  snmpd: { binary: process.env.YUNWEI_SNMPD ?? '/usr/sbin/snmpd', apt: 'snmpd' },
  ping: { binary: '/usr/bin/ping', apt: 'iputils-ping' },
  openssl: { binary: '/usr/bin/openssl', apt: 'openssl' },
} as const;

/** True when `binary` is installed. Otherwise warns and returns false, or throws when every peer is required. */
export function requirePeer(binary: string, aptPackage?: string): boolean {
  if (existsSync(binary)) {
    return true;
  }
  const hint = aptPackage ? ` (apt-get install ${aptPackage})` : '';
  if (requireAll()) {
    throw new Error(`peer ${binary} not found and YUNWEI_REQUIRE_ALL=1${hint}`);
  }
  console.warn(`\n⚠ SKIPPING tests that need ${binary}: not installed${hint}\n`);
  return false;
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns something truthy; fails with `what` and the last error after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, what: string, timeoutMs = 30_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) {
        return value;
      }
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface Peer {
  process: ChildProcess;
  /** Everything it printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts a peer and waits until `ready` answers truthy; kills it if it never gets there. */
export async function startPeer(binary: string, args: string[], ready: () => Promise<unknown>, timeoutMs = 30_000): Promise<Peer> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const peer: Peer = {
    process: child,
    output: () => output,
    async stop() {
      process.off('exit', killOnExit);
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exit;
        clearTimeout(timer);
      }
    },
  };
  try {
    await waitFor(
      async () => {
        if (exited) {
          throw new Error(`${binary} exited: ${output.slice(-2000)}`);
        }
        return ready();
      },
      `${binary} to be ready`,
      timeoutMs,
    );
  } catch (error) {
    await peer.stop();
    throw new Error(`${(error as Error).message}\n--- ${binary} output ---\n${output.slice(-3000)}`);
  }
  return peer;
}

/** True when GET `url` answers 2xx. */
export async function httpOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}
