import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

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

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
