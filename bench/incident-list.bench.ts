// `npm run bench -- incident-list [--incidents 100000] [--duration 5] [--targets sqlite,postgres]`
//
// The incident list (GET /api/incidents, IncidentsService.list: the query, the count, then names, CIs and
// SLA clocks of the page) over `incidents` incidents detected over the last two years (inserted in bulk:
// 1–2 affected CIs each among 1,000 CIs, 20 fault types, statuses mostly closed, one incident in 8 open,
// every 1,000th title carrying a rare word). In process (the service, without HTTP), one call at a time
// for `duration` seconds per case:
//   page             the first page of 50, newest first (no filter)
//   deep             page 201 (offset 10,000)
//   status-priority  open ones (in progress / on hold) of P1 or P2
//   open-mine        open ones assigned to one handler
//   type             one fault type (and its sub-types)
//   ci               those affecting one CI
//   search-rare      q = a word in 1 title of 1,000
//   search-common    q = a word in about a third of the titles
//   scoped           a reader who reaches 2 of 10 org units
// Target: < 100 ms. Figures: wall p50/p95 and this process's CPU per call; queryP50Ms / queryCpuMs: the
// repository's query alone (rows + count), without the page's names and SLA clocks. Each answer is checked (total)
// before timing. One JSON line on stdout; progress on stderr; everything is removed at the end.
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { uuidv7 } from 'uuidv7';
import { INCIDENT_PERMISSIONS, type IncidentListQuery, type IncidentPriority, type IncidentStatus } from '@yunwei/contracts/incidents';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config/config.js';
import { type Actor, systemActor } from '../apps/server/src/platform/actor.js';
import type { IncidentTable } from '../apps/server/src/modules/incidents/incidents.tables.js';
import type { IncidentVisibility } from '../apps/server/src/modules/incidents/incidents.repository.js';
import { incidentsOf } from '../apps/server/src/modules/incidents/runtime.js';
import { benchStore } from './lib/yunwei.js';

const log = (message: string) => process.stderr.write(`[bench incident-list] ${message}\n`);
const { values: opts } = parseArgs({
  options: {
    incidents: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '5' },
    targets: { type: 'string', default: 'sqlite,postgres' },
  },
});
const INCIDENTS = Number(opts.incidents);
const DURATION_MS = Number(opts.duration) * 1000;
if (![INCIDENTS, DURATION_MS].every((n) => Number.isInteger(n) && n > 0)) {
  log('--incidents and --duration must be positive integers');
  process.exit(2);
}
const CIS = 1000;
const UNITS = 10;
const HANDLERS = 20;
const MIN = 60_000;
const SPAN_MS = 2 * 365 * 86_400_000;
const RARE = '磁带库';
const COMMON = '数据库';
const WORDS = ['核心交换机', '营业厅', '短信网关', '存储阵列', '负载均衡', '防火墙', '中间件', '机房空调', 'UPS', '数据库', '应用服务器', '备份系统'];
const PRIORITIES: IncidentPriority[] = ['P1', 'P2', 'P3', 'P4'];

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** The status of incident n: one in 8 open (new, in progress, on hold), the rest resolved, closed or cancelled. */
function statusOf(n: number): IncidentStatus {
  const open: IncidentStatus[] = ['new', 'in_progress', 'on_hold'];
  if (n % 8 === 0) {
    return open[(n >> 3) % 3]!;
  }
  return n % 50 === 1 ? 'cancelled' : n % 3 === 0 ? 'resolved' : 'closed';
}

