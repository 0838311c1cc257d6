import { uuidv7 } from 'uuidv7';
import type { Matcher, Silence, SilenceCreate, SilenceList, SilenceListQuery, SilenceState } from '@yunwei/contracts/alert-routing';
import { fromJson, toJson } from '../../db/dialect.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { compileMatchers } from './routing-matchers.js';
import type { AlertSilenceTable } from './routing.tables.js';

/** Expired silences listed at most (newest first); older ones stay in the table and the audit trail. */
const EXPIRED_LISTED = 200;

export function silenceState(row: Pick<AlertSilenceTable, 'starts_at' | 'ends_at'>, now: number): SilenceState {
  return now < Number(row.starts_at) ? 'pending' : now >= Number(row.ends_at) ? 'expired' : 'active';
}

function view(row: AlertSilenceTable, now: number): Silence {
  return {
    id: row.id,
    matchers: fromJson<Matcher[]>(row.matchers),
    startsAt: Number(row.starts_at),
    endsAt: Number(row.ends_at),
    comment: row.comment,
    createdBy: row.created_by,
    createdById: row.created_by_id,
    state: silenceState(row, now),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

const auditView = (s: Silence) => ({ matchers: s.matchers, startsAt: s.startsAt, endsAt: s.endsAt, comment: s.comment });

/** Silences: create, list by state, expire early (audited). The dispatcher applies them. */
export class SilenceService {
  constructor(
    private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>,
    private readonly onChange: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  async list(query: SilenceListQuery): Promise<SilenceList> {
    const now = this.now();
    let q = this.ctx.db.selectFrom('alert_silence').selectAll();
    if (query.state === 'active') {
      q = q.where('starts_at', '<=', now).where('ends_at', '>', now);
    } else if (query.state === 'pending') {
      q = q.where('starts_at', '>', now);
    } else if (query.state === 'expired') {
      q = q.where('ends_at', '<=', now).limit(EXPIRED_LISTED);
    }
    const rows = await q.orderBy('ends_at', 'desc').execute();
    const items = rows.map((r) => view(r, now));
    // Active first, then pending, then the expired (unfiltered list: a bounded tail of expired ones).
    const rank = { active: 0, pending: 1, expired: 2 } as const;
    items.sort((a, b) => rank[a.state] - rank[b.state]);
    return { items: query.state ? items : [...items.filter((s) => s.state !== 'expired'), ...items.filter((s) => s.state === 'expired').slice(0, EXPIRED_LISTED)] };
  }

  async get(id: string): Promise<Silence> {
    const row = await this.ctx.db.selectFrom('alert_silence').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) {
      throw new AppError('YW_ROUTING_SILENCE_NOT_FOUND', { id });
    }
    return view(row, this.now());
  }

  async create(actor: Actor, input: SilenceCreate): Promise<Silence> {
    compileMatchers(input.matchers);
    const now = this.now();
    const startsAt = input.startsAt ?? now;
    if (input.endsAt <= startsAt) {
      throw invalidField('body.endsAt', 'must be after startsAt');
    }
    if (input.endsAt <= now) {
      throw invalidField('body.endsAt', 'is in the past: the silence would never apply');
    }
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
    const silence = view(row, now);
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('alert_silence').values(row).execute();
      await this.ctx.audit.record(trx, { actor, action: 'alerting.silence.create', targetType: 'alert_silence', targetId: row.id, after: auditView(silence) });
    });
    this.onChange();
    return silence;
  }

  /** Ends a silence now (a pending one never starts). Expiring an expired silence changes nothing. */
  async expire(actor: Actor, id: string): Promise<Silence> {
    const before = await this.get(id);
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
    return this.get(id);
  }
}
