/**
 * The renderer in Debian's Chromium, given the same API object the preload exposes (createApi), backed by the real
 * main-side services in this process: real training in forked workers on a small MNIST subset, a history folder in
 * a temporary directory, real device detection, and the save dialog answered with a temporary path.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeReason } from '../../electron/shared/describe-reason';
import type { Reason } from '../../electron/shared/reasons';
import { decodePth } from '../../electron/training/export/pth';
import { TORCH_SPECS, toTorch } from '../../electron/training/export/torch-layout';
import type { Bridge } from './harness/api-bridge';
import { openAppPage } from './harness/app-page';
import { launchChromium } from './harness/browser';
import { launchGpuChromium } from './harness/gpu-chromium';
import { buildRenderer } from './harness/build-renderer';
import { createRealMain } from './harness/real-main';
import { screenshot } from './harness/screenshots';
import { serveFolder } from './harness/serve';

// 2 epochs of 6,400 images: 100 batches an epoch, so each epoch logs one of the reference's 100-batch means.
const QUICK = { epochs: '2', limit: '6400' };

let tmp: string;
let outDir: string;
let browser: Browser;
let gpuBrowser: Browser;
let server: Awaited<ReturnType<typeof serveFolder>>;
let main: Awaited<ReturnType<typeof createRealMain>>;
let page: Page;
let bridge: Bridge;
let pageErrors: string[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'athanor-e2e-'));
  outDir = join(tmp, 'renderer');
  await buildRenderer(outDir);
  server = await serveFolder(outDir);
  // GPU pages as the app opens them, without the testing option: this machine's only GPU adapter is software.
  gpuBrowser = await launchGpuChromium();
  main = await createRealMain(join(tmp, 'history'), {
    testLimit: 1000,
    gpuPages: { browser: gpuBrowser, url: server.url, testingOption: false },
  });
  browser = await launchChromium();
  ({ page, bridge, errors: pageErrors } = await openAppPage(browser, server.url, main, { width: 1280, height: 860 }));
});

afterAll(async () => {
  main?.runs.dispose();
  await browser?.close();
  await gpuBrowser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function fillQuickRun(p: Page, fields: { epochs: string; limit: string }): Promise<void> {
  await p.getByLabel('Epochs').fill(fields.epochs);
  await p.getByLabel(/^Images/).fill(fields.limit);
}

const rows = () => page.getByTestId('history-row');
/** A reason in the words the panel shows. */
const said = (reason: Reason | null): string => (reason ? describeReason(reason) : '');

