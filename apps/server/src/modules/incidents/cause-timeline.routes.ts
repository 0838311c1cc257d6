import { CauseTimeline, CauseTimelineQuery, INCIDENT_TIMELINE_PERMISSION } from '@yunwei/contracts/incident-timeline';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { CauseTimelineService } from './cause-timeline.service.js';

/** Cause tracing's timeline (L2-2.1.3); wired by the incidents module. */
export function causeTimelineRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const timeline = new CauseTimelineService(ctx);
  app.get(
    '/api/incidents/timeline',
    {
      config: { permission: INCIDENT_TIMELINE_PERMISSION },
      schema: {
        tags: ['incidents'],
        summary: 'Cause tracing: events around a start time on the CIs and their dependencies, ranked by closeness in time and in the graph',
        querystring: CauseTimelineQuery,
        response: { 200: CauseTimeline },
      },
    },
    (req) =>
      timeline.timeline(actorOf(req), {
        ciIds: req.query.ciId,
        at: req.query.at,
        beforeMs: req.query.before,
        afterMs: req.query.after,
        depth: req.query.depth,
        limit: req.query.limit,
      }),
  );
}
