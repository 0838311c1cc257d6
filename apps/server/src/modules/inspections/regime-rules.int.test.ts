import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitoringRegime } from '@yunwei/contracts/inspections';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { docxText } from '../../platform/documents/docx.testing.js';

describe.skipIf(!databaseAvailable())('the monitoring regime and the rules of its class', () => {
  let t: TestApp;
  let admin: TestSession;
  const classRules = ['主机 CPU 过高', '主机内存不足', '主机磁盘将满', '主机 HTTP 拨测失败'];

  const ok = async (url: string, body: unknown) => {
    const res = await admin.request('POST', url, body);
    expect(res.status, `${url}: ${res.body}`).toBe(200);
    return res.json;
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    const classes = (await admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    const classId = (code: string) => classes.find((c) => c.code === code)!.id;
    const web = (await ok('/api/cmdb/cis', { classId: classId('server'), name: 'web-01' })).id as string;
    const db = (await ok('/api/cmdb/cis', { classId: classId('database'), name: 'orders-db' })).id as string;
    await ok('/api/v1/metrics', {
      samples: ['host_cpu_usage_percent', 'host_memory_usage_percent', 'host_fs_usage_percent'].map((metric) => ({ metric, labels: { ci: web }, value: 10 })).concat([{ metric: 'db_connections', labels: { ci: db }, value: 1 }]),
    });
    // The policy names two metrics; the class has rules on those, on a metric it does not name, and a check rule.
    await ok('/api/inspections/policies', {
      name: '主机日常监控',
      scope: { kind: 'class', classCode: 'server' },
      metrics: [
        { metric: 'host_cpu_usage_percent', maxIntervalSeconds: 60 },
        { metric: 'host_memory_usage_percent', maxIntervalSeconds: 60 },
      ],
      checks: [],
      inspections: [],
      responsibleRole: 'operator',
    });
    const metricRule = (name: string, selector: string, warning: number) => ({
      name,
      spec: { kind: 'metric', selector, reducer: 'avg', windowSeconds: 300, op: '>', thresholds: { warning } },
      target: { kind: 'class', classId: classId('server') },
    });
    await ok('/api/alerting/rules', metricRule(classRules[0]!, 'host_cpu_usage_percent', 80));
    await ok('/api/alerting/rules', metricRule(classRules[1]!, 'host_memory_usage_percent', 85));
    await ok('/api/alerting/rules', metricRule(classRules[2]!, 'host_fs_usage_percent', 90));
    await ok('/api/alerting/rules', { name: classRules[3], spec: { kind: 'check', checkType: 'http', consecutiveDown: 3 }, target: { kind: 'class', classId: classId('server') } });
    // Another class's rule is not part of this regime.
    await ok('/api/alerting/rules', { ...metricRule('数据库连接数过高', 'db_connections', 500), target: { kind: 'class', classId: classId('database') } });
  });
  afterAll(() => t?.close());

  it('[L1-2.1.1] the written regime lists every alert rule of the policy’s class (on its metrics, on other metrics, check rules) and no rule of another class', async () => {
    const shown = await admin.request('GET', '/api/inspections/regime', undefined, { 'accept-language': 'zh-CN' });
    expect(shown.status, shown.body).toBe(200);
    const regime = JSON.stringify((shown.json as MonitoringRegime).document);
    const res = await t.app.inject({ method: 'GET', url: '/api/inspections/regime.docx', cookies: { yw_session: admin.cookie }, headers: { 'accept-language': 'zh-CN' } });
    expect(res.statusCode, res.body).toBe(200);
    const text = await docxText(res.rawPayload);
    for (const name of classRules) {
      expect(regime).toContain(name);
      expect(text).toContain(name);
    }
    // The rules on the policy's metrics stand in their rows with their thresholds; the others are listed after.
    const lines = text.split('\n');
    const row = (first: string) => lines.slice(lines.indexOf(first), lines.indexOf(first) + 5);
    expect(row('host_cpu_usage_percent')[4]).toBe('主机 CPU 过高');
    expect(row('host_memory_usage_percent')[4]).toBe('主机内存不足');
    expect(text).toContain('适用于这些对象的其它告警规则：');
    expect(text).toMatch(/主机磁盘将满：host_fs_usage_percent 在 5 分钟 内的 avg > 90/);
    expect(text).not.toContain('数据库连接数过高');
  });
});
