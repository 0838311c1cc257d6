import { readFile } from 'node:fs/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
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
 * The document library (文档库) in the browser: the administrator gives 故障处理规程 a flow of two
 * 会签 approvers on the types page, writes a procedure in the rich-text editor (a heading, a
 * paragraph, a picture, a bulleted list, a table), is asked before leaving it unsaved, saves it and submits it;
 * the two approvers approve on the approvals request page, one of them in English; the administrator
 * publishes it and downloads it as Word and PDF (both contain the heading and the list); a new
 * version v1.1 with one sentence more shows as a changed row on the diff page; its review is
 * withdrawn from the document page (an editable draft again); a .docx made here is imported as a new
 * document and its heading appears in the editor; on a phone the pages fit the screen.
 *
 * The `it` blocks share state and run in order.
 */

const TITLE = '数据库主从切换故障处理规程';
const HEADING = '数据库主从切换步骤';
const INTRO = '本规程用于数据库主库故障时切换到从库。';
const ADDED = '切换完成后通知值班长。';
const APPROVERS = [
  { username: 'shenpi01', displayName: '王审批', initial: 'Approve#Init2024', password: 'Approve#Sign2025', english: false },
  { username: 'shenpi02', displayName: 'Li Approver', initial: 'Approve#Init2024', password: 'Approve#Sign2025', english: true },
];

/** How wide the page is laid out (a page wider than the screen scrolls sideways). */
async function pageWidth(page: Page): Promise<number> {
  return Math.max(await page.locator('html').evaluate((el) => el.scrollWidth), await page.locator('body').evaluate((el) => el.scrollWidth));
}

