import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInApi, type Api } from './support/api.js';
import { chooseOption, chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignInByApi, named, signInByApi } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * Approvals in the browser: the administrator creates a flow of two steps (或签, then 会签 by two
 * people) on the 审批流程 page, meeting its validation messages first (the browser's and the server's);
 * a document of the library is submitted through that flow (API); the first approver sees the header
 * badge, opens 我的待办, approves step 1 and, as one of the 会签 pair, step 2; the second approver,
 * in English, approves step 2 and the request is approved; someone with no task sees empty boxes.
 *
 * The `it` blocks share state and run in order.
 */

const TITLE = '核心交换机配置变更操作规程';
const FLOW_CODE = 'e2e.change-procedure';
const PEOPLE = [
  { key: 'zhang', username: 'zhangshen', displayName: '张审批', initial: 'Approve#Init2024', password: 'Approve#Sign2025', english: false },
  { key: 'li', username: 'lishen', displayName: 'Li Reviewer', initial: 'Approve#Init2024', password: 'Approve#Sign2025', english: true },
  { key: 'wang', username: 'wangshen', displayName: '王备审', initial: 'Approve#Init2024', password: 'Approve#Sign2025', english: false },
] as const;

describe.skipIf(!chromiumAvailable())('approvals journey (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let api: Api;
  const ids: Record<string, string> = {};
  let requestId = '';

  /** Picks `label` in the antd Select `testId` (its dropdown is rendered at the end of the body). */
  async function choose(p: Page, testId: string, label: string): Promise<void> {
    await chooseOption(p, testId, label);
    await p.keyboard.press('Escape');
  }

  /** A signed-in page of one of PEOPLE, in its language. */
  async function personPage(person: (typeof PEOPLE)[number]): Promise<Page> {
    const p = await journey.newPage(person.english ? { locale: 'en-US' } : {});
    if (person.english) {
      await p.context().addInitScript(() => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('yunwei.language', 'en'));
    }
    await signInByApi(p, yw.url, person.username, person.initial, person.password);
    return p;
  }

  /** Approves my task on the request page with a comment, confirming with the button's verb. */
  async function approve(p: Page, verb: string, comment: string): Promise<void> {
    await p.getByTestId('approval-approve').click();
    const dialog = p.getByRole('dialog').filter({ has: p.getByTestId('approval-action-comment') });
    await dialog.getByTestId('approval-action-comment').fill(comment);
    await dialog.getByRole('button', { name: named(verb) }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  beforeAll(async () => {
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    journey = await openJourney();
    page = journey.page;
  });

  afterAll(async () => {
    await journey?.close();
    await yw?.stop();
  });

  it('the administrator creates a two-step flow (或签, then 会签 by two people), meeting the validation messages first', async () => {
    await firstAdminSignInByApi(page, yw.url);
    api = await signedInApi(page, yw.url);
    const roles = (await api('GET', '/api/roles?limit=100')) as { items: { id: string; kind: string; builtin: boolean }[] };
    const operator = roles.items.find((r) => r.builtin && r.kind === 'operator')!;
    for (const person of PEOPLE) {
      const user = (await api('POST', '/api/users', { username: person.username, displayName: person.displayName, password: person.initial })) as { id: string };
      await api('PUT', `/api/users/${user.id}/roles`, { assignments: [{ roleId: operator.id, orgUnitIds: null }] });
      ids[person.key] = user.id;
    }

    await page.goto(`${yw.url}/approvals/flows`);
    await page.getByTestId('approval-flows-page').waitFor();
    // The seeded document flow is listed.
    await page.getByTestId('flow-document.default').waitFor();
    await page.getByTestId('create-flow').click();
    const drawer = page.getByTestId('flow-form');
    await drawer.getByTestId('flow-code').waitFor();

    // Empty: every required field says so.
    await page.getByTestId('flow-form-submit').click();
    for (const text of ['请输入编码', '请输入中文名称', '请输入英文名称', '请输入步骤名称', '请至少选择一类审批人']) {
      await drawer.getByText(text).waitFor();
    }
    await drawer.getByTestId('flow-code').fill('Bad Code');
    await drawer.getByText('编码以小写字母开头').waitFor();

    // The server's answer lands on its field: the code of the seeded flow is taken.
    await drawer.getByTestId('flow-code').fill('document.default');
    await drawer.getByTestId('flow-name-zh').fill('交换机变更规程审批');
    await drawer.getByTestId('flow-name-en').fill('Switch change procedure');
    await drawer.getByTestId('flow-step-0-name').fill('部门初审');
    await drawer.getByTestId('flow-mode-help').first().getByText('或签').waitFor();
    await choose(page, 'flow-step-0-users', '张审批');
    await choose(page, 'flow-step-0-users', '王备审');
    await drawer.getByTestId('flow-add-step').click();
    await drawer.getByTestId('flow-step-1-name').fill('会签复核');
    await choose(page, 'flow-step-1-mode', '会签');
    await drawer.getByTestId('flow-step-1').getByText('会签：本步骤的每位审批人都同意后才进入下一步').waitFor();
    await choose(page, 'flow-step-1-users', '张审批');
    await choose(page, 'flow-step-1-users', 'Li Reviewer');
    await drawer.locator('input[data-testid="flow-step-1-due"], [data-testid="flow-step-1-due"] input').fill('24');
    await page.getByTestId('flow-form-submit').click();
    await drawer.getByText('已有同样编码的审批流程').first().waitFor();

    await drawer.getByTestId('flow-code').fill(FLOW_CODE);
    await screenshot(page, 'approvals-flow-form');
    await page.getByTestId('flow-form-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByTestId(`flow-${FLOW_CODE}`).waitFor();
    const flows = (await api('GET', '/api/approvals/flows')) as { code: string; steps: { name: string; mode: string; approvers: unknown[]; dueHours: number | null }[] }[];
    expect(flows.find((f) => f.code === FLOW_CODE)?.steps).toEqual([
      { name: '部门初审', mode: 'any', approvers: [{ kind: 'user', userId: ids.zhang }, { kind: 'user', userId: ids.wang }], dueHours: null },
      { name: '会签复核', mode: 'all', approvers: [{ kind: 'user', userId: ids.zhang }, { kind: 'user', userId: ids.li }], dueHours: 24 },
    ]);
    // The administrator has nothing to do: the badge says 0.
    await expect(page.getByTestId('approval-badge-count').getAttribute('data-count')).resolves.toBe('0');
  });

  it('a library document is submitted through the flow (API)', async () => {
    await api('PATCH', '/api/library/types/fault_procedure', { flowCode: FLOW_CODE });
    const doc = (await api('POST', '/api/library/documents', { typeCode: 'fault_procedure', title: TITLE })) as { id: string };
    const submitted = (await api('POST', `/api/library/documents/${doc.id}/submit`, {})) as { approvalRequestId?: string | null };
    requestId = submitted.approvalRequestId ?? '';
    if (!requestId) {
      const box = (await api('GET', '/api/approvals/inbox?box=submitted')) as { items: { id: string; title: string }[] };
      requestId = box.items.find((r) => r.title.includes(TITLE))?.id ?? '';
    }
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const request = (await api('GET', `/api/approvals/requests/${requestId}`)) as { flowCode: string; tasks: { assignee: { id: string }; status: string }[] };
    expect(request.flowCode).toBe(FLOW_CODE);
    expect(request.tasks.map((x) => [x.assignee.id, x.status])).toEqual([
      [ids.zhang, 'pending'],
      [ids.wang, 'pending'],
    ]);
  });

  it('the first approver follows the header badge to 我的待办, opens the request and approves step 1 (或签)', async () => {
    const zhang = await personPage(PEOPLE[0]);
    const count = await zhang.request.get(`${yw.url}/api/approvals/count`);
    expect(await count.json()).toEqual({ todo: 1 });
    await zhang.goto(`${yw.url}/`);
    const badge = zhang.getByTestId('approval-badge-count');
    await expect.poll(() => badge.getAttribute('data-count'), { timeout: 20_000 }).toBe('1');
    await zhang.getByTestId('approval-badge').click();
    await zhang.getByTestId('approvals-page').waitFor();
    const row = zhang.getByTestId(`approval-row-${requestId}`);
    await row.waitFor();
    const line = zhang.locator('.ant-table-row').filter({ has: row });
    await line.getByText('交换机变更规程审批').waitFor();
    await line.getByText('第 1/2 步：部门初审').waitFor();
    await row.click();
    await zhang.getByTestId('approval-request-page').waitFor();
    await zhang.getByTestId('approval-step-0').getByText('王备审').waitFor();
    await approve(zhang, '同意', '配置变更步骤清楚，同意。');
    // Step 2 (会签) opened: 张审批 is one of its two approvers, so the badge counts it again.
    await zhang.getByTestId('approval-step-1').getByText('待处理').first().waitFor();
    await expect.poll(() => badge.getAttribute('data-count'), { timeout: 20_000 }).toBe('1');
    await approve(zhang, '同意', '复核通过。');
    await zhang.getByTestId('approval-step-1').getByText('已同意').waitFor();
    await expect.poll(() => badge.getAttribute('data-count'), { timeout: 20_000 }).toBe('0');
    await zhang.getByTestId('approval-history').getByText('配置变更步骤清楚，同意。').waitFor();
    await zhang.context().close();
  });

  it('the second approver, in English, approves step 2 (会签) and the request is approved', async () => {
    const li = await personPage(PEOPLE[1]);
    await li.goto(`${yw.url}/approvals?box=todo`);
    await li.getByTestId('approvals-page').waitFor();
    await li.getByText('To do').first().waitFor();
    await li.getByTestId(`approval-row-${requestId}`).click();
    await li.getByTestId('approval-request-page').waitFor();
    await li.getByText('All approve (会签)').first().waitFor();
    await screenshot(li, 'approvals-request-english');
    await approve(li, 'Approve', 'Reviewed against the change window.');
    await li.getByTestId('approval-status').getByText('Approved').waitFor();
    expect(await li.getByTestId('approval-approve').count()).toBe(0);
    await li.context().close();
    const request = (await api('GET', `/api/approvals/requests/${requestId}`)) as { status: string; tasks: { assignee: { name: string }; status: string }[] };
    expect(request.status).toBe('approved');
    expect(request.tasks.map((x) => [x.assignee.name, x.status])).toEqual([
      ['张审批', 'approved'],
      ['王备审', 'skipped'],
      ['张审批', 'approved'],
      ['Li Reviewer', 'approved'],
    ]);
  });

  it('someone whose task was not needed sees empty boxes that say what comes there', async () => {
    const wang = await personPage(PEOPLE[2]);
    await wang.goto(`${yw.url}/approvals`);
    await wang.getByTestId('approvals-page').waitFor();
    await wang.getByText('没有等待您处理的审批').waitFor();
    await expect(wang.getByTestId('approval-badge-count').getAttribute('data-count')).resolves.toBe('0');
    await wang.getByTestId('approvals-tab-submitted').click();
    await wang.getByText('您还没有发起过审批').waitFor();
    expect(wang.url()).toContain('box=submitted');
    await wang.getByTestId('approvals-tab-done').click();
    await wang.getByText('您还没有处理过审批').waitFor();
    await wang.context().close();
  });

  it('on a phone (390 px) the boxes are cards and the request page fits the screen', async () => {
    const phone = await journey.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signInByApi(phone, yw.url, PEOPLE[0].username, PEOPLE[0].password, PEOPLE[0].password);
    const fits = async (where: string) => {
      const width = Math.max(await phone.locator('html').evaluate((el) => el.scrollWidth), await phone.locator('body').evaluate((el) => el.scrollWidth));
      expect(width, `${where}: page width`).toBeLessThanOrEqual(390);
    };
    await phone.goto(`${yw.url}/approvals?box=done`);
    await phone.getByTestId('approvals-page').waitFor();
    const card = phone.locator('.ant-card').filter({ has: phone.getByTestId(`approval-row-${requestId}`) });
    await card.getByText('已通过').waitFor();
    expect(await phone.locator('.ant-table').count()).toBe(0);
    await fits('我已处理');
    await phone.getByTestId(`approval-row-${requestId}`).click();
    await phone.getByTestId('approval-request-page').waitFor();
    await phone.getByTestId('approval-history').waitFor();
    await fits('request page');
    await screenshot(phone, 'approvals-request-phone');
    await phone.context().close();
  });
});
