/**
 * One batch of 64 real MNIST images through the network on WebGPU and on WebGL (Chromium's software adapter here),
 * each engine started as a run starts it (its own kernels registered): the gradients of all 8 weight tensors equal
 * tfjs's CPU backend's to float32 tolerance.
 */
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMnistBytes } from '../../electron/training/core/dataset';
import { relativeError } from '../training/engines/numeric';
import { bundleForBrowser, launchGpuChromium, openBundlePage, type BundlePage } from './harness/gpu-chromium';

interface Grad {
  name: string;
  shape: number[];
  values: number[];
}
interface Result {
  backend: string;
  loss: number;
  grads: Grad[];
}

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
  // One page a backend would start each afresh; one page in turn keeps the test short.
  for (const backend of ['cpu', 'webgpu', 'webgl'] as const) {
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
    expect(results.cpu.backend).toBe('cpu');
    expect(results[backend].loss).toBeCloseTo(results.cpu.loss, 5);
    expect(results.cpu.loss).toBeGreaterThan(2.2); // untrained: near ln(10)
  });

  it("all 8 weight tensors: the CPU backend's gradients to float32 tolerance", () => {
    const got = results[backend].grads;
    const want = results.cpu.grads;
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
