import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostWithSamples, signedInApi } from './support/api.js';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * Alert routing in the browser, in zh-CN: the administrator silences the disk alerts of one host,
 * picked by name (a regex that does not compile is refused on its field; the list names the host,
 * never its id), plans a weekly maintenance window for a CI class and that host, then sets up
 * who hears about alerts — a two-step escalation policy through a webhook channel and a notification
 * policy for the network team that uses it.
 *
 * The `it` blocks share state and run in order.
 */

describe.skipIf(!chromiumAvailable())('alert routing journey (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let hostId = '';

  const dropdown = () => page.locator('.ant-select-dropdown:visible');
  const row = (table: string, text: string) => page.getByTestId(table).locator('tr.ant-table-row').filter({ hasText: text });
  /** Searches a CI picker by name and picks the CI, then closes its dropdown by clicking `elsewhere`. */
  const pickCi = async (picker: Locator, name: string, elsewhere: Locator) => {
    await expect.poll(() => dropdown().count()).toBe(0);
    await picker.click();
    await page.keyboard.type(name);
    await dropdown().getByText(name, { exact: true }).click();
    await elsewhere.click();
    await expect.poll(() => dropdown().count()).toBe(0);
  };
  /** Picks an option of an antd Select, then waits for its dropdown to be gone (closing ones linger while animating). */
  const choose = async (select: Locator, option: string) => {
    await expect.poll(() => dropdown().count()).toBe(0);
    await select.click();
    await dropdown().getByText(option, { exact: true }).click();
    await expect.poll(() => dropdown().count()).toBe(0);
  };

  beforeAll(async () => {
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    journey = await openJourney();
    page = journey.page;
  });

  afterAll(async () => {
    await journey?.close();
    await yw?.stop();
  });

  it('[L3-2.1.3] silences the disk alerts of a host picked by name from 静默与维护; a bad regex is refused on its field', async () => {
    await firstAdminSignIn(page, yw.url);
    const api = await signedInApi(page, yw.url);
    hostId = await hostWithSamples(api, { name: 'db-01', ip: '10.30.0.5' }, () => [{ metric: 'host_fs_usage_percent', labels: { mount: '/data' }, ts: Date.now(), value: 91 }]);
    await page.getByTestId('nav-alertSilences').click();
    await page.getByTestId('alert-silences-page').waitFor();
    await page.getByText('没有静默').waitFor();

    await page.getByTestId('create-silence').click();
    const drawer = page.getByTestId('silence-form');
    await pickCi(drawer.getByTestId('silence-cis'), 'db-01', drawer.getByTestId('silence-comment'));
    await drawer.getByTestId('matcher-add').click();
    await drawer.getByTestId('matcher-name').first().fill('alertname');
    await drawer.getByTestId('matcher-value').first().fill('(');
    await drawer.getByTestId('matcher-row').first().locator('.ant-select').click();
    await dropdown().getByText('正则匹配', { exact: false }).first().click();
    await drawer.getByTestId('silence-comment').fill('磁盘扩容，预计 2 小时');
    await drawer.getByTestId('silence-form-submit').click();
    // The server names the second matcher sent (the CI's comes first): the form shows it on the row typed.
    await drawer.getByTestId('matcher-row').first().locator('.ant-form-item-explain-error').filter({ hasText: /不是有效的正则表达式|not a valid regular expression/ }).waitFor();

    await drawer.getByTestId('matcher-value').first().fill('Disk.*');
    await drawer.getByTestId('silence-form-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    const silence = row('silences-table', '磁盘扩容');
    await silence.waitFor();
    const text = await silence.innerText();
    expect(text).toContain('生效中');
    expect(text).toMatch(/配置项\s*=\s*db-01/);
    expect(text).toContain('alertname=~"Disk.*"');
    expect(text).not.toContain(hostId);
    expect(await silence.getByRole('link', { name: 'db-01' }).getAttribute('href')).toBe(`/cmdb/cis/${hostId}`);
    expect(text).toMatch(/\d+ 小时.*后结束/);
    await screenshot(page, 'alert-routing-silences');
  });

  it('plans a weekly maintenance window for every server and the host db-01, listed by name', async () => {
    await page.getByTestId('tab-maintenance').click();
    await page.getByTestId('create-maintenance').click();
    const drawer = page.getByTestId('maintenance-form');
    await drawer.getByTestId('maintenance-name').fill('每周六凌晨变更');
    await drawer.getByTestId('maintenance-kind').getByText('每周').click();
    await drawer.getByPlaceholder('请选择时间').click();
    await page.keyboard.type('02:00');
    await page.keyboard.press('Enter');
    // On a loaded machine the closing time picker can swallow the first click on the option: pick
    // it until its tag shows in the select (a click that did land is never repeated within 2 s).
    await expect.poll(() => page.locator('.ant-picker-dropdown:visible').count()).toBe(0);
    const classes = drawer.getByTestId('maintenance-classes');
    const picked = classes.locator('.ant-select-selection-item', { hasText: '服务器/主机' });
    await classes.click();
    await expect
      .poll(
        async () => {
          if ((await picked.count()) === 0) {
            await dropdown().getByText('服务器/主机', { exact: true }).click();
            await picked.waitFor({ timeout: 2000 }).catch(() => undefined);
          }
          return picked.count();
        },
        { timeout: 20_000 },
      )
      .toBe(1);
    await drawer.getByText('起止时间').or(drawer.getByText('持续时长')).first().click();
    await pickCi(drawer.getByTestId('maintenance-cis'), 'db-01', drawer.getByText('持续时长'));
    await screenshot(page, 'alert-routing-maintenance-form');
    await drawer.getByTestId('maintenance-form-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    const window = row('maintenance-table', '每周六凌晨变更');
    await window.waitFor();
    expect(await window.innerText()).toContain('周六 02:00，持续 120 分钟');
    const scope = window.getByTestId('maintenance-scope');
    expect(await scope.innerText()).toMatch(/配置项\s*db-01/);
    expect(await scope.innerText()).toMatch(/配置项类别\s*服务器\/主机/);
    expect(await window.innerText()).not.toContain(hostId);
    await screenshot(page, 'alert-routing-maintenance');
  });

  it('[L3-2.1.3] sets up a two-step escalation through a webhook and a notification policy for the network team', async () => {
    await page.getByTestId('nav-notifyChannels').click();
    await page.getByTestId('notify-create').click();
    const channel = page.getByTestId('notify-channel-form');
    await channel.getByTestId('notify-name').fill('网络值班群');
    await channel.getByTestId('notify-type').click();
    await dropdown().getByText('Webhook', { exact: true }).click();
    await channel.getByTestId('notify-config-url').fill('http://127.0.0.1:9/hook');
    await channel.getByTestId('notify-channel-form-submit').click();
    await channel.waitFor({ state: 'hidden' });

    await page.getByTestId('nav-alertPolicies').click();
    await page.getByTestId('alert-policies-page').waitFor();
    await page.getByTestId('tab-escalations').click();
    // None yet: the empty list says what an escalation policy is for, with the create button.
    await page.getByTestId('create-escalation-empty').waitFor();
    await page.getByTestId('create-escalation').click();
    const esc = page.getByTestId('escalation-form');
    await esc.getByTestId('escalation-name').fill('网络故障升级');
    await choose(esc.getByTestId('escalation-channel').first(), '网络值班群');
    await esc.getByTestId('escalation-add-step').click();
    await choose(esc.getByTestId('escalation-channel').nth(1), '网络值班群');
    await screenshot(page, 'alert-routing-escalation-form');
    await esc.getByTestId('escalation-form-submit').click();
    await esc.waitFor({ state: 'hidden' });
    const escRow = row('escalations-table', '网络故障升级');
    await escRow.waitFor();
    expect(await escRow.innerText()).toContain('0 分钟后：渠道 → 网络值班群');
    expect(await escRow.innerText()).toContain('15 分钟后：渠道 → 网络值班群');

    await page.getByTestId('tab-policies').click();
    // Only the built-in policy so far: the page says what it already does.
    expect(await page.getByTestId('policies-hint').innerText()).toContain('内置的默认通知策略已把严重告警发到所有默认渠道');
    await page.getByTestId('create-policy').click();
    const policy = page.getByTestId('policy-form');
    await policy.getByTestId('policy-name').fill('网络组');
    await policy.getByTestId('matcher-add').click();
    await policy.getByTestId('matcher-name').fill('team');
    await policy.getByTestId('matcher-value').fill('net');
    await choose(policy.getByTestId('policy-escalation'), '网络故障升级');
    await policy.getByTestId('policy-form-submit').click();
    await policy.waitFor({ state: 'hidden' });
    const policyRow = row('policies-table', '网络组');
    await policyRow.waitFor();
    expect(await policyRow.innerText()).toContain('team="net"');
    expect(await policyRow.innerText()).toContain('网络故障升级');
    // The built-in default policy stays last: critical alerts to the default channels.
    const names = await page.getByTestId('policies-table').locator('tr.ant-table-row').allInnerTexts();
    expect(names.at(-1)).toContain('默认通知策略');
    expect(names.at(-1)).toContain('内置');
    expect(names.at(-1)).toContain('severity="critical"');
    await screenshot(page, 'alert-routing-policies');
    // Nothing is firing yet: the dispatcher holds no group.
    await page.getByTestId('tab-groups').click();
    await page.getByText('当前没有告警分组').waitFor();
    // …and links to the alerts, where they would come from.
    await page.getByTestId('groups-empty-link').click();
    await page.waitForURL(/\/alerts$/);
  });
});
