import { uuidv7 } from 'uuidv7';
import {
  DEFAULT_TIME_ZONE,
  MAX_TIMELINE_DAYS,
  ONCALL_PERMISSIONS as P,
  type OnCallCandidates,
  type OnCallNow,
  type OnCallUser,
  type Override,
  type OverrideInput,
  type OverrideList,
  type Rotation,
  type Schedule,
  type ScheduleInput,
  type ScheduleList,
  type Timeline,
  type TimelineDay,
  type TimelineQuery,
  type CalendarDay,
} from '@yunwei/contracts/oncall';
import { fromJson, toJson } from '../../db/dialect.js';
import { type Actor, requirePermission } from '../../platform/actor.js';
import { unitsReached } from '../../platform/data-scope.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { lookupOf, type CalendarService } from './calendar.service.js';
import { OncallRepository, type ScheduleRows } from './oncall.repository.js';
import type { OncallOverrideTable, OncallRotationTable } from './oncall.tables.js';
import { isWorkday, timeline, whoIsOnCall, type OnCall, type RotationRule, type ScheduleRules } from './rotation.js';
import { addDays, isDate, isTimeZone, localMoment, zonedEpoch } from './zoned-time.js';

const DAY_MS = 86_400_000;
const DEFAULT_TIMELINE_MS = 14 * DAY_MS;

function rotationView(r: OncallRotationTable): Rotation {
  return {
    id: r.id,
    name: r.name,
    members: fromJson<string[]>(r.members),
    unit: r.unit,
    length: r.length,
    handoverTime: r.handover_time,
    startDate: r.start_date,
    applies: r.applies,
    windowStart: r.window_start,
    windowEnd: r.window_end,
  };
}

function scheduleView({ schedule: s, rotations }: ScheduleRows): Schedule {
  return { id: s.id, name: s.name, description: s.description, timeZone: s.time_zone, rotations: rotations.map(rotationView), createdAt: Number(s.created_at), updatedAt: Number(s.updated_at) };
}

function overrideView(o: OncallOverrideTable): Override {
  return { id: o.id, scheduleId: o.schedule_id, userId: o.user_id, start: Number(o.start_at), end: Number(o.end_at), reason: o.reason, createdAt: Number(o.created_at), createdBy: o.created_by };
}

/**
 * On-call schedules: their rotations (layers) and overrides, and who is on call when. Everyone may
 * read schedules (an on-call list is shared knowledge); changing them needs oncall.schedule.write.
 */
export class ScheduleService {
  readonly repo: OncallRepository;

  constructor(
    private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>,
    private readonly calendar: CalendarService,
  ) {
    this.repo = new OncallRepository(ctx.db);
  }

