import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInApi, type Api } from './support/api.js';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignInByApi } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * 首页 in the browser, in zh-CN: on an empty install it shows the getting-started checklist with
 * nothing ticked. Then a host's CPU samples arrive and a rule makes a critical alert fire (the evaluator
 * runs every second here): without a reload, the home page counts it under 严重 and names it with its
 * host, and the header's bell count goes up; acknowledging it from the bell's popover takes it off the
 * bell and the home page. English is checked last.
 *
 * The `it` blocks share state and run in order.
 */

const TIMEOUT = 15_000;
const HOST = 'srv-home-01';
const RULE = '主机 CPU 严重过高（首页）';

describe.skipIf(!chromiumAvailable())('home journey (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let api: Api;
  let hostId = '';
  let pusher: ReturnType<typeof setInterval> | undefined;

  const push = (ts = Date.now()) => api('POST', '/api/v1/metrics', { samples: [{ metric: 'host_cpu_usage_percent', labels: { ci: hostId }, ts, value: 97 }] });
  const count = (testId: string) => page.getByTestId(testId).getAttribute('data-count');

  beforeAll(async () => {
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial, YUNWEI_ALERT_EVAL_INTERVAL: '1' });
    journey = await openJourney();
    page = journey.page;
  });

  afterAll(async () => {
    clearInterval(pusher);
    await journey?.close();
    await yw?.stop();
  });

  it('an empty install shows the getting-started checklist, nothing ticked, and a quiet bell', async () => {
    await firstAdminSignInByApi(page, yw.url);
    api = await signedInApi(page, yw.url);
    await page.goto(`${yw.url}/`);
    const checklist = page.getByTestId('home-getting-started');
    await checklist.waitFor();
    for (const step of ['hasHostOrCheck', 'hasChannel', 'hasSentTest', 'hasSeenAlert']) {
      expect(await checklist.getByTestId(`home-getting-started-${step}`).getAttribute('data-done'), step).toBe('false');
    }
    expect(await checklist.innerText()).toContain('添加主机或检查项');
    await checklist.getByRole('link', { name: '通知渠道' }).first().waitFor();
    expect(await count('home-severity-critical')).toBe('0');
    expect(await count('alert-bell-count')).toBe('0');
    for (const card of ['home-problems', 'home-checks-down', 'home-agents-offline', 'home-inspections-due', 'home-coverage-gaps', 'home-oncall']) {
      await page.getByTestId(card).waitFor();
    }
    await screenshot(page, 'home-empty');
  });

  it('a firing alert appears on the home page under 严重 by name and host, and the bell counts it, without a reload', async () => {
    const classes = (await api('GET', '/api/cmdb/classes')) as { id: string; code: string }[];
    hostId = (await api('POST', '/api/cmdb/cis', { classId: classes.find((c) => c.code === 'server')!.id, name: HOST, ip: '10.20.9.7' })).id;
    const now = Date.now();
    for (let s = 60; s > 0; s -= 15) {
      await push(now - s * 1000);
    }
    pusher = setInterval(() => void push().catch((error: unknown) => console.error('push failed', error)), 2000);
    await page.evaluate(() => ((globalThis as unknown as { ywMarker: number }).ywMarker = 11));
    await api('POST', '/api/alerting/rules', {
      name: RULE,
      spec: { kind: 'metric', selector: `host_cpu_usage_percent{ci="${hostId}"}`, reducer: 'last', windowSeconds: 60, op: '>', thresholds: { critical: 90 } },
    });

    await expect.poll(() => count('alert-bell-count'), { timeout: TIMEOUT }).toBe('1');
    await expect.poll(() => count('home-severity-critical'), { timeout: TIMEOUT }).toBe('1');
    expect(await count('home-severity-warning')).toBe('0');
    const problems = page.getByTestId('home-problems');
    expect(await problems.innerText()).toContain(HOST);
    expect(await problems.innerText()).toContain(RULE);
    expect(await problems.innerText()).not.toContain(hostId);
    // The page was not reloaded: the marker set before the alert fired is still there.
    expect(await page.evaluate(() => (globalThis as unknown as { ywMarker?: number }).ywMarker)).toBe(11);
    // The checklist ticks "see an alert".
    expect(await page.getByTestId('home-getting-started-hasSeenAlert').getAttribute('data-done')).toBe('true');
    await screenshot(page, 'home-firing');
  });

  it('acknowledges the alert from the bell: the bell and the home page let it go', async () => {
    const [alert] = (await api('GET', '/api/alerting/alerts?state=firing')).items as { id: string }[];
    await page.getByTestId('alert-bell').click();
    const popover = page.getByTestId('alert-bell-popover');
    await popover.waitFor();
    expect(await popover.innerText()).toContain(HOST);
    await screenshot(page, 'home-bell');
    await popover.getByTestId(`alert-bell-ack-${alert!.id}`).click();
    await expect.poll(() => count('alert-bell-count'), { timeout: TIMEOUT }).toBe('0');
    await expect.poll(() => count('home-severity-critical'), { timeout: TIMEOUT }).toBe('0');
    expect(await count('home-acknowledged')).toBe('1');
    expect((await api('GET', `/api/alerting/alerts/${alert!.id}`)).state).toBe('acknowledged');
    await page.keyboard.press('Escape');
  });

  it('reads in English too', async () => {
    await page.getByTestId('language-switch').getByText('English', { exact: true }).click();
    await page.getByTestId('home-problems').getByText('Problems', { exact: true }).waitFor();
    const text = await page.getByTestId('home-state').innerText();
    for (const label of ['Getting started', 'Checks down', 'Agents offline', 'Inspections to do', 'Monitoring coverage gaps', 'My on-call']) {
      expect(text).toContain(label);
    }
    // Nothing left in Chinese (no names are listed any more: the only alert is acknowledged).
    expect(text).not.toMatch(/[\u4e00-\u9fff]/);
    await screenshot(page, 'home-english');
  });
});
