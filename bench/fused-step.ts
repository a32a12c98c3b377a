/**
 * `npx tsx bench/fused-step.ts`: the fused WebGPU step (engines/webgpu/fused) against tfjs, in one run. Prints
 *   1. ms a batch of 64 for tfjs's WebGPU kernels and for the fused step, on the same adapter (labelled software on
 *      SwiftShader, whose figures are a CPU's emulating a GPU, never a GPU's);
 *   2. a 1-epoch run on the first 6,400 training images (100 batches of 64, one shuffle, the reference settings) with
 *      the fused step and with the CPU engine (tfjs-node, or wasm where it cannot load), same seed and order: the
 *      mean loss of every 10 batches side by side and their largest gap;
 *   3. the fused run's weights exported as .pth, loaded into the reference Net by PyTorch (test/training/export/
 *      load_reference.py), whose predictions on 1,000 test images are compared with tfjs's from the GPU buffers.
 * Needs Dawn (npm's webgpu); on a machine without a GPU: ATHANOR_ALLOW_SOFTWARE_GPU=1, with
 * VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json LD_LIBRARY_PATH=/usr/lib/chromium. Options: --timed N
 * (batches timed each way, default 10).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { REFERENCE_CONFIG } from '../electron/training/core/config';
import { bundledMnistDir, loadMnist, type MnistSplit } from '../electron/training/core/dataset';
import {
  createModel,
  disposeMomentum,
  initialWeights,
  setModelWeights,
  trainingStep,
} from '../electron/training/core/model';
import { createRng, permutation } from '../electron/training/core/rng';
import { initEngine } from '../electron/training/engines';
import { initDawnWebGpu } from '../electron/training/engines/webgpu/dawn';
import { FusedStep } from '../electron/training/engines/webgpu/fused/fused-step';
import { writePth } from '../electron/training/export/pth';
import { toTorch } from '../electron/training/export/torch-layout';
import { adapterLabel } from '../electron/shared/adapter-label';
import { countCommands } from '../test/training/engines/fused/count-commands';

const arg = (name: string) => process.argv.find((_, i) => process.argv[i - 1] === name);
const TIMED = Number(arg('--timed') ?? 10);
const BATCH = 64;
const BATCHES = 100;
const EVERY = 10;
const TEST = 1000;
const { seed, lr, momentum } = REFERENCE_CONFIG;
const PYTHONS = [process.env.ATHANOR_PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);

/** Batch `i` of the shuffled order: pixels [64, 28, 28, 1] and labels, copied out for any engine. */
function batchOf(split: MnistSplit, order: Int32Array, i: number) {
  const images = new Float32Array(BATCH * 784);
  const labels = new Int32Array(BATCH);
  for (let j = 0; j < BATCH; j++) {
    const k = order[i * BATCH + j];
    images.set(split.images.subarray(k * 784, (k + 1) * 784), j * 784);
    labels[j] = split.labels[k];
  }
  return { images, labels };
}

/** tfjs's step on the current backend over `batches`; returns each batch's loss, read once at the end. */
async function tfjsRun(
  split: MnistSplit,
  order: Int32Array,
  batches: number[],
): Promise<{ losses: Float32Array; ms: number }> {
  const model = createModel();
  setModelWeights(model, initialWeights(seed));
  const optimizer = tf.train.momentum(lr, momentum);
  const losses: tf.Scalar[] = [];
  const start = performance.now();
  for (const i of batches) {
    const { images, labels } = batchOf(split, order, i);
    const xs = tf.tensor4d(images, [BATCH, 28, 28, 1]);
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 10) as tf.Tensor2D;
    losses.push(trainingStep(model, optimizer, xs, ys));
    tf.dispose([xs, ys]);
  }
  const stacked = tf.stack(losses);
  const values = (await stacked.data()) as Float32Array;
  const ms = performance.now() - start;
  tf.dispose([stacked, ...losses]);
  disposeMomentum(optimizer);
  model.dispose();
  return { losses: values, ms };
}

/** The fused step over `batches`, reading the losses once at the end. */
async function fusedRun(step: FusedStep, split: MnistSplit, order: Int32Array, batches: number[]) {
  step.setWeights(initialWeights(seed));
  const start = performance.now();
  for (const i of batches) {
    const { images, labels } = batchOf(split, order, i);
    step.step(images, labels, BATCH);
  }
  const losses = await step.readLosses();
  return { losses, ms: performance.now() - start };
}

const means = (losses: Float32Array) =>
  Array.from(
    { length: losses.length / EVERY },
    (_, k) => losses.subarray(k * EVERY, (k + 1) * EVERY).reduce((a, b) => a + b) / EVERY,
  );

