import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, named, totp } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * The administrator's journey through the UI, in zh-CN (the default language):
 * first sign-in (forced password change + MFA enrolment) → organisation tree → a custom role from
 * permissions → a user in 运维组 holding it with a data scope → that user sees only the allowed menus
 * and a clear 403 → separation of duties refused → a separate audit administrator reads and verifies
 * the audit trail → the language switch.
 *
 * The `it` blocks share state and run in order; a failure early on makes the later ones fail too.
 */

const DUTY = { username: 'zhiban01', displayName: '张值班', initial: 'Duty#Init2024', password: 'Duty#Shift2025' };
const AUDITOR = { username: 'shenji01', displayName: '李审计', initial: 'Audit#Init2024', password: 'Audit#Check2025' };
const ROLE = { name: '值班员', description: '值班巡检：查看用户、组织机构与能力矩阵', permissions: ['查看用户', '查看组织机构', '查看能力矩阵'] };
const PARENT_UNIT = { name: '信息中心', code: 'IT-CENTER' };
const CHILD_UNIT = { name: '运维组', code: 'IT-OPS' };

const TIMEOUT = 15_000;

/** The open antd dropdown (Select / TreeSelect options are rendered in a portal under <body>). */
function openDropdown(page: Page): Locator {
  return page.locator('.ant-select-dropdown:visible');
}

/** The open modal or drawer whose content mentions `text` (closed ones stay in the DOM, hidden). */
function dialog(page: Page, text: string | RegExp): Locator {
  return page.getByRole('dialog').filter({ hasText: text });
}

/** A table row holding a cell whose text is exactly `text`. */
function row(page: Page, text: string): Locator {
  return page.locator('.ant-table-tbody tr.ant-table-row').filter({ has: page.getByText(text, { exact: true }) });
}

async function menuLinks(page: Page): Promise<string[]> {
  await page.getByTestId('side-menu').waitFor();
  return (await page.getByTestId('side-menu').getByRole('link').allInnerTexts()).map((text) => text.trim());
}

