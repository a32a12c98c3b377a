/**
 * One batch of 64 real MNIST images through the network on WebGPU and on WebGL (Chromium's software adapter here),
 * each engine started as a run starts it (its own kernels registered): the gradients of all 8 weight tensors equal
 * the CPU's to float32 tolerance. The CPU's are the wasm engine's, in this process: they equal tfjs's CPU backend's,
 * each within 1e-4 of its tensor's largest value on real MNIST (test/training/engines/wasm/conv-filter-grad.test.ts), and take a fraction of a second where the CPU backend in the page takes
 * about ten.
 */
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMnistBytes } from '../../electron/training/core/dataset';
import { initWasm } from '../../electron/training/engines/wasm';
import { relativeError } from '../training/engines/numeric';
import { bundleForBrowser, launchGpuChromium, openBundlePage, type BundlePage } from './harness/gpu-chromium';
import { batchGradients, type BatchGradients as Result } from './pages/batch-gradients';

let browser: Browser;
let opened: BundlePage;
let page: Page;
const results: Record<string, Result> = {};

beforeAll(async () => {
  browser = await launchGpuChromium();
  opened = await openBundlePage(browser, await bundleForBrowser(resolve(__dirname, 'pages/gradients.ts')));
  page = opened.page;
  const data = await loadMnistBytes({ limit: 64, testLimit: 1 });
  const pixels = Array.from(data.train.pixels);
  const labels = Array.from(data.train.labels);
  await initWasm();
  results.wasm = await batchGradients(pixels, labels, 42);
  // One page a backend would start each afresh; one page in turn keeps the test short.
  for (const backend of ['webgpu', 'webgl'] as const) {
    results[backend] = await page.evaluate(
      ([b, p, l]) =>
        (
          globalThis as unknown as { athanorGradients(b: string, p: number[], l: number[], s: number): Promise<Result> }
        ).athanorGradients(b, p, l, 42),
      [backend, pixels, labels] as const,
    );
  }
}, 300_000);

afterAll(async () => {
  await opened?.close();
  await browser?.close();
});

describe.each(['webgpu', 'webgl'])('%s gradients on 64 real MNIST images', (backend) => {
  it('ran on that backend, at the same loss as the CPU', () => {
    expect(results[backend].backend).toBe(backend);
    expect(results.wasm.backend).toBe('wasm');
    expect(results[backend].loss).toBeCloseTo(results.wasm.loss, 5);
    expect(results.wasm.loss).toBeGreaterThan(2.2); // untrained: near ln(10)
  });

  it("all 8 weight tensors: the CPU's gradients to float32 tolerance", () => {
    const got = results[backend].grads;
    const want = results.wasm.grads;
    expect(got.map((g) => g.name)).toEqual([
      'conv1/kernel',
      'conv1/bias',
      'conv2/kernel',
      'conv2/bias',
      'fc1/kernel',
      'fc1/bias',
      'fc2/kernel',
      'fc2/bias',
    ]);
    got.forEach((g, i) => {
      expect(g.shape).toEqual(want[i].shape);
      expect(relativeError(g.values, want[i].values), g.name).toBeLessThan(1e-4);
    });
  });
});
