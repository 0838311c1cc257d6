import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docxText } from '../apps/server/src/platform/documents/docx.testing.js';
import { pdfPages, popplerAvailable } from '../apps/server/src/platform/documents/pdf.testing.js';
import { hostWithSamples, signedInApi, type Api } from './support/api.js';
import { chooseOption, chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { confirmLibraryStep } from './support/library.js';
import { ADMIN, firstAdminSignInByApi, named, signInByApi } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * A document written from a template in the browser (issue 13's journey): the administrator writes a
 * 系统运行状况报告 template with 插入数据 (a single value in a sentence and a whole section), is refused a
 * placeholder naming an unknown provider, then 从模板新建 makes the report of last week from live check data
 * (a host UP three samples in four: 75%); it is submitted, two approvers approve (one in English), it is
 * published and downloaded as Word and PDF with the number in them; the data changes and the stored version
 * still says 75%; a second version generated from the template shows as a changed row on the diff page.
 *
 * The `it` blocks share state and run in order.
 */

const HOUR = 3_600_000;
const DAY = 86_400_000;
const TITLE = '上周系统运行状况报告';
const HEADING = '一、可用性概况';
const APPROVERS = [
  { username: 'shenhe01', displayName: '赵审核', initial: 'Approve#Init2024', password: 'Approve#Sign2025', english: false },
  { username: 'shenhe02', displayName: 'Zhou Reviewer', initial: 'Approve#Init2024', password: 'Approve#Sign2025', english: true },
];

describe.skipIf(!chromiumAvailable())('document from a template (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let api: Api;
  let hostId = '';
  let documentUrl = '';
  let requestId = '';

  /** 插入数据 → one entry (a provider's whole section, or one of its fields). */
  async function insertData(entry: string): Promise<void> {
    await page.getByTestId('template-insert-data').click();
    const item = page.locator('.ant-dropdown:not(.ant-dropdown-hidden)').getByTestId(`insert-${entry}`);
    await item.scrollIntoViewIfNeeded();
    await item.click();
    await page.locator('.ant-dropdown:not(.ant-dropdown-hidden)').waitFor({ state: 'hidden' });
  }

  beforeAll(async () => {
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    journey = await openJourney({ acceptDownloads: true });
    page = journey.page;
  });

  afterAll(async () => {
    await journey?.close();
    await yw?.stop();
  });

  it('seeds a host whose checks were UP three samples in four over the last two weeks, and a two-approver flow for the report type', async () => {
    await firstAdminSignInByApi(page, yw.url);
    api = await signedInApi(page, yw.url);
    // Hourly check_up samples on whole hours: every fourth one down. Any period of whole days starting at a
    // local midnight (a multiple of four hours from the epoch in UTC and UTC+8) holds exactly 75% UP.
    const end = Math.floor(Date.now() / HOUR) * HOUR;
    const hours = Array.from({ length: 16 * 24 }, (_, i) => end - (16 * 24 - i) * HOUR);
    hostId = await hostWithSamples(api, { name: 'portal-web-01', ip: '10.0.9.21' }, () => hours.map((ts) => ({ metric: 'check_up', labels: { check: 'portal' }, ts, value: (ts / HOUR) % 4 === 0 ? 0 : 1 })));

    const roles = (await api('GET', '/api/roles?limit=100')) as { items: { id: string; kind: string; builtin: boolean }[] };
    const operator = roles.items.find((r) => r.builtin && r.kind === 'operator')!;
    const ids: string[] = [];
    for (const person of APPROVERS) {
      const user = (await api('POST', '/api/users', { username: person.username, displayName: person.displayName, password: person.initial })) as { id: string };
      await api('PUT', `/api/users/${user.id}/roles`, { assignments: [{ roleId: operator.id, orgUnitIds: null }] });
      ids.push(user.id);
    }
    await api('POST', '/api/approvals/flows', { code: 'library.status-report', nameZh: '运行报告会签', nameEn: 'Status report sign-off', steps: [{ name: '会签', mode: 'all', approvers: ids.map((userId) => ({ kind: 'user', userId })) }] });
    await api('PATCH', '/api/library/types/operation_status_report', { flowCode: 'library.status-report' });
  });

  it('writes a template with 插入数据; a placeholder naming an unknown provider is refused on save, named', async () => {
    await page.goto(`${yw.url}/library/documents`);
    await page.getByTestId('library-documents-page').waitFor();
    await page.getByTestId('library-templates').click();
    await page.getByTestId('library-templates-page').waitFor();
    // The built-in ones are there.
    await page.getByText('系统运行状况月报').waitFor();
    await page.getByTestId('template-create').click();
    await page.getByTestId('library-template-page').waitFor();
    await chooseOption(page, 'template-type', '系统运行状况报告');
    await page.getByTestId('template-name').fill('可用性周报');
    await chooseOption(page, 'template-period', '上周');

    const content = page.getByTestId('template-editor-content');
    await content.click();
    await page.keyboard.type('{{alerts.sumary}}');
    await page.getByTestId('template-save').click();
    await page.getByTestId('template-body-error').getByText('未知的数据提供者“alerts.sumary”').waitFor();
    await screenshot(page, 'library-template-refused');

    await content.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');
    await page.getByTestId('editor-h1').click();
    await page.keyboard.type(HEADING);
    await page.keyboard.press('Enter');
    await page.keyboard.type('上周配置项最低可用率为 ');
    await insertData('monitoring.availability.lowest');
    await page.keyboard.type('。');
    await page.keyboard.press('Enter');
    await insertData('monitoring.availability');
    await expect(content.innerText()).resolves.toContain('上周配置项最低可用率为 {{monitoring.availability.lowest}}。');
    await content.getByText('{{monitoring.availability}}', { exact: true }).waitFor();
    await screenshot(page, 'library-template-editor');
    await page.getByTestId('template-save').click();
    await page.waitForURL(/\/library\/templates\?type=operation_status_report$/);
    await page.getByTestId('template-可用性周报').waitFor();
  });

  it('[L2-2.1.2] 从模板新建: the report of last week opens with its number from the live check data', async () => {
    await page.goto(`${yw.url}/library/documents`);
    await page.getByTestId('library-from-template').click();
    await chooseOption(page, 'generate-type', '系统运行状况报告');
    await chooseOption(page, 'generate-template', '可用性周报');
    await page.getByTestId('generate-title').fill(TITLE);
    await chooseOption(page, 'generate-period', '上周');
    await screenshot(page, 'library-template-generate');
    await page.getByTestId('generate-ok').click();
    await page.waitForURL(/\/library\/documents\/[0-9a-f-]{36}$/);
    documentUrl = page.url();
    await page.getByTestId('library-document-page').waitFor();
    await page.getByTestId('document-status').getByText('草稿').waitFor();
    const body = page.getByTestId('document-body-content');
    await expect(body.locator('h1').innerText()).resolves.toBe(HEADING);
    await body.getByText('上周配置项最低可用率为 75%。').waitFor();
    // The whole section: the table of CIs with portal-web-01 at 75%.
    await body.locator('table').filter({ hasText: 'portal-web-01' }).waitFor();
    expect(await body.innerText()).not.toContain('{{');
    await screenshot(page, 'library-template-document');
  });

  it('is submitted, and two approvers approve it, the second with the English UI', async () => {
    await page.getByTestId('document-submit').click();
    await confirmLibraryStep(page, '提交审批');
    await page.getByTestId('document-status').getByText('审批中').waitFor();
    requestId = (await page.getByTestId('document-approval-link').getAttribute('href'))!.split('/').pop()!;
    for (const person of APPROVERS) {
      const approver = await journey.newPage();
      if (person.english) {
        await approver.context().addInitScript(() => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('yunwei.language', 'en'));
      }
      await signInByApi(approver, yw.url, person.username, person.initial, person.password);
      await approver.goto(`${yw.url}/approvals/requests/${requestId}`);
      await approver.getByTestId('approval-request-page').waitFor();
      await approver.getByText(TITLE, { exact: false }).first().waitFor();
      await approver.getByTestId('approval-approve').click();
      const dialog = approver.getByRole('dialog').filter({ has: approver.getByTestId('approval-action-comment') });
      await dialog.getByTestId('approval-action-comment').fill(person.english ? 'Numbers match the dashboard.' : '数据核对无误。');
      await dialog.getByRole('button', { name: named(person.english ? 'Approve' : '同意') }).click();
      await dialog.waitFor({ state: 'hidden' });
      await approver.getByText(person.english ? 'Approved' : '已同意').first().waitFor();
      await approver.context().close();
    }
    const request = (await api('GET', `/api/approvals/requests/${requestId}`)) as { status: string };
    expect(request.status).toBe('approved');
  });

  it('is published and downloaded as Word and PDF, the number in both', async () => {
    await page.goto(documentUrl);
    await page.getByTestId('document-status').getByText('已批准').waitFor();
    await page.getByTestId('document-publish').click();
    await confirmLibraryStep(page, '发布');
    await page.getByTestId('document-status').getByText('已发布').waitFor();

    const word = page.waitForEvent('download');
    await page.getByTestId('document-download').click();
    const text = await docxText(await readFile(await (await word).path()));
    expect(text).toContain(HEADING);
    expect(text).toContain('上周配置项最低可用率为 75%。');
    expect(text).toContain('portal-web-01');

    const pdf = page.waitForEvent('download');
    await page.getByTestId('document-download-pdf').click();
    const bytes = await readFile(await (await pdf).path());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    if (popplerAvailable()) {
      const pages = (await pdfPages(bytes)).join('\n').replace(/\s+/g, '');
      expect(pages).toContain('上周配置项最低可用率为75%');
    }
  });

  it('keeps its numbers when the data changes; v1.1 generated from the template differs on the diff page', async () => {
    // Last week's samples all DOWN from now on (a later report would say 0%).
    const end = Math.floor(Date.now() / HOUR) * HOUR;
    const samples = Array.from({ length: 16 * 24 }, (_, i) => ({ metric: 'check_up', labels: { ci: hostId, agent: 'e2e-agent', check: 'portal' }, ts: end - 16 * DAY + i * HOUR + 1, value: 0 }));
    for (let i = 0; i < samples.length; i += 1000) {
      await api('POST', '/api/v1/metrics', { samples: samples.slice(i, i + 1000) });
    }
    await page.reload();
    await page.getByTestId('document-body-content').getByText('上周配置项最低可用率为 75%。').waitFor();

    // 从模板生成新版本 on the published document: its type fixed, the title kept, this week's numbers.
    await page.getByTestId('document-generate-version').click();
    await chooseOption(page, 'generate-template', '可用性周报');
    await chooseOption(page, 'generate-period', '上周');
    await page.getByTestId('generate-ok').click();
    await page.getByTestId('document-status').getByText('草稿').waitFor();
    const id = documentUrl.split('/').pop()!;
    const detail = (await api('GET', `/api/library/documents/${id}`)) as { latestVersion: { label: string }; title: string };
    expect(detail).toMatchObject({ latestVersion: { label: 'v1.1' }, title: TITLE });
    await page.goto(`${documentUrl}/diff`);
    await page.getByTestId('library-diff-page').waitFor();
    const changed = page.getByTestId('diff-row-changed').filter({ hasText: '最低可用率' });
    await changed.first().waitFor();
    expect(await changed.first().innerText()).toContain('75%');
    await screenshot(page, 'library-template-diff');
  });
});
