import { INBOUND_MAIL_PERMISSIONS as P } from '@yunwei/contracts/inbound-mail';
import { defineModule } from '../../platform/module.js';
import { inboundMailMigrations } from './inbound-mail.migrations.js';
import { inboundMailRoutes } from './inbound-mail.routes.js';
import './inbound-mail.tables.js';

/**
 * Inbound e-mail (收件箱与隔离区): an SMTP receiver, off by default, that keeps every accepted message
 * and hands it, as its sender, to the handlers other modules register; what cannot be processed waits in
 * quarantine for a person.
 */
export const inboundMailModule = defineModule({
  id: 'mailin',
  name: { zh: '收件箱与隔离区', en: 'Inbound mail' },
  skills: [],
  permissions: [
    // Mail carries what people wrote (and may carry personal data): the administrators who run the
    // system read it; the security administrator, who audits, reads the trail instead.
    { id: P.read, name: { zh: '查看收到的邮件与隔离区', en: 'Read received mail and the quarantine' }, grants: ['system_admin'] },
    { id: P.manage, name: { zh: '处理隔离邮件（指定发件人、重新处理、丢弃）', en: 'Handle quarantined mail (assign the sender, process again, discard)' }, grants: ['system_admin'] },
  ],
  migrations: inboundMailMigrations,
  routes: inboundMailRoutes,
});
