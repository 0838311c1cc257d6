import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CiClass } from '@yunwei/contracts/cmdb';
import type { MonitoringOverview } from '@yunwei/contracts/dashboards';
import { waitFor } from '../../../test/peers.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { formatMessageTime } from '../../platform/notify/message-format.js';
import { startReceiver, startSmtp, type TestReceiver, type TestSmtp } from '../../platform/notify/notify.testing.js';
import { notifyOf } from '../notify/runtime.js';
import { NameBook } from './alert-names.js';
import { alertingOf } from './alerts-runtime.js';
import { dispatchSender } from './dispatch-sender.js';
import { Dispatcher } from './dispatcher.js';

const PUBLIC_URL = 'https://ops.example.com/yunwei';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** Text as people read it: link targets (which carry ids on purpose) left out. */
function readable(text: string): string {
  return text.replace(/\]\([^)]*\)/g, ']').replace(/https?:\/\/\S+/g, '');
}

/**
 * Issue 11, "people read names, never ids": a real check fails against a real HTTP service, the
 * evaluator fires, the dispatcher and the delivery worker send through a real HTTP receiver
 * (webhook and DingTalk robot) and a real SMTP server — and every message names the check, the CI,
 * the rule and the business system, links absolutely under YUNWEI_PUBLIC_URL and writes its times
 * with their zone.
 */
