import { createServer as createHttpServer, type Server } from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScrapeResult, ScrapeTarget } from '@yunwei/contracts/monitoring';
import { freePort, httpOk, PEERS, requirePeer, startPeer, waitFor, type Peer } from '../../../test/peers.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { qs } from './monitoring.testing.js';
import { monitoringOf } from './runtime.js';

const EXPOSITION = `# HELP app_requests_total Requests served.
# TYPE app_requests_total counter
app_requests_total{method="get",path="/a\\"b\\\\c\\nd"} 1027
app_requests_total{method="post",job="exporter-job"} 3
# TYPE app_temperature gauge
app_temperature -3.5
app_rpc_seconds{quantile="0.99"} NaN
app_latency_bucket{le="0.1"} 5
app_latency_bucket{le="+Inf"} 9
app_stamped 7 1700000000000
`;

async function listen(server: Server | net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

describe.skipIf(!databaseAvailable())('scraping Prometheus exporters', () => {
  let t: TestApp;
  let admin: TestSession;
  let exporter: Server;
  let exporterPort: number;
  let hanging: net.Server;
  let hangingPort: number;
  const sockets = new Set<net.Socket>();
  let body = EXPOSITION;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    exporter = createHttpServer((req, res) => {
      if (req.url === '/broken') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('metric{oops 1\n');
      } else if (req.url === '/missing') {
        res.writeHead(404).end('not here');
      } else {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body);
      }
    });
    exporterPort = await listen(exporter);
    // Accepts connections and never answers.
    hanging = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    hangingPort = await listen(hanging);
  });
  afterAll(async () => {
    await t?.close();
    for (const s of sockets) {
      s.destroy();
    }
    await new Promise((r) => exporter?.close(r));
    await new Promise((r) => hanging?.close(r));
  });

  const create = async (input: Record<string, unknown>): Promise<ScrapeTarget> => {
    const res = await admin.request('POST', '/api/monitoring/scrape-targets', input);
    expect(res.status, res.body).toBe(200);
    return res.json;
  };
  const scrape = async (id: string): Promise<ScrapeResult> => {
    const res = await admin.request('POST', `/api/monitoring/scrape-targets/${id}/scrape`);
    expect(res.status, res.body).toBe(200);
    return res.json;
  };
  const latest = async (query: string) => {
    const res = await admin.request('GET', `/api/v1/query_range?${qs({ query, start: (Date.now() - 600_000) / 1000, end: Date.now() / 1000 + 60, step: '1s' })}`);
    expect(res.status, res.body).toBe(200);
    return res.json.data.result as { metric: Record<string, string>; values: [number, string][] }[];
  };

  it('creates, reads, updates and deletes targets, each change audited', async () => {
    const target = await create({ name: '应用服务器', url: `http://127.0.0.1:${exporterPort}/metrics`, intervalSeconds: 15, timeoutMs: 5000, labels: { env: 'prod' } });
    expect(target).toMatchObject({ name: '应用服务器', intervalSeconds: 15, timeoutMs: 5000, labels: { env: 'prod' }, enabled: true, lastScrapeAt: null, lastUp: null });
    expect((await admin.request('GET', `/api/monitoring/scrape-targets/${target.id}`)).json.url).toBe(`http://127.0.0.1:${exporterPort}/metrics`);
    expect(((await admin.request('GET', '/api/monitoring/scrape-targets')).json as ScrapeTarget[]).map((x) => x.id)).toContain(target.id);
    const updated = await admin.request('PATCH', `/api/monitoring/scrape-targets/${target.id}`, { enabled: false, labels: { env: 'test' } });
    expect(updated.json).toMatchObject({ enabled: false, labels: { env: 'test' }, intervalSeconds: 15 });
    expect((await admin.request('DELETE', `/api/monitoring/scrape-targets/${target.id}`)).json).toEqual({ ok: true });
    expect((await admin.request('GET', `/api/monitoring/scrape-targets/${target.id}`)).json.code).toBe('YW_MONITORING_TARGET_NOT_FOUND');
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'before', 'after']).where('target_id', '=', target.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['monitoring.scrape-target.create', 'monitoring.scrape-target.update', 'monitoring.scrape-target.delete']);
    expect(JSON.parse(audit[1]!.after)).toMatchObject({ enabled: false, labels: { env: 'test' } });
  });

  it('refuses invalid targets with 4xx naming the field', async () => {
    const base = { name: 'x', url: `http://127.0.0.1:${exporterPort}/dup` };
    await create(base);
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ ...base, url: 'ftp://example.com/metrics' }, 400, 'YW_VALIDATION', 'body.url'],
      [{ ...base, url: 'http://user:pw@example.com/metrics' }, 400, 'YW_VALIDATION', 'body.url'],
      [{ ...base, url: 'http://127.0.0.1:1/x', intervalSeconds: 5, timeoutMs: 6000 }, 400, 'YW_VALIDATION', 'body.timeoutMs'],
      [{ ...base, url: 'http://127.0.0.1:1/y', intervalSeconds: 1 }, 400, 'YW_VALIDATION', 'body.intervalSeconds'],
      [{ ...base, url: 'http://127.0.0.1:1/z', labels: { 'bad-name': 'v' } }, 400, 'YW_VALIDATION', 'body.labels.bad-name'],
      [{ ...base, url: 'http://127.0.0.1:1/w', labels: { __address__: 'v' } }, 400, 'YW_VALIDATION', 'body.labels.__address__'],
      [base, 409, 'YW_MONITORING_TARGET_URL_TAKEN', 'body.url'],
    ];
    for (const [input, status, code, field] of cases) {
      const res = await admin.request('POST', '/api/monitoring/scrape-targets', input);
      expect(res.status, JSON.stringify(input)).toBe(status);
      expect(res.json, JSON.stringify(input)).toMatchObject({ code, details: { field } });
    }
  });

  it('scrapes the text format: escapes, NaN dropped, timestamps kept, target labels win over exposed ones', async () => {
    const target = await create({ name: 'app', url: `http://127.0.0.1:${exporterPort}/metrics`, labels: { env: 'prod' } });
    const result = await scrape(target.id);
    expect(result).toMatchObject({ targetId: target.id, up: true, samples: 6, dropped: 1, error: null });
    const instance = `127.0.0.1:${exporterPort}`;
    const requests = await latest('app_requests_total');
    expect(requests.map((s) => s.metric).sort((a, b) => a.method!.localeCompare(b.method!))).toEqual([
      { __name__: 'app_requests_total', env: 'prod', instance, job: 'app', method: 'get', path: '/a"b\\c\nd' },
      { __name__: 'app_requests_total', env: 'prod', exported_job: 'exporter-job', instance, job: 'app', method: 'post' },
    ]);
    expect((await latest('app_temperature'))[0]!.values.at(-1)![1]).toBe('-3.5');
    expect((await latest('app_latency_bucket{le="+Inf"}'))[0]!.values.at(-1)![1]).toBe('9');
    expect(await latest('app_rpc_seconds')).toEqual([]);
    const stamped = await admin.request('GET', `/api/v1/query_range?${qs({ query: 'app_stamped', start: 1_699_999_999, end: 1_700_000_001, step: '1s' })}`);
    expect(stamped.json.data.result[0].values).toEqual([[1_700_000_000, '7']]);
    const up = await latest(`up{job="app"}`);
    expect(up[0]!.metric).toEqual({ __name__: 'up', env: 'prod', instance, job: 'app' });
    expect(up[0]!.values.at(-1)![1]).toBe('1');
    expect((await latest(`scrape_samples_scraped{job="app"}`))[0]!.values.at(-1)![1]).toBe('7');
    expect((await admin.request('GET', `/api/monitoring/scrape-targets/${target.id}`)).json).toMatchObject({ lastUp: true, lastError: null, lastSamples: 6 });
  });

  it('records up 0 after the timeout for a target that accepts connections and never answers, without an exception', async () => {
    const target = await create({ name: 'hanging', url: `http://127.0.0.1:${hangingPort}/metrics`, intervalSeconds: 5, timeoutMs: 500 });
    const started = Date.now();
    const result = await scrape(target.id);
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ up: false, samples: 0 });
    expect(result.error).toMatch(/timed out after 500 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(10_000);
    const up = await latest(`up{job="hanging"}`);
    expect(up[0]!.values.at(-1)![1]).toBe('0');
    expect((await admin.request('GET', `/api/monitoring/scrape-targets/${target.id}`)).json).toMatchObject({ lastUp: false, lastError: expect.stringMatching(/timed out/) });
    // The server kept answering meanwhile.
    expect((await admin.request('GET', '/api/monitoring/scrape-targets')).status).toBe(200);
  });

  it('records up 0 with the reason for refused connections, HTTP errors and malformed pages', async () => {
    const closedPort = await freePort();
    const cases: [string, RegExp][] = [
      [`http://127.0.0.1:${closedPort}/metrics`, /ECONNREFUSED|fetch failed/],
      [`http://127.0.0.1:${exporterPort}/missing`, /HTTP 404/],
      [`http://127.0.0.1:${exporterPort}/broken`, /invalid exposition format: line 1/],
    ];
    for (const [url, reason] of cases) {
      const target = await create({ name: `down ${url}`, url, timeoutMs: 2000 });
      const result = await scrape(target.id);
      expect(result.up, url).toBe(false);
      expect(result.error, url).toMatch(reason);
    }
  });

  it('scrapes enabled targets on their interval once the server listens, and not disabled ones', { timeout: 30_000 }, async () => {
    const scheduler = monitoringOf(t.ctx).scheduler;
    body = 'yw_sched_value 1\n';
    const on = await create({ name: 'scheduled', url: `http://127.0.0.1:${exporterPort}/scheduled`, intervalSeconds: 5, timeoutMs: 1000 });
    const off = await create({ name: 'disabled', url: `http://127.0.0.1:${exporterPort}/disabled`, intervalSeconds: 5, timeoutMs: 1000, enabled: false });
    expect(scheduler.running).toBe(false);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    // The node joins the cluster (a few queries) before its loops start.
    await waitFor(() => scheduler.running, 'the scrape scheduler', 5_000, 10);
    await waitFor(async () => (await admin.request('GET', `/api/monitoring/scrape-targets/${on.id}`)).json.lastUp === true, 'the scheduled scrape', 20_000);
    expect((await admin.request('GET', `/api/monitoring/scrape-targets/${off.id}`)).json.lastScrapeAt).toBeNull();
    expect((await latest('yw_sched_value{job="scheduled"}')).length).toBe(1);
    await scheduler.stop();
    expect(scheduler.running).toBe(false);
  });
});

