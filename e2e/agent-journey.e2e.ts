import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_FLAGS } from '../apps/agent/src/systemd.ts';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn, named } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * Enrolling a host in the browser, in zh-CN: the administrator creates a one-time enrolment token on
 * the 主机代理 page, copies the enrol command of the manual steps it shows beside the one-line install
 * (which agent-install.int.test.ts runs), and the real `yunwei-agent` runs it on this
 * machine, then runs at a 1 s interval; the agent appears online with its host CI, the token is used,
 * and the CI link opens the host's monitoring page.
 *
 * The `it` blocks share state and run in order.
 */

const AGENT_BIN = path.resolve(import.meta.dirname, '../apps/agent/bin/yunwei-agent.mjs');

describe.skipIf(!chromiumAvailable())('agent journey (browser + the real agent)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let agent: ChildProcess | null = null;
  let agentLog = '';
  let command = '';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'yw-agent-e2e-'));

  function agentCli(args: string[]): ChildProcess {
    const child = spawn(process.execPath, [...NODE_FLAGS, AGENT_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (agentLog += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (agentLog += d.toString()));
    return child;
  }

  const agentRow = () => page.getByTestId('agents-table').locator('tr.ant-table-row').filter({ hasText: os.hostname() });

  beforeAll(async () => {
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    journey = await openJourney();
    page = journey.page;
  });

  afterAll(async () => {
    if (agent && agent.exitCode === null) {
      agent.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      agent.kill('SIGKILL');
    }
    await journey?.close();
    await yw?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('admin signs in and creates a one-time enrolment token; the page shows the exact enrol command once', async () => {
    await firstAdminSignIn(page, yw.url);

    await page.getByTestId('nav-agents').click();
    await page.getByTestId('agents-page').waitFor();
    await page.getByText('还没有注册的主机代理').waitFor();
    // The empty list says what to do first and offers it.
    await page.getByTestId('agents-table').getByTestId('create-enrolment-token-empty').waitFor();
    await page.getByTestId('create-enrolment-token').click();
    const modal = page.getByRole('dialog').filter({ hasText: '新建一次性注册令牌' });
    await modal.getByLabel('名称').fill('本机');
    await modal.getByRole('button', { name: named('生成令牌') }).click();

    const shown = page.getByRole('dialog').filter({ hasText: '已生成' });
    const server = yw.url.replace(/[.]/g, '\\.');
    // The one-line install first, the manual steps beside it; both carry the same token.
    const install = (await shown.getByTestId('install-command').innerText()).trim();
    expect(install).toMatch(new RegExp(`^curl -fsSL ${server}/agent/install\\.sh \\| sh -s -- --token ywe_\\S+$`));
    command = (await shown.getByTestId('enrol-command').innerText()).trim();
    expect(command).toMatch(new RegExp(`^node /opt/yunwei-agent/lib/yunwei-agent\\.mjs enroll --server ${server} --token ywe_\\S+$`));
    expect(install.split(' ').pop()).toBe(command.split(' ').pop());
    await page.waitForTimeout(500); // the modal's opening animation
    await screenshot(page, 'agent-token-created');
    await shown.getByRole('button', { name: named('我已复制') }).click();
    await shown.waitFor({ state: 'hidden' });
    await page.getByTestId('enrolment-tokens-table').getByText('可用').waitFor();
  });

  it('the real agent enrols with the copied command and runs; it appears online with its host CI', async () => {
    const args = command.split(' ').slice(2); // enroll --server URL --token T
    const enroll = agentCli([...args, '--config', path.join(dir, 'config.json'), '--state-dir', path.join(dir, 'state')]);
    expect(await new Promise((resolve) => enroll.once('exit', resolve)), agentLog).toBe(0);
    agent = agentCli(['run', '--config', path.join(dir, 'config.json'), '--interval', '1', '--inventory-check', '2']);

    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: named('刷新') }).click();
          return (await agentRow().count()) > 0 ? agentRow().innerText() : '';
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toContain('在线');
    await page.getByTestId('enrolment-tokens-table').getByText('已使用').waitFor();
    // The inventory has arrived: the host CI carries the kernel in its OS.
    await expect
      .poll(
        async () => {
          const res = await page.request.get(`${yw.url}/api/agents`);
          const item = ((await res.json()) as { items: { hostname: string; lastInventoryAt: number | null; os: string }[] }).items[0];
          return item?.lastInventoryAt ? item.os : '';
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toContain(os.release());
    await page.getByRole('button', { name: named('刷新') }).click();
    await agentRow().getByText(os.release(), { exact: false }).waitFor();
    await screenshot(page, 'agents');
  }, 60_000);

  it('the agent list is filtered through the URL: a filtered link survives a reload, and "nothing matches" offers to clear the filters', async () => {
    const table = page.getByTestId('agents-table');
    await page.getByTestId('filter-status').click();
    await page.locator('.ant-select-dropdown:visible').getByText('离线', { exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'offline');
    await table.getByTestId('list-no-match').waitFor();
    expect(await agentRow().count()).toBe(0);

    await page.reload();
    await table.getByTestId('list-no-match').waitFor();
    expect(await page.getByTestId('filter-status').innerText()).toContain('离线');
    // Not the "no agent yet" state: the agent exists, the filter hides it.
    expect(await table.getByText('还没有注册的主机代理').count()).toBe(0);
    await table.getByTestId('list-clear-filters').click();
    await agentRow().waitFor();
    expect(new URL(page.url()).searchParams.has('status')).toBe(false);

    // A link with a search (any case) and a status opens the list filtered the same way.
    const name = os.hostname().toUpperCase();
    await page.goto(`${yw.url}/monitoring/agents?q=${encodeURIComponent(name)}&status=online`);
    await agentRow().waitFor();
    const search = page.getByTestId('filter-q').locator('input');
    expect(await search.inputValue()).toBe(name);
    await search.fill('no-such-host');
    await table.getByTestId('list-no-match').waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('no-such-host');
    await table.getByTestId('list-clear-filters').click();
    await agentRow().waitFor();
    expect(new URL(page.url()).search).toBe('');
  });

  it("[L4-2.1.2] the agent's host CI links to the host's monitoring page, whose live CPU chart grows with the agent's samples", async () => {
    await agentRow().getByRole('link', { name: os.hostname() }).click();
    await page.waitForURL('**/monitoring/hosts/*');
    const ciId = new URL(page.url()).pathname.split('/').pop()!;
    const ci = await (await page.request.get(`${yw.url}/api/cmdb/cis/${ciId}`)).json();
    expect(ci).toMatchObject({ name: os.hostname(), classCode: 'server' });
    expect(ci.attributes.os).toContain(os.release());
    await page.getByTestId('host-page').waitFor();
    // The agent's own samples draw the CPU chart, and it keeps growing over the live socket (no reload).
    const points = async () => Number(await page.getByTestId('chart-cpu').getAttribute('data-points'));
    await expect.poll(points, { timeout: 15_000 }).toBeGreaterThan(0);
    const before = await points();
    await expect.poll(points, { timeout: 15_000 }).toBeGreaterThanOrEqual(before + 2);
    await screenshot(page, 'agent-host');
  });
});
