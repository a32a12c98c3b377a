import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../../../electron/training/core/dataset';
import {
  bundleForBrowser,
  launchGpuChromium,
  openBundlePage,
  pageApi,
  type BundlePage,
} from '../../e2e/harness/gpu-chromium';
import type { GpuBackend, GpuKernelsPage } from './gpu-kernels.page';
import { referenceFilterGrad, type FilterGradCase } from './gpu-reference';
import { relativeError } from './numeric';

let browser: Browser;
let opened: BundlePage;
let call: ReturnType<typeof pageApi<GpuKernelsPage>>;
let adapters: Record<GpuBackend, string>;

/**
 * The cpu backend's dW, once per case for both GPU backends. tfjs-backend-cpu reads every element through a
 * TensorBuffer: conv2 at batch 64 (143 million products) took it some 20 s on this 2-core machine, so cases
 * above CPU_PRODUCTS are checked against the float64 reference and tfjs's GPU kernel only.
 */
const onCpu = new Map<FilterGradCase, Promise<number[]>>();
const CPU_PRODUCTS = 50e6;
function cpuResult(c: FilterGradCase): Promise<number[]> {
  if (!onCpu.has(c))
    onCpu.set(
      c,
      call('run', 'cpu', 'registered', c).then((r) => r.values),
    );
  return onCpu.get(c)!;
}
/** Input pixels times weights: a bound on the products a case sums, enough to pick the cheap ones. */
const products = (c: FilterGradCase) =>
  (c.xShape[0] * c.xShape[1] * c.xShape[2] * c.filterShape.reduce((a, b) => a * b)) / c.stride ** 2;

let batch: { pixels: number[]; labels: number[] };
let onCpuNetwork: Awaited<ReturnType<GpuKernelsPage['networkGradients']>>;

beforeAll(async () => {
  const { train } = await loadMnist({ limit: 8, testLimit: 1 });
  batch = { pixels: Array.from(train.images), labels: Array.from(train.labels) };
  const bundle = await bundleForBrowser(resolve(__dirname, 'gpu-kernels.page.ts'));
  browser = await launchGpuChromium();
  opened = await openBundlePage(browser, bundle);
  call = pageApi<GpuKernelsPage>(opened.page, 'gpuKernels');
  adapters = await call('setup');
  // Awaited here: the page has one current backend, so its calls must not overlap.
  onCpuNetwork = await call('networkGradients', 'cpu', batch.pixels, batch.labels);
});

afterAll(async () => {
  await opened?.close();
  await browser?.close();
});

const net = (n: number): FilterGradCase[] => [
  { xShape: [n, 28, 28, 1], filterShape: [3, 3, 1, 32], stride: 1, pad: 'valid' },
  { xShape: [n, 13, 13, 32], filterShape: [3, 3, 32, 64], stride: 1, pad: 'valid' },
];
// conv2 at a short batch (8) runs in the network test below.
const cases: Array<[string, FilterGradCase]> = [
  ['conv1 of the network, batch 64', net(64)[0]],
  ['conv2 of the network, batch 64', net(64)[1]],
  ['conv1, a short last batch of 37', net(37)[0]],
  [
    "'same', non-square input, 3 in and 5 out channels",
    { xShape: [5, 9, 14, 3], filterShape: [3, 3, 3, 5], stride: 1, pad: 'same' },
  ],
  [
    "5x3 filter, 'same', 7 in and 6 out channels",
    { xShape: [3, 10, 7, 7], filterShape: [5, 3, 7, 6], stride: 1, pad: 'same' },
  ],
  ["'same', 8 in and 6 out channels", { xShape: [2, 8, 11, 8], filterShape: [3, 3, 8, 6], stride: 1, pad: 'same' }],
  [
    "'same', 4 in and 8 out channels, a 2x2 filter",
    { xShape: [3, 12, 9, 4], filterShape: [2, 2, 4, 8], stride: 1, pad: 'same' },
  ],
];

describe.each(['webgpu', 'webgl'] as const)('Conv2DBackpropFilter on %s in headless Chromium', (backend) => {
  it('starts in the page without an error', () => {
    // setup() throws when a backend does not start; on a machine without a GPU both name SwiftShader.
    expect(adapters[backend]).toMatch(/\S/);
    console.log(`${backend}: ${adapters[backend]}`);
    expect(opened.errors).toEqual([]);
  });

  it.each(cases)('equals tfjs, the cpu backend and a float64 sum: %s', async (name, c) => {
    const started = performance.now();
    const ours = await call('run', backend, 'registered', c);
    const stock = await call('run', backend, 'stock', c);
    expect(ours.programs).toEqual(['ours:partials', 'ours:sum']);
    expect(stock.programs.join()).toMatch(/^Conv2DDerFilterProgram\d*$/);
    expect(ours.values).toHaveLength(c.filterShape.reduce((a, b) => a * b));
    const errors: Record<string, number> = {
      tfjs: relativeError(ours.values, stock.values),
      float64: relativeError(ours.values, referenceFilterGrad(c)),
      'tfjs to float64': relativeError(stock.values, referenceFilterGrad(c)),
    };
    if (products(c) < CPU_PRODUCTS) errors.cpu = relativeError(ours.values, await cpuResult(c));
    console.log(
      `${backend} ${name} (${((performance.now() - started) / 1000).toFixed(1)} s): relative error ` +
        Object.entries(errors)
          .map(([k, v]) => `${v.toExponential(1)} against ${k}`)
          .join(', '),
    );
    // tfjs adds 43,264 products one by one for conv1; the split sums land about ten times nearer the float64 value.
    expect(errors.float64).toBeLessThan(2e-6);
    expect(errors.cpu ?? 0).toBeLessThan(2e-6);
    expect(errors.tfjs).toBeLessThan(2e-5);
    expect(errors['tfjs to float64']).toBeLessThan(2e-5);
    expect(ours.leftOver).toBe(0);
  });

  it("hands a stride of 2 to tfjs's own kernel, with the same result", async () => {
    const c: FilterGradCase = { xShape: [4, 9, 9, 3], filterShape: [3, 3, 3, 5], stride: 2, pad: 'valid' };
    const ours = await call('run', backend, 'registered', c);
    expect(ours.programs.join()).toMatch(/^Conv2DDerFilterProgram\d*$/);
    expect(relativeError(ours.values, referenceFilterGrad(c))).toBeLessThan(2e-6);
  });

  it('gives the network the same loss and gradients as the cpu backend, for 8 real MNIST images', async () => {
    const gpu = await call('networkGradients', backend, batch.pixels, batch.labels);
    const cpu = onCpuNetwork;
    expect(gpu.programs).toEqual(['ours:partials', 'ours:sum', 'ours:partials', 'ours:sum']);
    expect(gpu.values).toHaveLength(9); // the loss, then 4 kernels and 4 biases
    expect(cpu.values[0][0]).toBeGreaterThan(2); // an untrained net on 10 classes: about ln 10
    expect(Math.abs(gpu.values[0][0] - cpu.values[0][0])).toBeLessThan(1e-5);
    const errors = gpu.values.slice(1).map((g, i) => relativeError(g, cpu.values[i + 1]));
    console.log(`${backend} network gradients: relative errors ${errors.map((e) => e.toExponential(1)).join(' ')}`);
    for (const error of errors) expect(error).toBeLessThan(1e-5);
  });
});
