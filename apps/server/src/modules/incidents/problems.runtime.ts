import type { ModuleContext } from '../../platform/module.js';
import { ProblemsService } from './problems.service.js';
import { RisksService } from './risks.service.js';

const problems = new WeakMap<ModuleContext, ProblemsService>();
const risks = new WeakMap<ModuleContext, RisksService>();

/** The problems service of one app. */
export function problemsOf(ctx: ModuleContext): ProblemsService {
  let service = problems.get(ctx);
  if (!service) {
    service = new ProblemsService(ctx);
    problems.set(ctx, service);
  }
  return service;
}

/** The 隐患 register of one app. */
export function risksOf(ctx: ModuleContext): RisksService {
  let service = risks.get(ctx);
  if (!service) {
    service = new RisksService(ctx);
    risks.set(ctx, service);
  }
  return service;
}
