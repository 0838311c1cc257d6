import type { ModuleContext } from '../../platform/module.js';
import { PolicyService } from './policy.service.js';
import { RecordService } from './record.service.js';
import { RegimeService } from './regime.service.js';
import { ScheduleService } from './schedule.service.js';
import { TemplateService } from './template.service.js';

/**
 * The inspections module's services for one app, shared by routes and the schedule job. `now` is
 * the module's clock: tests replace it to fire schedules and evaluate coverage at a chosen time
 * instead of waiting for the real one.
 */
export class InspectionsRuntime {
  now: () => number = () => Date.now();
  readonly templates: TemplateService;
  readonly records: RecordService;
  readonly schedules: ScheduleService;
  readonly policies: PolicyService;
  readonly regime: RegimeService;

  constructor(ctx: ModuleContext) {
    this.templates = new TemplateService(ctx);
    this.records = new RecordService(ctx);
    this.schedules = new ScheduleService(ctx, this.records, ctx.log);
    this.policies = new PolicyService(ctx);
    this.regime = new RegimeService(ctx, this.policies);
  }
}

const runtimes = new WeakMap<ModuleContext, InspectionsRuntime>();

export function inspectionsOf(ctx: ModuleContext): InspectionsRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    runtime = new InspectionsRuntime(ctx);
    runtimes.set(ctx, runtime);
  }
  return runtime;
}
