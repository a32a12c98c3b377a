import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { loadMnist, type MnistSplit } from '../../../electron/training/core/dataset';
import { initWasm } from '../../../electron/training/engines';
import { createModel, initialWeights, readModelWeights, setModelWeights } from '../../../electron/training/core/model';
import type { NamedTensor } from '../../../electron/training/core/weights';
import { writePth } from '../../../electron/training/export/pth';
import { toTorch } from '../../../electron/training/export/torch-layout';

/** The first `count` real MNIST test images, through the app's own loader (so scaled exactly as training sees them). */
export async function testImages(count: number): Promise<MnistSplit> {
  return (await loadMnist({ limit: 1, testLimit: count })).test;
}

export interface TrainedModel {
  model: tfl.LayersModel;
  weights: NamedTensor[];
  topology: object;
}

/**
 * A model trained for `steps` SGD batches of 64 real images: enough to make its predictions confident and
 * varied, so an argmax comparison means something (random weights give near-uniform logits).
 */
export async function trainedModel(steps = 30, seed = 1): Promise<TrainedModel> {
  // wasm: tfjs's plain-JS cpu backend needs minutes for these steps, wasm a few seconds.
  if (tf.getBackend() !== 'wasm') await initWasm();
  const model = createModel();
  setModelWeights(model, initialWeights(seed));
  // A larger rate than the reference's 0.001: here the goal is meaningful weights in a few steps, not parity.
  model.compile({
    optimizer: tf.train.momentum(0.02, 0.9),
    loss: (labels: tf.Tensor, logits: tf.Tensor) => tf.losses.softmaxCrossEntropy(labels, logits),
  });
  const { train } = await loadMnist({ limit: steps * 64, testLimit: 1 });
  const x = tf.tensor4d(train.images, [steps * 64, 28, 28, 1]);
  const labels = tf.tensor1d(Int32Array.from(train.labels), 'int32');
  const y = tf.oneHot(labels, 10);
  await model.fit(x, y, { batchSize: 64, epochs: 1, shuffle: false, verbose: 0 });
  tf.dispose([x, labels, y]);
  const topology = model.toJSON(null, false) as object;
  return { model, weights: await readModelWeights(model), topology };
}

/** TF.js logits for NHWC images (same bytes as NCHW with one channel). */
export function predictLogits(model: tfl.LayersModel, images: Float32Array, n: number): Float32Array {
  return tf.tidy(() => {
    const out = model.predict(tf.tensor4d(images, [n, 28, 28, 1])) as tf.Tensor;
    return out.dataSync() as Float32Array;
  });
}

export function argmaxRows(logits: ArrayLike<number>, classes = 10): number[] {
  const out: number[] = [];
  for (let r = 0; r < logits.length / classes; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[r * classes + c] > logits[r * classes + best]) best = c;
    out.push(best);
  }
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function accuracy(preds: number[], labels: Uint8Array): number {
  return preds.filter((p, i) => p === labels[i]).length / preds.length;
}

/** A fresh folder under the OS temp dir, and a function that removes it. */
export function tempDir(): { dir: string; files: () => string[]; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'athanor-export-'));
  return { dir, files: () => readdirSync(dir).sort(), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Same bits, not just equal values (so -0 vs 0 or NaN payloads would count as different). */
export function sameBits(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/**
 * What the interop tests compare against: `count` real test images, a model trained by trainedModel, its weights in
 * PyTorch layout, its TF.js logits on those images, and its .pth written to `dir/mnist_cnn.pth`.
 */
export async function referenceRun(count: number, dir: string) {
  const test = await testImages(count);
  const { model, weights } = await trainedModel();
  const torchWeights = toTorch(weights);
  const tfLogits = predictLogits(model, test.images, count);
  await writePth(join(dir, 'mnist_cnn.pth'), torchWeights);
  return { test, weights, torchWeights, tfLogits };
}
