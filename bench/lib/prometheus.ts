/**
 * A real Prometheus (the Debian package's /usr/bin/prometheus) as a comparison target: its own
 * temporary TSDB, no scrape jobs, the remote-write receiver on, 127.0.0.1 on a free port.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './proc.js';

export const PROMETHEUS_BIN = process.env.YUNWEI_BENCH_PROMETHEUS ?? '/usr/bin/prometheus';

export interface PrometheusProcess {
  url: string;
  pid: number;
  version: string;
  stop(): Promise<void>;
}

export async function startPrometheus(): Promise<PrometheusProcess | null> {
  if (!existsSync(PROMETHEUS_BIN)) {
    process.stderr.write(`[bench] ${PROMETHEUS_BIN} not found: no Prometheus comparison\n`);
    return null;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'yw-bench-prom-'));
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 1h\nscrape_configs: []\n');
  const port = await freePort();
  const child = spawn(
    PROMETHEUS_BIN,
    [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--web.enable-remote-write-receiver', '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) {
        return done();
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      child.kill('SIGTERM');
    });
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) {
      break;
    }
    try {
      if ((await fetch(`${url}/-/ready`)).ok) {
        const info = (await (await fetch(`${url}/api/v1/status/buildinfo`)).json()) as { data: { version: string } };
        return { url, pid: child.pid!, version: info.data.version, stop };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`prometheus did not become ready: ${stderr}`);
}

/**
 * Samples the TSDB has committed so far, from Prometheus' own /metrics
 * (`prometheus_tsdb_head_samples_appended_total`, summed over its `type` label). A PromQL count over
 * every series cannot be used: count_over_time drops metric names, and series of different metrics
 * with the same labels would collide.
 */
export async function promSamplesAppended(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('prometheus_tsdb_head_samples_appended_total')) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}
