/**
 * Proof that the current backend can train, not only load: one SGD-with-momentum step of the reference network
 * (model.ts) on a batch of 2 fixed images, which runs the forward pass, the gradients of both convolutions, both
 * max-pools and both dense layers, and the optimizer's update. An engine whose kernels throw (tfjs-node 4.22 on
 * Node 24 without node-compat.ts), or that returns a non-finite loss or leaves a weight unchanged, fails it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createModel, disposeMomentum, initialWeights, setModelWeights } from '../core/model';

const BATCH = 2;

/** Throws an Error saying what failed. Leaves no tensor behind, pass or fail. */
export function checkTrainingStep(): void {
  const model = createModel();
  const optimizer = tf.train.momentum(0.01, 0.9);
  try {
    setModelWeights(model, initialWeights(1));
    const before = model.getWeights().map((w) => w.clone());
    const loss = tf.tidy(() => {
      // Two images with a stroke each: every ReLU has inputs on both sides of 0, so every gradient is non-zero.
      const pixels = new Float32Array(BATCH * 28 * 28).map((_, i) => ((i * 7919) % 13 < 4 ? 1 : -1));
      const xs = tf.tensor4d(pixels, [BATCH, 28, 28, 1]);
      const ys = tf.oneHot(tf.tensor1d([3, 7], 'int32'), 10);
      return optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar,
        true,
      )!;
    });
    const value = loss.dataSync()[0];
    loss.dispose();
    const unchanged = model.weights
      .filter((w, i) => tf.tidy(() => tf.any(tf.notEqual(w.read(), before[i])).dataSync()[0] === 0))
      .map((w) => w.originalName);
    tf.dispose(before);
    if (!Number.isFinite(value)) throw new Error(`a training step gave a loss of ${value}`);
    if (unchanged.length > 0) throw new Error(`a training step left ${unchanged.join(', ')} unchanged`);
  } finally {
    disposeMomentum(optimizer);
    model.dispose();
  }
}
