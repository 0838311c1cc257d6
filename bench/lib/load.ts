import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  /** Seconds. */
  duration: number;
  /** The server's CPU time so far in µs (to report CPU per request, which other load on the machine does not skew). */
  serverCpuMicros?: () => Promise<number>;
}

export interface LoadFigures {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  avgMs: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** Server CPU time (user + system) per request, in ms; null when unknown. */
  cpuMsPerReq: number | null;
}

function fire(url: string, headers: Record<string, string>, connections: number, duration: number) {
  return autocannon({ url, headers, connections, duration, pipelining: 1 });
}

/** Measures `duration` seconds of `connections` concurrent keep-alive clients (also used to warm up). */
export async function measure(options: LoadOptions): Promise<LoadFigures> {
  const headers = options.headers ?? {};
  const cpuBefore = await options.serverCpuMicros?.();
  const r = await fire(options.url, headers, options.connections, options.duration);
  const cpuAfter = await options.serverCpuMicros?.();
  const cpu = cpuBefore === undefined || cpuAfter === undefined || !r.requests.total ? null : (cpuAfter - cpuBefore) / 1000 / r.requests.total;
  return {
    reqPerSec: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    avgMs: Math.round(r.latency.average * 100) / 100,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    cpuMsPerReq: cpu === null ? null : Math.round(cpu * 1000) / 1000,
  };
}
