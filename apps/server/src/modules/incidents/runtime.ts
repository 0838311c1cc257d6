import type { ModuleContext } from '../../platform/module.js';
import { IncidentsService } from './incidents.service.js';

const runtimes = new WeakMap<ModuleContext, IncidentsService>();

/** The incidents service of one app (alerting, inbound mail and problems record incidents through it). */
export function incidentsOf(ctx: ModuleContext): IncidentsService {
  let service = runtimes.get(ctx);
  if (!service) {
    service = new IncidentsService(ctx);
    runtimes.set(ctx, service);
  }
  return service;
}
