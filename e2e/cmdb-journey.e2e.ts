import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInApi, type Api } from './support/api.js';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn, named } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * The CMDB in the browser, in zh-CN: an administrator downloads the server class's import template,
 * fills it (three good rows and one bad one), uploads it and reads the per-row report naming the bad
 * row while the good rows land in the list; then builds a small graph (an application on a redundant
 * pair of VMs, a database, a business system) and reads the impact graph — a host failing, a
 * simulated double failure breaking the redundancy group, 受影响的业务系统 naming 网上营业厅.
 *
 * The `it` blocks share state and run in order.
 */

const GOOD = ['srv-web-01', 'srv-web-02', 'srv-db-01'];
const BAD = 'srv-bad-01';

/** A table row (within `root`) holding a cell whose text is exactly `text`. */
function row(root: Page | Locator, text: string): Locator {
  const page = 'page' in root ? root.page() : root;
  return root.locator('.ant-table-tbody tr.ant-table-row').filter({ has: page.getByText(text, { exact: true }) });
}

describe.skipIf(!chromiumAvailable())('CMDB journey (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let work: string;
  let api: Api;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'yw-cmdb-e2e-'));
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    journey = await openJourney({ acceptDownloads: true });
    page = journey.page;
    page.on('console', (message) => message.type() === 'error' && console.error(`[console] ${message.text()}`));
  });

  afterAll(async () => {
    await journey?.close();
    await yw?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('admin signs in (first sign-in: new password and MFA) and opens 配置项 — empty, with a hint', async () => {
    await firstAdminSignIn(page, yw.url);
    api = await signedInApi(page, yw.url);

    await page.getByTestId('nav-cmdbCis').click();
    await page.getByTestId('ci-list-page').waitFor();
    await page.getByText('还没有配置项').waitFor();
    await screenshot(page, 'cmdb-list-empty');
  });

  it('downloads the 服务器/主机 template, uploads it with three good rows and one bad row, and reads the per-row report', async () => {
    await page.getByTestId('ci-import').click();
    const drawer = page.getByTestId('import-drawer');
    await drawer.waitFor();
    await drawer.getByTestId('import-class').click();
    await page.locator('.ant-select-dropdown:visible').getByText('服务器/主机', { exact: true }).click();

    const [download] = await Promise.all([page.waitForEvent('download'), drawer.getByTestId('import-template').click()]);
    expect(download.suggestedFilename()).toBe('cmdb-template-server.xlsx');
    const templatePath = path.join(work, 'template.xlsx');
    await download.saveAs(templatePath);

    // Fill the template as an administrator would: keep the header, overwrite the example row.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(templatePath);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['导入数据', '填写说明']);
    const sheet = workbook.getWorksheet('导入数据')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const column = (key: string) => header.findIndex((h) => h.endsWith(`(${key})`)) + 1;
    expect(column('name')).toBeGreaterThan(0);
    expect(column('cpu_cores')).toBeGreaterThan(0);
    const rows: Record<string, string | number>[] = [
      { name: GOOD[0]!, status: 'active', ip: '10.10.1.11', hostname: 'srv-web-01.dc.local', cpu_cores: 16, memory_gb: 64, os: 'Kylin V10' },
      { name: GOOD[1]!, status: '在用', ip: '10.10.1.12', hostname: 'srv-web-02.dc.local', cpu_cores: 16, memory_gb: 64, os: 'Kylin V10' },
      { name: BAD, status: 'active', ip: '10.10.1.300', cpu_cores: '十六核' }, // row 4: an impossible IP and a CPU count that is not a number
      { name: GOOD[2]!, status: 'maintenance', ip: '10.10.2.21', hostname: 'srv-db-01.dc.local', cpu_cores: 32, memory_gb: 256, os: 'openEuler 22.03' },
    ];
    rows.forEach((values, i) => {
      const r = sheet.getRow(i + 2);
      r.eachCell((cell) => (cell.value = null));
      for (const [key, value] of Object.entries(values)) {
        r.getCell(column(key)).value = value;
      }
      r.commit();
    });
    const filled = path.join(work, '服务器台账.xlsx');
    await workbook.xlsx.writeFile(filled);

    await drawer.locator('input[type=file]').setInputFiles(filled);
    const report = drawer.getByTestId('import-report');
    await report.waitFor();
    await report.getByText('已导入 3 行，1 行有错误未导入', { exact: false }).waitFor();
    const failed = report.getByTestId('import-failed-rows');
    const failedText = await failed.innerText();
    expect(failedText).toContain('第 4 行');
    expect(failedText).toContain('IP 地址 (ip)');
    expect(failedText).toContain('CPU 核数 (cpu_cores)');
    expect(failedText).not.toContain('第 2 行');
    await screenshot(page, 'cmdb-import-report');

    // The report downloads as a CSV listing every row.
    const [csv] = await Promise.all([page.waitForEvent('download'), report.getByTestId('import-report-download').click()]);
    expect(csv.suggestedFilename()).toBe('服务器台账-导入结果.csv');

    await report.getByRole('button', { name: named('在列表中查看该类别') }).click();
    await drawer.waitFor({ state: 'hidden' });
    for (const name of GOOD) {
      await row(page, name).waitFor();
    }
    expect(await row(page, BAD).count()).toBe(0);
    expect(await page.getByText('共 3 条').count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('classId')).toBeTruthy();
    await screenshot(page, 'cmdb-list');
  });

  it('[L3-2.3.2] builds a graph with a redundancy group and a business system, and the impact graph names 网上营业厅', async () => {
    const classes = new Map(((await api('GET', '/api/cmdb/classes')) as { code: string; id: string }[]).map((c) => [c.code, c.id]));
    for (const ci of (await api('GET', '/api/cmdb/cis?limit=50')).items as { id: string; name: string }[]) {
      ids.set(ci.name, ci.id);
    }
    const ci = async (name: string, cls: string, extra: Record<string, unknown> = {}) => ids.set(name, (await api('POST', '/api/cmdb/cis', { classId: classes.get(cls), name, ...extra })).id);
    await ci('网上营业厅', 'business_system', { attributes: { importance: 'core' } });
    await ci('网厅应用服务', 'application', { attributes: { version: '3.2.1' } });
    await ci('web-vm-01', 'vm', { ip: '10.10.3.1' });
    await ci('web-vm-02', 'vm', { ip: '10.10.3.2' });
    await ci('网厅数据库', 'database', { attributes: { engine: 'postgresql', port: 5432 } });
    const group = (await api('POST', '/api/cmdb/groups', { name: '网厅 Web 集群', minUp: 1, memberIds: [ids.get('web-vm-01'), ids.get('web-vm-02')] })).id as string;
    const relate = (source: string, type: string, target: string, extra: Record<string, unknown> = {}) =>
      api('POST', '/api/cmdb/relations', { sourceId: ids.get(source), targetId: ids.get(target) ?? group, type, ...extra });
    await relate('网上营业厅', 'contains', '网厅应用服务');
    await relate('网厅应用服务', 'runs_on', '网厅 Web 集群', { targetKind: 'group' });
    await relate('网厅应用服务', 'depends_on', '网厅数据库');
    await relate('web-vm-01', 'hosted_on', 'srv-web-01');
    await relate('web-vm-02', 'hosted_on', 'srv-web-02');
    await relate('网厅数据库', 'hosted_on', 'srv-db-01');

    // The database host: nothing redundant on the way, so the business system is impacted.
    await page.goto(`${yw.url}/cmdb/cis/${ids.get('srv-db-01')}`);
    await page.getByTestId('ci-detail-page').waitFor();
    await page.getByTestId('ci-basics').getByText('10.10.2.21').waitFor();
    await page.getByTestId('ci-monitoring').waitFor();
    await screenshot(page, 'cmdb-detail');
    await page.getByTestId('tab-impact').click();
    const systems = page.getByTestId('impact-business-systems');
    await systems.getByText('网上营业厅', { exact: true }).waitFor();
    await expect.poll(() => page.getByTestId('impact-graph').getAttribute('data-nodes')).toBe('4');
    expect(await page.getByTestId('impact-graph').getAttribute('data-business-systems')).toBe('网上营业厅');
    expect(await systems.innerText()).toContain('srv-db-01 → 网厅数据库 → 网厅应用服务 → 网上营业厅');
    await page.waitForTimeout(500); // the graph's entry animation
    await screenshot(page, 'cmdb-impact-db-host');

    // One web host: its VM fails, but the cluster needs only one member up — no business system impacted.
    await page.goto(`${yw.url}/cmdb/cis/${ids.get('srv-web-01')}?tab=impact`);
    await page.getByTestId('impact-panel').waitFor();
    await page.getByTestId('impact-business-systems').getByText('没有业务系统受影响').waitFor();
    await page.getByText('降级', { exact: true }).waitFor();

    // Simulate the second web host failing too (?failed=): the cluster is down, 网上营业厅 is named.
    await page.goto(`${yw.url}/cmdb/cis/${ids.get('srv-web-01')}?tab=impact&failed=${ids.get('srv-web-02')}`);
    await page.getByTestId('impact-business-systems').getByText('网上营业厅', { exact: true }).waitFor();
    await page.getByTestId('impact-failed').getByText('srv-web-02').waitFor();
    await page.getByText('故障', { exact: true }).first().waitFor();
    await expect.poll(() => page.getByTestId('impact-graph').getAttribute('data-business-systems')).toBe('网上营业厅');
    await page.waitForTimeout(500);
    await screenshot(page, 'cmdb-impact-simulated');

    // The business system's own view: what it depends on, down to the hosts.
    await page.goto(`${yw.url}/cmdb/cis/${ids.get('网上营业厅')}?view=dependencies`);
    await page.getByTestId('impact-panel').waitFor();
    await page.getByText('依赖项（8）').waitFor();
    await page.waitForTimeout(500);
    await screenshot(page, 'cmdb-dependencies');

    // The list names, per CI, the business systems relying on it; and filters by one.
    await page.goto(`${yw.url}/cmdb/cis?businessSystemId=${ids.get('网上营业厅')}`);
    await page.getByTestId('ci-list-page').waitFor();
    await page.getByText('共 7 条').waitFor(); // the 8 dependencies less the group
    await row(page, 'srv-db-01').getByText('网上营业厅').waitFor();
    await row(page, 'web-vm-02').getByText('网上营业厅').waitFor();
    await screenshot(page, 'cmdb-list-business-system');
  });

  it('adds a relation and a custom class in the UI; the class drives the create form', async () => {
    await page.goto(`${yw.url}/cmdb/cis/${ids.get('web-vm-01')}?tab=relations`);
    const panel = page.getByTestId('relation-panel');
    await row(panel, 'srv-web-01').waitFor();
    // A network link to the database host: "connects to" does not propagate impact by default.
    await panel.getByTestId('relation-add').click();
    const modal = page.getByRole('dialog').filter({ hasText: '为“web-vm-01”添加关系' });
    await modal.getByLabel('关系类型').click();
    await page.locator('.ant-select-dropdown:visible').getByText('连接', { exact: true }).click();
    expect(await modal.getByRole('switch').first().getAttribute('aria-checked')).toBe('false');
    await modal.getByLabel('被依赖方').fill('srv-db');
    await page.locator('.ant-select-dropdown:visible').getByText('srv-db-01', { exact: true }).click();
    await modal.getByLabel('说明').fill('管理网互联');
    await screenshot(page, 'cmdb-relation-form');
    await modal.getByRole('button', { name: named('保存') }).click();
    await modal.waitFor({ state: 'hidden' });
    const link = row(panel, 'srv-db-01');
    await link.getByText('管理网互联').waitFor();
    expect(await link.getByRole('switch').getAttribute('aria-checked')).toBe('false');
    await screenshot(page, 'cmdb-relations');

    await page.goto(`${yw.url}/cmdb/classes`);
    await page.getByTestId('class-list-page').waitFor();
    await row(page, 'server').getByText('内置').waitFor();
    await page.getByTestId('class-create').click();
    const drawer = page.getByRole('dialog').filter({ hasText: '新建配置项类别' });
    await drawer.getByLabel('编码', { exact: true }).fill('ups');
    await drawer.getByLabel('中文名称').fill('UPS 电源');
    await drawer.getByLabel('英文名称').fill('UPS');
    await drawer.getByTestId('class-add-attribute').click();
    await drawer.getByLabel('字段编码').fill('kva');
    await drawer.getByLabel('中文标签').fill('容量（kVA）');
    await drawer.getByLabel('英文标签').fill('Capacity (kVA)');
    await drawer.getByText('必填', { exact: true }).click();
    await screenshot(page, 'cmdb-class-form');
    await drawer.getByTestId('class-form-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    await row(page, 'ups').waitFor();
    await screenshot(page, 'cmdb-classes');

    // A CI of the new class: its required attribute is asked for.
    await page.goto(`${yw.url}/cmdb/cis`);
    await page.getByTestId('ci-create').click();
    const form = page.getByRole('dialog').filter({ hasText: '新建配置项' });
    await form.getByLabel('类别').fill('UPS'); // the option list is virtual: search rather than scroll
    await page.locator('.ant-select-dropdown:visible').getByText('UPS 电源', { exact: true }).click();
    await form.getByLabel('名称', { exact: true }).fill('UPS-A');
    await form.getByTestId('ci-form-submit').click();
    await form.getByText('请填写容量（kVA）').waitFor();
    await form.getByLabel('容量（kVA）').fill('20');
    await form.getByTestId('ci-form-submit').click();
    await page.getByTestId('ci-detail-page').waitFor();
    await page.getByTestId('ci-attributes').getByText('20', { exact: true }).waitFor();
    await screenshot(page, 'cmdb-ci-created');
  });
});
