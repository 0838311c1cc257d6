import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docxText } from '../apps/server/src/platform/documents/docx.testing.js';
import { hostWithSamples, signedInApi, type Api } from './support/api.js';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn, named, signInByApi } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/** Evaluation cycles are 15 s: a few of them and some slack. */
const EVALUATION_TIMEOUT = 90_000;
const VERIFIER = { username: 'zhao.yan', displayName: '赵岩', initial: 'Initial#Verify1', password: 'Yunwei#Verify2024' };
const METRIC = 'yw_e2e_db_connections';

/**
 * One incident's whole life in the browser (zh-CN), on a real server with its evaluator: an alert of a rule with
 * 自动创建故障 opens the incident; the handler starts it, runs the suggested 故障处理方案 step by step and, once the
 * alert has recovered, resolves it; another person verifies it on the evidence and it closes; the 故障分析报告
 * downloaded from the incident carries its timeline.
 */
describe.skipIf(!chromiumAvailable())('incident life cycle journey: alert → incident → runbook → resolve → verify → report (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let api: Api;
  let host = '';
  let incidentId = '';

  beforeAll(async () => {
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    journey = await openJourney();
    page = journey.page;
    page.on('console', (message) => message.type() === 'error' && console.error(`[console] ${message.text()}`));
  });

  afterAll(async () => {
    await journey?.close();
    await yw?.stop();
  });

  /** Pushes the metric now and then until `done` says so (the evaluator reads it every 15 s). */
  const pushUntil = async (value: number, done: () => Promise<boolean>) => {
    const deadline = Date.now() + EVALUATION_TIMEOUT;
    while (Date.now() < deadline) {
      await api('POST', '/api/v1/metrics', { samples: [{ metric: METRIC, labels: { ci: host, agent: 'e2e-agent' }, ts: Date.now(), value }] });
      if (await done()) {
        return;
      }
      await page.waitForTimeout(3_000);
    }
    throw new Error(`the evaluator did not get there within ${EVALUATION_TIMEOUT / 1000} s`);
  };

  it('[L4-2.3.1] an alert of a rule with 自动创建故障 opens an incident on the database server', async () => {
    await firstAdminSignIn(page, yw.url);
    api = await signedInApi(page, yw.url);
    host = await hostWithSamples(api, { name: 'db-node-03' }, () => [{ metric: METRIC, ts: Date.now() - 5_000, value: 980 }]);
    const types = (await api('GET', '/api/incidents/types')) as { id: string; code: string }[];
    const runbook = (await api('POST', '/api/incidents/runbooks', {
      name: '数据库连接数过高处理',
      typeIds: [types.find((x) => x.code === 'hardware.server')!.id],
      ciClasses: ['server'],
      steps: [
        { kind: 'manual', title: '查看连接来源，定位连接泄漏的应用', expected: '找到占用连接最多的应用' },
        { kind: 'manual', title: '重启泄漏连接的应用实例', expected: '连接数回落到 500 以下' },
      ],
    })) as { id: string };
    await api('POST', `/api/incidents/runbooks/${runbook.id}/submit`, {});
    await api('POST', '/api/alerting/rules', {
      name: '数据库连接数过高',
      spec: { kind: 'metric', selector: METRIC, reducer: 'last', windowSeconds: 3600, op: '>', thresholds: { critical: 900 } },
      target: { kind: 'ci', ciId: host },
      incident: { open: true },
    });
    await pushUntil(980, async () => {
      incidentId = ((await api('GET', '/api/incidents?source=alert')) as { items: { id: string }[] }).items[0]?.id ?? '';
      return incidentId !== '';
    });
    await page.goto(`${yw.url}/incidents/${incidentId}`);
    await page.getByTestId('incident-page').waitFor();
    expect(await page.getByTestId('incident-status').innerText()).toBe('新建');
    await page.getByTestId('incident-alerts-card').getByText('数据库连接数过高').first().waitFor();
    expect(await page.getByTestId('incident-cis-card').innerText()).toContain('db-node-03');
  }, 180_000);

  it('[L3-2.3.3] the handler starts it, runs the suggested runbook step by step and resolves it once the alert has recovered', async () => {
    const status = page.getByTestId('incident-status');
    await page.getByTestId('incident-action-start').click();
    await expect.poll(() => status.innerText()).toBe('处理中');

    await page.getByRole('tab', { name: '处理方案' }).click();
    const tab = page.getByTestId('incident-runbooks-tab');
    await tab.getByTestId('runbook-suggestions').getByText('数据库连接数过高处理').waitFor();
    await tab.locator('[data-testid^="runbook-start-"]').first().click();
    await tab.getByTestId('runbook-step-0-note').fill('订单服务占用 870 个连接');
    await tab.getByTestId('runbook-step-0-done').click();
    await tab.getByTestId('runbook-step-1-note').fill('已重启订单服务两个实例');
    await tab.getByTestId('runbook-step-1-done').click();
    await tab.locator('[data-testid^="runbook-run-"] .ant-card-head .ant-tag', { hasText: '已完成' }).waitFor();
    await screenshot(page, 'incident-lifecycle-runbook');

    // The connections come down: the alert resolves, and the incident says so.
    await pushUntil(120, async () => ((await api('GET', `/api/incidents/${incidentId}/alerts`)) as { allResolved: boolean }).allResolved);
    await page.getByRole('tab', { name: '概况' }).click();
    await page.getByTestId('incident-action-resolve').click();
    const resolve = page.getByTestId('incident-transition');
    await resolve.getByTestId('incident-transition-note').fill('重启订单服务后连接数回落到 120，告警已恢复');
    await resolve.getByRole('button', { name: named('解决') }).click();
    await expect.poll(() => status.innerText()).toBe('已解决');
  }, 180_000);

  it('[L4-2.3.2] another person verifies it on the evidence and it closes', async () => {
    const roles = (await api('GET', '/api/roles?limit=100')) as { items: { id: string; kind: string; builtin: boolean }[] };
    const operator = roles.items.find((r) => r.builtin && r.kind === 'operator')!;
    const user = (await api('POST', '/api/users', { username: VERIFIER.username, displayName: VERIFIER.displayName, password: VERIFIER.initial })) as { id: string };
    await api('PUT', `/api/users/${user.id}/roles`, { assignments: [{ roleId: operator.id, orgUnitIds: null }] });
    const verifier = await journey.newPage();
    await signInByApi(verifier, yw.url, VERIFIER.username, VERIFIER.initial, VERIFIER.password);
    await verifier.goto(`${yw.url}/incidents/${incidentId}`);
    const card = verifier.getByTestId('incident-verification');
    await card.getByText('证据齐全').waitFor();
    await card.getByTestId('verify-pass').click();
    await verifier.getByTestId('verify-note').fill('下单与查询均正常，连接数稳定');
    await verifier.getByTestId('verify-submit').click();
    await expect.poll(() => verifier.getByTestId('incident-status').innerText()).toBe('已关闭');
    await card.getByText(VERIFIER.displayName).waitFor();
    await screenshot(verifier, 'incident-lifecycle-verified');
  }, 120_000);

  it('[L2-2.3.1] the 故障分析报告 downloaded from the incident carries its timeline', async () => {
    await page.reload();
    await page.getByRole('tab', { name: '分析报告' }).click();
    const download = page.waitForEvent('download');
    await page.getByTestId('incident-analysis-download').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.docx$/);
    const text = await docxText(await readFile(await file.path()));
    const incident = (await api('GET', `/api/incidents/${incidentId}`)) as { number: string };
    for (const expected of [incident.number, 'db-node-03', '开始处理 → 处理中', '解决 → 已解决', '关闭 → 已关闭', '重启订单服务后连接数回落到 120', '数据库连接数过高处理']) {
      expect(text, expected).toContain(expected);
    }
  }, 120_000);
});
