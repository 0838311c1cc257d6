import { IdParams } from '@yunwei/contracts/common';
import { INBOUND_MAIL_PERMISSIONS as P, InboundMailDetail, InboundMailList, InboundMailProcess, InboundMailQuery, InboundMailSenderList, InboundMailSenderQuery, InboundMailSettings } from '@yunwei/contracts/inbound-mail';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { inboundMailOf, listOf } from './runtime.js';

export function inboundMailRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const mail = inboundMailOf(ctx);
  const tags = ['inbound-mail'];
  const read = { permission: P.read };
  const manage = { permission: P.manage };

  // The receiver listens in the process that serves (not in tests that only inject requests).
  app.addHook('onListen', async () => mail.start());
  app.addHook('preClose', async () => mail.close());

  app.get('/api/inbound-mail', { config: read, schema: { tags, summary: '收件箱与隔离区: received mail, newest first, by status', querystring: InboundMailQuery, response: { 200: InboundMailList } } }, (req) =>
    mail.service.list(actorOf(req), req.query),
  );
  app.get('/api/inbound-mail/settings', { config: read, schema: { tags, summary: 'Whether the SMTP receiver is on, where it listens, the domains it accepts', response: { 200: InboundMailSettings } } }, () => {
    const c = ctx.config;
    return {
      enabled: c.mailReceiverPort !== undefined,
      listening: (mail.receiver?.address ?? null) !== null,
      host: c.mailReceiverHost,
      port: c.mailReceiverPort ?? null,
      boundPort: mail.receiver?.address?.port ?? null,
      domains: listOf(c.mailReceiverDomains),
      allow: listOf(c.mailReceiverAllow),
      maxBytes: c.mailReceiverMaxBytes,
      startTls: c.mailReceiverTlsCert !== undefined,
      handlers: mail.service.handlerNames,
    };
  });
  app.get('/api/inbound-mail/senders', { config: manage, schema: { tags, summary: 'Active users to assign as the sender, by name, user name or e-mail', querystring: InboundMailSenderQuery, response: { 200: InboundMailSenderList } } }, (req) =>
    mail.service.senders(actorOf(req), req.query.q),
  );
  app.get('/api/inbound-mail/:id', { config: read, schema: { tags, summary: 'One mail: headers, text, attachment names, why quarantined, what it became', params: IdParams, response: { 200: InboundMailDetail } } }, (req) =>
    mail.service.get(actorOf(req), req.params.id),
  );
  app.get('/api/inbound-mail/:id/raw', { config: read, schema: { tags, summary: 'The message as received (.eml)', params: IdParams } }, async (req, reply) => {
    const file = await mail.service.raw(actorOf(req), req.params.id);
    return reply.header('content-type', 'message/rfc822').header('content-disposition', `attachment; filename="${file.filename}"`).send(file.body);
  });
  app.post('/api/inbound-mail/:id/process', { config: manage, schema: { tags, summary: 'Process again (quarantined, failed or pending), as the assigned sender when given', params: IdParams, body: InboundMailProcess, response: { 200: InboundMailDetail } } }, (req) =>
    mail.service.reprocess(actorOf(req), req.params.id, req.body),
  );
  app.post('/api/inbound-mail/:id/discard', { config: manage, schema: { tags, summary: 'Discard a quarantined, failed or pending mail (the row and the raw message stay)', params: IdParams, response: { 200: InboundMailDetail } } }, (req) =>
    mail.service.discard(actorOf(req), req.params.id),
  );
}
