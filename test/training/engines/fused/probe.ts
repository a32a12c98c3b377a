/**
 * The GPU half of fused-step.test.ts, run in a child process because Dawn finds SwiftShader through
 * LD_LIBRARY_PATH, which only a new process reads. Starts tfjs's WebGPU backend on Dawn, trains two fused steps on
 * real MNIST (a full batch, then a partial one) and prints one JSON line: what the parent test compares with tfjs on the
 * CPU (the wasm engine). Float arrays travel as base64 of their bytes, so they arrive bit for bit.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { loadMnist } from '../../../../electron/training/core/dataset';
import { initialWeights } from '../../../../electron/training/core/model';
import type { NamedTensor } from '../../../../electron/training/core/weights';
import { initDawnWebGpu } from '../../../../electron/training/engines/webgpu/dawn';
import { FusedStep } from '../../../../electron/training/engines/webgpu/fused/fused-step';
import { countCommands } from './count-commands';
import { FIRST, LR, MOMENTUM, SECOND, SEED } from './plan';

const bytes = (data: Float32Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
const pack = (tensors: NamedTensor[]) => tensors.map((t) => bytes(t.data));

async function main(): Promise<void> {
  await initDawnWebGpu(process.platform, { allowSoftwareAdapter: true });
  const device = (tf.backend() as WebGPUBackend).device;
  const { train } = await loadMnist({ limit: FIRST + SECOND, testLimit: 1 });
  const step = new FusedStep(device, { maxBatch: FIRST, lr: LR, momentum: MOMENTUM });
  step.setWeights(initialWeights(SEED));
  const counts = countCommands(device);
  step.step(train.images.slice(0, FIRST * 784), train.labels.subarray(0, FIRST), FIRST);
  const firstCounts = counts.take();
  const grads1 = await step.readGradients();
  const weights1 = await step.readWeights();
  counts.take(); // the reads' own copies and submits are not the step's
  step.step(train.images.slice(FIRST * 784), train.labels.subarray(FIRST), SECOND);
  const secondCounts = counts.take();
  const grads2 = await step.readGradients();
  const weights2 = await step.readWeights();
  const losses = Array.from(await step.readLosses());
  const refused = [0, FIRST + 1].map((n) => {
    try {
      step.step(train.images.slice(0, (FIRST + 1) * 784), train.labels, n);
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  });
  const tensors = step.weightTensors();
  const viaTfjs = await Promise.all(tensors.map(async (t) => bytes((await t.data()) as Float32Array)));
  tf.dispose(tensors);
  step.dispose();
  const out = { firstCounts, secondCounts, losses, grads1: pack(grads1), weights1: pack(weights1) };
  const rest = { grads2: pack(grads2), weights2: pack(weights2), viaTfjs, refused };
  // Dawn keeps the process alive: exit once the pipe has taken the whole line.
  await new Promise((done) => process.stdout.write(`${JSON.stringify({ ...out, ...rest })}\n`, done));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