describe.skipIf(!databaseAvailable())('alerts and messages name things (issue 11)', () => {
  let t: TestApp;
  let admin: TestSession;
  let receiver: TestReceiver;
  let smtp: TestSmtp;
  let service: Server;
  let healthy = false;
  let dispatcher: Dispatcher;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({ YUNWEI_PUBLIC_URL: `${PUBLIC_URL}/`, YUNWEI_TIME_ZONE: 'Asia/Shanghai' });
    admin = await t.signIn(t.admin);
    receiver = await startReceiver();
    smtp = await startSmtp();
    service = createServer((_req, res) => res.writeHead(healthy ? 200 : 503).end(healthy ? 'ok' : 'down for maintenance'));
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    const port = (service.address() as AddressInfo).port;

    const classes = new Map(((await admin.request('GET', '/api/cmdb/classes')).json as CiClass[]).map((c) => [c.code, c.id]));
    const ci = async (key: string, code: string, name: string) => {
      const res = await admin.request('POST', '/api/cmdb/cis', { classId: classes.get(code), name });
      expect(res.status, res.body).toBe(200);
      ids[key] = res.json.id as string;
    };
    await ci('host', 'server', 'web-01');
    await ci('shop', 'business_system', '网上商城');
    const rel = await admin.request('POST', '/api/cmdb/relations', { sourceId: ids.shop, targetId: ids.host, type: 'depends_on' });
    expect(rel.status, rel.body).toBe(200);

    const check = await admin.request('POST', '/api/checks', { name: '首页 HTTP', type: 'http', ciId: ids.host, intervalSeconds: 60, timeoutMs: 3000, settings: { url: `http://127.0.0.1:${port}/` } });
    expect(check.status, check.body).toBe(200);
    ids.check = check.json.id as string;

    const channel = async (key: string, body: Record<string, unknown>) => {
      const res = await admin.request('POST', '/api/notify/channels', body);
      expect(res.status, res.body).toBe(200);
      ids[key] = res.json.id as string;
    };
    await channel('webhook', { name: '工单系统', type: 'webhook', config: { url: `${receiver.url}/hook` } });
    await channel('dingtalk', { name: '值班钉钉群', type: 'dingtalk', config: { baseUrl: `${receiver.url}/robot`, accessToken: 'robot-token' } });
    await channel('email', { name: '值班邮箱', type: 'email', config: { host: '127.0.0.1', port: smtp.port, security: 'none', from: 'yunwei@example.com', to: ['ops@example.com'] } });
    const esc = await admin.request('POST', '/api/alerting/escalations', { name: '商城值班', steps: [{ afterMinutes: 0, targets: ['webhook', 'dingtalk', 'email'].map((k) => ({ type: 'channel', channelId: ids[k] })) }] });
    expect(esc.status, esc.body).toBe(200);
    // Grouped by CI: the group's label is an id, which the title must say by name.
    const policy = await admin.request('POST', '/api/alerting/policies', { name: '商城', matchers: [{ name: 'team', op: '=', value: 'shop' }], groupBy: ['alertname', 'ci'], groupWaitSeconds: 0, groupIntervalSeconds: 0, escalationPolicyId: esc.json.id });
    expect(policy.status, policy.body).toBe(200);

    dispatcher = new Dispatcher(t.ctx, dispatchSender(t.ctx), { tickMs: 600_000 });
    dispatcher.start();
    notifyOf(t.ctx).start();
  });
  afterAll(async () => {
    await dispatcher?.close();
    await t?.close();
    await receiver?.stop();
    await smtp?.stop();
    await new Promise((resolve) => service?.close(resolve));
  });

  const run = async () => {
    const res = await admin.request('POST', `/api/checks/${ids.check}/run`);
    expect(res.status, res.body).toBe(200);
    return res.json as { status: string; at: number };
  };
  const hooks = () => receiver.requests.filter((r) => r.url === '/hook');
  const robot = () => receiver.requests.filter((r) => r.url.startsWith('/robot'));

  it('[L3-2.1.3] a failing check reaches the webhook, the DingTalk robot and e-mail by the names of the check, CI, rule and business system, with an absolute link and the time zone', async () => {
    const rule = await admin.request('POST', '/api/alerting/rules', {
      name: '商城首页不可用',
      spec: { kind: 'check', checkIds: [ids.check], consecutiveDown: 2 },
      severity: 'critical',
      labels: { team: 'shop' },
      target: { kind: 'business', ciId: ids.shop },
    });
    expect(rule.status, rule.body).toBe(200);

    expect((await run()).status).toBe('down');
    const last = await run();
    expect(last.status).toBe('down');
    await alertingOf(t.ctx).evaluator.cycle(last.at + 1000);

    // The alert: names stored beside the ids, summaries by name.
    const list = await admin.request('GET', '/api/alerting/alerts');
    const alert = (list.json.items as { id: string; state: string; firingAt: number; labels: Record<string, string>; annotations: Record<'zh' | 'en', { summary: string; description: string }> }[]).find((a) => a.labels.rule === rule.json.id)!;
    expect(alert).toMatchObject({ state: 'firing', labels: { ci: ids.host, check: ids.check, ci_name: 'web-01', check_name: '首页 HTTP', business_name: '网上商城' } });
    expect(alert.annotations.zh.summary).toBe('商城首页不可用：检查 web-01 / 首页 HTTP 连续失败');
    expect(alert.annotations.en.description).toBe('Check web-01 / 首页 HTTP (http) is not healthy.');
    const firedAt = formatMessageTime(alert.firingAt, 'Asia/Shanghai');
    expect(firedAt).toMatch(/\(UTC\+08:00\)$/);
    const link = `${PUBLIC_URL}/alerts/${alert.id}`;

    // The webhook: people's text by name, the machine part with the ids.
    const hook = await waitFor(() => hooks()[0], 'the webhook', 10_000, 50);
    expect(hook.json.title).toBe('[告警 1 条] 商城首页不可用 (web-01)');
    for (const text of [hook.json.title, readable(hook.json.text), readable(hook.json.markdown)] as string[]) {
      expect(text).not.toMatch(UUID);
      expect(text).not.toContain('云维');
    }
    expect(hook.json.text).toContain('首页 HTTP');
    expect(hook.json.text).toContain('web-01');
    expect(hook.json.text).toContain('业务系统 网上商城');
    expect(hook.json.text).toContain(`开始于 ${firedAt}`);
    expect(hook.json.text).toContain(`在运维中查看此告警: ${link}`);
    expect(hook.json.markdown).toContain(`| 严重 | [商城首页不可用](${link}) | web-01 / 首页 HTTP · 业务系统 网上商城 | ${firedAt} |`);
    expect(hook.json.url).toBe(link);
    expect(hook.json.data.firing).toEqual([expect.objectContaining({ id: alert.id, url: link, labels: expect.objectContaining({ ci: ids.host, check: ids.check, ci_name: 'web-01' }) })]);
    expect(hook.json.data.groupLabels).toEqual({ alertname: '商城首页不可用', ci: ids.host });
    // The group list (告警分组) names the CI it groups on.
    const groups = (await admin.request('GET', '/api/alerting/groups')).json.items as { labels: Record<string, string>; labelNames: Record<string, string> }[];
    expect(groups.find((g) => g.labels.ci === ids.host)).toMatchObject({ labelNames: { ci: 'web-01' } });

    // DingTalk: the robot's Markdown, by name, with the link once.
    const ding = await waitFor(() => robot()[0], 'the DingTalk robot', 10_000, 50);
    const dingText = ding.json.markdown.text as string;
    expect(ding.json.markdown.title).toBe('[告警 1 条] 商城首页不可用 (web-01)');
    expect(readable(dingText)).not.toMatch(UUID);
    expect(dingText).toContain('web-01 / 首页 HTTP');
    expect(dingText).toContain(firedAt);
    expect(dingText.split(link).length - 1).toBe(2); // the alert's row and the closing link

    // E-mail: subject and text by name, the link absolute (so the HTML part links it).
    const mail = await waitFor(() => smtp.messages[0], 'the e-mail', 10_000, 50);
    expect(mail.mail.subject).toBe('[告警 1 条] 商城首页不可用 (web-01)');
    expect(readable(mail.mail.text ?? '')).not.toMatch(UUID);
    expect(mail.mail.text).toContain('首页 HTTP');
    expect(mail.mail.text).toContain(firedAt);
    expect(mail.mail.html).toContain(`href="${link.replace(/&/g, '&amp;')}"`);

    // Recovered: the same names, the time it recovered, in the same format.
    healthy = true;
    const up = await run();
    expect(up.status).toBe('up');
    await alertingOf(t.ctx).evaluator.cycle(up.at + 1000);
    const resolved = (await admin.request('GET', `/api/alerting/alerts/${alert.id}`)).json as { state: string; resolvedAt: number };
    expect(resolved.state).toBe('resolved');
    const recovery = await waitFor(() => hooks()[1], 'the recovery webhook', 10_000, 50);
    expect(recovery.json.title).toBe('[已恢复 1 条] 商城首页不可用 (web-01)');
    expect(readable(recovery.json.text)).not.toMatch(UUID);
    expect(recovery.json.text).toContain(`- 商城首页不可用 web-01 / 首页 HTTP · 业务系统 网上商城 恢复于 ${formatMessageTime(resolved.resolvedAt, 'Asia/Shanghai')}`);
    expect(recovery.json.url).toBe(link);
    const recoveryMail = await waitFor(() => smtp.messages[1], 'the recovery e-mail', 10_000, 50);
    expect(recoveryMail.mail.subject).toBe('[已恢复 1 条] 商城首页不可用 (web-01)');
  });

  it('a test message says 运维, writes its time with the zone and links under the public URL', async () => {
    const before = hooks().length;
    const res = await admin.request('POST', `/api/notify/channels/${ids.webhook}/test`);
    expect(res.status, res.body).toBe(200);
    expect(res.json.ok).toBe(true);
    const hook = await waitFor(() => hooks()[before], 'the test message', 10_000, 50);
    expect(hook.json.title).toBe('【运维】测试消息：工单系统');
    expect(hook.json.text).toMatch(/时间：\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(UTC\+08:00\)/);
    expect(hook.json.url).toBe(`${PUBLIC_URL}/alerts/channels`);
    expect(hook.json.text).not.toContain('云维');
  });

  it('tells the UI where links point and how times are written; without YUNWEI_PUBLIC_URL it says so', async () => {
    const res = await admin.request('GET', '/api/notify/settings');
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({ publicUrl: PUBLIC_URL, timeZone: 'Asia/Shanghai' });
    expect(res.json.timeExample).toMatch(/\(UTC\+08:00\)$/);

    const other = await createTestApp({ YUNWEI_TIME_ZONE: 'UTC' });
    try {
      const otherAdmin = await other.signIn(other.admin);
      expect((await otherAdmin.request('GET', '/api/notify/settings')).json).toMatchObject({ publicUrl: null, timeZone: 'UTC' });
    } finally {
      await other.close();
    }
  });

  it('the overview names a failing check; a name is kept when what it named is gone', async () => {
    healthy = false;
    await run();
    const overview = (await admin.request('GET', '/api/monitoring/overview')).json as MonitoringOverview;
    const problem = overview.problems.find((p) => p.kind === 'check_down' && p.ciId === ids.host)!;
    expect(problem).toMatchObject({ ciName: 'web-01', subject: 'http 首页 HTTP', checkId: ids.check });

    const book = new NameBook(t.ctx.db);
    const labels = { ci: ids.host!, check: '0190a0a0-0000-7000-8000-000000000000' };
    await book.prepare([{ labels, target: { kind: 'business', ciId: ids.shop! } }], Date.now());
    expect(book.namesOf(labels, { kind: 'business', ciId: ids.shop! }, { check_name: '已删除的检查' })).toEqual({ ci_name: 'web-01', check_name: '已删除的检查', business_name: '网上商城' });
  });

  it('an inspection record names the check it read', async () => {
    const tpl = await admin.request('POST', '/api/inspections/templates', { name: '拨测巡检', scope: { kind: 'class', classCode: 'server' }, items: [{ key: 'http_up', name: 'HTTP 拨测', kind: 'check', checkType: 'http' }] });
    expect(tpl.status, tpl.body).toBe(200);
    const record = await admin.request('POST', '/api/inspections/records', { templateId: tpl.json.id });
    expect(record.status, record.body).toBe(200);
    const results = (await admin.request('GET', `/api/inspections/records/${record.json.id}`)).json.results as { ciName: string; itemKey: string; detail: string }[];
    const row = results.find((r) => r.ciName === 'web-01' && r.itemKey === 'http_up')!;
    expect(row.detail).toBe('check=首页 HTTP: 0');
  });

  it('a rule preview names what it would alert on', async () => {
    const res = await admin.request('POST', '/api/alerting/rules/preview', { name: 'x', spec: { kind: 'check', checkIds: [ids.check], consecutiveDown: 1 }, severity: 'warning', target: { kind: 'all' } });
    expect(res.status, res.body).toBe(200);
    expect(res.json.items[0]).toMatchObject({ object: 'web-01 / 首页 HTTP', labels: { ci_name: 'web-01', check_name: '首页 HTTP' }, severity: 'warning' });
  });
});