describe.skipIf(!databaseAvailable() || !requirePeer(PEERS.nodeExporter.binary, PEERS.nodeExporter.apt))('a real prometheus-node-exporter', () => {
  let t: TestApp;
  let exporter: Peer | undefined;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await exporter?.stop();
    await t?.close();
  });

  it('[L2-2.1.1] scrapes a real prometheus-node-exporter', { timeout: 60_000 }, async () => {
    const port = await freePort();
    exporter = await startPeer(PEERS.nodeExporter.binary, [`--web.listen-address=127.0.0.1:${port}`], () => httpOk(`http://127.0.0.1:${port}/metrics`));
    const operator = await t.signIn(await t.newUser({ roles: ['operator'] }));
    const created = await operator.request('POST', '/api/monitoring/scrape-targets', { name: 'node', url: `http://127.0.0.1:${port}/metrics`, intervalSeconds: 15, labels: { host: 'test-host' } });
    expect(created.status, created.body).toBe(200);
    const result = (await operator.request('POST', `/api/monitoring/scrape-targets/${created.json.id}/scrape`)).json as ScrapeResult;
    expect(result.error).toBeNull();
    expect(result.up).toBe(true);
    expect(result.samples).toBeGreaterThan(100);

    const window = { start: (Date.now() - 600_000) / 1000, end: Date.now() / 1000 + 60, step: '1s' };
    const cpu = await operator.request('GET', `/api/v1/query_range?${qs({ query: 'node_cpu_seconds_total{mode="idle"}', ...window })}`);
    expect(cpu.status, cpu.body).toBe(200);
    const cpuSeries = cpu.json.data.result as { metric: Record<string, string>; values: [number, string][] }[];
    expect(cpuSeries.length).toBeGreaterThanOrEqual(1);
    expect(cpuSeries[0]!.metric).toMatchObject({ __name__: 'node_cpu_seconds_total', mode: 'idle', job: 'node', host: 'test-host', instance: `127.0.0.1:${port}` });
    expect(Number(cpuSeries[0]!.values[0]![1])).toBeGreaterThan(0);

    const mem = await operator.request('GET', `/api/v1/query_range?${qs({ query: 'node_memory_MemAvailable_bytes', ...window })}`);
    const available = Number(mem.json.data.result[0].values[0][1]);
    expect(available).toBeGreaterThan(1024 * 1024);

    // Every CPU of the machine is there, in each mode; and the operator's `up` says the exporter is up.
    const series = await operator.request('GET', `/api/v1/series?${qs({ match: 'node_cpu_seconds_total{job="node"}' })}`);
    const labelSets = series.json.data as Record<string, string>[];
    const cpus = new Set(labelSets.map((s) => s.cpu));
    expect(cpus.size).toBeGreaterThanOrEqual(1);
    expect(labelSets.filter((s) => s.mode === 'idle')).toHaveLength(cpus.size);
    expect(labelSets.some((s) => s.mode === 'user') && labelSets.some((s) => s.mode === 'system')).toBe(true);
    const up = await operator.request('GET', `/api/v1/query_range?${qs({ query: 'up{job="node"}', ...window })}`);
    expect(up.json.data.result[0].values.at(-1)[1]).toBe('1');
  });
});
