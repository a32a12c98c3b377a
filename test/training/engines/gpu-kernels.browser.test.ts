import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser, launchGpuChromium, openBundlePage, type BundlePage } from '../../e2e/harness/gpu-chromium';
import type { FilterGradCase, GpuBackend, GpuKernelsPage, Which } from './gpu-kernels.page';

/** max |a - b| over max |b| (as test/training/engines/wasm/helpers.ts, which imports Node-only modules). */
function relativeError(a: number[], b: number[]): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let size = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    size = Math.max(size, Math.abs(b[i]));
  }
  return size === 0 ? diff : diff / size;
}

let browser: Browser;
let opened: BundlePage & { errors: string[] };
let page: Page;
let adapters: Record<GpuBackend, string>;

function call<K extends keyof GpuKernelsPage>(name: K, ...args: Parameters<GpuKernelsPage[K]>) {
  return page.evaluate(
    ([n, a]) => (globalThis as unknown as { gpuKernels: Record<string, (...x: unknown[]) => unknown> }).gpuKernels[n](...a),
    [name, args] as const,
  ) as Promise<Awaited<ReturnType<GpuKernelsPage[K]>>>;
}

beforeAll(async () => {
  const bundle = await bundleForBrowser(resolve(__dirname, 'gpu-kernels.page.ts'));
  browser = await launchGpuChromium();
  opened = await openBundlePage(browser, bundle);
  page = opened.page;
  adapters = await call('setup');
});

afterAll(async () => {
  await opened?.close();
  await browser?.close();
});

const net = (batch: number): FilterGradCase[] => [
  { xShape: [batch, 28, 28, 1], filterShape: [3, 3, 1, 32], stride: 1, pad: 'valid' },
  { xShape: [batch, 13, 13, 32], filterShape: [3, 3, 32, 64], stride: 1, pad: 'valid' },
];
const cases: Array<[string, FilterGradCase]> = [
  ['conv1 of the network, batch 64', net(64)[0]],
  ['conv2 of the network, batch 64', net(64)[1]],
  ['conv1, a short last batch of 37', net(37)[0]],
  ['conv2, batch 8', net(8)[1]],
  ["'same', non-square input, 3 in and 5 out channels", { xShape: [5, 9, 14, 3], filterShape: [3, 3, 3, 5], stride: 1, pad: 'same' }],
  ["5x3 filter, 'same', 7 in and 6 out channels", { xShape: [3, 10, 7, 7], filterShape: [5, 3, 7, 6], stride: 1, pad: 'same' }],
];

describe.each(['webgpu', 'webgl'] as const)('Conv2DBackpropFilter on %s in headless Chromium', (backend) => {
  it('starts in the page without an error', () => {
    // setup() throws when a backend does not start; on a machine without a GPU both name SwiftShader.
    expect(adapters[backend]).toMatch(/\S/);
    console.log(`${backend}: ${adapters[backend]}`);
    expect(opened.errors).toEqual([]);
  });

  it.each(cases)('equals tfjs and the cpu backend: %s', async (name, c) => {
    const runs = {} as Record<Which, Awaited<ReturnType<GpuKernelsPage['run']>>>;
    for (const which of ['ours', 'stock'] as const) runs[which] = await call('run', backend, which, c);
    runs.cpu = await call('run', 'cpu', 'cpu', c);
    expect(runs.ours.programs).toEqual(['ours:partials', 'ours:sum']);
    expect(runs.stock.programs.join()).toMatch(/^Conv2DDerFilterProgram\d*$/);
    expect(runs.ours.values).toHaveLength(c.filterShape.reduce((a, b) => a * b));
    const errors = { stock: relativeError(runs.ours.values, runs.stock.values), cpu: relativeError(runs.ours.values, runs.cpu.values) };
    console.log(`${backend} ${name}: relative error ${errors.stock.toExponential(1)} against tfjs, ${errors.cpu.toExponential(1)} against cpu`);
    expect(errors.stock).toBeLessThan(1e-5);
    expect(errors.cpu).toBeLessThan(1e-5);
    expect(runs.ours.leftOver).toBe(0);
  });

  it('hands a stride of 2 to tfjs\'s own kernel, with the same result', async () => {
    const c: FilterGradCase = { xShape: [4, 9, 9, 3], filterShape: [3, 3, 3, 5], stride: 2, pad: 'valid' };
    const ours = await call('run', backend, 'ours', c);
    const cpu = await call('run', 'cpu', 'cpu', c);
    expect(ours.programs.join()).toMatch(/^Conv2DDerFilterProgram\d*$/);
    expect(relativeError(ours.values, cpu.values)).toBeLessThan(1e-5);
  });

  it('is the kernel tf.grad of a conv2d uses', async () => {
    const c = net(16)[0];
    const gpu = await call('viaGrad', backend, c);
    const cpu = await call('viaGrad', 'cpu', c);
    expect(gpu).toHaveLength(288);
    expect(relativeError(gpu, cpu)).toBeLessThan(1e-5);
  });
});