describe.skipIf(!chromiumAvailable())('admin journey (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let admin: Page;
  let duty: Page;
  let auditor: Page;

  async function signIn(page: Page, username: string, password: string, shot?: string): Promise<void> {
    await page.goto(`${yw.url}/login`);
    await page.getByRole('heading', { name: '账号登录' }).waitFor();
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码', { exact: true }).fill(password);
    if (shot) {
      await screenshot(page, shot);
    }
    await page.getByTestId('login-submit').click();
  }

  async function forcedPasswordChange(page: Page, current: string, next: string, shot?: string): Promise<void> {
    await page.waitForURL('**/change-password');
    await page.getByText('首次登录或密码已过期，请先修改密码后再继续使用系统。').waitFor();
    await page.getByLabel('当前密码').fill(current);
    await page.getByLabel('新密码', { exact: true }).fill(next);
    await page.getByLabel('确认新密码').fill(next);
    if (shot) {
      await screenshot(page, shot);
    }
    await page.getByRole('button', { name: named('修改密码') }).click();
  }

  /**
   * Reads the secret shown on the enrolment page and types the current TOTP code. The system
   * administrator then meets the first-day wizard (walked by first-day-journey.e2e.ts): "later" here,
   * since this journey's admin keeps the security duty to build roles.
   */
  async function forcedMfaEnrolment(page: Page, shot?: string): Promise<void> {
    await page.waitForURL('**/mfa-enrol');
    const secretText = await page.getByTestId('mfa-secret').innerText();
    const secret = secretText.replace(/[^A-Z2-7]/g, '');
    expect(secret.length).toBeGreaterThanOrEqual(16);
    if (shot) {
      await screenshot(page, shot);
    }
    await page.getByTestId('mfa-code').locator('input').first().click();
    await page.keyboard.type(totp(secret));
    await page.waitForURL((url) => url.pathname === '/' || url.pathname === '/setup/duty-accounts');
    if (new URL(page.url()).pathname === '/setup/duty-accounts') {
      await page.getByTestId('duty-accounts-later').click();
    }
    await page.getByTestId('home-page').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
  }

  async function openNav(page: Page, key: string, pageTestId: string): Promise<void> {
    await page.getByTestId(`nav-${key}`).click();
    await page.getByTestId(pageTestId).waitFor();
    await page.waitForLoadState('networkidle');
  }

  beforeAll(async () => {
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    journey = await openJourney();
    admin = journey.page;
  });

  afterAll(async () => {
    await journey?.close();
    await yw?.stop();
  });

  it('admin signs in for the first time: forced password change, then forced MFA enrolment, then every platform menu', async () => {
    await signIn(admin, ADMIN.username, ADMIN.initial, 'login');
    await forcedPasswordChange(admin, ADMIN.initial, ADMIN.password, 'change-password');
    await forcedMfaEnrolment(admin, 'mfa-enrol');

    await admin.getByText('已启用多因素认证').waitFor();
    // 系统管理员 + 安全管理员 — but not the audit trail: that is the audit administrator's (三员分立).
    const business = ['我的审批', '审批流程'];
    const operations = ['配置项', '配置项类别', '监控总览', '最新数据', '资源利用率', '运行报告', '定时报告', '监控仪表盘', '无代理检查', '状态页', '主机代理', '巡检记录', '巡检模板', '巡检计划', '监控制度', '监控覆盖情况'];
    const alerts = ['告警列表', '告警规则', '静默与维护', '通知与升级策略', '通知渠道', '值班排班'];
    const incidents = ['故障列表', '自助报障', '问题管理', '隐患台账', '故障处理方案', '我的故障任务', '故障统计', '故障配置'];
    const system = ['文档库', '文档类型', '用户管理', '角色权限', '组织机构', '安全策略', 'API 令牌', '集群节点', '收件箱与隔离区', '能力矩阵'];
    expect(await menuLinks(admin)).toEqual(['首页', ...business, ...operations, ...alerts, ...incidents, ...system]);
    // Started without YUNWEI_PUBLIC_URL: whoever manages channels learns on the home page that message links will not open.
    expect(await admin.getByTestId('home-page').getByTestId('public-url-missing').innerText()).toContain('YUNWEI_PUBLIC_URL');
    await screenshot(admin, 'home');

    await openNav(admin, 'tokens', 'token-list-page');
    await admin.getByRole('button', { name: named('创建令牌') }).waitFor();
    await screenshot(admin, 'tokens');
  });

  it('admin builds the organisation tree 信息中心 › 运维组', async () => {
    await openNav(admin, 'orgUnits', 'org-unit-page');
    await admin.getByText('暂无组织机构').waitFor();

    await admin.getByRole('button', { name: named('新增机构') }).click();
    let modal = dialog(admin, '机构名称');
    await modal.getByLabel('机构名称').fill(PARENT_UNIT.name);
    await modal.getByLabel('机构编码').fill(PARENT_UNIT.code);
    await modal.getByRole('button', { name: named('保存') }).click();
    await modal.waitFor({ state: 'hidden' });
    // The new unit is selected: its detail card offers "新增下级".
    const detail = admin.getByTestId('org-unit-detail');
    await detail.getByText(PARENT_UNIT.code, { exact: true }).waitFor();

    await detail.getByRole('button', { name: named('新增下级') }).click();
    modal = dialog(admin, '机构名称');
    await modal.getByText(PARENT_UNIT.name, { exact: true }).waitFor(); // the parent is preset
    await modal.getByLabel('机构名称').fill(CHILD_UNIT.name);
    await modal.getByLabel('机构编码').fill(CHILD_UNIT.code);
    await modal.getByRole('button', { name: named('保存') }).click();
    await modal.waitFor({ state: 'hidden' });
    await detail.getByText(CHILD_UNIT.code, { exact: true }).waitFor();

    const path = await detail.locator('.ant-descriptions-row').filter({ hasText: '完整路径' }).innerText();
    expect(path).toContain(PARENT_UNIT.name);
    expect(path).toContain(CHILD_UNIT.name);
    const tree = admin.getByTestId('org-tree');
    await tree.getByText(CHILD_UNIT.name, { exact: true }).waitFor();
    await tree.getByText(PARENT_UNIT.name, { exact: true }).waitFor();
    await screenshot(admin, 'org-units');
  });

  it('[L4-1.1.2] configures a custom role from permissions, assigns it to a user in 运维组 scoped to 信息中心, and the user sees only the allowed menus', async () => {
    // 1. The role, from a set of permissions.
    await openNav(admin, 'roles', 'role-list-page');
    await admin.getByRole('button', { name: named('新建角色') }).click();
    const drawer = dialog(admin, '新建角色');
    await drawer.getByLabel('角色名称').fill(ROLE.name);
    await drawer.getByLabel('描述').fill(ROLE.description);
    const picker = drawer.getByTestId('permission-picker');
    for (const permission of ROLE.permissions) {
      await picker.getByText(permission, { exact: true }).click();
    }
    await picker.getByText(`已选择 ${ROLE.permissions.length} 项权限`).waitFor();
    await screenshot(admin, 'role-create');
    await drawer.getByRole('button', { name: named('保存') }).click();
    await drawer.waitFor({ state: 'hidden' });
    const roleRow = row(admin, ROLE.name);
    await roleRow.waitFor();
    const roleCells = await roleRow.locator('td').allInnerTexts();
    expect(roleCells).toContain('自定义角色');
    expect(roleCells).toContain(String(ROLE.permissions.length));
    await screenshot(admin, 'roles');

    // 2. The user, in 运维组.
    await openNav(admin, 'users', 'user-list-page');
    await admin.getByRole('button', { name: named('新建用户') }).click();
    const form = dialog(admin, '初始密码');
    await form.getByLabel('用户名').fill(DUTY.username);
    await form.getByLabel('姓名').fill(DUTY.displayName);
    await form.getByLabel('所属机构').click();
    await openDropdown(admin).getByTitle(CHILD_UNIT.name, { exact: true }).click();
    await form.getByLabel('初始密码').fill(DUTY.initial);
    await form.getByLabel('确认新密码').fill(DUTY.initial);
    await form.getByRole('button', { name: named('保存') }).click();
    await form.waitFor({ state: 'hidden' });
    const userRow = row(admin, DUTY.username);
    await userRow.waitFor();
    expect(await userRow.innerText()).toContain(`${PARENT_UNIT.name} / ${CHILD_UNIT.name}`);

    // 3. The role, with its data scope limited to 信息中心 (and below).
    await userRow.getByRole('button', { name: named('分配角色') }).click();
    const modal = dialog(admin, `分配角色 — ${DUTY.displayName}`);
    await modal.getByRole('button', { name: named('添加角色') }).click();
    await modal.getByLabel('角色', { exact: true }).click();
    await openDropdown(admin).locator('.ant-select-item-option').filter({ hasText: ROLE.name }).click();
    await modal.getByText('指定机构', { exact: true }).click();
    await modal.getByRole('combobox', { name: /指定机构/ }).click();
    await openDropdown(admin).getByTitle(PARENT_UNIT.name, { exact: true }).click();
    await modal.getByText('为用户分配一个或多个角色', { exact: false }).click(); // close the dropdown
    await screenshot(admin, 'assign-role-scoped');
    await modal.getByRole('button', { name: named('保存') }).click();
    await modal.waitFor({ state: 'hidden' });
    await userRow.getByText(`${ROLE.name} · 限定范围`).waitFor();
    await screenshot(admin, 'users');

    // 4. The user signs in (forced password change; no MFA: the role is no administrator role).
    duty = await journey.newPage();
    await signIn(duty, DUTY.username, DUTY.initial);
    await forcedPasswordChange(duty, DUTY.initial, DUTY.password);
    await duty.getByTestId('home-page').waitFor();
    expect(await menuLinks(duty)).toEqual(['首页', '用户管理', '组织机构', '能力矩阵']);
    for (const hidden of ['roles', 'securityPolicy', 'tokens', 'audit']) {
      expect(await duty.getByTestId(`nav-${hidden}`).count(), hidden).toBe(0);
    }
    const shortcuts = await duty.locator('[data-testid^="shortcut-"]').evaluateAll((links) => links.map((a) => a.getAttribute('data-testid')));
    expect(shortcuts).toEqual(['shortcut-users', 'shortcut-orgUnits', 'shortcut-capability']);
    await screenshot(duty, 'duty-home');

    // 5. Read-only, and only inside 信息中心: no "新建用户", and the admin (in no unit) is not listed.
    await openNav(duty, 'users', 'user-list-page');
    await row(duty, DUTY.username).waitFor();
    expect(await row(duty, ADMIN.username).count()).toBe(0);
    expect(await duty.getByRole('button', { name: named('新建用户') }).count()).toBe(0);
    expect(await duty.getByRole('button', { name: named('分配角色') }).count()).toBe(0);
    await screenshot(duty, 'duty-users');

    await openNav(duty, 'orgUnits', 'org-unit-page');
    await duty.getByTestId('org-tree').getByText(CHILD_UNIT.name, { exact: true }).waitFor();
    expect(await duty.getByRole('button', { name: named('新增机构') }).count()).toBe(0);

    await openNav(duty, 'capability', 'capability-page');
    await screenshot(duty, 'capability');
  });

  it('the duty officer opening a page outside the role sees a clear 403 message', async () => {
    await duty.goto(`${yw.url}/platform/roles`);
    const forbidden = duty.getByTestId('forbidden');
    await forbidden.waitFor();
    const text = await forbidden.innerText();
    expect(text).toContain('无权访问');
    expect(text).toContain('您没有访问此页面的权限（需要权限：access.role.read），请联系管理员分配相应角色。');
    await screenshot(duty, 'duty-forbidden-roles');

    await duty.goto(`${yw.url}/platform/audit`);
    await duty.getByTestId('forbidden').getByText('需要权限：audit.log.read', { exact: false }).waitFor();
    expect(await duty.getByTestId('audit-log-page').count()).toBe(0);

    await duty.getByRole('button', { name: named('返回首页') }).click();
    await duty.getByTestId('home-page').waitFor();
  });

  it('[L3-1.1.2] defines roles from job responsibilities: built-in 岗位 roles, separation of duties refused with a clear message, a separate audit administrator', async () => {
    // Built-in roles follow the job responsibilities (三员分立) and are read-only.
    await openNav(admin, 'roles', 'role-list-page');
    for (const builtin of ['系统管理员', '安全管理员', '审计管理员', '运维操作员', '只读用户']) {
      const builtinRow = row(admin, builtin);
      await builtinRow.getByText('内置', { exact: true }).waitFor();
    }
    await row(admin, '审计管理员').getByRole('button', { name: named('查看') }).click();
    const view = dialog(admin, '查看角色：审计管理员');
    await view.getByText('这是内置角色（审计管理员），其权限由平台按岗位职责维护，不能修改。').waitFor();
    expect(await view.getByRole('button', { name: named('保存') }).count()).toBe(0);
    await view.getByRole('button', { name: named('关闭') }).last().click();
    await view.waitFor({ state: 'hidden' });

    // The security policy has separation of duties on.
    await openNav(admin, 'securityPolicy', 'security-policy-page');
    const sod = admin.getByRole('switch', { name: '三员分立' });
    expect(await sod.getAttribute('aria-checked')).toBe('true');
    await screenshot(admin, 'security-policy');

    // The admin holds 系统管理员 (+ 安全管理员): adding 审计管理员 is refused, with the reason.
    await openNav(admin, 'users', 'user-list-page');
    await row(admin, ADMIN.username).getByRole('button', { name: named('分配角色') }).click();
    const modal = dialog(admin, `(${ADMIN.username})`);
    await modal.getByRole('button', { name: named('添加角色') }).click();
    await modal.getByLabel('角色', { exact: true }).last().click();
    await openDropdown(admin).locator('.ant-select-item-option').filter({ hasText: '审计管理员' }).click();
    await modal.getByRole('button', { name: named('保存') }).click();
    const error = modal.getByTestId('roles-error');
    await error.waitFor();
    const message = await error.innerText();
    expect(message).toContain('违反三员分立');
    expect(message).toContain('“系统管理员”与“审计管理员”不能由同一人担任');
    await screenshot(admin, 'sod-refused');
    await modal.getByRole('button', { name: named('取消') }).click();
    await modal.waitFor({ state: 'hidden' });
    const adminRoles = await row(admin, ADMIN.username).innerText();
    expect(adminRoles).toContain('系统管理员');
    expect(adminRoles).not.toContain('审计管理员');

    // A separate person is the audit administrator.
    await admin.getByRole('button', { name: named('新建用户') }).click();
    const form = dialog(admin, '初始密码');
    await form.getByLabel('用户名').fill(AUDITOR.username);
    await form.getByLabel('姓名').fill(AUDITOR.displayName);
    await form.getByLabel('初始密码').fill(AUDITOR.initial);
    await form.getByLabel('确认新密码').fill(AUDITOR.initial);
    await form.getByLabel('角色', { exact: true }).click();
    await openDropdown(admin).locator('.ant-select-item-option').filter({ hasText: '审计管理员' }).click();
    await form.getByLabel('姓名').click(); // close the dropdown
    await form.getByRole('button', { name: named('保存') }).click();
    await form.waitFor({ state: 'hidden' });
    await row(admin, AUDITOR.username).getByText('审计管理员', { exact: true }).waitFor();
  });

  it('the audit administrator enrols MFA, finds every step above in the audit trail, and verifies its integrity', async () => {
    auditor = await journey.newPage();
    await signIn(auditor, AUDITOR.username, AUDITOR.initial);
    await forcedPasswordChange(auditor, AUDITOR.initial, AUDITOR.password);
    await forcedMfaEnrolment(auditor);
    await auditor.getByTestId('home-page').getByText('审计管理员', { exact: true }).waitFor();

    await openNav(auditor, 'audit', 'audit-log-page');
    await screenshot(auditor, 'audit');
    const rows = auditor.locator('.ant-table-tbody tr.ant-table-row');
    const search = async (action: string): Promise<string[]> => {
      // The filter is applied as it is typed (and kept in the URL).
      await auditor.getByPlaceholder('操作，如 identity.user.create').fill(action);
      await expect
        .poll(async () => {
          const texts = await rows.allInnerTexts();
          return texts.length > 0 && texts.every((text) => text.includes(action));
        }, { timeout: TIMEOUT })
        .toBe(true);
      return rows.allInnerTexts();
    };

    const units = await search('org.unit.create');
    expect(units).toHaveLength(2);
    expect(units.every((text) => text.includes(ADMIN.username))).toBe(true);

    const roles = await search('access.role.create');
    expect(roles).toHaveLength(1);

    const users = await search('identity.user.create');
    expect(users).toHaveLength(3); // admin (bootstrap), the duty officer, the auditor

    const assignments = await search('access.assignment.set');
    expect(assignments.length).toBeGreaterThanOrEqual(2);

    const logins = await search('identity.login');
    for (const username of [ADMIN.username, DUTY.username, AUDITOR.username]) {
      expect(logins.some((text) => text.includes(username)), username).toBe(true);
    }
    await search('identity.mfa.enrol');
    await search('identity.password.change');

    // Expand the role entry: the permissions are in its "after".
    await search('access.role.create');
    await rows.first().locator('.ant-table-row-expand-icon').click();
    const after = auditor.getByTestId('audit-after');
    await after.waitFor();
    const afterText = await after.innerText();
    expect(afterText).toContain(ROLE.name);
    for (const permission of ['identity.user.read', 'org.unit.read', 'standard.matrix.read']) {
      expect(afterText).toContain(permission);
    }
    await screenshot(auditor, 'audit-role-entry');

    await auditor.getByRole('button', { name: named('校验完整性') }).click();
    const result = auditor.getByTestId('audit-verify-result');
    await result.waitFor();
    const verdict = await result.innerText();
    expect(verdict).toContain('审计日志完整，未发现篡改');
    expect(verdict).toMatch(/哈希链完整，共校验 \d+ 条记录/);
    await screenshot(auditor, 'audit-verified');
  });

  it('the language switch turns the menus and pages into English and back into 中文', async () => {
    const menu = auditor.getByTestId('side-menu');
    await auditor.getByTestId('language-switch').getByText('English', { exact: true }).click();
    await menu.getByText('Audit trail', { exact: true }).waitFor();
    await menu.getByText('Users', { exact: true }).waitFor();
    await auditor.getByRole('heading', { name: 'Audit trail' }).waitFor();
    await auditor.getByRole('button', { name: named('Verify integrity') }).waitFor();
    expect(await auditor.locator('html').getAttribute('lang')).toBe('en');
    expect(await menu.getByText('审计日志', { exact: true }).count()).toBe(0);
    await screenshot(auditor, 'audit-en');

    // The choice is remembered across a reload.
    await auditor.reload();
    await auditor.getByTestId('audit-log-page').waitFor();
    await menu.getByText('Audit trail', { exact: true }).waitFor();

    await auditor.getByTestId('language-switch').getByText('中文', { exact: true }).click();
    await menu.getByText('审计日志', { exact: true }).waitFor();
    await menu.getByText('用户管理', { exact: true }).waitFor();
    await auditor.getByRole('heading', { name: '审计日志' }).waitFor();
    expect(await auditor.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await menu.getByText('Audit trail', { exact: true }).count()).toBe(0);
  });

  it('in English every menu label of the system administrator fits the sidebar, none cut off', async () => {
    await admin.getByTestId('language-switch').getByText('English', { exact: true }).click();
    const menu = admin.getByTestId('side-menu');
    await menu.getByText('Notification channels', { exact: true }).waitFor();
    // The sider widens with a transition: measure until it has settled.
    const cut = () => menu.locator('.ant-menu-title-content').evaluateAll((items) => items.filter((item) => item.scrollWidth > item.clientWidth + 1).map((item) => item.textContent));
    await expect.poll(cut, { timeout: 5000 }).toEqual([]);
    await admin.getByTestId('language-switch').getByText('中文', { exact: true }).click();
    await menu.getByText('通知渠道', { exact: true }).waitFor();
  });
});
