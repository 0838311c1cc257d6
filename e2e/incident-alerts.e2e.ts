import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostWithSamples, signedInApi, type Api } from './support/api.js';
import { chooseOption, chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/** Two evaluation cycles (15 s each) and some slack. */
const FIRE_TIMEOUT = 90_000;

/**
 * 告警 → 故障 in the browser (zh-CN): a rule whose form shows 自动创建故障 switched on fires on a real server (its
 * evaluator, 15 s cycles); the incident it opened shows the linked alert (关联告警) and the suggested type with its
 * reason; the handler confirms another type and nature, and the activity says so.
 */
describe.skipIf(!chromiumAvailable())('alert → incident journey (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let api: Api;

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

  it('[L4-2.3.1] an alert of a rule with 自动创建故障 opens an incident shown with its linked alert; the handler confirms the type (L3-2.3.1)', async () => {
    await firstAdminSignIn(page, yw.url);
    api = await signedInApi(page, yw.url);
    const now = Date.now();
    const host = await hostWithSamples(api, { name: 'web-frontend-01' }, () => [{ metric: 'yw_e2e_conn', ts: now - 5_000, value: 950 }]);
    const rule = (await api('POST', '/api/alerting/rules', {
      name: '前端连接数过高',
      spec: { kind: 'metric', selector: 'yw_e2e_conn', reducer: 'last', windowSeconds: 3600, op: '>', thresholds: { critical: 900 } },
      target: { kind: 'ci', ciId: host },
      incident: { open: true },
    })) as { id: string };

    // The rule form shows the option.
    await page.goto(`${yw.url}/alerts/rules?rule=${rule.id}`);
    const form = page.getByTestId('rule-form');
    await form.waitFor();
    expect(await form.getByTestId('rule-incident-open').getAttribute('aria-checked')).toBe('true');
    await form.getByTestId('rule-incident-type').waitFor();
    await screenshot(page, 'incident-alerts-rule-form');
    await page.keyboard.press('Escape');

    // The evaluator fires the alert; the incident appears.
    let incidentId = '';
    const deadline = Date.now() + FIRE_TIMEOUT;
    while (!incidentId && Date.now() < deadline) {
      await api('POST', '/api/v1/metrics', { samples: [{ metric: 'yw_e2e_conn', labels: { ci: host, agent: 'e2e-agent' }, ts: Date.now(), value: 960 }] });
      const list = (await api('GET', '/api/incidents?source=alert')) as { items: { id: string }[] };
      incidentId = list.items[0]?.id ?? '';
      if (!incidentId) {
        await page.waitForTimeout(3_000);
      }
    }
    expect(incidentId, 'an incident opened by the alert').not.toBe('');

    await page.goto(`${yw.url}/incidents/${incidentId}`);
    await page.getByTestId('incident-page').waitFor();
    const card = page.getByTestId('incident-alerts-card');
    await card.waitFor();
    expect(await card.innerText()).toContain('前端连接数过高');
    expect(await card.innerText()).toContain('web-frontend-01');
    const suggested = page.getByTestId('incident-suggested-type');
    await suggested.waitFor();
    expect(await suggested.innerText()).toBe('建议类型：硬件 / 服务器（依据：配置项类别 server）');

    await chooseOption(page, 'incident-classify-nature', '容量不足');
    await page.getByTestId('incident-classify-confirm').click();
    await page.getByText('已确认故障分类').waitFor();
    await page.getByText('确认故障类型：硬件 / 服务器；故障性质：容量不足').waitFor();
    await screenshot(page, 'incident-alerts-detail');
  }, 180_000);
});
