import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createRng } from './rng';
import { WEIGHT_SPECS, type NamedTensor } from './weights';

/** The reference tutorial's `Net`, layer for layer (shared/REFERENCE.md): 225,034 parameters. */
export function createModel(): tfl.LayersModel {
  const model = tfl.sequential({ name: 'athanor_mnist_cnn' });
  model.add(
    tfl.layers.conv2d({ name: 'conv1', inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
  );
  model.add(tfl.layers.maxPooling2d({ name: 'pool1', poolSize: 2, strides: 2 }));
  model.add(tfl.layers.conv2d({ name: 'conv2', filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(tfl.layers.maxPooling2d({ name: 'pool2', poolSize: 2, strides: 2 }));
  model.add(tfl.layers.flatten({ name: 'flatten' }));
  model.add(tfl.layers.dense({ name: 'fc1', units: 128, activation: 'relu' }));
  model.add(tfl.layers.dense({ name: 'fc2', units: 10 }));
  return model;
}

/**
 * PyTorch's default init for Conv2d and Linear: weights and biases uniform in +-1/sqrt(fan_in), where fan_in is
 * in_channels * kh * kw for a conv and in_features for a linear layer, drawn from a seeded generator.
 */
export function initialWeights(seed: number): NamedTensor[] {
  const rng = createRng(seed);
  return WEIGHT_SPECS.map(({ name, shape }) => {
    const layer = name.split('/')[0];
    const kernel = WEIGHT_SPECS.find((s) => s.name === `${layer}/kernel`)!.shape;
    const fanIn = kernel.slice(0, -1).reduce((a, b) => a * b, 1);
    const bound = 1 / Math.sqrt(fanIn);
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = (rng() * 2 - 1) * bound;
    return { name, shape: [...shape], data };
  });
}

export function setModelWeights(model: tfl.LayersModel, weights: readonly NamedTensor[]): void {
  const tensors = weights.map((w) => tf.tensor(w.data, w.shape, 'float32'));
  model.setWeights(tensors);
  tf.dispose(tensors);
}

/** Reads the model's weights back to host memory in the layout `WEIGHT_SPECS` describes. */
export async function readModelWeights(model: tfl.LayersModel): Promise<NamedTensor[]> {
  const byName = new Map(model.weights.map((w) => [w.originalName, w]));
  return Promise.all(
    WEIGHT_SPECS.map(async ({ name, shape }) => {
      const variable = byName.get(name);
      if (!variable) throw new Error(`model has no weight named ${name}`);
      const values = variable.read();
      const data = (await values.data()) as Float32Array;
      return { name, shape: [...shape], data: new Float32Array(data) };
    }),
  );
}

/**
 * One SGD step of the reference's loop: softmax cross-entropy of the logits (PyTorch's nn.CrossEntropyLoss) on a
 * batch, `xs` [n, 28, 28, 1] and one-hot `ys` [n, 10], then the optimizer's update. Returns the batch's mean loss,
 * still on the backend (the caller reads it when it reports, and disposes it).
 */
export function trainingStep(
  model: tfl.LayersModel,
  optimizer: tf.Optimizer,
  xs: tf.Tensor4D,
  ys: tf.Tensor2D,
): tf.Scalar {
  return optimizer.minimize(
    () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar,
    true,
  )!;
}

/**
 * Disposes a momentum optimizer completely: tfjs 4.22's MomentumOptimizer.dispose skips its SGD base's, which frees
 * the -lr scalar, so each run leaked one tensor.
 */
export function disposeMomentum(optimizer: tf.MomentumOptimizer): void {
  optimizer.dispose();
  tf.SGDOptimizer.prototype.dispose.call(optimizer);
}
