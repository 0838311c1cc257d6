import { IdParams, Ok } from '@yunwei/contracts/common';
import { ReportRunFileParams, ReportSchedule, ReportScheduleInput, ReportScheduleList, ReportScheduleOptions, ReportScheduleRun, ReportScheduleRunList, ReportScheduleRunQuery } from '@yunwei/contracts/report-schedules';
import { REPORTS_PERMISSIONS as P } from '@yunwei/contracts/reports';
import { sendDocument } from '../../platform/documents/send-document.js';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { ReportScheduleService } from './report-schedule.service.js';

export function reportScheduleRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const schedules = new ReportScheduleService(ctx);
  const tags = ['reports'];
  const read = { permission: P.read };
  const manage = { permission: P.manageSchedules };
  app.get('/api/reports/schedules', { config: read, schema: { tags, summary: '定时报告: the schedules with their next run and last outcome', response: { 200: ReportScheduleList } } }, (req) => schedules.list(actorOf(req)));
  app.get('/api/reports/schedules/options', { config: manage, schema: { tags, summary: 'What the schedule form picks by name: e-mail channels, people, document types', response: { 200: ReportScheduleOptions } } }, (req) => schedules.options(actorOf(req)));
  app.post('/api/reports/schedules', { config: manage, schema: { tags, summary: 'Create a schedule (it runs as you)', body: ReportScheduleInput, response: { 200: ReportSchedule } } }, (req) => schedules.create(actorOf(req), req.body));
  app.get('/api/reports/schedules/:id', { config: read, schema: { tags, summary: 'One schedule', params: IdParams, response: { 200: ReportSchedule } } }, (req) => schedules.get(actorOf(req), req.params.id));
  app.put('/api/reports/schedules/:id', { config: manage, schema: { tags, summary: 'Change a schedule (it then runs as you)', params: IdParams, body: ReportScheduleInput, response: { 200: ReportSchedule } } }, (req) => schedules.update(actorOf(req), req.params.id, req.body));
  app.delete('/api/reports/schedules/:id', { config: manage, schema: { tags, summary: 'Delete a schedule with its run history and files (filed documents stay)', params: IdParams, response: { 200: Ok } } }, async (req) => {
    await schedules.remove(actorOf(req), req.params.id);
    return { ok: true as const };
  });
  app.post('/api/reports/schedules/:id/run', { config: manage, schema: { tags, summary: 'Run now over the last full period (the schedule keeps its next run)', params: IdParams, response: { 200: ReportScheduleRun } } }, (req) => schedules.runNow(actorOf(req), req.params.id));
  app.get('/api/reports/schedules/:id/runs', { config: read, schema: { tags, summary: 'The run history, newest first', params: IdParams, querystring: ReportScheduleRunQuery, response: { 200: ReportScheduleRunList } } }, (req) => schedules.runs(actorOf(req), req.params.id, req.query));
  app.get('/api/reports/schedules/:id/runs/:runId/files/:format', { config: read, schema: { tags, summary: "A run's file (its owner, or a manager of the whole organisation)", params: ReportRunFileParams } }, async (req, reply) =>
    sendDocument(reply, await schedules.file(actorOf(req), req.params.id, req.params.runId, req.params.format)),
  );
}
