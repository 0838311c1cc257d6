import { IdParams } from '@yunwei/contracts/common';
import {
  PROBLEM_PERMISSIONS as P,
  KnownErrorMatches,
  Problem,
  ProblemCreate,
  ProblemLink,
  ProblemList,
  ProblemListQuery,
  ProblemTransition,
  ProblemUnlinkParams,
  ProblemUnlinkQuery,
  ProblemUpdate,
} from '@yunwei/contracts/incident-problems';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { problemsOf } from './problems.runtime.js';

export function problemsRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const problems = problemsOf(ctx);
  const tags = ['problems'];
  const read = { permission: P.read };
  const write = { permission: P.write };

  app.get('/api/problems', { config: read, schema: { tags, summary: 'Problems, newest change first', querystring: ProblemListQuery, response: { 200: ProblemList } } }, (req) => problems.list(actorOf(req), req.query));
  app.post('/api/problems', { config: write, schema: { tags, summary: 'Create a problem from one or many incidents', body: ProblemCreate, response: { 200: Problem } } }, (req) => problems.create(actorOf(req), req.body));
  app.get('/api/problems/:id', { config: read, schema: { tags, summary: 'One problem with its incidents and root-cause analysis', params: IdParams, response: { 200: Problem } } }, (req) => problems.get(actorOf(req), req.params.id));
  app.put('/api/problems/:id', { config: write, schema: { tags, summary: 'Change a problem: analysis (5 whys, fishbone), workaround, fix, match criteria (409 on an older version)', params: IdParams, body: ProblemUpdate, response: { 200: Problem } } }, (req) => problems.update(actorOf(req), req.params.id, req.body));
  app.post('/api/problems/:id/transition', { config: write, schema: { tags, summary: 'Take a life-cycle action: analyse, known_error, resolve, close, reopen', params: IdParams, body: ProblemTransition, response: { 200: Problem } } }, (req) => problems.transition(actorOf(req), req.params.id, req.body));
  app.post('/api/problems/:id/incidents', { config: write, schema: { tags, summary: 'Link incidents to the problem', params: IdParams, body: ProblemLink, response: { 200: Problem } } }, (req) => problems.linkIncidents(actorOf(req), req.params.id, req.body));
  app.delete('/api/problems/:id/incidents/:incidentId', { config: write, schema: { tags, summary: 'Unlink an incident from the problem', params: ProblemUnlinkParams, querystring: ProblemUnlinkQuery, response: { 200: Problem } } }, (req) => problems.unlinkIncident(actorOf(req), req.params.id, req.params.incidentId, req.query.version));
  app.get('/api/incidents/:id/known-errors', { config: read, schema: { tags, summary: 'Known errors matching an incident, best first, with their workaround', params: IdParams, response: { 200: KnownErrorMatches } } }, (req) => problems.knownErrors(actorOf(req), req.params.id));
}
