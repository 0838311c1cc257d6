import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { IdParams, Ok } from '@yunwei/contracts/common';
import {
  CalendarYear,
  CalendarYearParams,
  CalendarYearUpdate,
  OnCallCandidates,
  OnCallNow,
  Override,
  OverrideInput,
  OverrideList,
  OverrideParams,
  OverrideQuery,
  Schedule,
  ScheduleInput,
  ScheduleList,
  Timeline,
  TimelineQuery,
  ONCALL_PERMISSIONS as P,
} from '@yunwei/contracts/oncall';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { queuedImport, refuseWhenImportsBusy } from '../../platform/uploads/import-queue.js';
import { CALENDAR_IMPORT_MAX_BYTES, CALENDAR_IMPORT_TYPES } from './calendar-sheet.js';
import { XLSX_TYPE } from '@yunwei/contracts/documents';
import { oncallOf } from './runtime.js';

export async function oncallRoutes(app: YunweiApp, ctx: ModuleContext): Promise<void> {
  const { schedules, calendar } = oncallOf(ctx);
  const tags = ['oncall'];
  const read = { permission: P.scheduleRead };
  const write = { permission: P.scheduleWrite };
  const ok = { ok: true as const };

  app.get('/api/oncall/schedules', { config: read, schema: { tags, summary: 'Schedules with who is on call now', response: { 200: ScheduleList } } }, () => schedules.list());
  app.get('/api/oncall/schedules/:id', { config: read, schema: { tags, params: IdParams, response: { 200: Schedule } } }, (req) => schedules.get(req.params.id));
  app.post('/api/oncall/schedules', { config: write, schema: { tags, body: ScheduleInput, response: { 200: Schedule } } }, (req) => schedules.create(actorOf(req), req.body));
  app.put('/api/oncall/schedules/:id', { config: write, schema: { tags, summary: 'Replace a schedule and its rotations', params: IdParams, body: ScheduleInput, response: { 200: Schedule } } }, (req) =>
    schedules.update(actorOf(req), req.params.id, req.body),
  );
  app.delete('/api/oncall/schedules/:id', { config: write, schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await schedules.remove(actorOf(req), req.params.id);
    return ok;
  });
  app.get('/api/oncall/schedules/:id/now', { config: read, schema: { tags, summary: 'Who is on call now', params: IdParams, response: { 200: OnCallNow } } }, (req) => schedules.now(req.params.id));
  app.get('/api/oncall/schedules/:id/timeline', { config: read, schema: { tags, summary: 'Who is on call over a period (default: the next two weeks)', params: IdParams, querystring: TimelineQuery, response: { 200: Timeline } } }, (req) =>
    schedules.timeline(req.params.id, req.query),
  );
  app.get('/api/oncall/schedules/:id/overrides', { config: read, schema: { tags, params: IdParams, querystring: OverrideQuery, response: { 200: OverrideList } } }, (req) => schedules.overrides(req.params.id, req.query));
  app.post('/api/oncall/schedules/:id/overrides', { config: write, schema: { tags, params: IdParams, body: OverrideInput, response: { 200: Override } } }, (req) => schedules.addOverride(actorOf(req), req.params.id, req.body));
  app.delete('/api/oncall/schedules/:id/overrides/:overrideId', { config: write, schema: { tags, params: OverrideParams, response: { 200: Ok } } }, async (req) => {
    await schedules.removeOverride(actorOf(req), req.params.id, req.params.overrideId);
    return ok;
  });
  app.get('/api/oncall/candidates', { config: write, schema: { tags, summary: 'Enabled users who may be put on call', response: { 200: OnCallCandidates } } }, (req) => schedules.candidates(actorOf(req)));

  app.get('/api/oncall/calendar/:year', { config: read, schema: { tags, summary: 'The business calendar of a year (holidays and 调休 workdays)', params: CalendarYearParams, response: { 200: CalendarYear } } }, (req) => calendar.year(req.params.year));
  app.get('/api/oncall/calendar/:year/export', { config: read, schema: { tags, summary: 'The business calendar of a year as XLSX (the import format)', params: CalendarYearParams } }, async (req, reply) => {
    const file = await calendar.exportYear(req.params.year);
    return reply.header('content-type', XLSX_TYPE).header('content-disposition', `attachment; filename="${file.filename}"`).send(file.body);
  });
  // The sheet is the raw request body (XLSX or CSV), in a scope of its own for the body parsers.
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    for (const type of CALENDAR_IMPORT_TYPES) {
      scope.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: CALENDAR_IMPORT_MAX_BYTES }, (_req, body, done) => done(null, body));
    }
    scope.post(
      '/api/oncall/calendar/:year/import',
      {
        config: { permission: P.calendarWrite },
        bodyLimit: CALENDAR_IMPORT_MAX_BYTES,
        onRequest: refuseWhenImportsBusy,
        schema: { tags, summary: "Replace a year's administrator entries with an XLSX or CSV sheet", params: CalendarYearParams, response: { 200: CalendarYear } },
      },
      (req, reply) => queuedImport(reply, () => calendar.importYear(actorOf(req), req.params.year, req.body)),
    );
  });
  app.put('/api/oncall/calendar/:year', { config: { permission: P.calendarWrite }, schema: { tags, summary: "Replace a year's administrator entries", params: CalendarYearParams, body: CalendarYearUpdate, response: { 200: CalendarYear } } }, (req) =>
    calendar.replaceYear(actorOf(req), req.params.year, req.body),
  );
}
