import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './build-renderer';

export const SCREENSHOT_DIR = resolve(ROOT, 'test-results/screenshots');
export const DOCS_DIR = resolve(ROOT, 'docs/screenshots');

/**
 * Full-page PNG under test-results/screenshots. With `docs`, and only when UPDATE_SCREENSHOTS=1, also the README's
 * copy under docs/screenshots: a plain test run (npm run test:browser) must not rewrite tracked files.
 */
export async function screenshot(
  page: Page,
  name: string,
  options: { docs?: boolean; fullPage?: boolean } = {},
): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // A full-page capture taken while scrolled draws the sticky header mid-page.
  if (options.fullPage ?? true) await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path, fullPage: options.fullPage ?? true, animations: 'disabled' });
  if (options.docs && process.env.UPDATE_SCREENSHOTS === '1') {
    await mkdir(DOCS_DIR, { recursive: true });
    await copyFile(path, join(DOCS_DIR, `${name}.png`));
  }
  return path;
}
