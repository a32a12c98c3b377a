/**
 * `npm run bench`: ms per batch of 64 on the engine in use, the overhead of Athanor's training loop over a bare
 * tfjs loop on that same engine, and the reference PyTorch loop where python3 with torch is present, in one run
 * (these machines are noisy: compare figures from the same run). Options: --batches N (default 100), --rounds N
 * (default 5), --native.
 */
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import { validateConfig } from '../electron/training/config';
import { bundledMnistDir, loadMnist, type MnistData } from '../electron/training/dataset';
import { initEngine } from '../electron/training/engines';
import { createModel, initialWeights, setModelWeights } from '../electron/training/model';
import { train } from '../electron/training/train';

const arg = (name: string) => process.argv.find((_, i) => process.argv[i - 1] === name);
const BATCHES = Number(arg('--batches') ?? 100);
const ROUNDS = Number(arg('--rounds') ?? 5);

/** The plainest loop tfjs allows: slice, step, dispose; one read at the end. */
async function bareLoop(data: MnistData, batches: number): Promise<number> {
  const model = createModel();
  setModelWeights(model, initialWeights(42));
  const optimizer = tf.train.momentum(0.001, 0.9);
  let start = 0;
  let last: tf.Scalar | null = null;
  for (let i = 0; i <= batches; i++) {
    const xs = tf.tensor4d(data.train.images.subarray(i * 64 * 784, (i + 1) * 64 * 784), [64, 28, 28, 1]);
    const labels = tf.tensor1d(data.train.labels.subarray(i * 64, (i + 1) * 64), 'int32');
    const ys = tf.oneHot(labels, 10);
    last?.dispose();
    last = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar, true)!;
    tf.dispose([xs, labels, ys]);
    if (i === 0) {
      await last.data(); // warm-up batch, as Athanor times it
      start = performance.now();
    }
  }
  await last!.data();
  const ms = (performance.now() - start) / batches;
  last!.dispose();
  optimizer.dispose();
  tf.SGDOptimizer.prototype.dispose.call(optimizer); // see train.ts: tfjs 4.22 leaks this scalar otherwise
  model.dispose();
  return ms;
}

async function athanorLoop(data: MnistData, batches: number): Promise<number> {
  const config = validateConfig({ epochs: 1, limit: (batches + 1) * 64 });
  const engine = await initEngine('cpu', { preferFallback: true });
  const sliced = { ...data, test: { ...data.test, count: 0 } }; // time training, not evaluation
  const { result } = await train({ config, data: sliced, engine });
  return result.timings.trainingMs / batches;
}

function torchReference(batches: number): string {
  for (const python of [process.env.ATHANOR_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean) as string[]) {
    if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) continue;
    const env = {
      ...process.env,
      // Without these, Debian's PyTorch 1.13 timings swing 3-4x here (shared/REFERENCE.md).
      MALLOC_MMAP_THRESHOLD_: '4294967296', MALLOC_TRIM_THRESHOLD_: '4294967296', OPENBLAS_NUM_THREADS: '1',
    };
    const r = spawnSync(python, ['bench/reference_torch.py', bundledMnistDir(), String(batches)], { encoding: 'utf8', env });
    if (r.status !== 0) return `failed: ${r.stderr.trim().split('\n').at(-1)}`;
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    return `${out.ms_per_batch.toFixed(1)} ms a batch (torch ${out.torch}, ${python}); first-100 mean loss ${out.first_100_mean_loss.toFixed(3)}`;
  }
  return 'skipped: no python3 with torch (apt-get install python3-torch)';
}

async function main() {
  const engine = await initEngine('cpu', { preferFallback: !process.argv.includes('--native') });
  console.log(`engine: ${engine.engine} ${engine.version}${engine.features ? ` (${engine.features})` : ''}`);
  const data = await loadMnist({ limit: (BATCHES + 1) * 64, testLimit: 1 });
  const bare: number[] = [];
  const athanor: number[] = [];
  // One short unmeasured pass of each: the first call of either loop pays for JIT compilation.
  await bareLoop(data, 20);
  await athanorLoop(data, 20);
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved, and each loop goes first every other round, so drift in machine load hits both alike.
    if (round % 2 === 0) {
      bare.push(await bareLoop(data, BATCHES));
      athanor.push(await athanorLoop(data, BATCHES));
    } else {
      athanor.push(await athanorLoop(data, BATCHES));
      bare.push(await bareLoop(data, BATCHES));
    }
    ratios.push(athanor.at(-1)! / bare.at(-1)!);
    console.log(`round ${round + 1}: bare tfjs ${bare.at(-1)!.toFixed(1)} ms, Athanor ${athanor.at(-1)!.toFixed(1)} ms a batch`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const [b, a] = [median(bare), median(athanor)];
  console.log(`\nms per batch of 64 (median of ${ROUNDS} rounds of ${BATCHES} batches, warm-up excluded)`);
  console.log(`  bare tfjs loop     ${b.toFixed(1)}`);
  console.log(`  Athanor loop       ${a.toFixed(1)}`);
  console.log(`  Athanor overhead   ${((median(ratios) - 1) * 100).toFixed(2)}% (median of per-round ratios; target: under 3%)`);
  console.log(`  PyTorch reference  ${torchReference(BATCHES)}`);
  console.log(`  tensors alive      ${tf.memory().numTensors}`);
}

main();
