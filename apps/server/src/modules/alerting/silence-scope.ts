import type { Kysely } from 'kysely';
import type { Matcher } from '@yunwei/contracts/alert-routing';
import { ALERTING_PERMISSIONS as P } from '@yunwei/contracts/alerting';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { unitsReached } from '../../platform/data-scope.js';
import { AppError, invalidField } from '../../platform/errors.js';
import { unitsOfCis } from '../cmdb/cmdb.shared.js';
import { compileMatchers } from './routing-matchers.js';

/*
 * The data scope of silences. A silence's reach is the set of CIs its matchers can match, computed
 * against the CMDB when asked (nothing is stored with the silence): the CIs whose id every `ci`
 * matcher accepts — matchers on other labels match alerts of any CI — and the alerts without a CI
 * when those matchers accept the empty value (no `ci` matcher, `ci=~".*"`, `ci!="…"`). Alerts carry
 * their CI's id as the `ci` label (evaluator.ts `alertLabels`).
 * - Reading: a limited reader sees the silences whose reach touches their units (they keep some of
 *   their alerts quiet; alerts without a CI are seen by every reader).
 * - Expiring: the reach must lie wholly within the units of `alerting.silence.write`, none of it
 *   without a CI (those alerts belong to the whole organisation, as for acknowledging).
 * - Creating (the maintenance-window rule): a limited writer names the CIs, see `confineSilence`.
 */

/** A regex alternative that is a plain CI id (letters, digits, `-`, `_`: nothing a regex reads otherwise). */
const LITERAL = /^[A-Za-z0-9_-]+$/;

/**
 * The CI ids a `ci` matcher names: `ci="<id>"`, or `ci=~"<id>|<id>…"` (plain ids only); null when
 * the matcher does not name CIs (another label, a negation, a real regex).
 */
export function pinnedBy(m: Matcher): string[] | null {
  if (m.name !== 'ci') {
    return null;
  }
  if (m.op === '=') {
    return [m.value];
  }
  if (m.op === '=~') {
    const parts = m.value.split('|');
    return parts.every((p) => LITERAL.test(p)) ? parts : null;
  }
  return null;
}

/** Every CI id the `ci` matchers mention, negations included (`ci!="<id>"`): the CIs whose names a silence shows. */
export function ciIdsMentioned(matchers: readonly Matcher[]): string[] {
  const positive = (op: Matcher['op']): Matcher['op'] => (op === '!=' ? '=' : op === '!~' ? '=~' : op);
  return [...new Set(matchers.flatMap((m) => pinnedBy({ ...m, op: positive(m.op) }) ?? []))];
}

/** The CIs a silence's matchers name (every naming matcher must hold), or null when none names CIs. */
export function pinnedCis(matchers: readonly Matcher[]): string[] | null {
  let out: Set<string> | null = null;
  for (const m of matchers) {
    const ids = pinnedBy(m);
    if (ids) {
      out = out === null ? new Set(ids) : new Set(ids.filter((id) => out!.has(id)));
    }
  }
  return out === null ? null : [...out];
}

interface Reach {
  /** True when a CI id (or '' for alerts without a CI) is within the reach. */
  test: (ciId: string) => boolean;
  /** When the matchers name their CIs: the reach is among them (looked up by id, not by a scan). */
  named: string[] | null;
}

function reachOf(matchers: readonly Matcher[]): Reach {
  try {
    const ci = compileMatchers(matchers.filter((m) => m.name === 'ci'));
    return { test: (v) => ci.every((m) => m.test(v)), named: pinnedCis(matchers) };
  } catch {
    // Validated on the way in; a regex this engine no longer accepts silences nothing (dispatch-suppression.ts).
    return { test: () => false, named: [] };
  }
}

const inUnits = (unit: string | null | undefined, units: ReadonlySet<string>) => unit !== undefined && unit !== null && units.has(unit);

/** For each silence (by its matchers), whether its reach touches `units` (null: unrestricted, always). */
export async function silencesTouching(db: Kysely<Database>, silences: readonly (readonly Matcher[])[], units: ReadonlySet<string> | null): Promise<boolean[]> {
  if (units === null) {
    return silences.map(() => true);
  }
  const reaches = silences.map(reachOf);
  const found = await unitsOfCis(db, reaches.flatMap((r) => r.named ?? []));
  // Read once, and only when a silence does not name its CIs: the CIs of the reader's units.
  let ours: string[] | null = null;
  const out: boolean[] = [];
  for (const r of reaches) {
    if (r.test('')) {
      out.push(true);
    } else if (r.named) {
      out.push(r.named.some((id) => r.test(id) && inUnits(found.get(id), units)));
    } else {
      ours ??= units.size ? (await db.selectFrom('cmdb_ci').select('id').where('org_unit_id', 'in', [...units]).execute()).map((c) => c.id) : [];
      out.push(ours.some(r.test));
    }
  }
  return out;
}

/** True when the silence's reach lies wholly within `units` (null: unrestricted, always). */
export async function silenceWithin(db: Kysely<Database>, matchers: readonly Matcher[], units: ReadonlySet<string> | null): Promise<boolean> {
  if (units === null) {
    return true;
  }
  const r = reachOf(matchers);
  if (r.test('')) {
    return false;
  }
  if (r.named) {
    // CIs named but deleted since reach nothing.
    return [...(await unitsOfCis(db, r.named.filter(r.test))).values()].every((u) => inUnits(u, units));
  }
  let others = db.selectFrom('cmdb_ci').select('id');
  if (units.size) {
    others = others.where((eb) => eb.or([eb('org_unit_id', 'is', null), eb('org_unit_id', 'not in', [...units])]));
  }
  return !(await others.execute()).some((c) => r.test(c.id));
}

/**
 * The maintenance-window rule for silences: a user whose `alerting.silence.write` is limited to some
 * units must name the CIs (`ci="<id>"` or `ci=~"<id>|<id>"`), each of those units, as a window names
 * its CIs. A regex is refused even when it matches their CIs only today: CI ids are time-ordered
 * (UUIDv7), so a pattern can aim at CIs created later in any unit. Refusals name the field.
 */
export async function confineSilence(db: Kysely<Database>, actor: Actor, matchers: readonly Matcher[]): Promise<void> {
  const units = unitsReached(actor, P.silenceWrite);
  if (units === null) {
    return;
  }
  if (pinnedCis(matchers) === null) {
    throw new AppError('YW_ROUTING_SILENCE_NEEDS_CI', { permission: P.silenceWrite, field: 'body.matchers' });
  }
  const named = matchers.flatMap((m, i) => (pinnedBy(m) ?? []).map((id) => ({ id, i })));
  const found = await unitsOfCis(db, named.map((n) => n.id));
  for (const { id, i } of named) {
    if (!found.has(id)) {
      throw invalidField(`body.matchers.${i}.value`, { zh: `配置项不存在：${id}`, en: `no such configuration item: ${id}` });
    }
  }
  for (const { id, i } of named) {
    if (!inUnits(found.get(id), units)) {
      throw new AppError('YW_OUT_OF_SCOPE', { permission: P.silenceWrite, field: `body.matchers.${i}.value` });
    }
  }
}
