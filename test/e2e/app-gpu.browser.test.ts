/**
 * Train on GPU in the app, for real: the renderer in Chromium with the real main-side services, and each GPU run in
 * a GPU page of the same Chromium (standing in for main's hidden window), with the testing option that lets WebGPU
 * train on Chromium's software adapter. The result, the history row and the headline must say so.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../electron/training/export/safetensors';
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
  tmp = await mkdtemp(join(tmpdir(), 'athanor-e2e-gpu-'));
  const outDir = join(tmp, 'renderer');
  await buildRenderer(outDir);
  server = await serveFolder(outDir);
  browser = await launchGpuChromium();
  main = await createRealMain(join(tmp, 'history'), { testLimit: 50, gpuPages: { browser, url: server.url } });
  ({ page, errors: pageErrors } = await openAppPage(browser, server.url, main));
});

afterAll(async () => {
  main?.runs.dispose();
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const rows = () => page.getByTestId('history-row');

describe('Train on GPU with WebGPU on the software adapter (testing option)', () => {
  it('lists each GPU engine with its state, WebGPU ready on SwiftShader and labelled software', async () => {
    await expect.poll(() => page.getByTestId('gpu-engine-webgpu').innerText(), { timeout: 120_000 }).toMatch(/ready/);
    const webgpu = await page.getByTestId('gpu-engine-webgpu').innerText();
    expect(webgpu).toMatch(/software GPU \(testing only\)/);
    expect(webgpu).toMatch(/used by Auto/);
    // The adapter in the words every result uses (adapterLabel); the badge beside it says software.
    expect(webgpu).toMatch(/WebGPU 4\.22\.0 on SwiftShader \(Vulkan\)/);
    expect(await page.getByTestId('gpu-engine-cuda').innerText()).toMatch(/unavailable/);
    expect(await page.getByRole('button', { name: 'Train on GPU' }).isEnabled()).toBe(true);
  });

  it('trains for real on WebGPU: the result and the history row name the engine and say software', async () => {
    // Two batches of 16 and 50 test images: a software GPU's time grows with the images it sees, and what this
    // test checks is where the run went and how it is labelled, not what it learned (race-real checks that).
    await page.getByLabel('Epochs').fill('1');
    await page.getByLabel('Batch size').fill('16');
    await page.getByLabel(/^Images/).fill('32');
    await page.getByRole('button', { name: 'Train on GPU' }).click();
    await expect.poll(() => page.getByTestId('live-phase').innerText(), { timeout: 240_000 }).toBe('done');
    expect(await page.getByTestId('live-engine').innerText()).toMatch(/webgpu/i);
    await expect.poll(() => rows().count()).toBe(1);
    const row = rows().first();
    expect(await row.getAttribute('data-status')).toBe('done');
    const text = await row.innerText();
    expect(text).toMatch(/GPU/);
    expect(text).toMatch(/webgpu/i);
    expect(text).toMatch(/software/i);
    const record = main.history.state().records[0];
    expect(record.engine).toMatchObject({ engine: 'webgpu', adapter: { software: true, api: 'Vulkan' } });
    expect(record.hardware).toMatch(/SwiftShader/);
    expect(record.hasWeights).toBe(true);
    // The CPU-vs-GPU headline names the run's engine and adapter, and does not count a software GPU.
    expect(await page.getByTestId('speedup').innerText()).toMatch(
      /GPU run on WebGPU 4\.22\.0, fused step on SwiftShader \(Vulkan\), software GPU \(testing only\) is not compared/,
    );
    await screenshot(page, 'app-gpu-software');
    expect(pageErrors).toEqual([]);
  });

  it('the export names the engine and the software adapter, in the dialog and in the file', async () => {
    const record = main.history.state().records[0];
    const path = join(tmp, 'mnist_cnn.safetensors');
    main.dialogs.nextSavePath = path;
    await rows().first().getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByTestId('export-engine').innerText()).toMatch(
      /Trained on WebGPU 4\.22\.0, fused step on SwiftShader.*software GPU \(testing only\)/,
    );
    await dialog.getByLabel(/safetensors/i).check();
    await dialog.getByRole('button', { name: 'Save as…' }).click();
    await expect
      .poll(async () => (await readSafetensors(path).catch(() => null))?.metadata, { timeout: 30_000 })
      .toMatchObject({
        'athanor.engine': 'webgpu 4.22.0',
        'athanor.backend': 'webgpu',
        'athanor.adapter': 'SwiftShader (Vulkan), software GPU (testing only)',
      });
    expect(record.id).toBeTruthy();
  });
});
