import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInApi, type Api } from './support/api.js';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * On-call in the browser, in zh-CN: the administrator marks a coming weekday as a company holiday in
 * the business calendar (the seeded 调休 Saturday is already there), creates a two-layer schedule
 * (everyone's weekly turn, and a non-workdays layer), sees the two-week timeline follow the calendar,
 * and adds an override that takes over "now on call".
 *
 * The `it` blocks share state and run in order.
 */

const TZ = 'Asia/Shanghai';
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of an instant in Shanghai. */
const shanghaiDate = (at: number) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date(at));
const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

describe.skipIf(!chromiumAvailable())('on-call journey (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let api: Api;
  /** A weekday 3–9 days ahead with no calendar entry: inside the two-week timeline. */
  let holiday = '';
  let scheduleId = '';

  /**
   * Picks `label` in the antd Select `select` (options render in a portal). Enter on the filtered,
   * active option rather than a click: in a multiple select the list re-renders while the search
   * narrows, and a click can land on an option that is being replaced.
   */
  async function choose(select: Locator, label: string): Promise<void> {
    await select.click();
    await page.keyboard.type(label);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option-active').filter({ hasText: label }).first().waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => select.innerText()).toContain(label);
  }

  /** A screenshot of the page scrolled to the top, no tooltip open, animations settled. */
  async function shot(name: string): Promise<void> {
    await page.mouse.move(0, 0);
    await page.evaluate('window.scrollTo(0, 0)');
    await page.waitForTimeout(400);
    await screenshot(page, name);
  }

  beforeAll(async () => {
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    journey = await openJourney({ timezoneId: TZ });
    page = journey.page;
  });

  afterAll(async () => {
    await journey?.close();
    await yw?.stop();
  });

  it('admin signs in; two colleagues exist to take turns', async () => {
    await firstAdminSignIn(page, yw.url);
    api = await signedInApi(page, yw.url);
    await api('POST', '/api/users', { username: 'wang01', displayName: '王值班', password: 'Duty#Init2024' });
    await api('POST', '/api/users', { username: 'li01', displayName: '李值班', password: 'Duty#Init2024' });
    for (let d = 3; d < 10 && !holiday; d++) {
      const date = shanghaiDate(Date.now() + d * DAY_MS);
      const entries = (await api('GET', `/api/oncall/calendar/${date.slice(0, 4)}`)).days as { date: string }[];
      if (weekdayOf(date) >= 1 && weekdayOf(date) <= 5 && !entries.some((e) => e.date === date)) {
        holiday = date;
      }
    }
    expect(holiday).not.toBe('');
  });

  it('the business calendar shows the seeded holidays and 调休 days; a weekday is marked a company holiday', async () => {
    await page.getByTestId('nav-oncall').click();
    await page.getByTestId('oncall-page').waitFor();
    await page.getByRole('tab', { name: '工作日历' }).click();
    const calendar = page.getByTestId('business-calendar');
    const year = holiday.slice(0, 4);
    const picker = calendar.getByTestId('calendar-year');
    if ((await picker.inputValue()) !== year) {
      await picker.click();
      await page.locator('.ant-picker-dropdown:visible').getByText(year, { exact: true }).click();
    }
    await calendar.getByTestId(`calendar-day-${year}-01-01`).waitFor();
    if (year === '2026') {
      expect(await calendar.getByTestId('calendar-day-2026-02-14').getAttribute('data-kind')).toBe('workday');
      expect(await calendar.getByTestId('calendar-day-2026-10-01').getAttribute('data-kind')).toBe('holiday');
    }

    await calendar.getByTestId(`calendar-day-${holiday}`).click();
    const form = page.getByTestId('calendar-day-form');
    await form.getByText('这一天是').waitFor();
    await form.getByText('休息日', { exact: true }).click();
    await form.getByTestId('calendar-day-name').fill('公司年会');
    await form.getByTestId('calendar-day-save').click();
    await form.waitFor({ state: 'hidden' });
    await expect.poll(() => calendar.getByTestId(`calendar-day-${holiday}`).getAttribute('data-kind')).toBe('holiday');
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });

    // The same through a sheet: a bad row is named, a good sheet replaces the year's own entries.
    const upload = (text: string) => calendar.locator('input[type=file]').setInputFiles({ name: 'calendar.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
    await upload(`日期,类型,名称\n${holiday},放假吗,公司年会\n`);
    await page.getByText('导入失败：第 2 行的“类型”列有误', { exact: false }).waitFor();
    await upload(`日期,类型,名称\n${holiday},休息日,公司年会\n`);
    await page.getByText('导入完成：本年度共 1 个自定义日期').waitFor();
    expect(await calendar.getByTestId(`calendar-day-${holiday}`).getAttribute('data-kind')).toBe('holiday');
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
    await shot('oncall-calendar');
  });

  it('creates a schedule with a weekly turn and a non-workdays layer; the timeline follows the calendar', async () => {
    await page.getByRole('tab', { name: '值班表' }).click();
    await page.getByText('还没有值班表').waitFor();
    await page.getByTestId('create-schedule').click();
    const drawer = page.getByTestId('schedule-form');
    await drawer.getByTestId('schedule-name').fill('运维一线值班');
    await drawer.getByTestId('rotation-0-name').fill('日常轮值');
    await choose(drawer.getByTestId('rotation-0-members'), '王值班');
    await choose(drawer.getByTestId('rotation-0-members'), '李值班');
    await page.keyboard.press('Escape');
    await drawer.getByTestId('add-rotation').click();
    await drawer.getByTestId('rotation-1-name').fill('节假日');
    await choose(drawer.getByTestId('rotation-1-members'), '李值班');
    await page.keyboard.press('Escape');
    await drawer.getByTestId('rotation-1-applies').click();
    await page.locator('.ant-select-dropdown:visible').getByText('仅非工作日', { exact: true }).click();
    await drawer.getByTestId('schedule-form-submit').click();
    await drawer.waitFor({ state: 'hidden' });

    const row = page.getByTestId('schedules-table').locator('tr.ant-table-row').filter({ hasText: '运维一线值班' });
    await row.getByTestId('oncall-now').waitFor();
    scheduleId = ((await api('GET', '/api/oncall/schedules')).items as { id: string }[])[0]!.id;
    const now = (await api('GET', `/api/oncall/schedules/${scheduleId}/now`)) as { users: { displayName: string }[] };
    // The weekly layer starts on a Monday before yesterday: someone is on call at once.
    expect(now.users).toHaveLength(1);
    expect(await row.getByTestId('oncall-now').innerText()).toBe(now.users[0]!.displayName);

    const timeline = page.getByTestId('oncall-timeline');
    await timeline.getByTestId(`timeline-day-${holiday}`).waitFor();
    expect(await timeline.locator('[data-testid^="timeline-day-"]').count()).toBe(14);
    // The company holiday is a non-workday: the 节假日 layer's member (李值班) holds the whole day.
    const holidayRow = timeline.getByTestId(`timeline-day-${holiday}`);
    expect(await holidayRow.innerText()).toContain('休');
    expect(await holidayRow.getByTestId('timeline-segment').allInnerTexts()).toEqual(['李值班']);
  });

  it('an override takes over "now on call", shown striped on the timeline', async () => {
    const row = page.getByTestId('schedules-table').locator('tr.ant-table-row').filter({ hasText: '运维一线值班' });
    await row.getByTestId(`add-override-${scheduleId}`).click();
    const modal = page.getByTestId('override-form');
    await choose(modal.getByTestId('override-user'), '王值班');
    await modal.getByLabel('原因').fill('调班');
    await modal.getByRole('button', { name: /保\s*存/ }).click();
    await modal.waitFor({ state: 'hidden' });
    await expect.poll(() => row.getByTestId('oncall-now').innerText()).toBe('王值班');
    await page.getByTestId('schedule-detail').getByText('调班').waitFor();
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
    await shot('oncall-schedules');

    await row.getByRole('button', { name: /编\s*辑/ }).click();
    await page.getByTestId('schedule-form').getByTestId('rotation-1').waitFor();
    await shot('oncall-schedule-form');
    await page.getByTestId('schedule-form').getByRole('button', { name: /取\s*消/ }).click();
    await page.getByTestId('schedule-form').waitFor({ state: 'hidden' });
  });

  it('closing a changed form asks first: 继续编辑 keeps the change, 放弃修改 drops it', async () => {
    const row = page.getByTestId('schedules-table').locator('tr.ant-table-row').filter({ hasText: '运维一线值班' });
    await row.getByRole('button', { name: /编\s*辑/ }).click();
    const form = page.getByTestId('schedule-form');
    const ask = page.getByRole('dialog').filter({ hasText: '放弃未保存的修改？' });
    await form.getByTestId('schedule-name').fill('运维二线值班');
    await form.getByRole('button', { name: /取\s*消/ }).click();
    await ask.getByRole('button', { name: /继续编辑/ }).click();
    await ask.waitFor({ state: 'hidden' });
    expect(await form.getByTestId('schedule-name').inputValue()).toBe('运维二线值班');

    await form.getByRole('button', { name: /取\s*消/ }).click();
    await ask.getByRole('button', { name: /放弃修改/ }).click();
    await form.waitFor({ state: 'hidden' });
    expect((await api('GET', `/api/oncall/schedules/${scheduleId}`)).name).toBe('运维一线值班');
    // Opened again, the form shows the stored schedule, not the dropped edit.
    await row.getByRole('button', { name: /编\s*辑/ }).click();
    await expect.poll(() => form.getByTestId('schedule-name').inputValue()).toBe('运维一线值班');
    await form.getByRole('button', { name: /取\s*消/ }).click();
    await form.waitFor({ state: 'hidden' });
  });

  it('reads in English too', async () => {
    await page.getByTestId('language-switch').getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: 'On-call' }).waitFor();
    await page.getByTestId('oncall-timeline').getByText('Override', { exact: true }).waitFor();
    await shot('oncall-schedules-en');
    await page.getByTestId('language-switch').getByText('中文', { exact: true }).click();
  });
});
