import { uuidv7 } from 'uuidv7';
import type { Kysely } from 'kysely';
import type { Database } from '../../apps/server/src/db/schema.js';
import { targetOf } from '../../apps/server/src/modules/checks/check-settings.js';
import { startScript } from './child-script.js';

// An HTTP server and 10 TCP listeners in a child process, so that the targets do not share the server's event loop.
const TARGETS_SCRIPT = `
const http = require('node:http');
const net = require('node:net');
const listen = (s) => new Promise((r) => s.listen(0, '127.0.0.1', () => r(s.address().port)));
(async () => {
  const web = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  web.keepAliveTimeout = 1000;
  const tcp = [];
  for (let i = 0; i < 10; i++) tcp.push(await listen(net.createServer((s) => { s.on('error', () => {}); s.end(); })));
  process.stdout.write(JSON.stringify({ http: await listen(web), tcp }) + '\\n');
})();
`;

export interface CheckTargets {
  http: number;
  tcp: number[];
  stop(): void;
}

/** Local targets for bench checks: one HTTP port and ten TCP ports. */
export async function startCheckTargets(): Promise<CheckTargets> {
  const t = await startScript<{ http: number; tcp: number[] }>(TARGETS_SCRIPT, 'targets');
  return { ...t.ready, stop: t.stop };
}

/**
 * `count` enabled checks, half HTTP GETs and half TCP connects to `targets`, every `intervalS`, written
 * straight into the table (thousands of audited API calls would measure the audit trail, not the scheduler).
 */
export async function insertChecks(db: Kysely<Database>, count: number, intervalS: number, targets: CheckTargets): Promise<void> {
  const now = Date.now();
  const rows = Array.from({ length: count }, (_, i) => {
    const type = i % 2 ? ('tcp' as const) : ('http' as const);
    const settings = type === 'tcp' ? { host: '127.0.0.1', port: targets.tcp[i % targets.tcp.length]! } : { url: `http://127.0.0.1:${targets.http}/c/${i}` };
    return {
      id: uuidv7(),
      name: `bench ${type} ${i}`,
      type,
      settings: JSON.stringify(settings),
      secrets: null,
      target: targetOf(type, settings),
      ci_id: null,
      interval_s: intervalS,
      timeout_ms: 2000,
      enabled: 1,
      retries: 0,
      alert_rule_id: null,
      notify_policy_id: null,
      escalation_policy_id: null,
      created_at: now,
      updated_at: now,
    };
  });
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto('check_definition').values(rows.slice(i, i + 500)).execute();
  }
}
