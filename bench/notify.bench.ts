// `npm run bench -- notify [--rate 50] [--duration 30] [--channels 20] [--hang 0.1] [--concurrency N] [--database sqlite|postgres]`
//
// The notification outbox under load: `rate` alert notifications per second for `duration` seconds,
// each enqueued the way the alerting dispatcher does it (inside its own transaction, then `wake()`
// after the commit), spread over `channels` webhook channels whose receiver (a child process, so it
// does not share the server's event loop) answers at once — plus one channel whose endpoint never
// answers, getting a `hang` share of the messages (timeout 10 s, retries). Measured from the rows:
// enqueue → sent latency p50/p99/max of the healthy channels (target: < 1 s, the issue's
// "notification within 1 s of the evaluation that fires it"), the enqueue cost, what the hanging
// channel did, and the server's CPU. Prints one JSON line; progress goes to stderr.
import { parseArgs } from 'node:util';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config/config.js';
import { systemActor } from '../apps/server/src/platform/actor.js';
import { notifyOf } from '../apps/server/src/modules/notify/runtime.js';
import { quantile, startScript } from './lib/child-script.js';
import { benchStore } from './lib/yunwei.js';

const TARGET_P99_MS = 1000;
const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '50' },
    duration: { type: 'string', default: '30' },
    channels: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '' },
    hang: { type: 'string', default: '0.1' },
    database: { type: 'string', default: 'sqlite' },
  },
});
const rate = Number(values.rate);
const duration = Number(values.duration);
const channelCount = Number(values.channels);
const hangShare = Number(values.hang);
if (!(rate > 0) || !(duration > 0) || !(channelCount > 0) || !(hangShare >= 0 && hangShare < 1) || !['sqlite', 'postgres'].includes(values.database)) {
  process.stderr.write('[bench notify] bad options\n');
  process.exit(2);
}
const say = (text: string) => process.stderr.write(`[bench notify] ${text}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const RECEIVER_SCRIPT = `
const http = require('node:http');
let n = 0;
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url.startsWith('/hang')) return; // never answers
    n++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\\n'));
process.on('SIGTERM', () => { process.stderr.write('[bench notify] receiver answered ' + n + '\\n'); process.exit(0); });
`;

const { dir, databaseUrl, remove } = await benchStore(values.database, 'notify');
const receiver = await startScript<{ port: number }>(RECEIVER_SCRIPT, 'receiver').then((r) => ({ port: r.ready.port, stop: r.stop }));
// The receiver listens on 127.0.0.1, which channels may not reach by default (outbound policy).
const config = loadConfig({ YUNWEI_DATA_DIR: dir, YUNWEI_DATABASE_URL: databaseUrl, YUNWEI_ADMIN_PASSWORD: 'Bench#Admin1', YUNWEI_LOG_LEVEL: 'silent', YUNWEI_WEB_DIR: '', YUNWEI_NOTIFY_ALLOW_LOCAL: 'true' });
const yunwei = await buildApp({ config, announce: () => undefined });
const notify = notifyOf(yunwei.ctx);
const actor = systemActor('bench');
const healthy: string[] = [];
for (let i = 0; i < channelCount; i++) {
  healthy.push((await notify.service.create(actor, { name: `bench hook ${i}`, type: 'webhook', config: { url: `http://127.0.0.1:${receiver.port}/ok/${i}`, secret: `s${i}` }, ratePerMinute: 10_000 })).id);
}
const hanging = (await notify.service.create(actor, { name: 'bench hanging hook', type: 'webhook', config: { url: `http://127.0.0.1:${receiver.port}/hang` }, ratePerMinute: 10_000 })).id;
say(`${channelCount} healthy channels + 1 hanging (${Math.round(hangShare * 100)}% of messages), ${rate}/s for ${duration} s, ${values.database}`);

const message = (i: number) => {
  const m = { title: `【严重】bench alert ${i}`, markdown: `**host-${i % 500}** CPU 使用率 97%（阈值 90%）`, text: `host-${i % 500} CPU 97%`, severity: 'critical' as const, status: 'firing' as const, data: { i } };
  return { 'zh-CN': m, en: { ...m, title: `[critical] bench alert ${i}` } };
};

