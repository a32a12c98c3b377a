import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
];

/**
 * Debian's Chromium, headless, with `args` (without a GPU by default; gpu-chromium.ts passes its own). Fails loudly
 * when the browser is missing: a browser test that skipped itself would pass in CI having run nothing.
 */
export async function launchChromium(args: readonly string[] = ARGS): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium), ` +
        'or point CHROMIUM_PATH at a Chromium binary. The renderer and GPU tests need a real browser.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: [...args] });
}
