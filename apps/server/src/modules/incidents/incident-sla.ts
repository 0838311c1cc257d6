import type { IncidentConfig, IncidentSla } from '@yunwei/contracts/incidents';
import type { ModuleContext } from '../../platform/module.js';
import { CalendarService } from '../oncall/calendar.service.js';
import type { CalendarLookup } from '../oncall/rotation.js';
import { calendarRange, slaState, type Interval, type SlaCalendar } from './sla-clock.js';

/** Far enough ahead for any target (a year of minutes at most) across holidays. */
const HORIZON_DAYS = 800;
const CACHE_MS = 60_000;

const minuteOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export interface SlaSubject {
  priority: string;
  detected_at: number;
  acknowledged_at: number | null;
  resolved_at: number | null;
  status: string;
}

/**
 * The SLA clocks of an incident: response (detected → acknowledged) and resolution (detected → resolved),
 * each on 24×7 time or the business calendar (working hours of working days, statutory holidays and 调休 from
 * the on-call module's calendar), paused while on hold for a reason that pauses. The calendar is loaded once a
 * minute for the horizon; the maths is the pure sla-clock.ts.
 */
export class IncidentSlaClock {
  #lookup: { at: number; from: string; lookup: CalendarLookup } | null = null;

  constructor(private readonly ctx: ModuleContext) {}

  async calendars(config: IncidentConfig, now = Date.now()): Promise<{ business: SlaCalendar; always: SlaCalendar }> {
    const lookup = await this.#calendarLookup(now, config.timeZone);
    const windows = config.businessHours.map((w) => ({ start: minuteOf(w.start), end: minuteOf(w.end) }));
    return {
      business: { mode: 'business', timeZone: config.timeZone, windows, lookup },
      always: { mode: '24x7', timeZone: config.timeZone, windows, lookup },
    };
  }

  /** Both clocks of one incident at `now`. */
  states(config: IncidentConfig, cals: { business: SlaCalendar; always: SlaCalendar }, i: SlaSubject, pauses: readonly Interval[], now: number): { response: IncidentSla | null; resolution: IncidentSla | null } {
    const target = config.sla[i.priority as keyof IncidentConfig['sla']];
    if (!target || i.status === 'cancelled') {
      return { response: null, resolution: null };
    }
    const cal = target.mode === '24x7' ? cals.always : cals.business;
    const view = (targetMinutes: number, stoppedAt: number | null): IncidentSla => {
      const s = slaState({ from: i.detected_at, now, stoppedAt, targetMs: targetMinutes * 60_000, cal, pauses, warnAt: config.warnAt });
      return {
        targetMinutes,
        mode: target.mode,
        elapsedMinutes: Math.round(s.elapsedMs / 6_000) / 10,
        percent: Math.round(s.percent * 10) / 10,
        dueAt: s.dueAt,
        paused: s.paused,
        warning: s.warning,
        breached: s.breached,
        stoppedAt,
      };
    };
    return { response: view(target.responseMinutes, i.acknowledged_at), resolution: view(target.resolutionMinutes, i.resolved_at) };
  }

  async #calendarLookup(now: number, timeZone: string): Promise<CalendarLookup> {
    if (this.#lookup && now - this.#lookup.at < CACHE_MS) {
      return this.#lookup.lookup;
    }
    // From a year back (incidents detected long ago are still measured) to the horizon ahead.
    const back = calendarRange(now - 366 * 86_400_000, HORIZON_DAYS + 366, timeZone);
    const lookup = await new CalendarService(this.ctx).lookup(back.from, back.to);
    this.#lookup = { at: now, from: back.from, lookup };
    return lookup;
  }
}
