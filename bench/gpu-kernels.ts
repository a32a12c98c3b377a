/**
 * `npx tsx bench/gpu-kernels.ts [--rounds 5] [--big]`: ms per Conv2DBackpropFilter call for the network's two convs
 * at batch 64, tfjs's own kernel against Athanor's (electron/training/engines/{webgpu,webgl}/conv-filter-grad.ts),
 * on WebGPU and WebGL 2 in headless Chromium: the median of --rounds calls after a warm-up, each timed up to its
 * result read back. --big adds conv2 on 26x26 inputs (the PyTorch tutorial's conv2, without the pool between).
 * On a machine without a GPU both run on SwiftShader, a CPU implementation, where the ratio says little about a GPU.
 */
import { resolve } from 'node:path';
import { bundleForBrowser, launchGpuChromium, openBundlePage, pageApi } from '../test/e2e/harness/gpu-chromium';
import type { FilterGradCase, GpuKernelsPage } from '../test/training/engines/gpu-kernels.page';

const arg = (name: string) => process.argv.find((_, i) => process.argv[i - 1] === name);
const ROUNDS = Number(arg('--rounds') ?? 5);

const CASES: Array<[string, FilterGradCase]> = [
  ['conv1 [64,28,28,1] * [3,3,1,32]', { xShape: [64, 28, 28, 1], filterShape: [3, 3, 1, 32], stride: 1, pad: 'valid' }],
  [
    'conv2 [64,13,13,32] * [3,3,32,64]',
    { xShape: [64, 13, 13, 32], filterShape: [3, 3, 32, 64], stride: 1, pad: 'valid' },
  ],
];
if (process.argv.includes('--big')) {
  CASES.push([
    'conv2 [64,26,26,32] * [3,3,32,64]',
    { xShape: [64, 26, 26, 32], filterShape: [3, 3, 32, 64], stride: 1, pad: 'valid' },
  ]);
}

const median = (ts: number[]) => [...ts].sort((a, b) => a - b)[ts.length >> 1];

async function main(): Promise<void> {
  const bundle = await bundleForBrowser(resolve(__dirname, '../test/training/engines/gpu-kernels.page.ts'));
  const browser = await launchGpuChromium();
  const opened = await openBundlePage(browser, bundle);
  const call = pageApi<GpuKernelsPage>(opened.page, 'gpuKernels');
  try {
    const adapters = await call('setup');
    let software = false;
    for (const backend of ['webgpu', 'webgl'] as const) {
      const isSoftware = /swiftshader/i.test(adapters[backend]);
      software ||= isSoftware;
      console.log(`\n${backend} on ${isSoftware ? 'software adapter (SwiftShader)' : 'adapter'}: ${adapters[backend]}`);
      for (const [name, c] of CASES) {
        const stock = median(await call('time', backend, 'stock', c, ROUNDS));
        const ours = median(await call('time', backend, 'registered', c, ROUNDS));
        console.log(
          `  ${name.padEnd(36)} tfjs ${stock.toFixed(1).padStart(8)} ms   Athanor ${ours.toFixed(1).padStart(8)} ms   ` +
            `${(stock / ours).toFixed(1)}x`,
        );
      }
    }
    console.log(`\nmedian of ${ROUNDS} calls each after one warm-up, each up to its result read back (await data()).`);
    if (software) {
      console.log(
        'SwiftShader runs shaders on the CPU cores: the ratio says how much less serial work each thread does, ' +
          'not what a real GPU gains.',
      );
    }
  } finally {
    await opened.close();
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
