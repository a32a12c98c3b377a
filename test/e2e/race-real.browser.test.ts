/**
 * The README's race, for real: Compare trains the same settings on the CPU engine and then on WebGPU, in the app's
 * renderer in Chromium with the real main-side services (real workers, real MNIST, a real history folder). This
 * machine has no GPU: the GPU run is on Chromium's software adapter (SwiftShader), with the testing option, and
 * every place that shows it must say so; the headline must not count it as a GPU.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWeights } from '../../electron/shared/agreement';
import { formatGap } from '../../renderer/src/lib/format';
import { openAppPage } from './harness/app-page';
import { buildRenderer } from './harness/build-renderer';
import { launchGpuChromium } from './harness/gpu-chromium';
import { createRealMain } from './harness/real-main';
import { screenshot } from './harness/screenshots';
import { serveFolder } from './harness/serve';

let tmp: string;
let browser: Browser;
let server: Awaited<ReturnType<typeof serveFolder>>;
let main: Awaited<ReturnType<typeof createRealMain>>;
let page: Page;
let pageErrors: string[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'athanor-e2e-race-'));
  const outDir = join(tmp, 'renderer');
  await buildRenderer(outDir);
  server = await serveFolder(outDir);
  browser = await launchGpuChromium();
  main = await createRealMain(join(tmp, 'history'), { testLimit: 100, gpuPages: { browser, url: server.url } });
  ({ page, errors: pageErrors } = await openAppPage(browser, server.url, main));
});

afterAll(async () => {
  main?.runs.dispose();
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('Compare on a machine without a GPU: a real CPU run against WebGPU on the software adapter', () => {
  it('trains both, lists both, overlays both on the time axis, and keeps the software GPU out of the headline', async () => {
    await expect.poll(() => page.getByTestId('gpu-engine-webgpu').innerText(), { timeout: 120_000 }).toMatch(/ready/);
    await page.getByLabel('Epochs').fill('1');
    // Ten batches of 16: a software GPU's time grows with the images it sees, so small batches keep the race real
    // and short. The tutorial's rate barely moves the loss in ten such batches; fifty times it shows the curves falling.
    await page.getByLabel('Batch size').fill('16');
    await page.getByLabel(/^Images/).fill('160');
    await page.getByLabel('Learning rate').fill('0.05');
    await page.getByRole('button', { name: 'Compare: CPU, then GPU' }).click();

    const rows = page.getByTestId('history-row');
    // A run's row appears when it starts: wait for both runs to have ended, not for two rows.
    const ended = () => main.history.state().records.filter((r) => r.status !== 'running').length;
    await expect.poll(ended, { timeout: 480_000, interval: 1000 }).toBe(2);
    await expect.poll(() => rows.count()).toBe(2);
    const records = main.history.state().records;
    const devices = records.map((r) => r.device).sort();
    expect(devices).toEqual(['cpu', 'gpu']);
    for (const r of records) {
      expect(r.status).toBe('done');
      expect(r.settings).toMatchObject({ limit: 160, batchSize: 16, lr: 0.05, epochs: 1 });
      expect(r.timings!.trainingMs).toBeGreaterThan(0);
    }
    const gpu = records.find((r) => r.device === 'gpu')!;
    const cpu = records.find((r) => r.device === 'cpu')!;
    // Same settings and seed, the same maths: the two engines end within float32 rounding of each other.
    expect(Math.abs(gpu.finalLoss! - cpu.finalLoss!)).toBeLessThan(0.01);
    expect(gpu.finalLoss!).toBeLessThan(2.3); // and the ten batches taught the network something
    expect(gpu.engine).toMatchObject({ engine: 'webgpu', adapter: { software: true } });
    // The app's GPU page trains with the fused step too: it needs only the page's GPUDevice.
    expect(gpu.engine?.step).toBe('fused');
    // Rows are newest first: the GPU run, then the CPU run; each says what it ran on.
    await expect.poll(() => rows.first().innerText()).toMatch(/software/i);
    await expect
      .poll(() => page.getByTestId('speedup').innerText())
      .toMatch(/software GPU \(testing only\) is not compared/);

    for (const row of await rows.all()) await row.getByRole('checkbox').check();
    const chart = page.getByTestId('overlay-chart');
    await expect.poll(() => chart.getAttribute('data-series')).toBe('2');
    await expect.poll(() => chart.getAttribute('data-axis')).toBe('time');
    // Both curves end at their run's training time: one axis from 0, the longer run further right.
    const ends = async () => (await chart.locator('[data-ends]').getAttribute('data-ends'))!.split(',').map(Number);
    await expect.poll(async () => (await ends()).length).toBe(2);
    const [gpuEnd, cpuEnd] = await ends();
    expect(gpuEnd > cpuEnd).toBe(gpu.timings!.trainingMs > cpu.timings!.trainingMs);
    await page.getByTestId('overlay').scrollIntoViewIfNeeded();
    await screenshot(page, 'app-race', { docs: true });

    // How far apart the two engines ended, from their stored weights: the figures main computes are shown as is.
    const gaps = compareWeights(
      (await main.history.loadWeights(cpu.id)).weights,
      (await main.history.loadWeights(gpu.id)).weights,
    );
    const figures = page.getByTestId('history').getByTestId('agreement');
    await expect
      .poll(() => figures.getByTestId('agreement-weights').innerText())
      .toBe(formatGap(Math.max(...gaps.map((g) => g.maxAbsDiff))));
    expect(await figures.getByTestId('agreement-verdict').innerText()).toMatch(/^They agree/);
    await figures.scrollIntoViewIfNeeded();
    await screenshot(page, 'agreement-real', { fullPage: false });

    await page.emulateMedia({ colorScheme: 'dark' });
    await expect
      .poll(() => page.evaluate('getComputedStyle(document.documentElement).backgroundColor'))
      .toBe('rgb(15, 17, 22)');
    await screenshot(page, 'app-race-dark', { docs: true });
    expect(pageErrors).toEqual([]);
  }, 600_000); // two real runs, one on a software GPU, on a busy 2-core machine
});
