import { uuidv7 } from 'uuidv7';
import type { CiRef } from '@yunwei/contracts/cmdb';
import type { Matcher, Silence, SilenceCreate, SilenceList, SilenceListQuery, SilenceState } from '@yunwei/contracts/alert-routing';
import { fromJson, toJson } from '../../db/dialect.js';
import { ALERTING_PERMISSIONS as P } from '@yunwei/contracts/alerting';
import type { Actor } from '../../platform/actor.js';
import { unitsReached } from '../../platform/data-scope.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { compileMatchers } from './routing-matchers.js';
import { ciRefsInReach } from './ci-reach.js';
import { ciIdsMentioned, confineSilence, silencesTouching, silenceWithin } from './silence-scope.js';
import type { AlertSilenceTable } from './routing.tables.js';

/** Expired silences listed at most (newest first); older ones stay in the table and the audit trail. */
const EXPIRED_LISTED = 200;

export function silenceState(row: Pick<AlertSilenceTable, 'starts_at' | 'ends_at'>, now: number): SilenceState {
  return now < Number(row.starts_at) ? 'pending' : now >= Number(row.ends_at) ? 'expired' : 'active';
}

function view(row: AlertSilenceTable, now: number, names: ReadonlyMap<string, CiRef>): Silence {
  const matchers = fromJson<Matcher[]>(row.matchers);
  return {
    id: row.id,
    matchers,
    startsAt: Number(row.starts_at),
    endsAt: Number(row.ends_at),
    comment: row.comment,
    createdBy: row.created_by,
    createdById: row.created_by_id,
    state: silenceState(row, now),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    cis: ciIdsMentioned(matchers).flatMap((id) => names.get(id) ?? []),
  };
}

const auditView = (s: Silence) => ({ matchers: s.matchers, cis: s.cis.map((c) => c.name), startsAt: s.startsAt, endsAt: s.endsAt, comment: s.comment });

/** Silences: create, list by state, expire early (audited). The dispatcher applies them. */
export class SilenceService {
  constructor(
    private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>,
    private readonly onChange: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Silences by state; a reader limited to some units sees those whose reach touches their units (silence-scope.ts). */
  async list(actor: Actor, query: SilenceListQuery): Promise<SilenceList> {
    const now = this.now();
    const units = unitsReached(actor, P.alertRead);
    let q = this.ctx.db.selectFrom('alert_silence').selectAll();
    if (query.state === 'active') {
      q = q.where('starts_at', '<=', now).where('ends_at', '>', now);
    } else if (query.state === 'pending') {
      q = q.where('starts_at', '>', now);
    } else if (query.state === 'expired') {
      q = q.where('ends_at', '<=', now);
      // A limited reader's list is filtered below: the bound applies to what they see.
      q = units === null ? q.limit(EXPIRED_LISTED) : q;
    }
    const rows = await this.#within(await q.orderBy('ends_at', 'desc').execute(), units);
    const listed = rows.slice(0, query.state === 'expired' ? EXPIRED_LISTED : rows.length);
    const names = await this.#names(listed, units);
    const items = listed.map((r) => view(r, now, names));
    // Active first, then pending, then the expired (unfiltered list: a bounded tail of expired ones).
    const rank = { active: 0, pending: 1, expired: 2 } as const;
    items.sort((a, b) => rank[a.state] - rank[b.state]);
    return { items: query.state ? items : [...items.filter((s) => s.state !== 'expired'), ...items.filter((s) => s.state === 'expired').slice(0, EXPIRED_LISTED)] };
  }

  /** The rows whose reach touches `units` (null: every row). */
  async #within(rows: AlertSilenceTable[], units: ReadonlySet<string> | null): Promise<AlertSilenceTable[]> {
    const touching = await silencesTouching(this.ctx.db, rows.map((r) => fromJson<Matcher[]>(r.matchers)), units);
    return rows.filter((_, i) => touching[i]);
  }

  /** Names of the CIs the rows' matchers mention, those within `units` (the reader's). */
  #names(rows: readonly AlertSilenceTable[], units: ReadonlySet<string> | null): Promise<Map<string, CiRef>> {
    return ciRefsInReach(this.ctx.db, rows.flatMap((r) => ciIdsMentioned(fromJson<Matcher[]>(r.matchers))), units);
  }

  /** A silence the actor may read (one reaching none of their units does not exist for them). */
  async #row(actor: Actor, id: string): Promise<AlertSilenceTable> {
    const row = await this.ctx.db.selectFrom('alert_silence').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || !(await this.#within([row], unitsReached(actor, P.alertRead))).length) {
      throw new AppError('YW_ROUTING_SILENCE_NOT_FOUND', { id });
    }
    return row;
  }

  async get(actor: Actor, id: string): Promise<Silence> {
    const row = await this.#row(actor, id);
    return view(row, this.now(), await this.#names([row], unitsReached(actor, P.alertRead)));
  }

  async create(actor: Actor, input: SilenceCreate): Promise<Silence> {
    compileMatchers(input.matchers);
    const now = this.now();
    const startsAt = input.startsAt ?? now;
    if (input.endsAt <= startsAt) {
      throw invalidField('body.endsAt', { zh: '必须晚于开始时间', en: 'must be after startsAt' });
    }
    if (input.endsAt <= now) {
      throw invalidField('body.endsAt', { zh: '已经过去：这条静默永远不会生效', en: 'is in the past: the silence would never apply' });
    }
    await confineSilence(this.ctx.db, actor, input.matchers);
    const row: AlertSilenceTable = {
      id: uuidv7(),
      matchers: toJson(input.matchers),
      starts_at: startsAt,
      ends_at: input.endsAt,
      comment: input.comment.trim(),
      created_by: actor.username,
      created_by_id: actor.userId,
      created_at: now,
      updated_at: now,
    };
    const silence = view(row, now, await this.#names([row], unitsReached(actor, P.alertRead)));
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('alert_silence').values(row).execute();
      await this.ctx.audit.record(trx, { actor, action: 'alerting.silence.create', targetType: 'alert_silence', targetId: row.id, after: auditView(silence) });
    });
    this.onChange();
    return silence;
  }

  /** Ends a silence now (a pending one never starts). Expiring an expired silence changes nothing. */
  async expire(actor: Actor, id: string): Promise<Silence> {
    // Ending a silence lets alerts through: it needs the write scope over all it reaches (readable but reaching further: 403).
    const row = await this.#row(actor, id);
    if (!(await silenceWithin(this.ctx.db, fromJson<Matcher[]>(row.matchers), unitsReached(actor, P.silenceWrite)))) {
      throw new AppError('YW_OUT_OF_SCOPE', { permission: P.silenceWrite, id });
    }
    const before = view(row, this.now(), await this.#names([row], unitsReached(actor, P.alertRead)));
    if (before.state === 'expired') {
      return before;
    }
    const now = this.now();
    const patch = { ends_at: now, starts_at: Math.min(before.startsAt, now), updated_at: now };
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('alert_silence').set(patch).where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'alerting.silence.expire', targetType: 'alert_silence', targetId: id, before: auditView(before), after: { ...auditView(before), startsAt: patch.starts_at, endsAt: now } });
    });
    this.onChange();
    return this.get(actor, id);
  }
}
