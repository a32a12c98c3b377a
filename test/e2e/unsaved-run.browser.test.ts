/**
 * A run that finishes while the history cannot be written (a full disk) is not lost from view: the row is listed
 * with "not saved" and why, the banner says so, and its weights export from memory. Real training in a forked
 * worker, the real history store with its file writes failing as a full disk fails them, the UI in Chromium.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic, WriteFileError } from '../../electron/fs-atomic';
import { decodePth } from '../../electron/training/export/pth';
import { TORCH_SPECS } from '../../electron/training/export/torch-layout';
import { openAppPage } from './harness/app-page';
import { launchChromium } from './harness/browser';
import { buildRenderer } from './harness/build-renderer';
import { createRealMain } from './harness/real-main';
import { screenshot } from './harness/screenshots';
import { serveFolder } from './harness/serve';

let tmp: string;
let browser: Browser;
let server: Awaited<ReturnType<typeof serveFolder>>;
let main: Awaited<ReturnType<typeof createRealMain>>;
let page: Page;
let errors: string[] = [];
/** The disk is full for the history folder (not for the export's folder). */
let full = false;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'athanor-e2e-unsaved-'));
  await buildRenderer(join(tmp, 'renderer'));
  server = await serveFolder(join(tmp, 'renderer'));
  const historyDir = join(tmp, 'history');
  main = await createRealMain(historyDir, {
    testLimit: 500,
    history: {
      writeFile: async (path, data) => {
        if (full && path.startsWith(historyDir)) throw new WriteFileError(path, 'ENOSPC', 'disk full');
        await writeFileAtomic(path, data);
      },
    },
  });
  browser = await launchChromium();
  ({ page, errors } = await openAppPage(browser, server.url, main, { width: 1280, height: 860 }));
});

afterAll(async () => {
  main?.runs.dispose();
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('a finished run the history cannot save', () => {
  it('is listed as not saved with why, the banner says so, and its weights export from memory', async () => {
    full = true;
    await page.getByLabel('Epochs').fill('1');
    await page.getByLabel(/^Images/).fill('640');
    await page.getByRole('button', { name: 'Train on CPU' }).click();
    await expect.poll(() => page.getByTestId('live-phase').innerText(), { timeout: 120_000 }).toBe('done');

    const row = page.getByTestId('history-row').first();
    await expect.poll(() => row.getByTestId('unsaved').count(), { timeout: 30_000 }).toBe(1);
    expect(await row.getAttribute('data-status')).toBe('done');
    expect(await row.getByTestId('unsaved').getAttribute('title')).toMatch(
      /^Not saved to the history: cannot write .*history\.json: disk full\. Export its weights before closing Athanor\.$/,
    );
    await expect
      .poll(() => page.getByTestId('history-notice').innerText())
      .toMatch(
        /could not be saved to the history: cannot write .*: disk full\. It is listed until Athanor closes; export its weights to keep them\./,
      );
    await screenshot(page, 'ui-unsaved-run');

    const path = join(tmp, 'kept.pth');
    main.dialogs.nextSavePath = path;
    await row.getByRole('button', { name: 'Export…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Save as…' }).click();
    await expect
      .poll(() => page.getByTestId('export-result').innerText(), { timeout: 30_000 })
      .toMatch(/^Saved \d+ KiB to /);
    const tensors = decodePth(new Uint8Array(await readFile(path)));
    expect(tensors.map((t) => t.name)).toEqual(TORCH_SPECS.map((s) => s.name));
    expect(errors).toEqual([]);
  }, 240_000);
});
