import type { Page } from 'playwright-core';
import { named } from './sign-in.js';

/** Confirms the modal of a document action (提交审批, 发布, 新版本 …) with its verb and waits for it to close. */
export async function confirmLibraryStep(page: Page, verb: string): Promise<void> {
  const dialog = page.getByRole('dialog').filter({ has: page.getByTestId('library-step-comment') });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: named(verb) }).click();
  await dialog.waitFor({ state: 'hidden' });
}
