import type { ModuleContext } from '../../platform/module.js';
import { CalendarService } from './calendar.service.js';
import type { OnCall } from './rotation.js';
import { ScheduleService } from './schedule.service.js';

/**
 * The oncall module's services for one app, and what other modules use: alert routing resolves an
 * escalation step's `{ type: 'oncall', scheduleId }` target with `whoIsOnCall` at the step's time.
 */
export class OncallRuntime {
  readonly calendar: CalendarService;
  readonly schedules: ScheduleService;

  constructor(ctx: ModuleContext) {
    this.calendar = new CalendarService(ctx);
    this.schedules = new ScheduleService(ctx, this.calendar);
  }

  /** Who is on call at `at` (epoch ms); an unknown schedule answers `{ userIds: [], source: 'none' }`. */
  whoIsOnCall(scheduleId: string, at: number): Promise<OnCall> {
    return this.schedules.whoIsOnCall(scheduleId, at);
  }

  scheduleExists(id: string): Promise<boolean> {
    return this.schedules.exists(id);
  }

  /** By the business calendar: a 调休 workday → true, a holiday → false, else Monday to Friday. */
  isWorkday(date: string): Promise<boolean> {
    return this.calendar.isWorkday(date);
  }
}

const runtimes = new WeakMap<ModuleContext, OncallRuntime>();

export function oncallOf(ctx: ModuleContext): OncallRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    runtime = new OncallRuntime(ctx);
    runtimes.set(ctx, runtime);
  }
  return runtime;
}