  async list(now = Date.now()): Promise<ScheduleList> {
    const items = await Promise.all(
      (await this.repo.schedules()).map(async (rows) => ({ ...scheduleView(rows), now: await this.#nowView(rows, now) })),
    );
    return { items, total: items.length };
  }

  async get(id: string): Promise<Schedule> {
    return scheduleView(await this.#rows(id));
  }

  async exists(id: string): Promise<boolean> {
    return this.repo.scheduleExists(id);
  }

  async create(actor: Actor, input: ScheduleInput): Promise<Schedule> {
    requirePermission(actor, P.scheduleWrite);
    await this.#validate(input);
    const now = Date.now();
    const id = uuidv7();
    const schedule = { id, name: input.name.trim(), description: input.description ?? '', time_zone: input.timeZone ?? DEFAULT_TIME_ZONE, created_at: now, updated_at: now };
    const rotations = this.#rotationRows(id, input, new Set());
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.repo.insertSchedule(trx, schedule);
      await this.repo.replaceRotations(trx, id, rotations);
      await this.ctx.audit.record(trx, { actor, action: 'oncall.schedule.create', targetType: 'oncall_schedule', targetId: id, after: scheduleView({ schedule, rotations }) });
    });
    return this.get(id);
  }

  /** Replaces a schedule's settings and rotations (a rotation keeps its id when the input names it). */
  async update(actor: Actor, id: string, input: ScheduleInput): Promise<Schedule> {
    requirePermission(actor, P.scheduleWrite);
    await this.#validate(input);
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.#rows(id, trx);
      const changes = { name: input.name.trim(), description: input.description ?? before.schedule.description, time_zone: input.timeZone ?? before.schedule.time_zone, updated_at: Date.now() };
      const rotations = this.#rotationRows(id, input, new Set(before.rotations.map((r) => r.id)));
      await this.repo.updateSchedule(trx, id, changes);
      await this.repo.replaceRotations(trx, id, rotations);
      await this.ctx.audit.record(trx, { actor, action: 'oncall.schedule.update', targetType: 'oncall_schedule', targetId: id, before: scheduleView(before), after: scheduleView({ schedule: { ...before.schedule, ...changes }, rotations }) });
    });
    return this.get(id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, P.scheduleWrite);
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.#rows(id, trx);
      await this.repo.deleteSchedule(trx, id);
      await this.ctx.audit.record(trx, { actor, action: 'oncall.schedule.delete', targetType: 'oncall_schedule', targetId: id, before: scheduleView(before) });
    });
  }

  // ------------------------------------------------------------ who is on call

  async whoIsOnCall(id: string, at: number): Promise<OnCall> {
    const rows = await this.repo.schedule(id);
    if (!rows) {
      return { userIds: [], source: 'none' };
    }
    return whoIsOnCall(await this.#rules(rows, at, at + 1), at);
  }

  async now(id: string, at = Date.now()): Promise<OnCallNow> {
    return this.#nowView(await this.#rows(id), at);
  }

  async timeline(id: string, query: TimelineQuery): Promise<Timeline> {
    const rows = await this.#rows(id);
    const timeZone = rows.schedule.time_zone;
    const { from, to } = timelineRange(query, timeZone);
    const rules = await this.#rules(rows, from, to);
    const segments = timeline(rules, from, to).map((s) => ({ start: s.start, end: s.end, userIds: s.userIds, source: s.source, rotationId: s.rotationId ?? null }));
    const days: TimelineDay[] = [];
    for (let date = localMoment(from, timeZone).date; date <= localMoment(to - 1, timeZone).date; date = addDays(date, 1)) {
      const entry = rules.entries.get(date);
      days.push({ date, start: zonedEpoch(date, 0, timeZone), end: zonedEpoch(addDays(date, 1), 0, timeZone), workday: isWorkday(date, rules.calendar), kind: entry?.kind ?? null, name: entry?.name ?? null });
    }
    return { from, to, timeZone, segments, days, users: await this.#people(segments.flatMap((s) => s.userIds)) };
  }

  // ------------------------------------------------------------ overrides

  async overrides(id: string, query: { from?: number; to?: number }): Promise<OverrideList> {
    await this.#rows(id);
    const from = query.from ?? Date.now();
    const to = query.to ?? from + DEFAULT_TIMELINE_MS;
    checkRange(from, to, 366);
    const items = (await this.repo.overrides(id, from, to)).map(overrideView);
    return { items, total: items.length };
  }

  /** Overlapping overrides are allowed: the latest created one wins where they overlap. */
  async addOverride(actor: Actor, id: string, input: OverrideInput): Promise<Override> {
    requirePermission(actor, P.scheduleWrite);
    if (input.end <= input.start) {
      throw invalidField('body.end', { zh: '必须晚于开始时间', en: 'must be after start' });
    }
    await this.#requireEnabled([input.userId], () => 'body.userId');
    const row: OncallOverrideTable = { id: uuidv7(), schedule_id: id, user_id: input.userId, start_at: input.start, end_at: input.end, reason: input.reason?.trim() ?? '', created_at: Date.now(), created_by: actor.username };
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.#rows(id, trx);
      await this.repo.insertOverride(trx, row);
      await this.ctx.audit.record(trx, { actor, action: 'oncall.override.create', targetType: 'oncall_schedule', targetId: id, after: overrideView(row) });
    });
    return overrideView(row);
  }

  async removeOverride(actor: Actor, id: string, overrideId: string): Promise<void> {
    requirePermission(actor, P.scheduleWrite);
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.repo.override(trx, id, overrideId);
      if (!before) {
        throw new AppError('YW_ONCALL_OVERRIDE_NOT_FOUND', { id: overrideId });
      }
      await this.repo.deleteOverride(trx, overrideId);
      await this.ctx.audit.record(trx, { actor, action: 'oncall.override.delete', targetType: 'oncall_schedule', targetId: id, before: overrideView(before) });
    });
  }

  /**
   * The enabled users who may be put on call. The list is a way to enumerate accounts without
   * `identity.user.read`: a writer limited to some units gets the people of those units only.
   */
  async candidates(actor: Actor): Promise<OnCallCandidates> {
    const users = await this.repo.enabledUsers(unitsReached(actor, P.scheduleWrite));
    return { items: users.map((u) => ({ id: u.id, username: u.username, displayName: u.display_name })) };
  }

  // ------------------------------------------------------------ internals

  async #rows(id: string, db = this.ctx.db): Promise<ScheduleRows> {
    const rows = await this.repo.schedule(id, db);
    if (!rows) {
      throw new AppError('YW_ONCALL_SCHEDULE_NOT_FOUND', { id });
    }
    return rows;
  }

  /** Everything the pure rules need over [from, to): overrides touching it, calendar days around it. */
  async #rules(rows: ScheduleRows, from: number, to: number): Promise<ScheduleRules & { entries: Map<string, CalendarDay> }> {
    const timeZone = rows.schedule.time_zone;
    // Days either side: an overnight window reaches back to the day before.
    const first = addDays(localMoment(from, timeZone).date, -2);
    const last = addDays(localMoment(to, timeZone).date, 1);
    const [overrides, entries] = await Promise.all([this.repo.overrides(rows.schedule.id, from, to), this.calendar.entries(first, last)]);
    const rotations = rows.rotations.map((r): RotationRule => rotationView(r));
    // Accounts disabled after they were scheduled are passed over (the next layer answers).
    const people = await this.repo.users([...rotations.flatMap((r) => r.members), ...overrides.map((o) => o.user_id)]);
    const active = new Set(people.filter((u) => u.status === 'active').map((u) => u.id));
    return {
      timeZone,
      rotations,
      overrides: overrides.map((o) => ({ id: o.id, userId: o.user_id, start: Number(o.start_at), end: Number(o.end_at), createdAt: Number(o.created_at) })),
      calendar: lookupOf(entries),
      available: (userId) => active.has(userId),
      entries,
    };
  }

  async #nowView(rows: ScheduleRows, at: number): Promise<OnCallNow> {
    const who = whoIsOnCall(await this.#rules(rows, at, at + 1), at);
    return { at, userIds: who.userIds, users: await this.#people(who.userIds), source: who.source, rotationId: who.rotationId ?? null };
  }

  async #people(ids: readonly string[]): Promise<OnCallUser[]> {
    return (await this.repo.users(ids)).map((u) => ({ id: u.id, username: u.username, displayName: u.display_name }));
  }

  async #validate(input: ScheduleInput): Promise<void> {
    if (input.timeZone !== undefined && !isTimeZone(input.timeZone)) {
      throw invalidField('body.timeZone', { zh: `${input.timeZone} 不是 IANA 时区名（如 Asia/Shanghai）`, en: `${input.timeZone} is not an IANA time zone (e.g. Asia/Shanghai)` });
    }
    input.rotations.forEach((r, i) => {
      const at = `body.rotations.${i}`;
      if (!isDate(r.startDate)) {
        throw invalidField(`${at}.startDate`, { zh: `${r.startDate} 不是有效的日期（YYYY-MM-DD）`, en: `${r.startDate} is not a calendar date (YYYY-MM-DD)` });
      }
      const windowSet = [r.windowStart ?? null, r.windowEnd ?? null].filter((w) => w !== null).length;
      if (windowSet === 1) {
        throw invalidField(`${at}.${r.windowStart ? 'windowEnd' : 'windowStart'}`, { zh: '每日时段必须同时填写开始和结束，或都不填', en: 'give both ends of the daily window, or neither' });
      }
      if (windowSet === 2 && r.windowStart === r.windowEnd) {
        throw invalidField(`${at}.windowEnd`, { zh: '不能与开始时间相同（全天请都不填）', en: 'must differ from windowStart (leave both empty for the whole day)' });
      }
    });
    const fields = new Map<string, string>();
    input.rotations.forEach((r, i) => r.members.forEach((m, j) => fields.has(m) || fields.set(m, `body.rotations.${i}.members.${j}`)));
    await this.#requireEnabled([...fields.keys()], (userId) => fields.get(userId)!);
  }

  /** Members and override users must be existing, enabled users; the first that is not is named. */
  async #requireEnabled(userIds: readonly string[], fieldOf: (userId: string) => string): Promise<void> {
    const enabled = new Set((await this.repo.users(userIds)).filter((u) => u.status === 'active').map((u) => u.id));
    const bad = userIds.find((u) => !enabled.has(u));
    if (bad !== undefined) {
      throw invalidField(fieldOf(bad), { zh: `${bad} 不是存在且启用的用户`, en: `${bad} is not an existing, enabled user` });
    }
  }

  #rotationRows(scheduleId: string, input: ScheduleInput, existing: ReadonlySet<string>): OncallRotationTable[] {
    const kept = new Set<string>();
    return input.rotations.map((r, position) => {
      const id = r.id !== undefined && existing.has(r.id) && !kept.has(r.id) ? r.id : uuidv7();
      kept.add(id);
      return {
        id,
        schedule_id: scheduleId,
        position,
        name: r.name.trim(),
        members: toJson(r.members),
        unit: r.unit,
        length: r.length,
        handover_time: r.handoverTime,
        start_date: r.startDate,
        applies: r.applies,
        window_start: r.windowStart ?? null,
        window_end: r.windowEnd ?? null,
      };
    });
  }
}