describe.skipIf(!chromiumAvailable())('document library journey (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let api: Api;
  let documentUrl = '';
  let requestId = '';
  const tmp = mkdtempSync(path.join(tmpdir(), 'yw-library-e2e-'));

  beforeAll(async () => {
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    journey = await openJourney({ acceptDownloads: true });
    page = journey.page;
  });

  afterAll(async () => {
    await journey?.close();
    await yw?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('the administrator gives 故障处理规程 a flow of two 会签 approvers on the types page', async () => {
    await firstAdminSignInByApi(page, yw.url);
    api = await signedInApi(page, yw.url);
    const roles = (await api('GET', '/api/roles?limit=100')) as { items: { id: string; kind: string; builtin: boolean }[] };
    const operator = roles.items.find((r) => r.builtin && r.kind === 'operator')!;
    const ids: string[] = [];
    for (const person of APPROVERS) {
      const user = (await api('POST', '/api/users', { username: person.username, displayName: person.displayName, password: person.initial })) as { id: string };
      await api('PUT', `/api/users/${user.id}/roles`, { assignments: [{ roleId: operator.id, orgUnitIds: null }] });
      ids.push(user.id);
    }
    await api('POST', '/api/approvals/flows', {
      code: 'library.fault-procedure',
      nameZh: '故障处理规程会签',
      nameEn: 'Fault procedure sign-off',
      steps: [{ name: '会签', mode: 'all', approvers: ids.map((userId) => ({ kind: 'user', userId })) }],
    });

    await page.goto(`${yw.url}/library/types`);
    await page.getByTestId('library-types-page').waitFor();
    await page.getByText('数据分级分类管理规范').waitFor();
    await page.getByTestId('type-edit-fault_procedure').click();
    const drawer = page.getByTestId('library-type-form');
    await drawer.getByTestId('type-prefix').waitFor();
    expect(await drawer.getByTestId('type-prefix').inputValue()).toBe('GZGC');
    await chooseOption(page, 'type-flow', '故障处理规程会签');
    await drawer.getByTestId('type-review-months').fill('6');
    await page.getByTestId('library-type-form-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    const row = page.locator('.ant-table-row').filter({ hasText: '故障处理规程' }).first();
    await row.getByText('故障处理规程会签').waitFor();
    await row.getByText('6 个月').waitFor();
    await screenshot(page, 'library-types');
    const types = (await api('GET', '/api/library/types')) as { code: string; flowCode: string | null; reviewMonths: number }[];
    expect(types.find((x) => x.code === 'fault_procedure')).toMatchObject({ flowCode: 'library.fault-procedure', reviewMonths: 6 });
  });

  it('writes a 故障处理规程 in the editor (heading, paragraph, list, table), is asked before leaving it unsaved, and saves it', async () => {
    await page.getByTestId('nav-library').click();
    await page.getByTestId('library-documents-page').waitFor();
    await page.getByTestId('library-create-empty').click();
    await page.getByTestId('library-new-page').waitFor();
    await chooseOption(page, 'document-type', '故障处理规程');
    await page.getByTestId('document-title').fill(TITLE);
    await page.getByTestId('document-change-note').fill('首次编制');

    const content = page.getByTestId('document-editor-content');
    await content.click();
    await page.getByTestId('editor-h1').click();
    await page.keyboard.type(HEADING);
    await page.keyboard.press('Enter');
    await page.keyboard.type(INTRO);
    await page.keyboard.press('Enter');
    await page.getByTestId('editor-bullet-list').click();
    await page.keyboard.type('确认主库不可用');
    await page.keyboard.press('Enter');
    await page.keyboard.type('提升从库为主库');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.getByTestId('editor-table').click();
    for (const [i, cell] of ['步骤', '操作', '负责人', '1', '切换 VIP', '值班员'].entries()) {
      if (i > 0) {
        await page.keyboard.press('Tab');
      }
      await page.keyboard.type(cell);
    }
    // A picture after the first paragraph: a PNG is taken; one over 1 MB is refused with the reason.
    const png = path.join(tmp, 'topology.png');
    writeFileSync(png, await page.screenshot({ clip: { x: 0, y: 0, width: 120, height: 60 } }));
    const big = path.join(tmp, 'big.png');
    writeFileSync(big, Buffer.alloc(1024 * 1024 + 1, 1));
    await content.getByText(INTRO).click();
    await page.keyboard.press('End');
    await page.getByTestId('editor-image-input').setInputFiles(big);
    await page.getByText('图片超过 1 MB，请压缩后再插入').waitFor();
    expect(await content.locator('img').count()).toBe(0);
    await page.getByTestId('editor-image-input').setInputFiles(png);
    await content.locator('img').waitFor();
    expect(await content.locator('img').getAttribute('src')).toMatch(/^data:image\/png;base64,/);

    await expect(content.locator('h1').innerText()).resolves.toBe(HEADING);
    expect(await content.locator('ul > li').allInnerTexts()).toEqual(['确认主库不可用', '提升从库为主库']);
    expect(await content.locator('table th').allInnerTexts()).toEqual(['步骤', '操作', '负责人']);
    expect(await content.locator('table tr').count()).toBe(3);
    await screenshot(page, 'library-editor');

    // Leaving with unsaved changes asks first; 继续编辑 keeps the text.
    await page.getByTestId('nav-library').click();
    const ask = page.getByRole('dialog').filter({ hasText: '放弃未保存的修改？' });
    await ask.waitFor();
    await ask.getByRole('button', { name: named('继续编辑') }).click();
    await ask.waitFor({ state: 'hidden' });
    expect(new URL(page.url()).pathname).toBe('/library/documents/new');
    await expect(content.locator('h1').innerText()).resolves.toBe(HEADING);

    await page.getByTestId('document-save').click();
    await page.waitForURL(/\/library\/documents\/[0-9a-f-]{36}$/);
    documentUrl = page.url();
    await page.getByTestId('library-document-page').waitFor();
    await page.getByTestId('document-status').getByText('草稿').waitFor();
    await expect(page.getByTestId('document-heading').innerText()).resolves.toMatch(new RegExp(`^GZGC-\\d{4}-001\\s+${TITLE}$`));
    const body = page.getByTestId('document-body-content');
    await expect(body.locator('h1').innerText()).resolves.toBe(HEADING);
    // The inserted table had two body rows; the second was left empty.
    expect((await body.locator('table td').allInnerTexts()).map((x) => x.trim())).toEqual(['1', '切换 VIP', '值班员', '', '', '']);
  });

  it('submits the draft; it is locked in review and links to its approval request', async () => {
    await page.getByTestId('document-submit').click();
    await confirmLibraryStep(page, '提交审批');
    await page.getByTestId('document-status').getByText('审批中').waitFor();
    expect(await page.getByTestId('document-edit').count()).toBe(0);
    const link = page.getByTestId('document-approval-link');
    requestId = (await link.getAttribute('href'))!.split('/').pop()!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    // The server refuses edits of a version under review, whatever the UI shows.
    const id = documentUrl.split('/').pop()!;
    const { csrfToken } = (await api('GET', '/api/auth/session')) as { csrfToken: string };
    const res = await page.request.fetch(`${yw.url}/api/library/documents/${id}`, { method: 'PATCH', data: { title: '改标题' }, headers: { 'x-csrf-token': csrfToken } });
    expect([res.status(), ((await res.json()) as { code: string }).code]).toEqual([409, 'YW_LIBRARY_VERSION_LOCKED']);
  });

  it('two approvers approve on the approval request page, the second with the English UI', async () => {
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
      const verb = person.english ? 'Approve' : '同意';
      const dialog = approver.getByRole('dialog').filter({ has: approver.getByTestId('approval-action-comment') });
      await dialog.getByTestId('approval-action-comment').fill(person.english ? 'Steps checked against the runbook.' : '步骤清楚，同意。');
      if (person.english) {
        await screenshot(approver, 'library-approval-english');
      }
      await dialog.getByRole('button', { name: named(verb) }).click();
      await dialog.waitFor({ state: 'hidden' });
      await approver.getByText(person.english ? 'Approved' : '已同意').first().waitFor();
      if (person.english) {
        // The document page in English: the approved version waits for publishing.
        await approver.goto(documentUrl);
        await approver.getByTestId('document-status').getByText('Approved').waitFor();
        await approver.getByText('Version in force').waitFor();
        await screenshot(approver, 'library-document-english');
      }
      await approver.context().close();
    }
    const request = (await api('GET', `/api/approvals/requests/${requestId}`)) as { status: string; tasks: { status: string }[] };
    expect(request.status).toBe('approved');
    expect(request.tasks.map((x) => x.status)).toEqual(['approved', 'approved']);
  });

  it('publishes the approved version and downloads it as Word and PDF', async () => {
    await page.goto(documentUrl);
    await page.getByTestId('document-status').getByText('已批准').waitFor();
    await page.getByTestId('document-publish').click();
    await confirmLibraryStep(page, '发布');
    await page.getByTestId('document-status').getByText('已发布').waitFor();
    await page.getByTestId('version-status-v1.0').getByText('已发布').waitFor();
    await screenshot(page, 'library-document');

    const word = page.waitForEvent('download');
    await page.getByTestId('document-download').click();
    const docx = await word;
    expect(docx.suggestedFilename()).toMatch(/\.docx$/);
    const text = await docxText(await readFile(await docx.path()));
    expect(text).toContain(HEADING);
    expect(text).toContain('提升从库为主库');
    expect(text).toContain('切换 VIP');
    // The picture went into the Word file (a docx is a zip: entry names are stored as they are).
    expect((await readFile(await docx.path())).includes('word/media/')).toBe(true);

    const pdf = page.waitForEvent('download');
    await page.getByTestId('document-download-pdf').click();
    const file = await pdf;
    expect(file.suggestedFilename()).toMatch(/\.pdf$/);
    const bytes = await readFile(await file.path());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    if (popplerAvailable()) {
      const pages = (await pdfPages(bytes)).join('\n');
      expect(pages).toContain(HEADING);
      expect(pages).toContain('提升从库为主库');
    }
  });

  it('makes version v1.1 with one more sentence and sees it as a changed row on the diff page', async () => {
    await page.getByTestId('document-new-version').click();
    await confirmLibraryStep(page, '新版本');
    await page.waitForURL('**/edit');
    const content = page.getByTestId('document-editor-content');
    await content.getByText(INTRO).click();
    await page.keyboard.press('End');
    await page.keyboard.type(ADDED);
    await page.getByTestId('document-save').click();
    await page.waitForURL(documentUrl);
    await expect(page.getByTestId('document-latest-version').innerText()).resolves.toBe('v1.1');

    await page.getByTestId('document-diff').click();
    await page.getByTestId('library-diff-page').waitFor();
    const changed = page.getByTestId('diff-row-changed');
    await changed.first().waitFor();
    expect(await changed.count()).toBe(1);
    const row = await changed.innerText();
    expect(row).toContain(INTRO);
    expect(row).toContain(ADDED);
    await page.getByTestId('diff-stats').getByText('修改 1').waitFor();
    await page.getByTestId('diff-row-same').first().waitFor();
    await screenshot(page, 'library-diff');
  });

  it('links the document to the database server picked by name', async () => {
    const ciId = await hostWithSamples(api, { name: 'db-master-01', ip: '10.0.8.11' });
    await page.goto(documentUrl);
    await page.getByTestId('link-target').click();
    await page.keyboard.type('db-master');
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: 'db-master-01' }).click();
    await page.getByTestId('link-add').click();
    const link = page.getByTestId('document-links').getByRole('link', { name: 'db-master-01' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/cmdb/cis/${ciId}`);
  });

  it('submits v1.1 and withdraws the review from the document page: it is an editable draft again', async () => {
    await page.goto(documentUrl);
    await page.getByTestId('document-submit').click();
    await confirmLibraryStep(page, '提交审批');
    await page.getByTestId('version-status-v1.1').getByText('审批中').waitFor();
    // The version in force stays v1.0 while v1.1 is reviewed.
    await page.getByTestId('document-status').getByText('审批中').waitFor();
    await page.getByTestId('document-withdraw').click();
    const confirm = page.getByRole('dialog').filter({ hasText: '撤回 v1.1 的审批？' });
    await confirm.getByRole('button', { name: named('撤回') }).click();
    await page.getByTestId('version-status-v1.1').getByText('草稿').waitFor();
    await page.getByText('上次审批已撤回，修改后可重新提交').waitFor();
    await page.getByTestId('document-edit').waitFor();
    expect(await page.getByTestId('version-status-v1.0').innerText()).toBe('已发布');
  });

  it('imports a .docx as a new document: its heading opens in the editor and the title is proposed', async () => {
    const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });
    const word = new Document({
      sections: [
        {
          children: [
            new Paragraph({ text: '机房断电应急预案', heading: HeadingLevel.HEADING_1 }),
            new Paragraph('市电中断时按以下步骤处置。'),
            new Paragraph({ text: '确认 UPS 供电', bullet: { level: 0 } }),
            new Paragraph({ text: '通知机房值班', bullet: { level: 0 } }),
            new Table({ rows: [new TableRow({ children: [cell('角色'), cell('职责')] }), new TableRow({ children: [cell('值班员'), cell('巡视机房')] })] }),
          ],
        },
      ],
    });
    const file = path.join(tmp, '机房断电应急预案.docx');
    writeFileSync(file, await Packer.toBuffer(word));

    await page.goto(`${yw.url}/library/documents/new`);
    await page.getByTestId('library-new-page').waitFor();
    await page.locator('input[type=file][accept*=".docx"]').setInputFiles(file);
    await page.getByTestId('import-result').waitFor();
    const content = page.getByTestId('document-editor-content');
    await expect(content.locator('h1').innerText()).resolves.toBe('机房断电应急预案');
    expect(await content.locator('table td').allInnerTexts()).toContain('巡视机房');
    expect(await page.getByTestId('document-title').inputValue()).toBe('机房断电应急预案');
    await screenshot(page, 'library-import');

    await chooseOption(page, 'document-type', '应急预案');
    await page.getByTestId('document-save').click();
    await page.waitForURL(/\/library\/documents\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId('document-body-content').locator('h1').innerText()).resolves.toBe('机房断电应急预案');

    // Both documents are in the list; the search finds the imported one by a phrase of its body.
    await page.goto(`${yw.url}/library/documents?q=${encodeURIComponent('巡视机房')}`);
    const table = page.getByTestId('library-documents-table');
    await table.getByText('机房断电应急预案').waitFor();
    expect(await table.getByText(TITLE).count()).toBe(0);
    await screenshot(page, 'library-list');
  });

  it('on a phone the list is cards and the document page is no wider than the screen', async () => {
    const phone = await journey.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(`${yw.url}/library/documents`);
    await phone.getByText(TITLE).waitFor();
    expect(await phone.locator('.yw-row-card').count()).toBe(2);
    await phone.goto(documentUrl);
    await phone.getByTestId('document-body-content').locator('h1').waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(390);
    await screenshot(phone, 'library-document-phone');
    await phone.goto(`${documentUrl}/diff`);
    await phone.getByTestId('diff-row-changed').waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(390);
    await phone.context().close();
  });
});
