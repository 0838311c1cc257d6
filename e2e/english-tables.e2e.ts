import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostWithSamples, signedInApi, type Api } from './support/api.js';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn, named, totp } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * Every list page in English on a 1440×900 screen, each table with rows in it (made through the API):
 * the 操作 column ("Actions") is inside the window, no column header takes more than two lines nor is
 * cut off, every column is in view (a list of many columns — CIs, users, agents, policies, the audit
 * trail — scrolls inside its card, its Actions column fixed at the right), and the page itself never
 * scrolls sideways.
 *
 * The `it` blocks share state and run in order.
 */

// `measure()` runs in the page (page.evaluate); the e2e files compile without the DOM library, so the
// few browser globals it uses are declared here, for this file only.
declare const document: any, window: any, NodeFilter: any, getComputedStyle: any;
type Element = any;

const TIMEOUT = 20_000;

interface TableShape {
  headers: string[];
  /** Headers whose text runs over more than two lines. */
  tall: string[];
  /** Headers whose text is cut off ("Organisation u…"). */
  cut: string[];
  /** Columns scrolled out of view (the table is wider than its card). */
  hidden: string[];
  /** null: the table has no Actions column. */
  actionsInView: boolean | null;
}

interface PageShape {
  tables: TableShape[];
  /** How far the page is wider than the window (0 when it is not). */
  overflow: number;
}

/** A list page, optionally one of its tabs (its English label). */
interface ListPage {
  path: string;
  tab?: string;
  /** Tables that must have an Actions column. */
  actions: boolean;
  /** A wide list (many columns) whose later columns may scroll into view; else every column shows. */
  wide?: boolean;
}

const PAGES: ListPage[] = [
  { path: '/cmdb/cis', actions: true, wide: true },
  { path: '/cmdb/classes', actions: true },
  { path: '/monitoring', actions: false },
  { path: '/monitoring/latest', actions: true },
  { path: '/monitoring/dashboards', actions: true },
  { path: '/monitoring/agents', actions: true, wide: true },
  { path: '/inspections/records', actions: false },
  { path: '/inspections/templates', actions: true },
  { path: '/inspections/schedules', actions: true, wide: true },
  { path: '/inspections/policies', actions: true },
  { path: '/inspections/coverage', actions: false },
  // Alerts open from their row (no Actions column); acknowledging is a bulk action above the list.
  { path: '/alerts', actions: false },
  { path: '/alerts/rules', actions: true },
  { path: '/alerts/rules', tab: 'Statistics', actions: false },
  { path: '/alerts/silences', actions: true },
  { path: '/alerts/silences?tab=maintenance', actions: true },
  { path: '/alerts/policies', actions: true, wide: true },
  { path: '/alerts/policies?tab=escalations', actions: true },
  { path: '/alerts/policies?tab=groups', actions: false, wide: true },
  { path: '/alerts/oncall', actions: true },
  { path: '/platform/users', actions: true, wide: true },
  { path: '/platform/roles', actions: true },
  { path: '/platform/tokens', actions: true, wide: true },
  // The nodes serving this database: read-only, no Actions column.
  { path: '/platform/cluster', actions: false },
];

/** The pages other work was changing while this test was written: measured and reported the same way. */
const LATER_PAGES: ListPage[] = [
  // A check's row carries its heartbeat and uptime: target, CI, unit and latency scroll into view.
  { path: '/monitoring/checks', actions: true, wide: true },
  { path: '/alerts/channels', actions: true },
  { path: '/alerts/channels?tab=deliveries', actions: true, wide: true },
];

