/**
 * The fused WebGPU step (engines/webgpu/fused) against tfjs on the CPU on real MNIST: the gradients of all 8 weight
 * tensors, the momentum update over two steps (a full batch of 64, then a partial one of 40), the losses, the
 * dispatch and submit counts, and the weights as tfjs reads them. The GPU runs in a child process (probe.ts) on
 * Dawn and Chromium's SwiftShader, as test/training/cli/dawn.test.ts starts it. The CPU's side is the wasm engine's
 * kernels, in this process: its gradients equal tfjs's CPU backend's, each within 1e-4 of its tensor's largest value on real MNIST (test/training/engines/wasm/conv-filter-grad.test.ts), and take about a hundredth of its time for these two steps.
 *
 * Tolerance: each gradient within 2e-4 of its tensor's largest CPU value. Both sides sum float32 products in
 * different orders (the CPU's kernels, the GPU's loops over pooled cells), up to 64 x 169 = 10,816
 * terms for conv1; float32 rounds each add by 2^-24 of the running sum, and the measured gap is ~1e-6 relative, so
 * 2e-4 leaves two orders of magnitude for another GPU's fma and exp while a wrong index or a dropped term (a whole
 * product, ~1e-2 relative or more) still fails.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../../../../electron/training/core/dataset';
import {
  createModel,
  initialWeights,
  readModelWeights,
  setModelWeights,
} from '../../../../electron/training/core/model';
import { WEIGHT_SPECS, type NamedTensor } from '../../../../electron/training/core/weights';
import { initWasm } from '../../../../electron/training/engines/wasm';
import { ROOT, TSX } from '../../cli/helpers';
import { FIRST, LR, MOMENTUM, SECOND, SEED } from './plan';
import { tiedChannels } from './ties';

const CHROMIUM = '/usr/lib/chromium';
const run = existsSync(join(CHROMIUM, 'vk_swiftshader_icd.json')) || process.env.CI === 'true';
const TOLERANCE = 2e-4;

interface ProbeOutput {
  firstCounts: { dispatches: number; submits: number };
  secondCounts: { dispatches: number; submits: number };
  losses: number[];
  grads1: string[];
  weights1: string[];
  grads2: string[];
  weights2: string[];
  viaTfjs: string[];
  refused: Array<string | null>;
}

const floats = (base64: string) => {
  const bytes = Buffer.from(base64, 'base64');
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
};

/**
 * Largest |gpu - cpu| over the entries `keep` selects, and the tensor's largest |cpu| value (the scale the tolerance
 * is relative to).
 */
function gap(gpu: Float32Array, cpu: Float32Array, keep = (_: number) => true): { diff: number; scale: number } {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < cpu.length; i++) {
    if (keep(i)) diff = Math.max(diff, Math.abs(gpu[i] - cpu[i]));
    scale = Math.max(scale, Math.abs(cpu[i]));
  }
  return { diff, scale };
}

/** Output channels of each weight tensor's last axis for the two conv kernels (the ones a pool tie can reach). */
const CONV_CHANNELS: Record<string, [layer: 0 | 1, channels: number]> = {
  'conv1/kernel': [0, 32],
  'conv2/kernel': [1, 64],
};

/** tfjs on the CPU (the wasm engine) doing what the probe did: per step the loss, the gradients and the momentum update. */
async function cpuReference() {
  await initWasm();
  const { train } = await loadMnist({ limit: FIRST + SECOND, testLimit: 1 });
  const model = createModel();
  setModelWeights(model, initialWeights(SEED));
  const optimizer = tf.train.momentum(LR, MOMENTUM);
  const out = {
    losses: [] as number[],
    grads: [] as NamedTensor[][],
    weights: [] as NamedTensor[][],
    /** Per step, the output channels of conv1 and conv2 with a pool window tied to rounding (ties.ts). */
    tied: [] as Array<[Set<number>, Set<number>]>,
  };
  for (const [start, size] of [
    [0, FIRST],
    [FIRST, SECOND],
  ]) {
    const xs = tf.tensor4d(train.images.slice(start * 784, (start + size) * 784), [size, 28, 28, 1]);
    const ys = tf.oneHot(tf.tensor1d(Int32Array.from(train.labels.subarray(start, start + size))), 10);
    const [conv1, pool1, conv2] = model.layers;
    const a1 = conv1.apply(xs) as tf.Tensor;
    const a2 = conv2.apply(pool1.apply(a1) as tf.Tensor) as tf.Tensor;
    out.tied.push([tiedChannels(await a1.data(), size, 26, 32), tiedChannels(await a2.data(), size, 11, 64)]);
    tf.dispose([a1, a2]);
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar,
    );
    out.losses.push((await value.data())[0]);
    const byName = new Map(model.weights.map((w) => [w.name, w.originalName]));
    const named = new Map(Object.entries(grads).map(([name, t]) => [byName.get(name), t]));
    out.grads.push(
      await Promise.all(
        WEIGHT_SPECS.map(async ({ name, shape }) => ({
          name,
          shape: [...shape],
          data: (await named.get(name)!.data()) as Float32Array,
        })),
      ),
    );
    optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
    out.weights.push(await readModelWeights(model));
    tf.dispose([xs, ys, value, ...Object.values(grads)]);
  }
  return out;
}

