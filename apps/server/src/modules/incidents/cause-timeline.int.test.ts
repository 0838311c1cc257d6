import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ci } from '@yunwei/contracts/cmdb';
import { INCIDENT_TIMELINE_PERMISSION, type CauseTimeline } from '@yunwei/contracts/incident-timeline';
import { scopedWorld, type ScopedWorld } from '../../../test/scoped-world.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { type Actor, systemActor } from '../../platform/actor.js';
import { isAppError } from '../../platform/errors.js';
import type { MetricSeriesTable } from '../monitoring/monitoring.tables.js';
import { CauseTimelineService } from './cause-timeline.service.js';

const MIN = 60_000;

/** A reader holding the timeline's permission over these units only (null: the whole organisation; descendants are listed, as the authenticator expands them). */
function reader(units: string[] | null, locale: Actor['locale'] = 'zh-CN'): Actor {
  return {
    ...systemActor('reader'),
    kind: 'user',
    userId: null,
    locale,
    permissions: new Set([INCIDENT_TIMELINE_PERMISSION]),
    scopes: new Map([[INCIDENT_TIMELINE_PERMISSION, units === null ? 'all' : new Set(units)]]),
  };
}

/** A series row without its id, which the database draws (PostgreSQL refuses one given). */
const seriesRow = (row: Omit<MetricSeriesTable, 'id'>) => row as MetricSeriesTable;

