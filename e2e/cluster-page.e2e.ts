import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * 平台管理 › 集群节点, in zh-CN: the system administrator opens it from the menu and sees the one node of
 * a SQLite server — this node, online, holding the three singleton jobs — and the note that SQLite is
 * one node; after a restart on the same database the old process is listed as stopped, below the new
 * one, and on a phone the nodes read as cards.
 * `YUNWEI_CLUSTER_SCREENSHOT=/path.png` also saves the 1440 px page there.
 *
 * The `it` blocks share state and run in order.
 */

const TIMEOUT = 15_000;

describe.skipIf(!chromiumAvailable())('cluster nodes page (browser)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'yw-e2e-cluster-'));
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;

  beforeAll(async () => {
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial }, { dataDir });
    journey = await openJourney();
    page = journey.page;
    page.on('console', (message) => message.type() === 'error' && console.error(`[console] ${message.text()}`));
  });

  afterAll(async () => {
    await journey?.close();
    await yw?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the administrator opens 集群节点 from the menu: one node, this one, online, holding the three singleton jobs; SQLite is one node', async () => {
    await firstAdminSignIn(page, yw.url);
    await page.getByTestId('side-menu').getByText('集群节点', { exact: true }).click();
    await page.waitForURL('**/platform/cluster');
    const table = page.getByTestId('cluster-table');
    const rows = table.locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    const row = rows.first();
    await row.getByTestId('cluster-self').getByText('本节点').waitFor();
    await row.getByTestId('cluster-status-online').getByText('在线').waitFor();
    // The jobs start as the server starts; the page re-reads every 5 s.
    const leases = row.getByTestId('cluster-leases');
    for (const name of ['告警评估', '通知派发', '定时任务']) {
      await leases.getByText(name, { exact: true }).waitFor();
    }
    expect(await page.getByTestId('cluster-database').innerText()).toContain('单节点（SQLite）：要运行多个节点，请使用 PostgreSQL');
    // The heartbeat is seconds old.
    expect(await row.locator('td').nth(5).innerText()).toMatch(/^\d+ 秒前$/);
    // The sign-in toasts are gone before the picture is taken.
    await expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: TIMEOUT }).toBe(0);
    await screenshot(page, 'cluster-nodes');
    if (process.env.YUNWEI_CLUSTER_SCREENSHOT) {
      await page.screenshot({ path: process.env.YUNWEI_CLUSTER_SCREENSHOT, fullPage: true });
    }
  });

  it('after a restart on the same database the old process is listed as stopped, below the new one', async () => {
    // Off the page first: its live connection would only report the server going away.
    await page.goto('about:blank');
    await yw.stop();
    yw = await startYunwei({}, { dataDir });
    // The session lives in the database and the cookie is the host's: still signed in.
    await page.goto(`${yw.url}/platform/cluster`);
    const rows = page.getByTestId('cluster-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count(), { timeout: TIMEOUT }).toBe(2);
    await rows.nth(0).getByTestId('cluster-self').waitFor();
    await rows.nth(0).getByTestId('cluster-status-online').waitFor();
    await rows.nth(1).getByTestId('cluster-status-stopped').getByText('已停止').waitFor();
    // A stopped node holds nothing: its jobs moved to the new one.
    expect(await rows.nth(1).getByTestId('cluster-leases').count()).toBe(0);
    await rows.nth(0).getByTestId('cluster-leases').getByText('定时任务', { exact: true }).waitFor();
  });

  it('on a phone the nodes are cards', async () => {
    const small = await journey.newPage({ viewport: { width: 390, height: 844 }, storageState: await journey.context.storageState() });
    try {
      await small.goto(`${yw.url}/platform/cluster`);
      const cards = small.getByTestId('cluster-table').getByTestId('row-card');
      await expect.poll(() => cards.count(), { timeout: TIMEOUT }).toBe(2);
      // The loading veil fades out before the picture is taken.
      await expect.poll(() => small.locator('.ant-spin-spinning, .ant-spin-blur').count(), { timeout: TIMEOUT }).toBe(0);
      await cards.first().getByText('本节点').waitFor();
      await cards.first().getByText('在线').waitFor();
      await cards.nth(1).getByText('已停止').waitFor();
      expect(await small.evaluate(() => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).innerWidth)).toBeLessThanOrEqual(0);
      await screenshot(small, 'cluster-nodes-phone');
    } finally {
      await small.context().close();
    }
  });
});
