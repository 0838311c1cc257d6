import { IdParams, Ok } from '@yunwei/contracts/common';
import {
  NoticeCreate,
  NoticeParams,
  NoticeUpdate,
  PublicStatusPage,
  SlugParams,
  StatusNotice,
  StatusPage,
  StatusPageCreate,
  StatusPageList,
  StatusPageUpdate,
  STATUS_PAGE_PERMISSIONS as P,
} from '@yunwei/contracts/status-pages';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { statusPagesOf } from './status-pages.runtime.js';

/** Anonymous readers per address and minute: a browser tab polls twice a minute. */
const PUBLIC_RATE_LIMIT = { max: 120, timeWindow: '1 minute' } as const;

export function statusPagesRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const { publicStatus, service } = statusPagesOf(ctx);
  const tags = ['status-pages'];
  const read = { permission: P.read };
  const write = { permission: P.write };
  const ok = { ok: true as const };

  app.get(
    '/api/public/status/:slug',
    {
      config: { public: true, rateLimit: PUBLIC_RATE_LIMIT },
      schema: { tags, summary: 'A published status page (no sign-in): overall state, the chosen components with uptime, notices. Unknown and unpublished slugs are the same 404.', params: SlugParams, response: { 200: PublicStatusPage } },
    },
    (req) => publicStatus.bySlug(req.params.slug),
  );

  app.get('/api/status-pages', { config: read, schema: { tags, summary: 'Status pages of the business systems in your data scope', response: { 200: StatusPageList } } }, (req) => service.list(actorOf(req)));
  app.get('/api/status-pages/:id', { config: read, schema: { tags, summary: 'A status page with its components and notices', params: IdParams, response: { 200: StatusPage } } }, (req) => service.get(actorOf(req), req.params.id));
  app.get('/api/status-pages/:id/preview', { config: read, schema: { tags, summary: 'What the public page shows (also before it is published)', params: IdParams, response: { 200: PublicStatusPage } } }, async (req) =>
    publicStatus.render(await service.readable(actorOf(req), req.params.id)),
  );
  app.post('/api/status-pages', { config: write, schema: { tags, body: StatusPageCreate, response: { 200: StatusPage } } }, (req) => service.create(actorOf(req), req.body));
  app.patch('/api/status-pages/:id', { config: write, schema: { tags, summary: 'Change or (un)publish a page (components, when given, replace the whole list)', params: IdParams, body: StatusPageUpdate, response: { 200: StatusPage } } }, (req) =>
    service.update(actorOf(req), req.params.id, req.body),
  );
  app.delete('/api/status-pages/:id', { config: write, schema: { tags, summary: 'Delete a page with its notices', params: IdParams, response: { 200: Ok } } }, async (req) => {
    await service.remove(actorOf(req), req.params.id);
    return ok;
  });

  app.post('/api/status-pages/:id/notices', { config: write, schema: { tags, summary: 'Post an incident or maintenance notice', params: IdParams, body: NoticeCreate, response: { 200: StatusNotice } } }, (req) =>
    service.createNotice(actorOf(req), req.params.id, req.body),
  );
  app.patch('/api/status-pages/:id/notices/:noticeId', { config: write, schema: { tags, summary: 'Change a notice (endsAt: now to mark it resolved)', params: NoticeParams, body: NoticeUpdate, response: { 200: StatusNotice } } }, (req) =>
    service.updateNotice(actorOf(req), req.params.id, req.params.noticeId, req.body),
  );
  app.delete('/api/status-pages/:id/notices/:noticeId', { config: write, schema: { tags, params: NoticeParams, response: { 200: Ok } } }, async (req) => {
    await service.removeNotice(actorOf(req), req.params.id, req.params.noticeId);
    return ok;
  });
}