async function run(kind: string): Promise<Record<string, unknown>> {
  const store = await benchStore(kind, 'incidents');
  const config = loadConfig({ YUNWEI_DATA_DIR: store.dir, YUNWEI_DATABASE_URL: store.databaseUrl, YUNWEI_ADMIN_PASSWORD: 'Bench#Admin-2026', YUNWEI_LOG_LEVEL: 'warn' }, { webDir: '' });
  const yunwei = await buildApp({ config, announce: () => undefined });
  try {
    const db = yunwei.ctx.db;
    const now = Date.now();
    const units: string[] = [];
    for (let u = 0; u < UNITS; u++) {
      const id = uuidv7();
      await db.insertInto('org_unit').values({ id, parent_id: null, name: `运维${u + 1}部`, code: `u${u}`, sort_order: u, leader_id: null, created_at: now, updated_at: now }).execute();
      units.push(id);
    }
    const admin = (await db.selectFrom('user').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;
    const handlers: string[] = [];
    for (let h = 0; h < HANDLERS; h++) {
      const id = uuidv7();
      await db.insertInto('user').values({ ...(await db.selectFrom('user').selectAll().where('id', '=', admin).executeTakeFirstOrThrow()), id, username: `handler${h}`, display_name: `值班员${h + 1}`, email: `h${h}@example.com`, org_unit_id: units[h % UNITS]! }).execute();
      handlers.push(id);
    }
    const server = (await db.selectFrom('cmdb_class').select('id').where('code', '=', 'server').executeTakeFirstOrThrow()).id;
    const cis: { id: string; unit: string }[] = [];
    for (let start = 0; start < CIS; start += 500) {
      const rows = Array.from({ length: Math.min(500, CIS - start) }, (_, i) => {
        const n = start + i;
        return { id: uuidv7(), class_id: server, subtype: null, name: `host-${String(n).padStart(4, '0')}`, status: 'active' as const, ip: '', hostname: '', owner_id: null, org_unit_id: units[n % UNITS]!, attributes: '{}', description: '', created_at: now, updated_at: now };
      });
      await db.insertInto('cmdb_ci').values(rows).execute();
      cis.push(...rows.map((r) => ({ id: r.id, unit: r.org_unit_id })));
    }
    const types = await db.selectFrom('incident_type').select(['id', 'parent_id', 'code']).orderBy('code').execute();
    const leaves = types.filter((t) => t.parent_id !== null).slice(0, 20);

    const t0 = Date.now();
    const BATCH = kind === 'postgres' ? 1000 : 500;
    for (let start = 0; start < INCIDENTS; start += BATCH) {
      const incidents: IncidentTable[] = [];
      const links: { incident_id: string; ci_id: string }[] = [];
      for (let n = start; n < Math.min(INCIDENTS, start + BATCH); n++) {
        const id = uuidv7();
        const status = statusOf(n);
        const detected = now - SPAN_MS + Math.floor((n / INCIDENTS) * SPAN_MS);
        const first = cis[(n * 7) % CIS]!;
        const word = n % 1000 === 500 ? RARE : WORDS[(n * 5) % WORDS.length]!;
        const resolved = ['resolved', 'closed'].includes(status) ? detected + ((n % 240) + 20) * MIN : null;
        incidents.push({
          id,
          number: `INC-${new Date(detected).getUTCFullYear()}-${String(n + 1).padStart(6, '0')}`,
          title: `${word}${WORDS[(n * 3) % WORDS.length]}告警：服务响应缓慢`,
          description: '',
          status,
          source: n % 3 === 0 ? 'alert' : 'web',
          impact: (n % 3) + 1,
          urgency: ((n >> 2) % 3) + 1,
          priority: PRIORITIES[n % 4]!,
          type_id: leaves[n % leaves.length]!.id,
          nature_id: null,
          reporter_id: admin,
          assignee_id: handlers[n % HANDLERS]!,
          group_id: null,
          org_unit_id: first.unit,
          major: n % 97 === 0 ? 1 : 0,
          major_roles: '{}',
          impact_scope: '{"businessSystems":[],"affectedCount":1,"degraded":[]}',
          detected_at: detected,
          acknowledged_at: status === 'new' ? null : detected + ((n % 30) + 1) * MIN,
          mitigated_at: resolved,
          resolved_at: resolved,
          resolved_by: resolved ? handlers[n % HANDLERS]! : null,
          closed_at: status === 'closed' ? resolved! + 60 * MIN : null,
          cancelled_at: status === 'cancelled' ? detected + MIN : null,
          pause_reason: status === 'on_hold' ? 'awaiting_vendor' : null,
          resolution: resolved ? '已处理' : '',
          sla_notified: 0,
          alert_group_key: null,
          version: 1,
          created_at: detected,
          updated_at: detected,
          updated_by: admin,
        } as IncidentTable);
        links.push({ incident_id: id, ci_id: first.id });
        if (n % 2 === 0) {
          links.push({ incident_id: id, ci_id: cis[(n * 7 + 13) % CIS]!.id });
        }
      }
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('incident').values(incidents).execute();
        await trx.insertInto('incident_ci').values(links).execute();
      });
    }
    log(`${kind}: ${INCIDENTS} incidents seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const service = incidentsOf(yunwei.ctx);
    const all = systemActor('bench');
    const scoped: Actor = { ...systemActor('bench'), kind: 'user', userId: handlers[0]!, permissions: new Set([INCIDENT_PERMISSIONS.read]), scopes: new Map([[INCIDENT_PERMISSIONS.read, new Set(units.slice(0, 2))]]) };
    const mine: Actor = { ...systemActor('bench'), kind: 'user', userId: handlers[4]!, permissions: new Set([INCIDENT_PERMISSIONS.read]) };
    const openShare = INCIDENTS / 8;
    const near = (n: number, expected: number, slack = 0.05) => Math.abs(n - expected) <= Math.max(2, expected * slack);
    const someCi = cis[42]!.id;
    // The repository's query alone (rows + count), to show what the page's names and SLA clocks add.
    const scopedVisibility: IncidentVisibility = { all: false, units: units.slice(0, 2), userId: handlers[0]!, ownOnly: false };
    const mineGroups = [units[4 % UNITS]!];
    const cases: Record<string, { actor: Actor; q: IncidentListQuery; total: (n: number) => boolean }> = {
      page: { actor: all, q: { limit: 50 }, total: (n) => n === INCIDENTS },
      deep: { actor: all, q: { limit: 50, offset: Math.min(10_000, INCIDENTS - 50) }, total: (n) => n === INCIDENTS },
      'status-priority': { actor: all, q: { limit: 50, status: ['in_progress', 'on_hold'], priority: ['P1', 'P2'] }, total: (n) => n > 0 && n < openShare },
      'open-mine': { actor: mine, q: { limit: 50, open: true, mine: true }, total: (n) => n > 0 && n < openShare },
      type: { actor: all, q: { limit: 50, typeId: leaves[3]!.id }, total: (n) => near(n, INCIDENTS / leaves.length) },
      ci: { actor: all, q: { limit: 50, ciId: someCi }, total: (n) => n > 0 && n < INCIDENTS / 100 },
      'search-rare': { actor: all, q: { limit: 50, q: RARE }, total: (n) => n === Math.floor((INCIDENTS + 499) / 1000) },
      'search-common': { actor: all, q: { limit: 50, q: COMMON }, total: (n) => n > INCIDENTS / 20 },
      scoped: { actor: scoped, q: { limit: 50 }, total: (n) => n >= (2 * INCIDENTS) / UNITS - 2 },
    };
    const figures: Record<string, unknown> = {};
    for (const [name, c] of Object.entries(cases)) {
      const answer = await service.list(c.actor, c.q);
      if (!c.total(answer.total) || answer.items.length === 0 || !answer.items[0]!.ciNames.length || !answer.items[0]!.typeName) {
        throw new Error(`${name}: unexpected answer (total ${answer.total}, ${answer.items.length} items)`);
      }
      const times: number[] = [];
      const until = Date.now() + DURATION_MS;
      const cpu = process.cpuUsage();
      while (Date.now() < until) {
        const start = process.hrtime.bigint();
        await service.list(c.actor, c.q);
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      const used = process.cpuUsage(cpu);
      times.sort((a, b) => a - b);
      const cpuMs = +((used.user + used.system) / 1000 / times.length).toFixed(1);
      const visibility: IncidentVisibility = c.actor === scoped ? scopedVisibility : { all: true };
      const queryCpu = process.cpuUsage();
      const queryTimes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = process.hrtime.bigint();
        await service.repo.list(c.q, visibility, c.actor.userId, c.actor === mine ? mineGroups : []);
        queryTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      const queryUsed = process.cpuUsage(queryCpu);
      queryTimes.sort((a, b) => a - b);
      figures[name] = { total: answer.total, calls: times.length, p50Ms: +quantile(times, 0.5).toFixed(1), p95Ms: +quantile(times, 0.95).toFixed(1), cpuMs, queryP50Ms: +quantile(queryTimes, 0.5).toFixed(1), queryCpuMs: +((queryUsed.user + queryUsed.system) / 1000 / 5).toFixed(1) };
      log(`${kind} ${name}: ${JSON.stringify(figures[name])}`);
    }
    return figures;
  } finally {
    await yunwei.close();
    await store.remove();
  }
}

const results: Record<string, unknown> = {};
for (const kind of opts.targets.split(',')) {
  results[kind] = await run(kind);
}
process.stdout.write(`${JSON.stringify({ bench: 'incident-list', incidents: INCIDENTS, cpus: cpus().length, loadavg: loadavg().map((l) => +l.toFixed(1)), results })}\n`);
