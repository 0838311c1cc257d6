// `npm run bench -- library-list [--documents 10000] [--duration 5] [--targets sqlite,postgres] [--explain]`
//
// The document library's list (GET /api/library/documents) over `documents` documents of ~3 KB of
// Chinese text each (15 types, 10 org units, one version each, search texts as the service writes
// them). In process (the service, without HTTP), one call at a time for `duration` seconds per case:
//   page        the first page of 50, newest change first (no filter)
//   deep        page 180 (offset 9,000)
//   type        one type's documents
//   scoped      a reader who reaches 2 of the 10 units
//   q-rare      q = a Chinese phrase found in the body of 1 document in 10 (a substring in mid-sentence):
//               the trigram index (pg_trgm GIN / SQLite FTS5 trigram, library-search.ts)
//   q-common    q = a word of nearly every body (3 characters: the index, but it matches most rows)
//   q-scoped    q-common for the scoped reader
//   q-rare-2    q = 2 characters of the rare phrase (same documents): too short for trigrams, so the
//               scan of every search text that all searches used before the index — the comparison
//   q-common-2  q = 2 characters of the common word (same documents as q-common), the scan
// Target: < 100 ms per page. Figures: wall p50/p95 and this process's CPU per call. Each answer is checked (total) before timing. One JSON line on stdout;
// progress on stderr; everything is removed at the end.
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { type Kysely, sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { BUILT_IN_DOCUMENT_TYPES, LIBRARY_PERMISSIONS, type LibraryDocumentQuery } from '@yunwei/contracts/library';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config/config.js';
import { toJson } from '../apps/server/src/db/dialect.js';
import type { Database } from '../apps/server/src/db/schema.js';
import { type Actor, systemActor } from '../apps/server/src/platform/actor.js';
import { bodyText } from '../apps/server/src/modules/library/library-body.js';
import { documentsContaining } from '../apps/server/src/modules/library/library-search.js';
import { libraryOf } from '../apps/server/src/modules/library/library.runtime.js';
import { searchText } from '../apps/server/src/modules/library/library.service.js';
import type { DocumentTable, DocumentVersionTable } from '../apps/server/src/modules/library/library.tables.js';
import { benchStore } from './lib/yunwei.js';

const log = (message: string) => process.stderr.write(`[bench library-list] ${message}\n`);
const { values: opts } = parseArgs({
  options: {
    documents: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '5' },
    targets: { type: 'string', default: 'sqlite,postgres' },
    // Logs the database's plan of each text search (PostgreSQL: EXPLAIN ANALYZE; SQLite: EXPLAIN QUERY PLAN).
    explain: { type: 'boolean', default: false },
  },
});
const DOCUMENTS = Number(opts.documents);
const DURATION_MS = Number(opts.duration) * 1000;
if (![DOCUMENTS, DURATION_MS].every((n) => Number.isInteger(n) && n > 0)) {
  log('--documents and --duration must be positive integers');
  process.exit(2);
}
const UNITS = 10;
const RARE = '磁带库离线巡检';
const RARE_EVERY = Math.max(1, Math.floor(DOCUMENTS / 10));
const WORDS = ['数据库', '主备切换', '应急响应', '值班员', '告警', '核心业务系统', '网络设备', '备份策略', '恢复演练', '安全加固', '巡检记录', '容量规划', '变更窗口', '故障处理', '日志审计', '服务器', '存储阵列', '负载均衡'];

/** ~3 KB of sentences, deterministic per document; every `RARE_EVERY`th carries the rare phrase mid-sentence. */
function body(n: number) {
  const paragraphs = [];
  for (let p = 0; p < 12; p++) {
    const words = Array.from({ length: 10 }, (_, i) => WORDS[(n * 7 + p * 13 + i * 5) % WORDS.length]);
    if (n % RARE_EVERY === 0 && p === 6) {
      words.splice(5, 0, RARE);
    }
    paragraphs.push({ type: 'paragraph', content: [{ type: 'text', text: `第${p + 1}条：${words.join('，')}，按规程执行并记录。` }] });
  }
  return { type: 'doc' as const, content: [{ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: '一、总则' }] }, ...paragraphs] };
}

