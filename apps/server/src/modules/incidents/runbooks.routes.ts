import { IdParams } from '@yunwei/contracts/common';
import {
  IncidentTask,
  IncidentTaskComplete,
  IncidentTaskCreate,
  IncidentTaskList,
  IncidentTaskParams,
  IncidentTaskQuery,
  RUNBOOK_PERMISSIONS as R,
  Runbook,
  RunbookCreate,
  RunbookDraft,
  RunbookList,
  RunbookRun,
  RunbookRunAbandon,
  RunbookRunList,
  RunbookRunParams,
  RunbookRunStart,
  RunbookStepActionInput,
  RunbookStepLive,
  RunbookStepLiveQuery,
  RunbookStepParams,
  RunbookSubmit,
  RunbookSuggestionList,
  RunbookUpdate,
} from '@yunwei/contracts/incident-runbooks';
import { INCIDENT_PERMISSIONS as P } from '@yunwei/contracts/incidents';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { runbooksOf } from './runbooks.runtime.js';
import { incidentsOf } from './runtime.js';

/** 故障处理方案 (runbooks), their runs on incidents and incident tasks: see contracts/incident-runbooks.ts. */
export function runbooksRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const { runbooks, runs, tasks } = runbooksOf(ctx);
  const tags = ['incidents'];
  const read = { permission: P.read };
  const write = { permission: P.write };
  const author = { permission: R.write };

  app.get('/api/incidents/runbooks', { config: read, schema: { tags, summary: '故障处理方案: the runbooks with their published and next versions', response: { 200: RunbookList } } }, (req) => runbooks.list(actorOf(req)));
  app.post('/api/incidents/runbooks', { config: author, schema: { tags, summary: 'Write a runbook (its first version, 1.0, is a draft)', body: RunbookCreate, response: { 200: Runbook } } }, (req) => runbooks.create(actorOf(req), req.body));
  app.get('/api/incidents/runbooks/:id', { config: read, schema: { tags, summary: 'One runbook with its versions', params: IdParams, response: { 200: Runbook } } }, (req) => runbooks.get(actorOf(req), req.params.id));
  app.put('/api/incidents/runbooks/:id', { config: author, schema: { tags, summary: 'Change what a runbook is for (name, fault types, CI classes)', params: IdParams, body: RunbookUpdate, response: { 200: Runbook } } }, (req) => runbooks.update(actorOf(req), req.params.id, req.body));
  app.put('/api/incidents/runbooks/:id/draft', { config: author, schema: { tags, summary: 'Write the steps of the next version (the draft, or a new one after the published version)', params: IdParams, body: RunbookDraft, response: { 200: Runbook } } }, (req) => runbooks.saveDraft(actorOf(req), req.params.id, req.body));
  app.post('/api/incidents/runbooks/:id/submit', { config: author, schema: { tags, summary: 'Submit the draft for approval (flow incident.runbook), or publish it when no flow is configured (needs incidents.runbook.publish)', params: IdParams, body: RunbookSubmit, response: { 200: Runbook } } }, (req) => runbooks.submit(actorOf(req), req.params.id, req.body.comment));

  app.get('/api/incidents/tasks', { config: read, schema: { tags, summary: '我的任务 (mine=1, the default), or the tasks on the incidents you may see', querystring: IncidentTaskQuery, response: { 200: IncidentTaskList } } }, (req) => tasks.query(actorOf(req), req.query));
  app.post('/api/incidents/tasks/:taskId/complete', { config: write, schema: { tags, summary: 'Complete a task (its assignee or a handler); a task for a runbook step completes the step', params: IncidentTaskParams, body: IncidentTaskComplete, response: { 200: IncidentTask } } }, (req) => tasks.complete(actorOf(req), req.params.taskId, req.body.note));
  app.post('/api/incidents/tasks/:taskId/cancel', { config: write, schema: { tags, summary: 'Cancel a task (a handler)', params: IncidentTaskParams, body: IncidentTaskComplete, response: { 200: IncidentTask } } }, (req) => tasks.cancel(actorOf(req), req.params.taskId, req.body.note));

  app.get('/api/incidents/:id/runbooks', { config: read, schema: { tags, summary: 'Published runbooks matching the incident (its fault type or an ancestor, its CIs’ classes), best first', params: IdParams, response: { 200: RunbookSuggestionList } } }, async (req) => {
    const actor = actorOf(req);
    const incident = await incidentsOf(ctx).get(actor, req.params.id);
    return runbooks.suggest(actor, { typeId: incident.type?.id ?? null, ciIds: incident.cis.map((c) => c.id) });
  });
  app.get('/api/incidents/:id/runbook-runs', { config: read, schema: { tags, summary: 'The runbooks executed on the incident, newest first, step by step', params: IdParams, response: { 200: RunbookRunList } } }, (req) => runs.list(actorOf(req), req.params.id));
  app.post('/api/incidents/:id/runbook-runs', { config: write, schema: { tags, summary: 'Start executing a published runbook on the incident', params: IdParams, body: RunbookRunStart, response: { 200: RunbookRun } } }, (req) => runs.start(actorOf(req), req.params.id, req.body.runbookId));
  app.post('/api/incidents/:id/runbook-runs/:runId/abandon', { config: write, schema: { tags, summary: 'Abandon a run (say why)', params: RunbookRunParams, body: RunbookRunAbandon, response: { 200: RunbookRun } } }, (req) => runs.abandon(actorOf(req), req.params.id, req.params.runId, req.body.note));
  app.post('/api/incidents/:id/runbook-runs/:runId/steps/:index', { config: write, schema: { tags, summary: 'Act on a step, in order: run (a check or a command), done, fail, skip', params: RunbookStepParams, body: RunbookStepActionInput, response: { 200: RunbookRun } } }, (req) => runs.act(actorOf(req), req.params.id, req.params.runId, req.params.index, req.body));
  app.get('/api/incidents/:id/runbook-runs/:runId/steps/:index', { config: read, schema: { tags, summary: 'A step as it runs: status and the command’s output from ?offset= (poll every second while live)', params: RunbookStepParams, querystring: RunbookStepLiveQuery, response: { 200: RunbookStepLive } } }, (req) => runs.live(actorOf(req), req.params.id, req.params.runId, req.params.index, req.query.offset ?? 0));
  app.get('/api/incidents/:id/tasks', { config: read, schema: { tags, summary: 'The tasks on the incident (组织排除)', params: IdParams, response: { 200: IncidentTaskList } } }, (req) => tasks.list(actorOf(req), req.params.id));
  app.post('/api/incidents/:id/tasks', { config: write, schema: { tags, summary: 'Give someone a task on the incident (optionally a runbook step); they are notified', params: IdParams, body: IncidentTaskCreate, response: { 200: IncidentTask } } }, (req) => tasks.create(actorOf(req), req.params.id, req.body));
}