/** Measured in the page: what each visible table shows of itself. */
function measure(): PageShape {
  /** The number of lines an element's text runs over (distinct tops of its text's boxes). */
  const lines = (element: Element): number => {
    const tops = new Set<number>();
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.trim()) {
        continue;
      }
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) {
        if (rect.width > 0) {
          tops.add(Math.round(rect.top / 4));
        }
      }
    }
    return tops.size;
  };
  const width = window.innerWidth;
  const tables: TableShape[] = [];
  for (const wrapper of document.querySelectorAll('.ant-table-wrapper')) {
    if (!wrapper.checkVisibility() || !wrapper.querySelector('tbody tr.ant-table-row')) {
      continue;
    }
    const heads = [...wrapper.querySelectorAll('thead th')].filter((th) => th.checkVisibility() && th.textContent?.trim());
    const action = heads.find((th) => th.textContent?.trim() === 'Actions');
    let actionsInView: boolean | null = null;
    if (action) {
      const r = action.getBoundingClientRect();
      const box = wrapper.getBoundingClientRect();
      actionsInView = r.width > 0 && r.left >= 0 && r.right <= width + 0.5 && r.right <= box.right + 1;
    }
    // Text wider than the cell: cut off by an ellipsis, or running into the next column.
    const overflows = (th: Element) => {
      const range = document.createRange();
      range.selectNodeContents(th);
      const text = range.getBoundingClientRect();
      const cell = th.getBoundingClientRect();
      return text.width > 0 && text.right > cell.right - parseFloat(getComputedStyle(th).paddingRight) + 1;
    };
    const text = (th: Element) => th.textContent!.trim();
    // What a scrolled table shows: its scroll box, less the columns fixed at either side.
    const view = (wrapper.querySelector('.ant-table-content, .ant-table-body') ?? wrapper).getBoundingClientRect();
    const fixed = heads.filter((th) => th.className.includes('ant-table-cell-fix'));
    const start = Math.max(view.left, ...fixed.filter((th) => th.className.includes('fix-start') || th.className.includes('fix-left')).map((th) => th.getBoundingClientRect().right));
    const end = Math.min(view.right, ...fixed.filter((th) => th.className.includes('fix-end') || th.className.includes('fix-right')).map((th) => th.getBoundingClientRect().left));
    const outOfView = (th: Element) => {
      const r = th.getBoundingClientRect();
      return !fixed.includes(th) && (r.left < start - 1 || r.right > end + 1);
    };
    tables.push({ headers: heads.map(text), tall: heads.filter((th) => lines(th) > 2).map(text), cut: heads.filter(overflows).map(text), hidden: heads.filter(outOfView).map(text), actionsInView });
  }
  return { tables, overflow: document.documentElement.scrollWidth - width };
}