async function main(): Promise<void> {
  const { train, test } = await loadMnist({ limit: BATCHES * BATCH, testLimit: TEST });
  const order = permutation(train.count, createRng(seed));
  const all = Array.from({ length: BATCHES }, (_, i) => i);

  const cpu = await initEngine('cpu');
  const cpuRun = await tfjsRun(train, order, all);
  console.log(
    `CPU engine: ${cpu.engine} ${cpu.version}${cpu.features ? ` (${cpu.features})` : ''}, ${(cpuRun.ms / BATCHES).toFixed(1)} ms a batch`,
  );

  const gpu = await initDawnWebGpu(process.platform, {
    allowSoftwareAdapter: process.env.ATHANOR_ALLOW_SOFTWARE_GPU === '1',
  });
  const adapter = gpu.adapter ? adapterLabel(gpu.adapter) : 'unknown adapter';
  const step = new FusedStep((tf.backend() as WebGPUBackend).device, { maxBatch: BATCH, lr, momentum });

  // 1. Speed: a warm-up batch each (shader compiles), then TIMED batches, one read at the end.
  // Dispatches and submits counted over the same loops, reads included, then given a batch.
  const timed = Array.from({ length: TIMED }, (_, i) => i + 1);
  const counts = countCommands((tf.backend() as WebGPUBackend).device);
  await tfjsRun(train, order, [0]);
  counts.take();
  const tfjsTimed = await tfjsRun(train, order, timed);
  const tfjsCounts = counts.take();
  await fusedRun(step, train, order, [0]);
  counts.take();
  const fusedTimed = await fusedRun(step, train, order, timed);
  const fusedCounts = counts.take();
  const perBatch = ({ dispatches, submits }: { dispatches: number; submits: number }) =>
    `${(dispatches / TIMED).toFixed(1)} dispatches, ${(submits / TIMED).toFixed(1)} submits a batch`;
  console.log(`\nms a batch of ${BATCH} on ${adapter} (${TIMED} batches each, after a warm-up):`);
  console.log(`  tfjs's WebGPU kernels  ${(tfjsTimed.ms / TIMED).toFixed(1)}  (${perBatch(tfjsCounts)})`);
  console.log(`  fused step             ${(fusedTimed.ms / TIMED).toFixed(1)}  (${perBatch(fusedCounts)})`);
  console.log(`  ratio                  ${(tfjsTimed.ms / fusedTimed.ms).toFixed(2)}x`);

  // 2. One epoch of 6,400 images each way, same weights and order.
  const fused = await fusedRun(step, train, order, all);
  const [a, b] = [means(fused.losses), means(cpuRun.losses)];
  console.log(
    `\n1 epoch, ${BATCHES} batches of ${BATCH}: mean loss of every ${EVERY} batches (fused ${(fused.ms / BATCHES).toFixed(1)} ms a batch)`,
  );
  console.log('  batches    fused     CPU       gap');
  a.forEach((loss, k) => {
    const range = `${k * EVERY + 1}-${(k + 1) * EVERY}`.padEnd(9);
    console.log(`  ${range}  ${loss.toFixed(5)}  ${b[k].toFixed(5)}  ${Math.abs(loss - b[k]).toExponential(2)}`);
  });
  console.log(`  largest gap ${Math.max(...a.map((loss, k) => Math.abs(loss - b[k]))).toExponential(2)}`);

  // 3. The fused run's weights: tfjs predicts from the GPU buffers, PyTorch from the exported .pth.
  const model = createModel();
  const tensors = step.weightTensors();
  model.setWeights(tensors);
  tf.dispose(tensors);
  const logits = tf.tidy(() => model.predict(tf.tensor4d(test.images, [TEST, 28, 28, 1])) as tf.Tensor2D);
  const tfjsLogits = (await logits.data()) as Float32Array;
  const tfjsPreds = Array.from((await tf.argMax(logits, 1).data()) as Int32Array);
  const dir = mkdtempSync(join(tmpdir(), 'athanor-fused-'));
  try {
    const pth = join(dir, 'fused.pth');
    await writePth(pth, toTorch(await step.readWeights()));
    const python = PYTHONS.find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
    if (!python) {
      console.log('\n.pth check: skipped (no python3 with torch)');
    } else {
      const script = join(import.meta.dirname, '../test/training/export/load_reference.py');
      const images = join(bundledMnistDir(), 't10k-images-idx3-ubyte');
      const run = spawnSync(python, [script, 'pth', pth, images, String(TEST)], {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      });
      if (run.status !== 0) throw new Error(`load_reference.py failed:\n${run.stderr}`);
      const ref = JSON.parse(run.stdout) as { torch: string; logits: number[]; preds: number[] };
      const same = ref.preds.filter((p, i) => p === tfjsPreds[i]).length;
      const gap = Math.max(...ref.logits.map((v, i) => Math.abs(v - tfjsLogits[i])));
      const correct = tfjsPreds.filter((p, i) => p === test.labels[i]).length;
      console.log(
        `\n.pth check: torch ${ref.torch} strict load_state_dict; predictions equal on ${same} of ${TEST} test images`,
      );
      console.log(
        `  largest logit gap PyTorch vs tfjs ${gap.toExponential(2)}; accuracy ${((correct / TEST) * 100).toFixed(1)}%`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    logits.dispose();
    model.dispose();
    step.dispose();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
