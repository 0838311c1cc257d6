import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = process.env.YUNWEI_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-output/screenshots');

/** True when the system Chromium is installed; without it the journeys skip loudly (fail in CI). */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) {
    return true;
  }
  if (process.env.YUNWEI_REQUIRE_ALL === '1') {
    throw new Error(`Chromium not found at ${CHROMIUM} and YUNWEI_REQUIRE_ALL=1 (apt-get install chromium)`);
  }
  console.warn(`\n⚠ SKIPPING browser journeys: no Chromium at ${CHROMIUM} (apt-get install chromium)\n`);
  return false;
}

/** The system Chromium, headless, never a downloaded browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface JourneyOptions extends BrowserContextOptions {
  /** Playwright's default timeout for every action and navigation of the journey's pages. */
  timeoutMs?: number;
}

export interface Journey {
  browser: Browser;
  /** The first page's context. */
  context: BrowserContext;
  page: Page;
  /** Another page in a context of its own (another user, another screen): the journey's options with `overrides` on top. */
  newPage(overrides?: BrowserContextOptions): Promise<Page>;
  /** Closes every context, then the browser; never throws (it runs in afterAll, after whatever failed). */
  close(): Promise<void>;
}

/**
 * A journey's browser and first page: 1440×900, zh-CN, Asia/Shanghai (the server's default zone)
 * unless `options` say otherwise, a 15 s default timeout, and the page's uncaught errors in the test
 * output (a crash shows up there, not only as a timeout).
 */
export async function openJourney(options: JourneyOptions = {}): Promise<Journey> {
  const { timeoutMs = 15_000, ...contextOptions } = options;
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];
  const close = async () => {
    for (const context of contexts) {
      await context.close().catch(() => undefined);
    }
    await browser.close().catch(() => undefined);
  };
  const newPage = async (overrides: BrowserContextOptions = {}): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...contextOptions, ...overrides });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    page.setDefaultNavigationTimeout(timeoutMs);
    page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
    return page;
  };
  try {
    const page = await newPage();
    return { browser, context: page.context(), page, newPage, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Picks `label` in the antd Select `testId` of `page` (its dropdown is rendered at the end of the body). */
export async function chooseOption(page: Page, testId: string, label: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: label }).first().click();
}