/** The plan of the list's text search (the query `LibraryRepository.list` sends, without the joins of the page). */
async function explain(db: Kysely<Database>, kind: string, q: string): Promise<string> {
  const query = db
    .selectFrom('document as d')
    .select(['d.id', sql<number>`count(*) over ()`.as('total')])
    .where('d.id', 'in', documentsContaining(db, q.toLowerCase()))
    .orderBy('d.updated_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(50)
    .compile();
  const prefix = kind === 'postgres' ? 'explain (analyze, buffers) ' : 'explain query plan ';
  const { rows } = await db.executeQuery<Record<string, unknown>>({ ...query, sql: prefix + query.sql });
  return rows.map((r) => String(r['QUERY PLAN'] ?? r.detail)).join('\n');
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function run(kind: string): Promise<Record<string, unknown>> {
  const store = await benchStore(kind, 'library');
  const config = loadConfig({ YUNWEI_DATA_DIR: store.dir, YUNWEI_DATABASE_URL: store.databaseUrl, YUNWEI_ADMIN_PASSWORD: 'Bench#Admin-2026', YUNWEI_LOG_LEVEL: 'warn' }, { webDir: '' });
  const yunwei = await buildApp({ config, announce: () => undefined });
  try {
    const db = yunwei.ctx.db;
    const owner = (await db.selectFrom('user').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;
    const now = Date.now();
    const units: string[] = [];
    for (let u = 0; u < UNITS; u++) {
      const id = uuidv7();
      await db.insertInto('org_unit').values({ id, parent_id: null, name: `运维${u + 1}部`, code: `u${u}`, sort_order: u, leader_id: null, created_at: now, updated_at: now }).execute();
      units.push(id);
    }
    const t0 = Date.now();
    const BATCH = 500;
    for (let start = 0; start < DOCUMENTS; start += BATCH) {
      const docs: DocumentTable[] = [];
      const versions: DocumentVersionTable[] = [];
      const search: { document_id: string; search_text: string }[] = [];
      for (let n = start; n < Math.min(DOCUMENTS, start + BATCH); n++) {
        const type = BUILT_IN_DOCUMENT_TYPES[n % BUILT_IN_DOCUMENT_TYPES.length]!;
        const id = uuidv7();
        const versionId = uuidv7();
        const b = body(n);
        const text = bodyText(b);
        const number = `${type.numberPrefix}-2026-${String(Math.floor(n / BUILT_IN_DOCUMENT_TYPES.length) + 1).padStart(3, '0')}`;
        const title = `${type.nameZh}（第 ${n + 1} 号）`;
        const at = now - (DOCUMENTS - n) * 60_000;
        docs.push({ id, type_code: type.code, title, number, org_unit_id: units[n % UNITS]!, owner_id: owner, status: n % 3 === 0 ? 'published' : 'draft', published_version_id: n % 3 === 0 ? versionId : null, latest_version_id: versionId, review_due_at: n % 3 === 0 ? at + 365 * 86_400_000 : null, review_reminded_due: null, retired_at: null, created_at: at, updated_at: at, updated_by: owner });
        versions.push({ id: versionId, document_id: id, label: 'v1.0', major: 1, minor: 0, body: toJson(b), body_text: text, change_note: '', status: n % 3 === 0 ? 'published' : 'draft', author_id: owner, updated_by: owner, approval_request_id: null, last_review_outcome: null, created_at: at, updated_at: at, published_at: n % 3 === 0 ? at : null });
        search.push({ document_id: id, search_text: searchText(title, number, [text]) });
      }
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('document').values(docs).execute();
        await trx.insertInto('document_version').values(versions).execute();
        await trx.insertInto('document_search').values(search).execute();
      });
    }
    log(`${kind}: ${DOCUMENTS} documents seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const service = libraryOf(yunwei.ctx).documents;
    const all = systemActor('bench');
    const scoped: Actor = { ...systemActor('bench'), kind: 'user', userId: owner, permissions: new Set([LIBRARY_PERMISSIONS.read]), scopes: new Map([[LIBRARY_PERMISSIONS.read, new Set(units.slice(0, 2))]]) };
    const perUnit = Math.ceil(DOCUMENTS / UNITS);
    const cases: Record<string, { actor: Actor; q: LibraryDocumentQuery; total: (n: number) => boolean }> = {
      page: { actor: all, q: { limit: 50 }, total: (n) => n === DOCUMENTS },
      deep: { actor: all, q: { limit: 50, offset: Math.min(9000, DOCUMENTS - 50) }, total: (n) => n === DOCUMENTS },
      type: { actor: all, q: { limit: 50, type: 'emergency_plan' }, total: (n) => Math.abs(n - DOCUMENTS / 15) <= 1 },
      scoped: { actor: scoped, q: { limit: 50 }, total: (n) => Math.abs(n - 2 * perUnit) <= 2 },
      'q-rare': { actor: all, q: { limit: 50, q: RARE }, total: (n) => n === Math.ceil(DOCUMENTS / RARE_EVERY) },
      'q-common': { actor: all, q: { limit: 50, q: '值班员' }, total: (n) => n > DOCUMENTS / 2 },
      'q-scoped': { actor: scoped, q: { limit: 50, q: '值班员' }, total: (n) => n > 0 && n <= 2 * perUnit },
      'q-rare-2': { actor: all, q: { limit: 50, q: RARE.slice(0, 2) }, total: (n) => n === Math.ceil(DOCUMENTS / RARE_EVERY) },
      'q-common-2': { actor: all, q: { limit: 50, q: '值班' }, total: (n) => n > DOCUMENTS / 2 },
    };
    const figures: Record<string, unknown> = {};
    for (const [name, c] of Object.entries(cases)) {
      const answer = await service.list(c.actor, c.q);
      if (opts.explain && c.q.q) {
        log(`${kind} ${name} plan:\n${await explain(db, kind, c.q.q)}`);
      }
      if (!c.total(answer.total) || answer.items.length === 0 || !answer.items[0]!.type.name || !answer.items[0]!.orgUnit?.name) {
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
      // This process's CPU per call: on SQLite the whole query (the database runs in process), a figure a busy
      // machine's other work does not inflate as it does wall time; on PostgreSQL only the client's share.
      const cpuMs = +((used.user + used.system) / 1000 / times.length).toFixed(1);
      figures[name] = { total: answer.total, calls: times.length, p50Ms: +quantile(times, 0.5).toFixed(1), p95Ms: +quantile(times, 0.95).toFixed(1), cpuMs };
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
process.stdout.write(`${JSON.stringify({ bench: 'library-list', documents: DOCUMENTS, cpus: cpus().length, loadavg: loadavg().map((l) => +l.toFixed(1)), results })}\n`);
