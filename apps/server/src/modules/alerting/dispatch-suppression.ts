import type { Kysely } from 'kysely';
import { fromJson, toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import type { CmdbGraph } from '../cmdb/impact-analysis.js';
import { walkDependencies } from '../cmdb/impact-analysis.js';
import type { DispatchAlert } from './dispatch-alerts.js';
import { inhibitions, isInhibitSource } from './inhibit.js';
import { activeAt } from './maintenance-schedule.js';
import { compileMatchers, matchesAll, type CompiledMatcher } from './routing-matchers.js';
import type { MaintenanceSchedule, MaintenanceScope, Matcher } from '@yunwei/contracts/alert-routing';
import type { AlertSuppressionTable } from './routing.tables.js';

export type Suppression = Pick<AlertSuppressionTable, 'kind' | 'ref_id' | 'reason'>;

interface ActiveSilence {
  id: string;
  matchers: CompiledMatcher[];
  comment: string;
  createdBy: string;
}

async function activeSilences(db: Kysely<Database>, now: number): Promise<ActiveSilence[]> {
  const rows = await db.selectFrom('alert_silence').selectAll().where('starts_at', '<=', now).where('ends_at', '>', now).execute();
  const out: ActiveSilence[] = [];
  for (const r of rows) {
    try {
      out.push({ id: r.id, matchers: compileMatchers(fromJson<Matcher[]>(r.matchers)), comment: r.comment, createdBy: r.created_by });
    } catch {
      // Validated on the way in; a regex this engine no longer accepts silences nothing.
    }
  }
  return out;
}

/** The CIs each active maintenance window covers (classes and business systems expanded). */
export async function activeWindows(db: Kysely<Database>, now: number, graph: () => Promise<CmdbGraph>): Promise<{ id: string; name: string; cis: Set<string> }[]> {
  const rows = await db.selectFrom('alert_maintenance').selectAll().where('enabled', '=', 1).execute();
  const out: { id: string; name: string; cis: Set<string> }[] = [];
  for (const r of rows) {
    if (!activeAt(fromJson<MaintenanceSchedule>(r.schedule), now)) {
      continue;
    }
    const scope = fromJson<MaintenanceScope>(r.scope);
    const cis = new Set(scope.ciIds);
    if (scope.classCodes.length) {
      const members = await db.selectFrom('cmdb_ci as c').innerJoin('cmdb_class as k', 'k.id', 'c.class_id').select('c.id').where('k.code', 'in', scope.classCodes).execute();
      members.forEach((m) => cis.add(m.id));
    }
    if (scope.businessSystemIds.length) {
      const g = await graph();
      for (const bs of scope.businessSystemIds) {
        cis.add(bs);
        walkDependencies(g, bs).dependencies.forEach((d) => d.kind === 'ci' && cis.add(d.id));
      }
    }
    out.push({ id: r.id, name: r.name, cis });
  }
  return out;
}

/**
 * Why each open alert is not to be notified now: active silences matching its labels, active
 * maintenance windows covering its CI, and inhibition by a "CI down" alert upstream in the CMDB.
 * Reasons are stored in both languages (JSON `{ zh, en }`): readers get theirs (AlertRepository.suppressions).
 */
export async function computeSuppressions(db: Kysely<Database>, alerts: readonly DispatchAlert[], now: number, graph: () => Promise<CmdbGraph>): Promise<Map<string, Suppression[]>> {
  const out = new Map<string, Suppression[]>();
  const add = (alertId: string, s: Suppression) => out.set(alertId, [...(out.get(alertId) ?? []), s]);
  if (!alerts.length) {
    return out;
  }
  for (const s of await activeSilences(db, now)) {
    for (const a of alerts) {
      if (matchesAll(s.matchers, a.labels)) {
        add(a.id, { kind: 'silence', ref_id: s.id, reason: toJson({ zh: `静默（${s.createdBy}）：${s.comment}`, en: `silenced by ${s.createdBy}: ${s.comment}` }) });
      }
    }
  }
  for (const w of await activeWindows(db, now, graph)) {
    for (const a of alerts) {
      if (a.ciId !== null && w.cis.has(a.ciId)) {
        add(a.id, { kind: 'maintenance', ref_id: w.id, reason: toJson({ zh: `维护窗口：${w.name}`, en: `maintenance window: ${w.name}` }) });
      }
    }
  }
  if (alerts.some(isInhibitSource)) {
    const inhibited = inhibitions(alerts, await graph());
    const names = new Map((await db.selectFrom('cmdb_ci').select(['id', 'name']).where('id', 'in', [...new Set([...inhibited.values()].map((i) => i.sourceCiId)), '']).execute()).map((c) => [c.id, c.name]));
    for (const [alertId, i] of inhibited) {
      const ci = names.get(i.sourceCiId) ?? i.sourceCiId;
      add(alertId, { kind: 'inhibited', ref_id: i.refId, reason: toJson({ zh: `上游故障：${ci} 的告警「${i.sourceAlertName}」`, en: `inhibited by ${i.sourceAlertName} on ${ci}` }) });
    }
  }
  return out;
}

/** Makes `alert_suppression` say exactly `wanted` for the open alerts (rows of closed alerts go). */
export async function storeSuppressions(db: Kysely<Database>, openIds: ReadonlySet<string>, wanted: ReadonlyMap<string, Suppression[]>, now: number): Promise<void> {
  const current = await db.selectFrom('alert_suppression').selectAll().execute();
  const key = (alertId: string, s: Suppression) => `${alertId}\u0000${s.kind}\u0000${s.ref_id}`;
  const want = new Map<string, AlertSuppressionTable>();
  for (const [alertId, list] of wanted) {
    for (const s of list) {
      want.set(key(alertId, s), { alert_id: alertId, ...s, since: now });
    }
  }
  const have = new Map(current.map((r) => [key(r.alert_id, r), r]));
  const gone = current.filter((r) => !want.has(key(r.alert_id, r)) || !openIds.has(r.alert_id) || want.get(key(r.alert_id, r))!.reason !== r.reason);
  const added = [...want.entries()].filter(([k, r]) => !have.has(k) || have.get(k)!.reason !== r.reason).map(([k, r]) => ({ ...r, since: have.has(k) ? Number(have.get(k)!.since) : now }));
  if (!gone.length && !added.length) {
    return;
  }
  await db.transaction().execute(async (trx) => {
    for (const r of gone) {
      await trx.deleteFrom('alert_suppression').where('alert_id', '=', r.alert_id).where('kind', '=', r.kind).where('ref_id', '=', r.ref_id).execute();
    }
    for (let i = 0; i < added.length; i += 200) {
      await trx.insertInto('alert_suppression').values(added.slice(i, i + 200)).execute();
    }
  });
}