describe.skipIf(!chromiumAvailable())('English tables at 1440 px (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let api: Api;
  let ciId = '';
  /** The audit administrator (only they read the audit trail), with the one-time password they start with. */
  const auditor = { username: 'shenji', password: 'Audit#Trail2024', initial: '' };
  let pusher: ReturnType<typeof setInterval> | undefined;

  const push = (ts = Date.now()) => api('POST', '/api/v1/metrics', { samples: [{ metric: 'host_cpu_usage_percent', labels: { ci: ciId, agent: 'e2e-agent' }, ts, value: 97 }] });

  beforeAll(async () => {
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial, YUNWEI_ALERT_EVAL_INTERVAL: '1', YUNWEI_NOTIFY_ALLOW_LOCAL: 'true' });
    journey = await openJourney({ locale: 'en-US', timeoutMs: TIMEOUT });
    page = journey.page;
  });

  afterAll(async () => {
    clearInterval(pusher);
    await journey?.close();
    await yw?.stop();
  });

  it('puts a row in every list through the API, then reads Yunwei in English', async () => {
    await firstAdminSignIn(page, yw.url);
    api = await signedInApi(page, yw.url);
    const admin = ((await api('GET', '/api/auth/session')) as { user: { id: string } }).user.id;
    const unit = (await api('POST', '/api/org-units', { name: 'Operations department' })) as { id: string };
    const lastMinute = () => [60, 45, 30, 15].map((s) => ({ metric: 'host_cpu_usage_percent', ts: Date.now() - s * 1000, value: 97 }));
    ciId = await hostWithSamples(api, { name: 'web-prod-01', ip: '10.20.1.11', orgUnitId: unit.id }, lastMinute);
    pusher = setInterval(() => void push().catch((error: unknown) => console.error('push failed', error)), 2000);
    await api('POST', '/api/alerting/rules', {
      name: 'CPU above 90%',
      spec: { kind: 'metric', selector: `host_cpu_usage_percent{ci="${ciId}"}`, reducer: 'last', windowSeconds: 60, op: '>', thresholds: { critical: 90 } },
    });
    await api('POST', '/api/users', { username: 'li.wei', displayName: 'Li Wei', email: 'li.wei@example.com', password: 'Yunwei#Ops2024!', orgUnitId: unit.id });
    await api('POST', '/api/tokens', { name: 'CMDB export script', scopes: ['cmdb.ci.read'], expiresInDays: 30 });
    await api('POST', '/api/dashboards', { name: 'Production web servers', description: 'CPU and memory of the web tier', shared: true });
    const enrolment = (await api('POST', '/api/agents/enrolment-tokens', { name: 'Web tier hosts', orgUnitId: unit.id })) as { secret: string };
    const enrolled = await page.request.post(`${yw.url}/api/agent/enroll`, { data: { token: enrolment.secret, hostname: 'web-prod-02', machineId: 'e2e-machine-0002', version: '0.1.0', ip: '10.20.1.12' } });
    expect(enrolled.status()).toBe(200);
    await api('POST', '/api/agents/enrolment-tokens', { name: 'Database hosts', orgUnitId: unit.id });

    const templates = ((await api('GET', '/api/inspections/templates')) as { items: { id: string; builtinKey: string | null }[] }).items;
    const system = templates.find((t) => t.builtinKey === 'system')!.id;
    await api('POST', '/api/inspections/records', { templateId: system });
    await api('POST', '/api/inspections/schedules', { templateId: system, name: 'Daily system check', kind: 'daily', time: '08:30', responsibleRole: 'operator' });
    await api('POST', '/api/inspections/policies', { name: 'Production servers', scope: { kind: 'class', classCode: 'server' }, metrics: [], checks: [], inspections: [{ templateId: system, everyDays: 7 }], responsibleRole: 'operator' });

    // Neither the silence nor the maintenance window holds the alerts back: they reach the default channel (groups, deliveries).
    await api('POST', '/api/alerting/silences', { matchers: [{ name: 'instance', op: '=', value: 'db-backup-01' }], endsAt: Date.now() + 3_600_000, comment: 'Kernel upgrade on the backup server' });
    await api('POST', '/api/alerting/maintenance', {
      name: 'Saturday patch window',
      scope: { ciIds: [ciId], classCodes: [], businessSystemIds: [] },
      schedule: { kind: 'weekly', days: [(new Date().getDay() + 3) % 7], time: '02:00', durationMinutes: 120 },
    });
    // A default channel: the built-in policy sends critical alerts to it (alert groups, deliveries).
    const channel = (await api('POST', '/api/notify/channels', { name: 'Operations webhook', type: 'webhook', config: { url: 'http://127.0.0.1:9/hook' }, isDefault: true })) as { id: string };
    await api('POST', '/api/alerting/escalations', { name: 'Page the on-call engineer', steps: [{ afterMinutes: 0, targets: [{ type: 'channel', channelId: channel.id }] }] });
    await api('POST', '/api/oncall/schedules', {
      name: 'Operations first line',
      rotations: [{ name: 'Weekly', members: [admin], unit: 'weeks', length: 1, handoverTime: '09:00', startDate: '2026-01-05', applies: 'all' }],
    });
    await api('POST', '/api/checks', { name: 'Web front page', type: 'tcp', settings: { host: '127.0.0.1', port: 9 }, ciId });
    const duty = (await api('POST', '/api/setup/duty-accounts', { auditAdmin: { username: auditor.username, displayName: 'Audit officer' } })) as { accounts: { initialPassword: string }[] };
    auditor.initial = duty.accounts[0]!.initialPassword;

    await expect.poll(async () => ((await api('GET', '/api/alerting/alerts?state=firing')) as { total: number }).total, { timeout: TIMEOUT }).toBeGreaterThan(0);
    await page.evaluate(() => window.localStorage.setItem('yunwei.language', 'en'));
    await page.goto(`${yw.url}/`);
    await page.getByTestId('home-page').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  });

  async function open(target: ListPage): Promise<PageShape> {
    await page.goto(`${yw.url}${target.path}`);
    if (target.tab) {
      await page.getByRole('tab', { name: target.tab, exact: true }).click();
    }
    // A tab's own rows, not those of the tab it left (still visible while the panes switch).
    const pane = target.tab ? '[role="tabpanel"][aria-hidden="false"] ' : '';
    await page.locator(`${pane}.ant-table-wrapper:visible tbody tr.ant-table-row`).first().waitFor();
    if (target.tab) {
      // …and measured once the tab it left has gone from view.
      await expect.poll(() => page.locator('[role="tabpanel"][aria-hidden="true"] .ant-table-wrapper:visible').count(), { timeout: TIMEOUT }).toBe(0);
    }
    // Columns settle once every table of the page has its rows.
    await expect.poll(() => page.locator('.ant-table-wrapper:visible .ant-spin-spinning').count(), { timeout: TIMEOUT }).toBe(0);
    // A tab that writes itself into the URL renders its pane again: measured once a table with rows stands.
    let shape = await page.evaluate(measure);
    await expect.poll(async () => (shape = await page.evaluate(measure)).tables.length, { timeout: TIMEOUT }).toBeGreaterThan(0);
    return shape;
  }

  const problems = (target: ListPage, shape: PageShape): string[] => {
    const where = `${target.path}${target.tab ? ` › ${target.tab}` : ''}`;
    const found: string[] = [];
    if (shape.overflow > 0) {
      found.push(`${where}: the page scrolls sideways by ${shape.overflow} px`);
    }
    if (shape.tables.length === 0) {
      found.push(`${where}: no table with rows`);
    }
    for (const table of shape.tables) {
      if (table.tall.length) {
        found.push(`${where}: headers over more than two lines: ${table.tall.join(', ')}`);
      }
      if (table.cut.length) {
        found.push(`${where}: headers cut off: ${table.cut.join(', ')}`);
      }
      if (table.hidden.length && !target.wide) {
        found.push(`${where}: columns out of view: ${table.hidden.join(', ')}`);
      }
      if (table.actionsInView === false) {
        found.push(`${where}: the Actions column is outside the window (${table.headers.join(' | ')})`);
      }
    }
    if (target.actions && !shape.tables.some((table) => table.actionsInView === true)) {
      found.push(`${where}: no Actions column in view (${shape.tables.map((t) => t.headers.join(' | ')).join(' / ')})`);
    }
    return found;
  };

  const SCREENSHOTS = ['/cmdb/cis', '/alerts', '/platform/users', '/inspections/templates', '/alerts/policies?tab=escalations'];

  for (const target of PAGES) {
    it(`${target.path}${target.tab ? ` › ${target.tab}` : ''}: Actions in view, headers on at most two lines, no sideways page scroll`, async () => {
      const shape = await open(target);
      if (SCREENSHOTS.includes(target.path) && !target.tab) {
        await screenshot(page, `english-table${target.path.replace(/[/?=]/g, '-')}`);
      }
      expect(problems(target, shape)).toEqual([]);
    });
  }

  it('shows an inspection record and its rows the same way', async () => {
    const records = ((await api('GET', '/api/inspections/records')) as { items: { id: string }[] }).items;
    // A record is a document of many columns: the later ones scroll, the note (where a row is filled in) stays at the right.
    const target = { path: `/inspections/records/${records[0]!.id}`, actions: false, wide: true };
    const shape = await open(target);
    expect(problems(target, shape)).toEqual([]);
    // The built-in template's items read in English.
    expect(await page.locator('.ant-table-wrapper').first().innerText()).toContain('Memory usage');
    await screenshot(page, 'english-table-inspection-record');
  });

  it('/platform/audit (the audit administrator): Actions-free, headers on at most two lines, no sideways page scroll', async () => {
    const previous = page;
    const own = await journey.newPage();
    page = own;
    try {
      await page.goto(`${yw.url}/login`);
      await page.getByLabel('用户名').fill(auditor.username);
      await page.getByLabel('密码', { exact: true }).fill(auditor.initial);
      await page.getByTestId('login-submit').click();
      await page.waitForURL('**/change-password');
      await page.getByLabel('当前密码').fill(auditor.initial);
      await page.getByLabel('新密码', { exact: true }).fill(auditor.password);
      await page.getByLabel('确认新密码').fill(auditor.password);
      await page.getByRole('button', { name: named('修改密码') }).click();
      await page.waitForURL('**/mfa-enrol');
      const secret = (await page.getByTestId('mfa-secret').innerText()).replace(/[^A-Z2-7]/g, '');
      await page.getByTestId('mfa-code').locator('input').first().click();
      await page.keyboard.type(totp(secret));
      await page.getByTestId('home-page').waitFor();
      await page.evaluate(() => window.localStorage.setItem('yunwei.language', 'en'));
      const target = { path: '/platform/audit', actions: false, wide: true };
      const shape = await open(target);
      await screenshot(page, 'english-table-platform-audit');
      expect(problems(target, shape)).toEqual([]);
    } finally {
      page = previous;
      await own.context().close();
    }
  });

  for (const target of LATER_PAGES) {
    it(`${target.path}: the same on the checks and notification pages`, async () => {
      expect(problems(target, await open(target))).toEqual([]);
    });
  }
});
