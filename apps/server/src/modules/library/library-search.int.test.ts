import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { LibraryDocumentList } from '@yunwei/contracts/library';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { createSearchIndex, documentsContaining, dropSearchIndex } from './library-search.js';
import { doc, ok, orgUnit, para, person, type Signed } from './library.testing.js';

describe.skipIf(!databaseAvailable())('document library search (trigram index)', () => {
  let t: TestApp;
  let admin: TestSession;
  let writer: Signed;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    const unit = await orgUnit(admin, '检索测试部');
    writer = await person(t, { roles: ['operator'], orgUnitIds: [unit], orgUnitId: unit });
  });
  afterAll(() => t?.close());

  const create = (title: string, ...paragraphs: string[]) => ok(writer.session.request('POST', '/api/library/documents', { typeCode: 'fault_procedure', title, body: doc(...paragraphs.map(para)) }));
  const found = async (q: string) => (await ok<LibraryDocumentList>(writer.session.request('GET', `/api/library/documents?q=${encodeURIComponent(q)}&limit=200`))).items.map((x) => x.id);

  it('finds Chinese words inside sentences and mixed-case latin, with needles of 1, 2 and 3+ characters', async () => {
    const a = await create('PostgreSQL 主备切换规程', '每周日凌晨对核心数据库做全量备份，并在备份完成后校验归档日志。');
    const b = await create('Redis 巡检手册', '巡检时记录内存使用率与键空间命中率。');
    // 3+ characters: the trigram index; a word in mid-sentence, in any case.
    expect(await found('全量备份')).toEqual([a.id]);
    expect(await found('校验归档日志')).toEqual([a.id]);
    expect(await found('postgresql')).toEqual([a.id]);
    expect(await found('POSTGRESQL 主备')).toEqual([a.id]);
    expect(await found('greSQL')).toEqual([a.id]);
    expect(await found('rEdIs 巡')).toEqual([b.id]);
    // 2 and 1 characters have no trigram: still found (a scan of the search texts).
    expect(await found('备份')).toEqual([a.id]);
    expect(await found('巡检')).toEqual([b.id]);
    expect(await found('凌')).toEqual([a.id]);
    expect(await found('QL')).toEqual([a.id]);
    expect((await found('RE')).sort()).toEqual([a.id, b.id].sort()); // postgREsql, REdis
  });

  it('treats %, _, double and single quotes as characters, never as syntax', async () => {
    const c = await create('阈值说明', `磁盘使用率超过 90%_告警，标签写作 "disk_full" 或 'disk-full'。`);
    await create('对照文档', '磁盘使用率超过 90 告警，标签写作 diskXfull。');
    expect(await found('90%_告')).toEqual([c.id]);
    expect(await found('"disk_full"')).toEqual([c.id]);
    expect(await found(`'disk-full'`)).toEqual([c.id]);
    expect(await found('disk_full" 或')).toEqual([c.id]);
    expect(await found('%')).toEqual([c.id]);
    expect(await found('"')).toEqual([c.id]);
    expect(await found('_f')).toEqual([c.id]);
    // A wildcard or an FTS5 operator in the needle matches nothing it should not.
    expect(await found('disk%full')).toEqual([]);
    expect(await found('90_%')).toEqual([]);
    expect(await found('disk OR full')).toEqual([]);
    expect(await found('disk*')).toEqual([]);
    expect(await found('"disk')).toEqual([c.id]);
  });

  it('after an edit finds the new text and no longer the old one', async () => {
    const d = await create('变更窗口规范', '变更窗口为每周二晚上十点。');
    expect(await found('每周二晚上')).toEqual([d.id]);
    await ok(writer.session.request('PATCH', `/api/library/documents/${d.id}`, { title: 'Change window 规范', body: doc(para('变更窗口改为每周四凌晨两点。')) }));
    expect(await found('每周二晚上')).toEqual([]);
    expect(await found('周二')).toEqual([]);
    expect(await found('每周四凌晨')).toEqual([d.id]);
    expect(await found('CHANGE WINDOW')).toEqual([d.id]);
    expect(await found('变更窗口规范')).toEqual([]);
  });

  it('builds the index over rows written before it existed (the migration backfills), and queries use it', async () => {
    const e = await create('存量文档', '迁移之前已有的正文：负载均衡健康检查间隔。');
    await dropSearchIndex(t.ctx.db);
    await createSearchIndex(t.ctx.db);
    expect(await found('健康检查间隔')).toEqual([e.id]);
    // The list's own text filter.
    const needle = documentsContaining(t.ctx.db, '健康检查间隔').compile();
    if (t.dialect === 'postgres') {
      const { rows } = await sql<{ indexdef: string }>`select indexdef from pg_indexes where tablename = 'document_search' and indexname = 'document_search_trgm' and schemaname = current_schema()`.execute(t.ctx.db);
      expect(rows[0]?.indexdef).toMatch(/USING gin \(search_text \S*gin_trgm_ops\) WITH \(fastupdate='?off'?\)/);
      // With sequential scans priced out (the test table is tiny), LIKE runs on the index.
      const plan = await t.ctx.db.connection().execute(async (conn) => {
        await sql`set enable_seqscan = off`.execute(conn);
        try {
          return (await conn.executeQuery<{ 'QUERY PLAN': string }>({ ...needle, sql: `explain ${needle.sql}` })).rows.map((r) => r['QUERY PLAN']).join('\n');
        } finally {
          await sql`reset enable_seqscan`.execute(conn);
        }
      });
      expect(plan).toContain('document_search_trgm');
    } else {
      const { rows } = await t.ctx.db.executeQuery<{ detail: string }>({ ...needle, sql: `explain query plan ${needle.sql}` });
      expect(rows.map((r) => r.detail).join('\n')).toMatch(/VIRTUAL TABLE INDEX \d+:M/);
      // The index holds exactly the rows of document_search.
      const { rows: check } = await sql`insert into document_fts(document_fts, rank) values ('integrity-check', 1)`.execute(t.ctx.db);
      expect(check).toEqual([]);
    }
  });
});
