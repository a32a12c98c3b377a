/**
 * Bundled into a blank page by gpu-gradients.browser.test.ts: the network's gradients on one batch, on each
 * backend Chromium offers, with the engines' own start-up (so Athanor's kernels are registered as in a run).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initWebGl } from '../../../electron/training/engines/webgl';
import { initWebGpu } from '../../../electron/training/engines/webgpu';
import { createModel, initialWeights, setModelWeights } from '../../../electron/training/core/model';
import { bytesToPixels } from '../../../electron/training/core/pixels';

async function gradients(backend: 'cpu' | 'webgpu' | 'webgl', pixels: number[], labels: number[], seed: number) {
  if (backend === 'webgpu') await initWebGpu('linux', { allowSoftwareAdapter: true });
  else if (backend === 'webgl') await initWebGl({ allowSoftwareAdapter: true });
  else await tf.setBackend('cpu');
  const model = createModel();
  setModelWeights(model, initialWeights(seed));
  const n = labels.length;
  const xs = tf.tensor4d(bytesToPixels(Uint8Array.from(pixels)), [n, 28, 28, 1]);
  const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar,
    model.trainableWeights.map((w) => w.read() as tf.Variable),
  );
  const out = [];
  for (const w of model.trainableWeights) {
    const g = grads[(w.read() as tf.Variable).name];
    out.push({ name: w.originalName, shape: g.shape, values: Array.from(await g.data()) });
  }
  const loss = (await value.data())[0];
  tf.dispose([xs, ys, value, ...Object.values(grads)]);
  model.dispose();
  return { backend: tf.getBackend(), loss, grads: out };
}

(globalThis as unknown as { athanorGradients: typeof gradients }).athanorGradients = gradients;