/** probe.ts in a child process on SwiftShader: its exit status and everything it printed. */
function runProbe(): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', TSX, join(__dirname, 'probe.ts')], {
    cwd: ROOT,
    timeout: 170_000, // inside vitest's hook limit (180 s): a busy machine's SwiftShader is slow
    env: { ...process.env, VK_ICD_FILENAMES: join(CHROMIUM, 'vk_swiftshader_icd.json'), LD_LIBRARY_PATH: CHROMIUM },
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (text: string) => (out.stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (out.stderr += text));
  return new Promise((done) => child.on('close', (status) => done({ status, ...out })));
}

describe.runIf(run)('the fused WebGPU step', () => {
  let gpu: ProbeOutput;
  let cpu: Awaited<ReturnType<typeof cpuReference>>;

  beforeAll(async () => {
    // The GPU's run and the CPU's reference at once: one core each.
    const probe = runProbe();
    cpu = await cpuReference();
    const { status, stdout, stderr } = await probe;
    expect(stderr).toBe('');
    expect(status).toBe(0);
    gpu = JSON.parse(stdout) as ProbeOutput;
  });

  it('encodes a step as at most 20 dispatches and exactly one submit, partial batch or not', () => {
    expect(gpu.firstCounts.dispatches).toBeLessThanOrEqual(20);
    expect(gpu.firstCounts.submits).toBe(1);
    expect(gpu.secondCounts.dispatches).toBeLessThanOrEqual(20);
    expect(gpu.secondCounts.submits).toBe(1);
  });

  it("gives the CPU's gradients for all 8 tensors, on a full batch and on a partial one", () => {
    for (const [step, grads] of [gpu.grads1, gpu.grads2].entries()) {
      WEIGHT_SPECS.forEach(({ name }, i) => {
        const [layer, channels] = CONV_CHANNELS[name] ?? [0, 0];
        const tied = channels > 0 ? cpu.tied[step][layer] : new Set<number>();
        const untied = (k: number) => !tied.has(k % channels);
        const { diff, scale } = gap(floats(grads[i]), cpu.grads[step][i].data, untied);
        expect(scale, `step ${step + 1} ${name}: a gradient of zeros tests nothing`).toBeGreaterThan(1e-4);
        expect(diff / scale, `step ${step + 1} ${name}: ${diff} of ${scale}`).toBeLessThan(TOLERANCE);
        // A tie moves one routed term of one channel: within a few percent, never a channel's whole gradient.
        const all = gap(floats(grads[i]), cpu.grads[step][i].data);
        expect(all.diff / all.scale, `step ${step + 1} ${name} with its tied channels`).toBeLessThan(0.05);
        expect(tied.size, `step ${step + 1} ${name}: channels excused by ties`).toBeLessThanOrEqual(2);
      });
    }
  });

  it("updates the weights as tf.train.momentum does, and records each step's mean loss", () => {
    for (const [step, weights] of [gpu.weights1, gpu.weights2].entries()) {
      WEIGHT_SPECS.forEach(({ name }, i) => {
        const { diff, scale } = gap(floats(weights[i]), cpu.weights[step][i].data);
        // The weights are ~scale, the update ~lr * gradient: a gap far below the update's size means the same update.
        expect(diff / scale, `step ${step + 1} ${name}: ${diff} of ${scale}`).toBeLessThan(1e-5);
      });
    }
    expect(gpu.losses).toHaveLength(2);
    gpu.losses.forEach((loss, i) => expect(loss).toBeCloseTo(cpu.losses[i], 5));
  });

  it('refuses a batch of no images or more than it was sized for', () => {
    expect(gpu.refused).toEqual([
      'a fused step takes 1 to 64 images, got 0',
      'a fused step takes 1 to 64 images, got 65',
    ]);
  });

  it('lets tfjs read the weights, bit for bit what the buffers hold', () => {
    gpu.viaTfjs.forEach((tensor, i) => expect(floats(tensor)).toEqual(floats(gpu.weights2[i])));
  });
});