describe('Athanor in Chromium with the real main-side services', () => {
  it('shows the devices found here, and Train on GPU disabled with the reason', async () => {
    const report = await main.devices.get();
    await expect
      .poll(() => page.getByTestId('device-cpu').innerText(), { timeout: 60_000 })
      .toContain(`${report.cpu.cores} cores`);
    expect(await page.getByTestId('device-cpu').innerText()).toContain(report.cpu.model);
    if (report.engines.cpu.engine?.engine === 'wasm') {
      expect(await page.getByTestId('device-cpu').innerText()).toContain('fallback engine (wasm)');
      expect(await page.getByTestId('cpu-reason').innerText()).toBe(said(report.engines.cpu.reason));
    }
    // This machine has no NVIDIA GPU: the button says why it is off, in the services' words.
    expect(report.engines.gpu.available).toBe(false);
    const gpuButton = page.getByRole('button', { name: 'Train on GPU' });
    expect(await gpuButton.isDisabled()).toBe(true);
    expect(await page.getByTestId('gpu-blocked').innerText()).toBe(
      `GPU unavailable: ${said(report.engines.gpu.reason)}`,
    );
    // The empty run panel points only at the button that works.
    expect(await page.getByTestId('live-chart').innerText()).toMatch(/^No run yet\. Press Train on CPU to start\./);
    // Each GPU engine says why it cannot run, and the panel gives the one step that would help.
    for (const key of ['webgpu', 'webgl', 'cuda'] as const) {
      expect(await page.getByTestId(`gpu-reason-${key}`).innerText()).toBe(said(report.gpuEngines[key].reason));
    }
    expect(await page.getByTestId('gpu-reason').innerText()).toMatch(
      /^No GPU engine can train here: (WebGPU and WebGL were not checked|.*graphics driver)/,
    );
    expect(await page.getByRole('button', { name: 'Train on CPU' }).isEnabled()).toBe(true);
    expect(await page.getByTestId('speedup').innerText()).toMatch(/GPU/);
    await screenshot(page, 'app-start', { docs: true });
  });

  it('trains on the CPU with live progress and chart points, then shows results and a history row', async () => {
    await fillQuickRun(page, QUICK);
    await page.getByRole('button', { name: 'Train on CPU' }).click();

    await expect.poll(() => page.getByTestId('live-phase').innerText(), { timeout: 60_000 }).toBe('training');
    await expect
      .poll(async () => Number(await page.getByTestId('live-chart').getAttribute('data-points')), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(5);
    const stats = await page.getByTestId('live-stats').innerText();
    expect(stats).toMatch(/EPOCH\s+1 \/ 2/i);
    expect(stats).toMatch(/BATCH\s+\d+ \/ 100/i);
    expect(stats).toMatch(/\d+ img\/s/);
    expect(await page.getByTestId('eta').innerText()).toMatch(/\d+ s|min/);
    expect(await page.getByTestId('live-engine').innerText()).toMatch(/wasm|tfjs-node/);
    const bar = page.getByRole('progressbar');
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    await expect
      .poll(async () => Number(await page.getByTestId('live-chart').getAttribute('data-windows')), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(1);
    await screenshot(page, 'app-training', { docs: true });

    await expect.poll(() => page.getByTestId('live-phase').innerText(), { timeout: 120_000 }).toBe('done');
    expect(await page.getByTestId('live-chart').getAttribute('data-windows')).toBe('2');
    const accuracy = Number((await page.getByTestId('accuracy').innerText()).replace('%', ''));
    expect(accuracy).toBeGreaterThan(20); // ten classes: chance is 10%
    expect(await page.getByTestId('per-class').locator('li').count()).toBe(10);
    expect(await page.getByTestId('confusion').locator('tbody tr').count()).toBe(10);
    expect(await page.getByTestId('training-time').innerText()).toMatch(/\d s$/);

    await expect.poll(() => rows().count()).toBe(1);
    const row = rows().first();
    expect(await row.getAttribute('data-status')).toBe('done');
    const text = await row.innerText();
    expect(text).toContain('CPU');
    expect(text).toContain('first 6,400 images');
    expect(text).toContain(`${accuracy.toFixed(2)}%`);
    const stored = main.history.state().records;
    expect(stored.map((r) => [r.status, r.hasWeights])).toEqual([['done', true]]);
    // The test images under "Try the model" are classified by the run's weights: each tile shows its prediction.
    const samples = page.getByTestId('sample');
    await expect.poll(() => samples.locator('.caption').count()).toBe(await samples.count());
    expect(await samples.count()).toBeGreaterThan(0);
    await screenshot(page, 'app-finished', { docs: true });
  });

  it('queues a second request visibly, and cancels both the queued and the running run', async () => {
    await fillQuickRun(page, { epochs: '3', limit: '6400' });
    const train = page.getByRole('button', { name: 'Train on CPU' });
    await train.click();
    await train.click();
    await expect.poll(() => page.getByTestId('queue').innerText()).toMatch(/1\s*CPU/);
    await expect
      .poll(async () => Number(await page.getByTestId('live-chart').getAttribute('data-points')), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(2);
    await screenshot(page, 'app-queue');

    await page.getByRole('button', { name: 'Remove queued CPU run' }).click();
    await expect.poll(() => page.getByTestId('queue').count()).toBe(0);
    await page.getByTestId('live').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByTestId('live-phase').innerText(), { timeout: 30_000 }).toBe('cancelled');

    await expect.poll(() => rows().count()).toBe(3);
    const statuses = await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(statuses.sort()).toEqual(['cancelled', 'cancelled', 'done']);
    const stored = main.history.state().records;
    expect(stored.filter((r) => r.status === 'cancelled').map((r) => r.hasWeights)).toEqual([false, false]);
    expect(await rows().filter({ hasText: 'cancelled' }).getByRole('button', { name: 'Export…' }).count()).toBe(0);
  });

  it('exports the finished run as .pth through the save dialog, and the file loads back', async () => {
    const done = main.history.state().records.find((r) => r.status === 'done')!;
    await mkdir(join(tmp, 'export'));
    const path = join(tmp, 'export', 'mnist_cnn.pth');
    main.dialogs.nextSavePath = path;
    await page
      .locator(`[data-testid="history-row"][data-id="${done.id}"]`)
      .getByRole('button', { name: 'Export…' })
      .click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByLabel(/PyTorch state_dict/).isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Save as…' }).click();
    await expect.poll(() => page.getByTestId('export-result').innerText()).toMatch(/^Saved \d+ KiB to /);
    expect(await page.getByTestId('export-result').innerText()).toContain(path);
    await screenshot(page, 'app-export', { docs: true, fullPage: false });
    expect(main.dialogs.saveRequests.at(-1)?.defaultName).toBe('mnist_cnn.pth');

    const tensors = decodePth(new Uint8Array(await readFile(path)));
    expect(tensors.map((t) => [t.name, t.shape])).toEqual(TORCH_SPECS.map((s) => [s.name, [...s.shape]]));
    const expected = toTorch((await main.history.loadWeights(done.id)).weights);
    for (const [i, t] of tensors.entries())
      expect(Buffer.from(t.data.buffer).equals(Buffer.from(expected[i].data.buffer))).toBe(true);
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await dialog.isVisible()).toBe(false);
  });

  it('says why an export failed, and leaves no file', async () => {
    const done = main.history.state().records.find((r) => r.status === 'done')!;
    const path = join(tmp, 'no-such-folder', 'nested', 'mnist_cnn.pth');
    main.dialogs.nextSavePath = path;
    await page
      .locator(`[data-testid="history-row"][data-id="${done.id}"]`)
      .getByRole('button', { name: 'Export…' })
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Save as…' }).click();
    await expect.poll(() => page.getByTestId('export-result').innerText()).toMatch(/^Export failed: .+/);
    expect(existsSync(path)).toBe(false);
    await page.keyboard.press('Escape');
  });

  it('overlays the loss curves of ticked rows, and exports the table as CSV', async () => {
    const withCurves = main.history.state().records.filter((r) => r.curve.length > 0);
    expect(withCurves.length).toBeGreaterThanOrEqual(2);
    for (const r of withCurves)
      await page.locator(`[data-testid="history-row"][data-id="${r.id}"]`).getByRole('checkbox').check();
    await expect
      .poll(() => page.getByTestId('overlay-chart').getAttribute('data-series'))
      .toBe(String(withCurves.length));

    const csvPath = join(tmp, 'history.csv');
    main.dialogs.nextSavePath = csvPath;
    await page.getByRole('button', { name: 'Export CSV…' }).click();
    await expect.poll(() => page.getByTestId('notices-polite').getByText('History exported').count()).toBe(1);
    const csv = await readFile(csvPath, 'utf8');
    expect(csv.trim().split(/\r?\n/)).toHaveLength(1 + main.history.state().records.length);
    await page.getByTestId('history').scrollIntoViewIfNeeded();
    await screenshot(page, 'app-history', { docs: true });
  });

  it('answers the menu: Export weights... opens the export for the ticked run, About shows the version', async () => {
    bridge.emit('menu:export-weights');
    const exportDialog = page.getByRole('dialog', { name: 'Export weights' });
    await exportDialog.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await exportDialog.innerText()).toMatch(/CPU run of .* test accuracy/);
    await page.keyboard.press('Escape');
    await exportDialog.waitFor({ state: 'hidden', timeout: 10_000 });

    bridge.emit('menu:about');
    const { version } = (await main.handlers['app:info'](undefined)) as { version: string };
    const about = page.getByRole('dialog', { name: 'About Athanor' });
    await about.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await page.getByTestId('about').innerText();
    expect(text).toContain(version);
    expect(text).toMatch(/GPU engine\s+unavailable: /);
    await page.keyboard.press('Escape');
    await about.waitFor({ state: 'hidden', timeout: 10_000 });
  });

  it('keeps a dialog a menu opens straight after another was closed with Escape', async () => {
    // requestClose() is what Escape does to a modal <dialog>: `cancel` now, `close` a task later. The menu event is
    // delivered in between, the order a user meets when a menu accelerator follows Escape quickly.
    // It returns once that late `close` has come and been handled, so what the test then sees is after it.
    const closeThenMenu = (channel: string) =>
      page.evaluate(async (c) => {
        const dialog = document.querySelector('dialog[open]') as HTMLDialogElement & { requestClose(): void };
        const closed = new Promise((resolve) => dialog.addEventListener('close', resolve, { once: true }));
        dialog.requestClose();
        (globalThis as unknown as { __athanorEmit: (c: string) => void }).__athanorEmit(c);
        await closed;
        // What the close handler changed is on screen a frame later.
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      }, channel);
    const exportDialog = page.getByRole('dialog', { name: 'Export weights' });
    const about = page.getByRole('dialog', { name: 'About Athanor' });

    bridge.emit('menu:export-weights');
    await exportDialog.waitFor({ state: 'visible', timeout: 10_000 });
    await closeThenMenu('menu:about');
    await about.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await about.isVisible()).toBe(true);
    expect(await exportDialog.isVisible()).toBe(false);

    // The same dialog again: closed, then reopened by the menu before its `close` arrives.
    await closeThenMenu('menu:about');
    expect(await about.isVisible()).toBe(true);
    expect(await page.locator('dialog[open]').count()).toBe(1);

    await page.keyboard.press('Escape');
    await about.waitFor({ state: 'hidden', timeout: 10_000 });
    expect(await page.locator('dialog[open]').count()).toBe(0);

    // Export's open state is derived from the run: closed and reopened in one update, the effect never sees it.
    bridge.emit('menu:export-weights');
    await exportDialog.waitFor({ state: 'visible', timeout: 10_000 });
    await closeThenMenu('menu:export-weights');
    expect(await exportDialog.isVisible()).toBe(true);
    expect(await page.locator('dialog[open]').count()).toBe(1);
    await page.keyboard.press('Escape');
    await exportDialog.waitFor({ state: 'hidden', timeout: 10_000 });
  });

  it('deletes a row after a confirmation', async () => {
    const before = main.history.state().records.length;
    const victim = main.history.state().records.find((r) => r.status === 'cancelled')!;
    const row = page.locator(`[data-testid="history-row"][data-id="${victim.id}"]`);
    await row.getByRole('button', { name: /^Delete/ }).click();
    expect(main.history.state().records).toHaveLength(before);
    await row.getByRole('button', { name: 'Confirm delete' }).click();
    await expect.poll(() => rows().count()).toBe(before - 1);
    expect(main.history.get(victim.id)).toBeUndefined();
  });

  it('raised no page errors and no Content-Security-Policy violations', () => {
    expect(pageErrors).toEqual([]);
  });
});
