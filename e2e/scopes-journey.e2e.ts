import { createServer, type Server } from 'node:http';
import type net from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInApi, type Api } from './support/api.js';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * Org units in the forms that now need one, in zh-CN: a check without a CI gets its unit from the
 * org-unit picker (and the list shows it), and an enrolment token names the unit its host CI goes in.
 *
 * The `it` blocks share state and run in order.
 */

const UNIT = '华东分公司';

describe.skipIf(!chromiumAvailable())('org-unit scopes journey (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let service: Server;
  let serviceUrl = '';
  let api: Api;

  /** Picks the unit in the org-unit picker of the form item with this id. */
  async function pickUnit(fieldId: string): Promise<void> {
    await page.locator(`#${fieldId}`).click();
    await page.locator('.ant-select-tree').getByText(UNIT, { exact: true }).click();
  }

  beforeAll(async () => {
    service = createServer((_req, res) => res.writeHead(200).end('ok'));
    await new Promise<void>((r) => service.listen(0, '127.0.0.1', r));
    serviceUrl = `http://127.0.0.1:${(service.address() as net.AddressInfo).port}/`;
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    journey = await openJourney();
    page = journey.page;
  });

  afterAll(async () => {
    await journey?.close();
    await yw?.stop();
    await new Promise((r) => service?.close(r));
  });

  it('admin signs in; an org unit exists', async () => {
    await firstAdminSignIn(page, yw.url);
    api = await signedInApi(page, yw.url);
    await api('POST', '/api/org-units', { name: UNIT });
  });

  it('a check without a CI takes its org unit from the picker, and the list shows it', async () => {
    await page.getByTestId('nav-checks').click();
    await page.getByTestId('checks-page').waitFor();
    await page.getByTestId('create-check').click();
    const drawer = page.getByTestId('check-form');
    await drawer.getByTestId('check-name').fill('分公司门户检查');
    await drawer.getByTestId('check-settings-url').fill(serviceUrl);
    await drawer.getByText('所属机构').waitFor();
    await pickUnit('check-form_orgUnitId');
    await page.waitForTimeout(300); // the dropdown closes
    await screenshot(page, 'scopes-check-form');
    await drawer.getByTestId('check-form-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    const row = page.getByTestId('checks-table').locator('tr.ant-table-row').filter({ hasText: '分公司门户检查' });
    await row.getByText(UNIT).waitFor();
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
    await screenshot(page, 'scopes-check-list');
    const checks = await api('GET', '/api/checks');
    expect(checks.items[0]).toMatchObject({ name: '分公司门户检查', orgUnitName: UNIT, ciId: null });
  });

  it('an enrolment token names the org unit its host CI is created in', async () => {
    await page.goto(`${yw.url}/monitoring/agents`);
    await page.getByTestId('agents-page').waitFor();
    await page.getByTestId('create-enrolment-token').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '所属机构' });
    await modal.locator('#enrolment-token-form_name').fill('华东机房');
    await pickUnit('enrolment-token-form_orgUnitId');
    await page.waitForTimeout(300);
    await screenshot(page, 'scopes-token-form');
    await modal.getByRole('button', { name: /生成令牌/ }).click();
    await modal.waitFor({ state: 'hidden' });
    const tokens = await api('GET', '/api/agents/enrolment-tokens');
    expect(tokens.items[0]).toMatchObject({ name: '华东机房', orgUnitName: UNIT });
    await page.keyboard.press('Escape'); // the one-time secret
    await page.getByTestId('enrolment-tokens-table').getByText(UNIT).waitFor();
    await page.waitForTimeout(400);
    await screenshot(page, 'scopes-token-list');
  });
});
