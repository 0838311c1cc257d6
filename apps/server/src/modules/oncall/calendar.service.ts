import { ONCALL_PERMISSIONS as P, type CalendarDay, type CalendarDayInput, type CalendarYear, type CalendarYearUpdate } from '@yunwei/contracts/oncall';
import { type Actor, requirePermission } from '../../platform/actor.js';
import { invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { seedDays } from './calendar-seed.js';
import { calendarRows, calendarWorkbook, readCalendarSheet } from './calendar-sheet.js';
import { OncallRepository } from './oncall.repository.js';
import type { BusinessCalendarDayTable } from './oncall.tables.js';
import { isWorkday, type CalendarLookup } from './rotation.js';
import { isDate } from './zoned-time.js';

const yearRange = (year: number): [string, string] => [`${year}-01-01`, `${year}-12-31`];

export function lookupOf(entries: ReadonlyMap<string, CalendarDay>): CalendarLookup {
  return (date) => entries.get(date)?.kind;
}

function view(r: BusinessCalendarDayTable): CalendarDay {
  return { date: r.date, kind: r.kind, name: { zh: r.name_zh, en: r.name_en }, source: r.source };
}

/**
 * The business calendar: seeded statutory holidays and 调休 workdays, plus administrators' entries,
 * which take the place of the seeded day of the same date and are never overwritten by the seed.
 */
export class CalendarService {
  readonly repo: OncallRepository;

  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>) {
    this.repo = new OncallRepository(ctx.db);
  }

  /** At every start: writes the shipped days, leaving the dates administrators have edited alone. */
  async seed(): Promise<void> {
    const now = Date.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      for (const d of seedDays()) {
        await this.repo.putSeedDay(trx, { date: d.date, kind: d.kind, name_zh: d.name.zh, name_en: d.name.en, source: 'seed', updated_at: now });
      }
    });
  }

  async year(year: number): Promise<CalendarYear> {
    const [from, to] = yearRange(year);
    return { year, days: (await this.repo.calendarDays(from, to)).map(view) };
  }

  /** The year as an XLSX workbook (every entry, seeded and administrators'), to edit and import back. */
  async exportYear(year: number): Promise<{ filename: string; body: Buffer }> {
    return { filename: `business-calendar-${year}.xlsx`, body: await calendarWorkbook(year, (await this.year(year)).days) };
  }

  /**
   * Replaces the year's administrator entries with a sheet's rows. Rows that only repeat a seeded day
   * (as an exported sheet does) stay seeded rather than becoming administrator entries.
   */
  async importYear(actor: Actor, year: number, body: unknown): Promise<CalendarYear> {
    requirePermission(actor, P.calendarWrite);
    const seeded = new Map(seedDays().map((d) => [d.date, d]));
    const repeatsSeed = (d: CalendarDayInput) => {
      const seed = seeded.get(d.date);
      return seed !== undefined && seed.kind === d.kind && [seed.name.zh, ''].includes(d.name?.zh ?? '') && [seed.name.en, ''].includes(d.name?.en ?? '');
    };
    const days = calendarRows(await readCalendarSheet(body), year).filter((d) => !repeatsSeed(d));
    return this.replaceYear(actor, year, { days }, 'oncall.calendar.import');
  }

  /** Replaces the administrator's entries of one year; other years and seeded days stay as they are. */
  async replaceYear(actor: Actor, year: number, input: CalendarYearUpdate, action = 'oncall.calendar.update'): Promise<CalendarYear> {
    requirePermission(actor, P.calendarWrite);
    const seen = new Set<string>();
    input.days.forEach((d, i) => {
      const field = `body.days.${i}.date`;
      if (!isDate(d.date)) {
        throw invalidField(field, { zh: `${d.date} 不是有效的日期（YYYY-MM-DD）`, en: `${d.date} is not a calendar date (YYYY-MM-DD)` });
      }
      if (!d.date.startsWith(`${year}-`)) {
        throw invalidField(field, { zh: `${d.date} 不在 ${year} 年内`, en: `${d.date} is not in ${year}` });
      }
      if (seen.has(d.date)) {
        throw invalidField(field, { zh: `${d.date} 重复出现`, en: `${d.date} is listed twice` });
      }
      seen.add(d.date);
    });
    const [from, to] = yearRange(year);
    const now = Date.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = (await trx.selectFrom('business_calendar_day').selectAll().where('source', '=', 'user').where('date', '>=', from).where('date', '<=', to).orderBy('date').execute()).map(view);
      await this.repo.deleteUserDays(trx, from, to);
      // Seeded days an old entry had replaced come back unless a new entry replaces them again.
      for (const d of seedDays().filter((s) => s.date >= from && s.date <= to && !seen.has(s.date))) {
        await this.repo.putSeedDay(trx, { date: d.date, kind: d.kind, name_zh: d.name.zh, name_en: d.name.en, source: 'seed', updated_at: now });
      }
      for (const d of input.days) {
        await this.repo.putDay(trx, { date: d.date, kind: d.kind, name_zh: d.name?.zh.trim() ?? '', name_en: d.name?.en.trim() ?? '', source: 'user', updated_at: now });
      }
      await this.ctx.audit.record(trx, { actor, action, targetType: 'business_calendar', targetId: String(year), before: { days: before }, after: { days: input.days } });
    });
    return this.year(year);
  }

  /** The calendar's entries over [from, to] (local dates), by date. */
  async entries(from: string, to: string): Promise<Map<string, CalendarDay>> {
    return new Map((await this.repo.calendarDays(from, to)).map((r) => [r.date, view(r)]));
  }

  /** The calendar over [from, to] (local dates) as a lookup for the rotation rules. */
  async lookup(from: string, to: string): Promise<CalendarLookup> {
    return lookupOf(await this.entries(from, to));
  }

  async isWorkday(date: string): Promise<boolean> {
    return isWorkday(date, await this.lookup(date, date));
  }
}
