// `npm run bench -- alert-notify [--alerts 30] [--interval 500] [--open 0] [--database sqlite|postgres]`
//
// "Notification of a firing alert within 1 s of the evaluation that fires it", end to end through
// the routing half and the notify module: Yunwei in this process (SQLite or PostgreSQL) with the
// alert dispatcher and the delivery worker running, a notification policy with group_wait 0 and an
// escalation policy sending to a webhook whose receiver is a child process (so it does not share the
// server's event loop). Every `interval` ms an alert starts firing — written to the `alert` table and
// announced with `alerting.alert.changed` after the commit, as the evaluator does — each in a group
// of its own; measured: evaluation commit → the receiver has the request (p50/p99/max). `--open N`
// adds N open alerts of other groups first, so each tick has that much routing to do.
// Prints one JSON line; progress goes to stderr.
import { parseArgs } from 'node:util';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config/config.js';
import { systemActor } from '../apps/server/src/platform/actor.js';
import { notifyOf } from '../apps/server/src/modules/notify/runtime.js';
import { routingOf } from '../apps/server/src/modules/alerting/routing.runtime.js';
import { insertAlert } from '../apps/server/src/modules/alerting/routing.testing.js';
import { quantile, startScript } from './lib/child-script.js';
import { benchStore } from './lib/yunwei.js';

const TARGET_P99_MS = 1000;
const { values } = parseArgs({
  options: {
    alerts: { type: 'string', default: '30' },
    interval: { type: 'string', default: '500' },
    open: { type: 'string', default: '0' },
    duration: { type: 'string', default: '' },
    database: { type: 'string', default: 'sqlite' },
  },
});
const alertCount = Number(values.alerts);
const intervalMs = Number(values.interval);
const openCount = Number(values.open);
if (!(alertCount > 0) || !(intervalMs > 0) || !(openCount >= 0) || !['sqlite', 'postgres'].includes(values.database)) {
  process.stderr.write('[bench alert-notify] bad options\n');
  process.exit(2);
}
const say = (text: string) => process.stderr.write(`[bench alert-notify] ${text}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The receiver prints the alert name of every request with its arrival time (epoch ms).
const RECEIVER_SCRIPT = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const at = Date.now();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const firing = (body.data && body.data.firing) || (body.message && body.message.data && body.message.data.firing) || [];
      for (const f of firing) process.stdout.write(JSON.stringify({ alertname: f.alertname, at }) + '\\n');
    } catch {}
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\\n'));
process.on('SIGTERM', () => process.exit(0));
`;

const arrivals = new Map<string, number>();
const { dir, databaseUrl, remove } = await benchStore(values.database, 'alert-notify');
// Every line after the first is a request's alert name and arrival time.
const receiver = await startScript<{ port: number }>(RECEIVER_SCRIPT, 'receiver', (text) => {
  const line = JSON.parse(text) as { alertname: string; at: number };
  if (!arrivals.has(line.alertname)) {
    arrivals.set(line.alertname, line.at);
  }
}).then((r) => ({ port: r.ready.port, stop: r.stop }));
// The receiver listens on 127.0.0.1, which channels may not reach by default (outbound policy).
const config = loadConfig({ YUNWEI_DATA_DIR: dir, YUNWEI_DATABASE_URL: databaseUrl, YUNWEI_ADMIN_PASSWORD: 'Bench#Admin1', YUNWEI_LOG_LEVEL: 'silent', YUNWEI_WEB_DIR: '', YUNWEI_NOTIFY_ALLOW_LOCAL: 'true' });
const yunwei = await buildApp({ config, announce: () => undefined });
const actor = systemActor('bench');
const notify = notifyOf(yunwei.ctx);
const routing = routingOf(yunwei.ctx);
const channel = await notify.service.create(actor, { name: 'bench hook', type: 'webhook', config: { url: `http://127.0.0.1:${receiver.port}/hook` }, ratePerMinute: 10_000 });
const escalation = await routing.escalations.create(actor, { name: 'bench', steps: [{ afterMinutes: 0, targets: [{ type: 'channel', channelId: channel.id }] }] });
await routing.policies.create(actor, { name: 'bench', matchers: [{ name: 'bench', op: '=', value: 'yes' }], groupBy: ['alertname'], groupWaitSeconds: 0, escalationPolicyId: escalation.id });
for (let i = 0; i < openCount; i++) {
  await insertAlert(yunwei.ctx.db, { ruleName: `Background${i % 50}`, labels: { instance: `host-${i}` }, at: Date.now() });
}
notify.start();
routing.dispatcher.start();
await sleep(1500); // the background alerts' groups settle
say(`${alertCount} alerts, one every ${intervalMs} ms, ${openCount} other open alerts, ${values.database}`);

const firedAt = new Map<string, number>();
for (let i = 0; i < alertCount; i++) {
  const name = `BenchAlert${i}`;
  await insertAlert(yunwei.ctx.db, { ruleName: name, labels: { bench: 'yes' }, at: Date.now() });
  // As the evaluator: the event after the commit.
  firedAt.set(name, Date.now());
  yunwei.ctx.events.emit('alerting.alert.changed', { alertId: name, state: 'firing', at: Date.now() });
  await sleep(intervalMs);
}
const drainUntil = Date.now() + 10_000;
while (arrivals.size < alertCount && Date.now() < drainUntil) {
  await sleep(100);
}
await routing.dispatcher.close();
await notify.close();
await yunwei.close();
receiver.stop();
await remove();

const latencies = [...firedAt].filter(([name]) => arrivals.has(name)).map(([name, at]) => arrivals.get(name)! - at).sort((a, b) => a - b);
const p99 = quantile(latencies, 0.99);
console.log(
  JSON.stringify({
    bench: 'alert-notify',
    database: values.database,
    alerts: alertCount,
    intervalMs,
    otherOpenAlerts: openCount,
    delivered: latencies.length,
    latencyMs: { p50: quantile(latencies, 0.5), p99, max: latencies.at(-1) ?? null },
    targetP99Ms: TARGET_P99_MS,
    pass: latencies.length === alertCount && p99 !== null && p99 < TARGET_P99_MS,
  }),
);
process.exit(0);
