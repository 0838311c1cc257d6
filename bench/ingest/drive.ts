/**
 * The load driver of the ingest bench. Series are split between `shards` (as Prometheus' remote-write
 * queue does: a series always goes through the same shard, so its samples arrive in time order); every
 * shard loops "stamp the tick with the clock, send its series' samples in requests of at most `batch`",
 * one request in flight per shard. 503/429/5xx are retried after 50 ms with the same body (Prometheus
 * retries too), so every sample sent is eventually acknowledged or counted as an error.
 */
import { percentile } from '../lib/proc.js';

export interface Body {
  body: Buffer | string;
  samples: number;
}

export interface DriveOptions {
  url: string;
  headers: Record<string, string>;
  /** Series indices of each shard. */
  shards: number[][];
  batch: number;
  /** Encodes one request: these series, one sample each at `ts` (tick `tick`). */
  encode(series: readonly number[], ts: number, tick: number): Body;
  warmupMs: number;
  durationMs: number;
  /** Called when the measured window starts and ends (server CPU readings). */
  onWindow?(edge: 'start' | 'end'): void;
}

export interface PhaseFigures {
  /** Samples acknowledged in the measured window ÷ its length. */
  samplesPerSec: number;
  /** Samples acknowledged in the measured window. */
  samples: number;
  windowS: number;
  /** All samples acknowledged (warm-up and late answers included): what must be stored. */
  ackedTotal: number;
  requests: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** Answers 503 (or 429/5xx), retried. */
  retried: number;
  /** Requests that failed for good (4xx, or still refused at the end). */
  errors: number;
  firstError: string | null;
  /** CPU of this (load generator) process over the window, % of one core. */
  loaderCpuPct: number;
  firstTs: number;
  lastTs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function drive(o: DriveOptions): Promise<PhaseFigures> {
  const started = Date.now();
  const windowStart = started + o.warmupMs;
  const windowEnd = windowStart + o.durationMs;
  const latencies: number[] = [];
  let measured = 0;
  let ackedTotal = 0;
  let retried = 0;
  let errors = 0;
  let firstError: string | null = null;
  let firstTs = Infinity;
  let lastTs = 0;
  let cpuStart: NodeJS.CpuUsage | null = null;
  let cpuEnd: NodeJS.CpuUsage | null = null;
  const startTimer = setTimeout(() => {
    cpuStart = process.cpuUsage();
    o.onWindow?.('start');
  }, o.warmupMs);
  const endTimer = setTimeout(() => {
    cpuEnd = process.cpuUsage(cpuStart ?? undefined);
    o.onWindow?.('end');
  }, o.warmupMs + o.durationMs);

  async function send(req: Body): Promise<void> {
    for (;;) {
      const t0 = performance.now();
      let status = 0;
      let text = '';
      try {
        const res = await fetch(o.url, { method: 'POST', headers: o.headers, body: req.body });
        status = res.status;
        text = status >= 300 ? await res.text() : (await res.arrayBuffer(), '');
      } catch (error) {
        text = (error as Error).message;
      }
      const done = Date.now();
      latencies.push(performance.now() - t0);
      if (status >= 200 && status < 300) {
        ackedTotal += req.samples;
        if (done >= windowStart && done <= windowEnd) {
          measured += req.samples;
        }
        return;
      }
      const retry = status === 0 || status === 429 || status >= 500;
      if (retry && done < windowEnd + 15_000) {
        retried++;
        await sleep(50);
        continue;
      }
      errors++;
      firstError ??= `${status} ${text.slice(0, 300)}`;
      return;
    }
  }

  await Promise.all(
    o.shards.map(async (series) => {
      let tick = 0;
      let ts = 0;
      while (Date.now() < windowEnd) {
        ts = Math.max(ts + 1, Date.now());
        firstTs = Math.min(firstTs, ts);
        lastTs = Math.max(lastTs, ts);
        for (let i = 0; i < series.length && Date.now() < windowEnd; i += o.batch) {
          await send(o.encode(series.slice(i, i + o.batch), ts, tick));
        }
        tick++;
      }
    }),
  );
  clearTimeout(startTimer);
  clearTimeout(endTimer);
  const cpu = cpuEnd ?? process.cpuUsage(cpuStart ?? undefined);
  const round = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
  return {
    samplesPerSec: Math.round(measured / (o.durationMs / 1000)),
    samples: measured,
    windowS: o.durationMs / 1000,
    ackedTotal,
    requests: latencies.length,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies.length ? latencies.reduce((a, b) => Math.max(a, b)) : null),
    retried,
    errors,
    firstError,
    loaderCpuPct: Math.round(((cpu.user + cpu.system) / 1000 / o.durationMs) * 100),
    firstTs,
    lastTs,
  };
}
