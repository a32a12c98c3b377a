import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasm } from '../../../../electron/training/engines';
import { createModel, initialWeights, setModelWeights } from '../../../../electron/training/core/model';
import { referenceFilterGrad } from '../gpu-reference';
import { mnistBatch, on, relativeError, seeded, wasmDataIds } from './helpers';

type Shape4 = [number, number, number, number];

/** d/dW of sum(conv2d(x, W) * r): the output gradient is r itself, deterministic and of varied sign. */
function filterGrad(xShape: Shape4, wShape: Shape4, stride: number | [number, number], pad: 'valid' | 'same') {
  return (): tf.Tensor[] => {
    const x = tf.tensor4d(seeded(tf.util.sizeFromShape(xShape), 1), xShape);
    const w = tf.tensor4d(seeded(tf.util.sizeFromShape(wShape), 2), wShape);
    const { outShape } = tf.backend_util.computeConv2DInfo(xShape, wShape, stride, 1, pad);
    const r = tf.tensor4d(seeded(tf.util.sizeFromShape(outShape), 3), outShape);
    return [tf.grad((filter: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, filter as tf.Tensor4D, stride, pad), r)))(w)];
  };
}

beforeAll(async () => {
  await initWasm();
});

/** Input pixels times weights, above which the cpu backend's loop costs seconds: a bound on the products a case sums. */
const CPU_PRODUCTS = 1e6;

describe('Conv2DBackpropFilter on wasm', () => {
  // The network's two convolutions at a batch of 8, not the tutorial's 64: the same shapes per image, and the
  // kernel's batch loop is met by "one channel, stride 2, same" at 64. Each case matches the float64 sum of the same
  // inputs (gpu-reference.ts), the value any float32 kernel should come near, and the small ones tfjs's cpu backend
  // too: its plain loop took most of this file's time on the network's shapes (conv2 at 64 took 127 s of a loaded CI
  // run), for a float32 copy of the same sum.
  const cases: Array<[string, Shape4, Shape4, number | [number, number], 'valid' | 'same']> = [
    ['conv1 of the network (one input channel)', [8, 28, 28, 1], [3, 3, 1, 32], 1, 'valid'],
    ['conv2 of the network', [8, 13, 13, 32], [3, 3, 32, 64], 1, 'valid'],
    ['batch 1, stride 2, valid', [1, 9, 9, 32], [3, 3, 32, 64], 2, 'valid'],
    ['batch 1, 64 channels, same', [1, 7, 7, 64], [3, 3, 64, 32], 1, 'same'],
    ['stride 2, same, odd sizes', [2, 9, 8, 3], [3, 3, 3, 5], 2, 'same'],
    ['one channel, stride 2, same', [64, 10, 10, 1], [3, 3, 1, 8], 2, 'same'],
    ['1x1 filter, stride 3 (past the last window)', [3, 7, 7, 2], [1, 1, 2, 4], 3, 'valid'],
    ['5x5 filter, same', [2, 8, 8, 4], [5, 5, 4, 3], 1, 'same'],
    ['uneven strides and filter', [2, 11, 9, 2], [2, 3, 2, 3], [2, 3], 'same'],
  ];
  it.each(cases)(
    'matches a float64 sum, and the cpu backend on small shapes: %s',
    async (_, xShape, wShape, stride, pad) => {
      const grad = filterGrad(xShape, wShape, stride, pad);
      const [wasm] = await on('wasm', grad);
      expect(wasm.length).toBe(tf.util.sizeFromShape(wShape));
      expect(relativeError(wasm, referenceFilterGrad({ xShape, filterShape: wShape, stride, pad }))).toBeLessThan(1e-4);
      const products = (tf.util.sizeFromShape(xShape) * tf.util.sizeFromShape(wShape)) / wShape[2];
      if (products < CPU_PRODUCTS) expect(relativeError(wasm, (await on('cpu', grad))[0])).toBeLessThan(1e-4);
    },
  );

  it('leaves no tensor behind, on either side of the wasm boundary', async () => {
    await tf.setBackend('wasm');
    for (const [xShape, wShape] of [
      [
        [8, 28, 28, 1],
        [3, 3, 1, 32],
      ],
      [
        [8, 13, 13, 32],
        [3, 3, 32, 64],
      ],
    ] as const) {
      const grad = filterGrad([...xShape], [...wShape], 1, 'valid');
      tf.dispose(tf.tidy(grad)); // the first run creates XNNPACK operators; count from the second
      const tensors = tf.memory().numTensors;
      const dataIds = wasmDataIds();
      tf.dispose(tf.tidy(grad));
      expect(tf.memory().numTensors).toBe(tensors);
      expect(wasmDataIds()).toBe(dataIds);
    }
  });
});

describe('the network on wasm', () => {
  it('gets the same gradients for every weight as on the cpu backend, for a batch of real MNIST', async () => {
    const batch = 8; // real digits; the cpu backend's reference, whose time goes with the batch, took a minute at 64
    const { pixels, labels } = await mnistBatch(batch);
    const gradients = (): tf.Tensor[] => {
      const model = createModel();
      setModelWeights(model, initialWeights(42));
      const xs = tf.tensor4d(pixels, [batch, 28, 28, 1]);
      const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
      const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value, grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar,
        variables,
      );
      const out = [value, ...variables.map((v) => grads[v.name])];
      model.dispose();
      return out;
    };
    const wasm = await on('wasm', gradients);
    const cpu = await on('cpu', gradients);
    expect(wasm).toHaveLength(9);
    expect(Math.abs(wasm[0][0] - cpu[0][0])).toBeLessThan(1e-5);
    expect(cpu[0][0]).toBeGreaterThan(2); // an untrained net on 10 classes: about ln 10
    for (let i = 1; i < cpu.length; i++) expect(relativeError(wasm[i], cpu[i])).toBeLessThan(1e-4);
  });
});
