import { IdParams, Ok } from '@yunwei/contracts/common';
import { NOTIFY_PERMISSIONS as P, NotifyChannel, NotifyChannelCreate, NotifyChannelList, NotifyChannelListQuery, NotifyChannelUpdate, NotifyDelivery, NotifyDeliveryList, NotifyDeliveryListQuery, NotifySettings, NotifyTestResult } from '@yunwei/contracts/notify';
import { actorOf } from '../../platform/http/request-actor.js';
import { formatMessageTime } from '../../platform/notify/message-format.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { notifyOf } from './runtime.js';

export function notifyRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const notify = notifyOf(ctx);
  const tags = ['notify'];
  const read = { permission: P.channelRead };
  const write = { permission: P.channelWrite };
  const send = { permission: P.deliverySend };

  // The delivery worker runs in the process that serves (not in tests that only inject requests);
  // sends in flight are cut short and put back as due before the app closes.
  app.addHook('onListen', async () => notify.start());
  app.addHook('preClose', async () => notify.close());

  app.get('/api/notify/settings', { config: read, schema: { tags, summary: 'How messages are made: the public URL links point under (null: relative links) and their time zone', response: { 200: NotifySettings } } }, () => ({
    publicUrl: ctx.config.publicUrl ?? null,
    timeZone: ctx.config.timeZone,
    timeExample: formatMessageTime(Date.now(), ctx.config.timeZone),
  }));
  app.get('/api/notify/channels', { config: read, schema: { tags, summary: 'Notification channels (secrets never returned: see secretsSet)', querystring: NotifyChannelListQuery, response: { 200: NotifyChannelList } } }, (req) =>
    notify.service.list(req.query),
  );
  app.get('/api/notify/channels/:id', { config: read, schema: { tags, params: IdParams, response: { 200: NotifyChannel } } }, (req) => notify.service.get(req.params.id));
  app.post('/api/notify/channels', { config: write, schema: { tags, summary: 'Create a channel (configuration per type; secrets are write-only)', body: NotifyChannelCreate, response: { 200: NotifyChannel } } }, (req) =>
    notify.service.create(actorOf(req), req.body),
  );
  app.patch('/api/notify/channels/:id', { config: write, schema: { tags, params: IdParams, body: NotifyChannelUpdate, response: { 200: NotifyChannel } } }, (req) =>
    notify.service.update(actorOf(req), req.params.id, req.body),
  );
  app.delete('/api/notify/channels/:id', { config: write, schema: { tags, summary: 'Delete a channel (its delivery log stays)', params: IdParams, response: { 200: Ok } } }, async (req) => {
    await notify.service.remove(actorOf(req), req.params.id);
    return { ok: true as const };
  });
  app.post('/api/notify/channels/:id/test', { config: send, schema: { tags, summary: 'Send a test message now; answers with the outcome (logged as a delivery)', params: IdParams, response: { 200: NotifyTestResult } } }, (req) =>
    notify.deliveries.test(actorOf(req), req.params.id),
  );
  app.get('/api/notify/deliveries', { config: { permission: P.deliveryRead }, schema: { tags, summary: 'Delivery log, newest first (filter by channel, status, source)', querystring: NotifyDeliveryListQuery, response: { 200: NotifyDeliveryList } } }, (req) =>
    notify.deliveries.list(actorOf(req), req.query),
  );
  app.post('/api/notify/deliveries/:id/retry', { config: send, schema: { tags, summary: 'Send a failed or suppressed delivery again now', params: IdParams, response: { 200: NotifyDelivery } } }, (req) =>
    notify.deliveries.retry(actorOf(req), req.params.id),
  );
}
