import { NOTIFY_PERMISSIONS as P } from '@yunwei/contracts/notify';
import { defineModule } from '../../platform/module.js';
import { notifyMigrations } from './notify.migrations.js';
import { notifyRoutes } from './notify.routes.js';
import './notify.tables.js';
import { notifyOf } from './runtime.js';

/** Notification channels (e-mail, webhook, DingTalk, WeCom, Feishu) and the delivery outbox with retries, rate limit and log. */
export const notifyModule = defineModule({
  id: 'notify',
  name: { zh: '通知渠道', en: 'Notification channels' },
  skills: ['L3-2.1.3'],
  permissions: [
    { id: P.channelRead, name: { zh: '查看通知渠道', en: 'View notification channels' }, grants: ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] },
    // A channel holds organisation-wide secrets and decides where messages (and those secrets) go:
    // only system administrators shape it. Operators keep testing and resending, which only ever reach
    // the destination an administrator set (a changed destination drops the stored secrets anyway).
    { id: P.channelWrite, name: { zh: '管理通知渠道', en: 'Manage notification channels' }, grants: ['system_admin'] },
    { id: P.deliverySend, name: { zh: '发送测试消息、重发通知', en: 'Send test messages, resend deliveries' }, grants: ['system_admin', 'operator'] },
    { id: P.deliveryRead, name: { zh: '查看通知发送记录', en: 'View the notification delivery log' }, grants: ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] },
  ],
  migrations: notifyMigrations,
  routes: notifyRoutes,
  jobs: (ctx) => [{ name: 'notify.delivery-purge', cron: '41 3 * * *', leaseMs: 30 * 60_000, run: async () => void (await notifyOf(ctx).deliveries.purgeLog()) }],
});