/** [from, to) of a timeline request: `date` + `days` (local midnights) or `from`/`to`. */
function timelineRange(query: TimelineQuery, timeZone: string): { from: number; to: number } {
  if (query.date !== undefined) {
    if (query.from !== undefined || query.to !== undefined) {
      throw invalidField('querystring.date', { zh: '请给出日期和天数，或开始和结束', en: 'give either date and days, or from and to' });
    }
    if (!isDate(query.date)) {
      throw invalidField('querystring.date', { zh: `${query.date} 不是有效的日期（YYYY-MM-DD）`, en: `${query.date} is not a calendar date (YYYY-MM-DD)` });
    }
    return { from: zonedEpoch(query.date, 0, timeZone), to: zonedEpoch(addDays(query.date, query.days ?? 14), 0, timeZone) };
  }
  const from = query.from ?? Date.now();
  const to = query.to ?? from + DEFAULT_TIMELINE_MS;
  checkRange(from, to);
  return { from, to };
}

function checkRange(from: number, to: number, maxDays = MAX_TIMELINE_DAYS): void {
  if (to <= from) {
    throw invalidField('querystring.to', { zh: '必须晚于开始时间', en: 'must be after from' });
  }
  if (to - from > maxDays * DAY_MS) {
    throw invalidField('querystring.to', { zh: `距开始时间不能超过 ${maxDays} 天`, en: `must be at most ${maxDays} days after from` });
  }
}