describe.skipIf(!databaseAvailable())('incidents: cause-tracing timeline', () => {
  let t: TestApp;
  let admin: TestSession;
  let w: ScopedWorld;
  let service: CauseTimelineService;
  const ci: Record<'app' | 'db' | 'storage' | 'other', string> = { app: '', db: '', storage: '', other: '' };
  let at = 0;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    w = await scopedWorld(t, admin, 'tl');
    service = new CauseTimelineService(t.ctx);
    const classes = (await admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    const classId = (code: string) => classes.find((c) => c.code === code)!.id;
    const newCi = async (name: string, code: string, orgUnitId: string) => {
      const res = await admin.request('POST', '/api/cmdb/cis', { classId: classId(code), name, orgUnitId });
      expect(res.status, res.body).toBe(200);
      return (res.json as Ci).id;
    };
    // app → db → storage; the storage lies in 乙 (outside a reader of 甲).
    ci.app = await newCi('订单应用', 'application', w.unitA1);
    ci.db = await newCi('订单库', 'database', w.unitA1);
    ci.storage = await newCi('存储阵列一', 'storage', w.unitB);
    ci.other = await newCi('无关主机', 'server', w.unitA1);
    for (const [source, target] of [
      [ci.app, ci.db],
      [ci.db, ci.storage],
    ] as const) {
      const res = await admin.request('POST', '/api/cmdb/relations', { sourceId: source, targetId: target, type: 'depends_on' });
      expect(res.status, res.body).toBe(200);
    }
    // The CMDB change on the db happens now (audited now); the incident starts 20 minutes later.
    const changed = await admin.request('PATCH', `/api/cmdb/cis/${ci.db}`, { ip: '10.0.0.8' });
    expect(changed.status, changed.body).toBe(200);
    at = Date.now() + 20 * MIN;

    const db = t.ctx.db;
    // A check on the storage: up, then down 10 minutes before the start, still down after; one on the unrelated host going down too.
    const check = async (ciId: string, name: string, results: [number, number][]) => {
      const id = randomUUID();
      await db
        .insertInto('check_definition')
        .values({ id, name, type: 'tcp', settings: '{}', secrets: null, target: 'tcp://10.0.0.9:3260', ci_id: ciId, org_unit_id: null, interval_s: 60, timeout_ms: 1000, enabled: 1, retries: 0, alert_rule_id: null, notify_policy_id: null, escalation_policy_id: null, created_at: at - 3 * 60 * MIN, updated_at: at - 3 * 60 * MIN })
        .execute();
      await db
        .insertInto('check_result')
        .values(results.map(([offset, up]) => ({ check_id: id, at: at + offset * MIN, up, latency_ms: up ? 3 : null, message: up ? null : 'connection refused', message_code: null, message_params: null, values: '{}' })))
        .execute();
    };
    await check(ci.storage, 'iSCSI 端口', [[-30, 1], [-20, 1], [-11, 1], [-10, 0], [-9, 0], [-1, 0], [5, 0]]);
    await check(ci.other, '无关端口', [[-30, 1], [-5, 0]]);
    // The alert on the app at the start; one on the unrelated host 4 minutes before.
    const alert = async (ciId: string, rule: string, start: number) => {
      const id = randomUUID();
      await db
        .insertInto('alert')
        .values({ id, fingerprint: id, rule_id: randomUUID(), rule_name: rule, rule_name_en: `${rule} (en)`, severity: 'critical', state: 'firing', labels: '{}', annotations: JSON.stringify({ zh: { summary: `${rule}，请处理` }, en: { summary: `${rule}, act now` } }), value: null, threshold: null, ci_id: ciId, started_at: start, firing_at: start, acked_at: null, acked_by: null, resolved_at: null, updated_at: start, notify_seq: 0 })
        .execute();
      await db.insertInto('alert_event').values({ alert_id: id, at: start, from_state: 'pending', to_state: 'firing', actor_id: null, note: null }).execute();
    };
    await alert(ci.app, '订单接口错误率过高', at);
    await alert(ci.other, '无关告警', at - 4 * MIN);
    // The db's latency: a steady day, then a jump 40 minutes before the start.
    const series = await db
      .insertInto('metric_series')
      .values(seriesRow({ metric: 'db_query_latency_seconds', labels: JSON.stringify({ ci: ci.db, db: 'orders' }), hash: randomUUID(), ci_id: ci.db, created_at: at - 30 * 60 * MIN, last_seen: at }))
      .returning('id')
      .executeTakeFirstOrThrow();
    const bucket = (ts: number) => Math.floor(ts / (5 * MIN)) * 5 * MIN;
    const rows = [];
    for (let ts = bucket(at - 26 * 60 * MIN); ts <= at; ts += 5 * MIN) {
      const jump = ts >= bucket(at - 40 * MIN) && ts < bucket(at - 25 * MIN);
      const v = jump ? 2.5 : 0.1 + ((ts / (5 * MIN)) % 3) * 0.01;
      rows.push({ series_id: Number(series.id), bucket_ts: ts, min: v, max: v, sum: v * 10, count: 10 });
    }
    await db.insertInto('metric_rollup_5m').values(rows).execute();
  });
  afterAll(() => t?.close());

  it('[L2-2.1.3] traces the cause: the storage check going down 10 min before the app alert ranks first, then the db change, then the symptom', async () => {
    const tl = await service.timeline(reader(null), { ciIds: [ci.app], at });
    expect(tl.cis.map((c) => [c.name, c.hops])).toEqual([
      ['订单应用', 0],
      ['订单库', 1],
      ['存储阵列一', 2],
    ]);
    expect(tl.hiddenCis).toBe(0);
    const top = tl.events[0]!;
    expect(top).toMatchObject({ kind: 'check', ciId: ci.storage, ciName: '存储阵列一', hops: 2, at: at - 10 * MIN, title: '检查「iSCSI 端口」失败：存储阵列一', detail: 'connection refused', severity: 'critical', reason: '依赖 2 跳，开始前 10 分钟' });
    expect(top.score).toBeCloseTo(0.529, 3);
    expect(tl.events.map((e) => e.kind)).toEqual(['check', 'change', 'alert', 'metric']);
    expect(tl.events[1]).toMatchObject({ kind: 'change', ciName: '订单库', hops: 1, link: `/cmdb/cis/${ci.db}` });
    expect(tl.events[1]!.title).toMatch(/修改了配置项 订单库$/);
    expect(tl.events[1]!.detail).toMatch(/^ip: .* → 10\.0\.0\.8$/);
    expect(tl.events[2]).toMatchObject({ kind: 'alert', title: '告警「订单接口错误率过高」触发：订单应用', detail: '订单接口错误率过高，请处理', reason: '同一 CI，与开始同时' });
    expect(tl.events[3]).toMatchObject({ kind: 'metric', ciName: '订单库', at: Math.floor((at - 40 * MIN) / (5 * MIN)) * 5 * MIN, title: '订单库 的 db_query_latency_seconds{db="orders"} 偏离基线' });
    // Scores only go down; byTime lists the same events oldest first.
    expect(tl.events.map((e) => e.score)).toEqual([...tl.events.map((e) => e.score)].sort((a, b) => b - a));
    expect(tl.byTime).toEqual([...tl.events].sort((a, b) => a.at - b.at).map((e) => e.id));
    expect(tl.total).toBe(4);
  });

  it('leaves out events of unrelated CIs, and counts only state changes of a check (not every result)', async () => {
    const tl = await service.timeline(reader(null), { ciIds: [ci.app], at });
    expect(tl.events.some((e) => e.ciId === ci.other)).toBe(false);
    expect(tl.events.filter((e) => e.kind === 'check')).toHaveLength(1);
    // The unrelated host's own timeline has its check and alert.
    const other = await service.timeline(reader(null), { ciIds: [ci.other], at });
    expect(other.events.map((e) => e.title).sort()).toEqual(['告警「无关告警」触发：无关主机', '检查「无关端口」失败：无关主机']);
  });

  it('[L2-2.1.3] respects data scope: a dependency outside the reader units is left out and counted', async () => {
    const tl = await service.timeline(reader([w.unitA, w.unitA1]), { ciIds: [ci.app], at });
    expect(tl.cis.map((c) => c.name)).toEqual(['订单应用', '订单库']);
    expect(tl.hiddenCis).toBe(1);
    expect(tl.events.some((e) => e.ciId === ci.storage)).toBe(false);
    expect(tl.events[0]!.kind).toBe('change');
    // A named CI the reader cannot see does not exist for them.
    const refused = await service.timeline(reader([w.unitA, w.unitA1]), { ciIds: [ci.storage], at }).catch((e: unknown) => e);
    expect(isAppError(refused) && refused.code).toBe('YW_CMDB_CI_NOT_FOUND');
  });

  it('words the timeline in the reader language, and bounds the window and the depth', async () => {
    const tl = await service.timeline(reader(null, 'en'), { ciIds: [ci.app], at, depth: 1, beforeMs: 15 * MIN });
    expect(tl.cis.map((c) => c.name)).toEqual(['订单应用', '订单库']);
    expect(tl.from).toBe(at - 15 * MIN);
    expect(tl.events.map((e) => e.title)).toEqual(['Alert "订单接口错误率过高 (en)" fired on 订单应用']);
    expect(tl.events[0]!.reason).toBe('same CI, at the start');
    const unknown = await service.timeline(reader(null), { ciIds: [randomUUID()], at }).catch((e: unknown) => e);
    expect(isAppError(unknown) && unknown.code).toBe('YW_CMDB_CI_NOT_FOUND');
    const tooDeep = await service.timeline(reader(null), { ciIds: [ci.app], at, depth: 9 }).catch((e: unknown) => e);
    expect(isAppError(tooDeep) && tooDeep.code).toBe('YW_VALIDATION');
  });

  it('[L2-2.1.3] GET /api/incidents/timeline answers the ranked timeline in the caller language and scope, and refuses bad input naming the field', async () => {
    const en = { 'accept-language': 'en' };
    const res = await admin.request('GET', `/api/incidents/timeline?ciId=${ci.app}&at=${at}`, undefined, en);
    expect(res.status, res.body).toBe(200);
    const tl = res.json as CauseTimeline;
    expect(tl.events[0]).toMatchObject({ kind: 'check', ciName: '存储阵列一', title: 'Check "iSCSI 端口" went down on 存储阵列一', reason: '2 hops down the dependencies, 10 min before the start' });
    expect(tl).toMatchObject({ at, from: at - 2 * 60 * MIN, to: at + 30 * MIN, depth: 3, hiddenCis: 0 });

    // Someone reading incidents of 甲 only: the storage in 乙 is left out and counted.
    const scoped = await w.scopedToA([INCIDENT_TIMELINE_PERMISSION]);
    const mine = await scoped.request('GET', `/api/incidents/timeline?ciId=${ci.app}&ciId=${ci.db}&at=${at}&before=${60 * MIN}&depth=2`);
    expect(mine.status, mine.body).toBe(200);
    expect((mine.json as CauseTimeline).hiddenCis).toBe(1);
    expect((mine.json as CauseTimeline).cis.map((c) => [c.name, c.hops])).toEqual([
      ['订单库', 0],
      ['订单应用', 0],
    ]);
    const hidden = await scoped.request('GET', `/api/incidents/timeline?ciId=${ci.storage}&at=${at}`);
    expect(hidden.status).toBe(404);
    expect(hidden.json.details.fields[0].field).toBe('querystring.ciId');

    const unknown = await admin.request('GET', `/api/incidents/timeline?ciId=${randomUUID()}&at=${at}`);
    expect(unknown.status).toBe(404);
    expect(unknown.json.details.fields[0].field).toBe('querystring.ciId');
    for (const [query, field] of [
      [`ciId=${ci.app}&at=1e400`, 'querystring.at'],
      [`ciId=${ci.app}&at=${at}&depth=9`, 'querystring.depth'],
      [`ciId=${ci.app}&at=${at}&before=${25 * 60 * MIN}`, 'querystring.before'],
      [`at=${at}`, 'querystring.ciId'],
    ] as const) {
      const bad = await admin.request('GET', `/api/incidents/timeline?${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.json.details.fields.map((f: { field: string }) => f.field), query).toContain(field);
    }
  });

  it('[L2-2.1.3] shows an agent going silent and coming back, from the gaps in its host metrics', async () => {
    const token = await admin.request('POST', '/api/agents/enrolment-tokens', { name: 'timeline' });
    expect(token.status, token.body).toBe(200);
    const enrolled = await t.app.inject({ method: 'POST', url: '/api/agent/enroll', payload: { token: token.json.secret, hostname: 'tl-host-01', machineId: 'machine-tl-host-01', version: '0.1.0', ip: '10.0.0.31' } });
    expect(enrolled.statusCode, enrolled.body).toBe(200);
    const { agentId, ciId } = enrolled.json() as { agentId: string; ciId: string };
    const db = t.ctx.db;
    const series = await db
      .insertInto('metric_series')
      .values(seriesRow({ metric: 'host_cpu_usage_percent', labels: JSON.stringify({ agent: agentId, ci: ciId }), hash: randomUUID(), ci_id: ciId, created_at: at - 5 * 60 * MIN, last_seen: at }))
      .returning('id')
      .executeTakeFirstOrThrow();
    const bucket = (ts: number) => Math.floor(ts / (5 * MIN)) * 5 * MIN;
    const lastBefore = bucket(at - 50 * MIN);
    const backAt = bucket(at - 25 * MIN);
    const rows = [];
    for (let ts = bucket(at - 3 * 60 * MIN); ts <= bucket(at + 20 * MIN); ts += 5 * MIN) {
      if (ts <= lastBefore || ts >= backAt) {
        rows.push({ series_id: Number(series.id), bucket_ts: ts, min: 5, max: 5, sum: 20, count: 4 });
      }
    }
    await db.insertInto('metric_rollup_5m').values(rows).execute();
    await db.updateTable('metric_rollup_state').set({ done_until: bucket(at + 25 * MIN) }).where('level', '=', '5m').execute();

    const tl = await service.timeline(reader(null), { ciIds: [ciId], at });
    const agentEvents = tl.events.filter((e) => e.kind === 'agent').sort((a, b) => a.at - b.at);
    expect(agentEvents.map((e) => [e.title, e.at, e.detail])).toEqual([
      ['代理 tl-host-01 失联：tl-host-01', lastBefore + 5 * MIN, `${(backAt - lastBefore - 5 * MIN) / MIN} 分钟 未收到指标`],
      ['代理 tl-host-01 恢复上报：tl-host-01', backAt, `中断 ${(backAt - lastBefore - 5 * MIN) / MIN} 分钟`],
    ]);
    expect(agentEvents[0]).toMatchObject({ severity: 'warning', link: `/monitoring/hosts/${ciId}` });
  });
});