if (values.concurrency) {
  notify.worker.configure({ concurrency: Number(values.concurrency) });
}
notify.start();
const cpuStart = process.cpuUsage();
const startedAt = Date.now();
const enqueueMs: number[] = [];
let sentHanging = 0;
const total = Math.round(rate * duration);
for (let i = 0; i < total; i++) {
  const due = startedAt + (i / rate) * 1000;
  if (due > Date.now()) {
    await sleep(due - Date.now());
  }
  const toHang = (i * 7919) % 1000 < hangShare * 1000;
  const channelId = toHang ? hanging : healthy[i % healthy.length]!;
  sentHanging += toHang ? 1 : 0;
  const t0 = performance.now();
  await yunwei.ctx.db.transaction().execute((trx) => notify.enqueue({ channelId, message: message(i), rateKey: `rule:${i % 100}`, source: { kind: 'alert-group', id: String(i) } }, trx));
  notify.wake();
  enqueueMs.push(performance.now() - t0);
  if (i > 0 && i % (rate * 10) === 0) {
    say(`${Math.round((Date.now() - startedAt) / 1000)} s: ${i} enqueued`);
  }
}
// Let the last healthy ones go out (the hanging ones keep timing out and retrying).
const drainUntil = Date.now() + 15_000;
for (;;) {
  const left = await yunwei.ctx.db.selectFrom('notify_delivery').select((eb) => eb.fn.countAll<number>().as('n')).where('channel_id', 'in', healthy).where('status', '<>', 'sent').executeTakeFirstOrThrow();
  if (Number(left.n) === 0 || Date.now() > drainUntil) {
    break;
  }
  await sleep(200);
}
const wallS = (Date.now() - startedAt) / 1000;
const cpu = process.cpuUsage(cpuStart);
const rows = await yunwei.ctx.db.selectFrom('notify_delivery').select(['channel_id', 'status', 'attempts', 'created_at', 'sent_at', 'duration_ms', 'last_error']).execute();
await notify.close();
await yunwei.close();
receiver.stop();
await remove();

const healthyRows = rows.filter((r) => r.channel_id !== hanging);
const latencies = healthyRows.filter((r) => r.sent_at !== null).map((r) => Number(r.sent_at) - Number(r.created_at)).sort((a, b) => a - b);
const sendMs = healthyRows.filter((r) => r.duration_ms !== null).map((r) => Number(r.duration_ms)).sort((a, b) => a - b);
const hangingRows = rows.filter((r) => r.channel_id === hanging);
const count = (list: typeof rows, status: string) => list.filter((r) => r.status === status).length;
const enqueueSorted = [...enqueueMs].sort((a, b) => a - b);
const p99 = quantile(latencies, 0.99);
console.log(
  JSON.stringify({
    bench: 'notify',
    database: values.database,
    rate,
    durationS: duration,
    channels: channelCount,
    concurrency: notify.worker.options.concurrency,
    enqueued: total,
    healthy: { deliveries: healthyRows.length, sent: latencies.length, latencyMs: { p50: quantile(latencies, 0.5), p99, max: latencies.at(-1) ?? null }, sendMs: { p50: quantile(sendMs, 0.5), p99: quantile(sendMs, 0.99) } },
    hanging: { deliveries: sentHanging, sending: count(hangingRows, 'sending'), retrying: count(hangingRows, 'retrying'), queued: count(hangingRows, 'queued'), sent: count(hangingRows, 'sent') },
    enqueueMs: { p50: Math.round(quantile(enqueueSorted, 0.5)! * 100) / 100, p99: Math.round(quantile(enqueueSorted, 0.99)! * 100) / 100 },
    serverCpuPercentOfCore: Math.round(((cpu.user + cpu.system) / 1000 / (wallS * 1000)) * 1000) / 10,
    targetP99Ms: TARGET_P99_MS,
    pass: latencies.length === healthyRows.length && p99 !== null && p99 < TARGET_P99_MS,
  }),
);
process.exit(0);
