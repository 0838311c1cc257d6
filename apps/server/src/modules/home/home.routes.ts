import { HomeSummary } from '@yunwei/contracts/home';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { HomeService } from './home.service.js';

export function homeRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const service = new HomeService(ctx);
  // Every signed-in person has a home page; what it shows is decided per section by the owning
  // module's read permission and data scope (a section the caller may not read is null).
  app.get(
    '/api/home/summary',
    { config: { authenticated: true }, schema: { tags: ['home'], summary: 'The state of what you look after: problems, checks down, agents offline, inspections, coverage gaps, your on-call shift, first steps', response: { 200: HomeSummary } } },
    (req) => service.summary(actorOf(req)),
  );
}
