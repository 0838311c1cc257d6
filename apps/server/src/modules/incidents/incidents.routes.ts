import { IdParams, Ok } from '@yunwei/contracts/common';
import {
  INCIDENT_PERMISSIONS as P,
  Incident,
  IncidentActivityList,
  IncidentAssign,
  IncidentComment,
  IncidentConfig,
  IncidentConfigInput,
  IncidentCreate,
  IncidentList,
  IncidentListQuery,
  IncidentNature,
  IncidentNatureInput,
  IncidentOptions,
  IncidentSelfReport,
  IncidentTimes,
  IncidentTransition,
  IncidentType,
  IncidentTypeInput,
  IncidentUpdate,
  IncidentVerificationList,
  IncidentVerify,
} from '@yunwei/contracts/incidents';
import { can } from '../../platform/actor.js';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { incidentsOf } from './runtime.js';

export function incidentsRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const incidents = incidentsOf(ctx);
  const config = incidents.config;
  const tags = ['incidents'];
  const read = { permission: P.read };
  const write = { permission: P.write };
  const manage = { permission: P.configure };
  // 报障: staff holding only `report` use the /api/incidents/reports routes, which answer with their own reports.
  const report = { permission: P.report };

  app.get('/api/incidents', { config: read, schema: { tags, summary: 'Incidents, newest first, within your data scope (and those you reported or handle)', querystring: IncidentListQuery, response: { 200: IncidentList } } }, (req) => incidents.list(actorOf(req), req.query));
  app.post('/api/incidents', { config: write, schema: { tags, summary: 'Record an incident', body: IncidentCreate, response: { 200: Incident } } }, (req) => incidents.create(actorOf(req), req.body, actorOf(req).kind === 'token' ? 'api' : 'web'));
  app.post('/api/incidents/reports', { config: report, schema: { tags, summary: '报障: report a fault (self-service)', body: IncidentSelfReport, response: { 200: Incident } } }, (req) => incidents.report(actorOf(req), req.body));
  app.get('/api/incidents/reports', { config: report, schema: { tags, summary: '我的报障: the faults you reported, newest first', querystring: IncidentListQuery, response: { 200: IncidentList } } }, (req) => incidents.list(actorOf(req), req.query, { own: true }));
  app.get('/api/incidents/reports/:id', { config: report, schema: { tags, summary: 'One of your reports', params: IdParams, response: { 200: Incident } } }, (req) => incidents.get(actorOf(req), req.params.id, { own: true }));
  app.post('/api/incidents/reports/:id/comments', { config: report, schema: { tags, summary: 'Add a comment to one of your reports', params: IdParams, body: IncidentComment, response: { 200: Incident } } }, (req) => incidents.comment(actorOf(req), req.params.id, req.body, { own: true }));
  app.get('/api/incidents/reports/:id/activity', { config: report, schema: { tags, summary: 'What happened to one of your reports', params: IdParams, response: { 200: IncidentActivityList } } }, (req) => incidents.activity(actorOf(req), req.params.id, { own: true }));
  app.get('/api/incidents/options', { config: read, schema: { tags, summary: 'What the forms pick by name: types, natures, the matrix, pause reasons, people, groups', response: { 200: IncidentOptions } } }, async (req) => {
    const actor = actorOf(req);
    const [types, natures, c] = await Promise.all([config.types(actor), config.natures(actor), config.config()]);
    const en = actor.locale === 'en';
    const handler = can(actor, P.read);
    const people = handler ? await ctx.db.selectFrom('user').select(['id', 'username', 'display_name']).where('status', '=', 'active').orderBy('username').limit(2000).execute() : [];
    const groups = handler ? await ctx.db.selectFrom('org_unit').select(['id', 'name']).orderBy('sort_order').orderBy('name').execute() : [];
    return {
      types: types.filter((t) => t.enabled || handler),
      natures,
      matrix: c.matrix,
      pauseReasons: c.pauseReasons.map((p) => ({ code: p.code, name: en ? p.nameEn : p.nameZh, pausesSla: p.pausesSla })),
      people: people.map((u) => ({ id: u.id, name: u.display_name || u.username, username: u.username })),
      groups,
    };
  });
  app.get('/api/incidents/config', { config: read, schema: { tags, summary: 'The priority matrix, SLA targets, working hours and pause reasons', response: { 200: IncidentConfig } } }, () => config.config());
  app.put('/api/incidents/config', { config: manage, schema: { tags, summary: 'Change the priority matrix, SLA targets, working hours and pause reasons', body: IncidentConfigInput, response: { 200: IncidentConfig } } }, (req) => config.updateConfig(actorOf(req), req.body));
  app.get('/api/incidents/types', { config: read, schema: { tags, summary: 'The fault-type tree (flat, with parent ids and paths)', response: { 200: { type: 'array', items: IncidentType } } } }, (req) => config.types(actorOf(req)));
  app.post('/api/incidents/types', { config: manage, schema: { tags, summary: 'Add a fault type', body: IncidentTypeInput, response: { 200: IncidentType } } }, (req) => config.createType(actorOf(req), req.body));
  app.put('/api/incidents/types/:id', { config: manage, schema: { tags, summary: 'Change a fault type', params: IdParams, body: IncidentTypeInput, response: { 200: IncidentType } } }, (req) => config.updateType(actorOf(req), req.params.id, req.body));
  app.delete('/api/incidents/types/:id', { config: manage, schema: { tags, summary: 'Delete a fault type no incident uses and without children', params: IdParams, response: { 200: Ok } } }, async (req) => {
    await config.removeType(actorOf(req), req.params.id);
    return { ok: true as const };
  });
  app.get('/api/incidents/natures', { config: read, schema: { tags, summary: 'The fault natures with their guidance', response: { 200: { type: 'array', items: IncidentNature } } } }, (req) => config.natures(actorOf(req)));
  app.post('/api/incidents/natures', { config: manage, schema: { tags, summary: 'Add a fault nature', body: IncidentNatureInput, response: { 200: IncidentNature } } }, (req) => config.createNature(actorOf(req), req.body));
  app.put('/api/incidents/natures/:id', { config: manage, schema: { tags, summary: 'Change a fault nature', params: IdParams, body: IncidentNatureInput, response: { 200: IncidentNature } } }, (req) => config.updateNature(actorOf(req), req.params.id, req.body));
  app.delete('/api/incidents/natures/:id', { config: manage, schema: { tags, summary: 'Delete a fault nature no incident uses', params: IdParams, response: { 200: Ok } } }, async (req) => {
    await config.removeNature(actorOf(req), req.params.id);
    return { ok: true as const };
  });

  app.get('/api/incidents/:id', { config: read, schema: { tags, summary: 'One incident with names, SLA clocks and the actions the reader may take', params: IdParams, response: { 200: Incident } } }, (req) => incidents.get(actorOf(req), req.params.id));
  app.put('/api/incidents/:id', { config: write, schema: { tags, summary: 'Change an incident (409 when someone changed it since the version you read)', params: IdParams, body: IncidentUpdate, response: { 200: Incident } } }, (req) => incidents.update(actorOf(req), req.params.id, req.body));
  app.post('/api/incidents/:id/transition', { config: write, schema: { tags, summary: 'Take a life-cycle action: start, hold, resume, resolve, close, cancel, reopen', params: IdParams, body: IncidentTransition, response: { 200: Incident } } }, (req) => incidents.transition(actorOf(req), req.params.id, req.body));
  app.post('/api/incidents/:id/assign', { config: write, schema: { tags, summary: 'Assign or transfer (转派) to a person and/or a group', params: IdParams, body: IncidentAssign, response: { 200: Incident } } }, (req) => incidents.assign(actorOf(req), req.params.id, req.body));
  app.post('/api/incidents/:id/verify', { config: write, schema: { tags, summary: 'Verify a resolved incident (not its resolver): pass closes it on green evidence, fail reopens it', params: IdParams, body: IncidentVerify, response: { 200: Incident } } }, (req) => incidents.verify(actorOf(req), req.params.id, req.body));
  app.get('/api/incidents/:id/verifications', { config: read, schema: { tags, summary: 'Past verifications with their evidence, and the evidence now', params: IdParams, response: { 200: IncidentVerificationList } } }, (req) => incidents.verifications(actorOf(req), req.params.id));
  app.put('/api/incidents/:id/times', { config: write, schema: { tags, summary: 'Correct the detected / acknowledged / mitigated / resolved times (in order)', params: IdParams, body: IncidentTimes, response: { 200: Incident } } }, (req) => incidents.setTimes(actorOf(req), req.params.id, req.body));
  app.post('/api/incidents/:id/comments', { config: read, schema: { tags, summary: 'Add a comment', params: IdParams, body: IncidentComment, response: { 200: Incident } } }, (req) => incidents.comment(actorOf(req), req.params.id, req.body));
  app.get('/api/incidents/:id/activity', { config: read, schema: { tags, summary: 'What happened to the incident, newest first', params: IdParams, response: { 200: IncidentActivityList } } }, (req) => incidents.activity(actorOf(req), req.params.id));
}
