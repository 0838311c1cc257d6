import { uuidv7 } from 'uuidv7';
import type { Kysely } from 'kysely';
import type { IncidentEvidence, IncidentVerificationList } from '@yunwei/contracts/incidents';
import type { LocalizedText } from '@yunwei/contracts/i18n';
import { fromJson, toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';

/** Alerts still open (pending or firing); acknowledged ones too: acknowledging is not fixing. */
const OPEN_ALERT = ['pending', 'firing', 'acknowledged'];

/**
 * The evidence a verifier closes an incident on (L4-2.3.2): every check on the incident's CIs (and any named)
 * up now and without a failure for the last N minutes, and no alert still open on those CIs. Kept with each
 * verification as it was seen.
 */
export class IncidentVerification {
  async evidence(db: Kysely<Database>, incidentId: string, extraCheckIds: readonly string[], windowMinutes: number, now: number): Promise<IncidentEvidence> {
    const ciIds = (await db.selectFrom('incident_ci').select('ci_id').where('incident_id', '=', incidentId).execute()).map((r) => r.ci_id);
    const checks = ciIds.length || extraCheckIds.length
      ? await db
          .selectFrom('check_definition as d')
          .leftJoin('check_state as s', 's.check_id', 'd.id')
          .select(['d.id', 'd.name', 's.up', 's.checked_at'])
          .where('d.enabled', '=', 1)
          .where((eb) => eb.or([...(ciIds.length ? [eb('d.ci_id', 'in', ciIds)] : []), ...(extraCheckIds.length ? [eb('d.id', 'in', [...extraCheckIds])] : [])]))
          .orderBy('d.name')
          .execute()
      : [];
    const since = now - windowMinutes * 60_000;
    const failures = checks.length
      ? new Map(
          (await db.selectFrom('check_result').select(['check_id', (eb) => eb.fn.countAll<number>().as('n')]).where('check_id', 'in', checks.map((c) => c.id)).where('at', '>=', since).where('up', '=', 0).groupBy('check_id').execute()).map((r) => [r.check_id, Number(r.n)]),
        )
      : new Map<string, number>();
    const alerts = ciIds.length
      ? await db.selectFrom('alert as a').leftJoin('cmdb_ci as c', 'c.id', 'a.ci_id').select(['a.id', 'a.rule_name', 'a.severity', 'a.started_at', 'c.name as ci_name']).where('a.ci_id', 'in', ciIds).where('a.state', 'in', OPEN_ALERT).where('a.resolved_at', 'is', null).orderBy('a.started_at').execute()
      : [];
    const checkViews = checks.map((c) => ({ id: c.id, name: c.name, up: c.up === 1, failuresInWindow: failures.get(c.id) ?? 0, lastAt: c.checked_at === null ? null : Number(c.checked_at) }));
    return {
      checks: checkViews,
      openAlerts: alerts.map((a) => ({ id: a.id, name: a.rule_name, ciName: a.ci_name, severity: a.severity, since: Number(a.started_at) })),
      windowMinutes,
      ok: checkViews.every((c) => c.up && c.failuresInWindow === 0) && alerts.length === 0,
    };
  }

  /** Why the evidence does not allow closing, in words that name the checks and alerts. */
  problems(e: IncidentEvidence): LocalizedText {
    const zh: string[] = [];
    const en: string[] = [];
    for (const c of e.checks) {
      if (!c.up) {
        zh.push(`检查“${c.name}”当前失败`);
        en.push(`check "${c.name}" is failing now`);
      } else if (c.failuresInWindow > 0) {
        zh.push(`检查“${c.name}”最近 ${e.windowMinutes} 分钟内失败 ${c.failuresInWindow} 次`);
        en.push(`check "${c.name}" failed ${c.failuresInWindow} times in the last ${e.windowMinutes} minutes`);
      }
    }
    for (const a of e.openAlerts) {
      zh.push(`告警“${a.name}”${a.ciName ? `（${a.ciName}）` : ''}尚未恢复`);
      en.push(`alert "${a.name}"${a.ciName ? ` (${a.ciName})` : ''} is still open`);
    }
    return { zh: `验证未通过，不能关闭：${zh.join('；')}`, en: `verification failed, it cannot be closed: ${en.join('; ')}` };
  }

  async record(trx: Kysely<Database>, incidentId: string, actor: Actor, outcome: 'pass' | 'fail', note: string, evidence: IncidentEvidence, at: number): Promise<void> {
    await trx.insertInto('incident_verification').values({ id: uuidv7(), incident_id: incidentId, at, verifier_id: actor.userId, outcome, note, evidence: toJson(evidence) }).execute();
  }

  async list(db: Kysely<Database>, incidentId: string, current: IncidentEvidence): Promise<IncidentVerificationList> {
    const rows = await db
      .selectFrom('incident_verification as v')
      .leftJoin('user as u', 'u.id', 'v.verifier_id')
      .select(['v.id', 'v.at', 'v.verifier_id', 'v.outcome', 'v.note', 'v.evidence', 'u.username', 'u.display_name'])
      .where('v.incident_id', '=', incidentId)
      .orderBy('v.at', 'desc')
      .execute();
    return {
      items: rows.map((r) => ({
        id: r.id,
        at: Number(r.at),
        verifier: { id: r.verifier_id ?? '', name: r.display_name || r.username || '' },
        outcome: r.outcome as 'pass' | 'fail',
        note: r.note,
        evidence: fromJson<IncidentEvidence>(r.evidence),
      })),
      current,
    };
  }
}
