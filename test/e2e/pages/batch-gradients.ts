/**
 * The network's loss and gradients on one batch, on whichever tfjs backend is current: the GPU page bundle
 * (pages/gradients.ts) runs it on WebGPU and WebGL, gpu-gradients.browser.test.ts on the wasm engine in Node as
 * the reference. No backend imports here, so both sides share the one computation.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createModel, initialWeights, setModelWeights } from '../../../electron/training/core/model';
import { bytesToPixels } from '../../../electron/training/core/pixels';

export interface Grad {
  name: string;
  shape: number[];
  values: number[];
}
export interface BatchGradients {
  backend: string;
  loss: number;
  grads: Grad[];
}

/** `pixels`: n x 784 bytes (0-255) row by row; `labels`: n digits; the weights are `initialWeights(seed)`. */
export async function batchGradients(pixels: number[], labels: number[], seed: number): Promise<BatchGradients> {
  const model = createModel();
  setModelWeights(model, initialWeights(seed));
  const n = labels.length;
  const xs = tf.tensor4d(bytesToPixels(Uint8Array.from(pixels)), [n, 28, 28, 1]);
  const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar,
    model.trainableWeights.map((w) => w.read() as tf.Variable),
  );
  const out: Grad[] = [];
  for (const w of model.trainableWeights) {
    const g = grads[(w.read() as tf.Variable).name];
    out.push({ name: w.originalName, shape: g.shape, values: Array.from(await g.data()) });
  }
  const loss = (await value.data())[0];
  tf.dispose([xs, ys, value, ...Object.values(grads)]);
  model.dispose();
  return { backend: tf.getBackend(), loss, grads: out };
}
