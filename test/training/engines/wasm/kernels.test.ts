import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasm } from '../../../../electron/training/engines';
import { REPLACED_WASM_KERNELS, registerWasmTrainingKernels } from '../../../../electron/training/engines/wasm/kernels';
import { on, relativeError, seeded, wasmDataIds } from './helpers';

type Shape4 = [number, number, number, number];
const tensor = (shape: number[], seed: number) => tf.tensor(seeded(tf.util.sizeFromShape(shape), seed), shape);

async function expectSameOnBothBackends(f: () => tf.Tensor[], tolerance: number): Promise<void> {
  const wasm = await on('wasm', f);
  const cpu = await on('cpu', f);
  expect(wasm).toHaveLength(cpu.length);
  cpu.forEach((c, i) => expect(relativeError(wasm[i], c)).toBeLessThan(tolerance));
}

/** Counts tensors on both sides after a warm-up run, around a second run of `f`. */
async function expectNoLeak(f: () => tf.Tensor[]): Promise<void> {
  await tf.setBackend('wasm');
  tf.dispose(tf.tidy(f));
  const tensors = tf.memory().numTensors;
  const dataIds = wasmDataIds();
  tf.dispose(tf.tidy(f));
  expect(tf.memory().numTensors).toBe(tensors);
  expect(wasmDataIds()).toBe(dataIds);
}

beforeAll(async () => {
  await initWasm();
});

describe('Conv2DBackpropInput on wasm (a Conv2D of the dilated output gradient)', () => {
  const inputGrad =
    (xShape: Shape4, wShape: Shape4, stride: number | [number, number], pad: 'valid' | 'same') => (): tf.Tensor[] => {
      const w = tensor(wShape, 2) as tf.Tensor4D;
      const { outShape } = tf.backend_util.computeConv2DInfo(xShape, wShape, stride, 1, pad);
      const r = tensor(outShape, 3);
      return [
        tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, w, stride, pad), r)))(tensor(xShape, 1)),
      ];
    };
  const cases: Array<[string, Shape4, Shape4, number | [number, number], 'valid' | 'same']> = [
    ['conv2 of the network', [64, 13, 13, 32], [3, 3, 32, 64], 1, 'valid'],
    ['batch 1, stride 2, valid', [1, 9, 9, 32], [3, 3, 32, 64], 2, 'valid'],
    ['stride 2, same, odd sizes', [2, 9, 8, 3], [3, 3, 3, 5], 2, 'same'],
    ['one channel, stride 2, same', [3, 10, 10, 1], [3, 3, 1, 4], 2, 'same'],
    ['1x1 filter, stride 3 (input rows no window reaches)', [3, 7, 7, 2], [1, 1, 2, 4], 3, 'valid'],
    ['5x5 filter, same', [2, 8, 8, 4], [5, 5, 4, 3], 1, 'same'],
    ['uneven strides and filter', [2, 11, 9, 2], [2, 3, 2, 3], [2, 3], 'same'],
  ];
  it.each(cases)('matches the cpu backend: %s', async (_, xShape, wShape, stride, pad) => {
    await expectSameOnBothBackends(inputGrad(xShape, wShape, stride, pad), 1e-4);
  });
  it('frees its temporaries', async () => {
    await expectNoLeak(inputGrad([2, 9, 9, 4], [3, 3, 4, 8], 2, 'same'));
  });
});

describe('MaxPoolGrad on wasm', () => {
  /** r varies per window so a gradient routed to the wrong window, or dropped, shows. */
  const poolGrad = (x: () => tf.Tensor4D, size: number, stride: number, pad: 'valid' | 'same') => (): tf.Tensor[] => {
    const input = x();
    const r = tensor(tf.maxPool(input, size, stride, pad).shape, 3);
    return [tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, size, stride, pad), r)))(input)];
  };
  const random = (shape: Shape4) => () => tensor(shape, 1) as tf.Tensor4D;
  it.each([
    ['pool1 of the network', random([64, 26, 26, 32]), 2, 2, 'valid'],
    ['pool2 of the network (odd size: the last row is in no window)', random([64, 11, 11, 64]), 2, 2, 'valid'],
    ['overlapping 3x3 windows, stride 1, same', random([2, 7, 7, 3]), 3, 1, 'same'],
    ['3x3 windows, stride 2, same', random([2, 7, 7, 3]), 3, 2, 'same'],
  ] as const)('matches the cpu backend: %s', async (_, x, size, stride, pad) => {
    await expectSameOnBothBackends(poolGrad(x, size, stride, pad), 1e-6);
  });

  it('routes ties to the first maximum and handles windows with no positive value', async () => {
    // wasm's own kernel starts its search at FLT_MIN and keeps the last maximum: it drops both windows' gradients.
    const x = () => tf.tensor4d([-3, -1, -2, -4, -5, -6, 1, 1, -7, -8, 0, 0], [1, 3, 4, 1]);
    const [wasm] = await on('wasm', poolGrad(x, 2, 2, 'valid'));
    const [cpu] = await on('cpu', poolGrad(x, 2, 2, 'valid'));
    expect(Array.from(wasm)).toEqual(Array.from(cpu));
    expect(Array.from(wasm).filter((v) => v !== 0)).toHaveLength(2);
  });

  it('frees its temporaries', async () => {
    await expectNoLeak(poolGrad(random([2, 8, 8, 3]), 2, 2, 'valid'));
  });
});

describe('matMul with transposed operands on wasm', () => {
  it.each([
    ['dense backprop dx = dy . W^T', [64, 128], [1600, 128], false, true],
    ['dense backprop dW = x^T . dy', [64, 1600], [64, 128], true, false],
    ['both transposed, batched', [3, 5, 4], [3, 6, 5], true, true],
    ['batch broadcast', [3, 4, 5], [1, 6, 5], false, true],
    ['no transpose (unchanged path)', [64, 1600], [1600, 128], false, false],
  ] as const)('matches the cpu backend: %s', async (_, aShape, bShape, ta, tb) => {
    await expectSameOnBothBackends(() => [tf.matMul(tensor([...aShape], 4), tensor([...bShape], 5), ta, tb)], 1e-5);
  });

  it('matches for the fused kernel too, with bias and relu', async () => {
    await expectSameOnBothBackends(
      () => [
        tf.fused.matMul({
          a: tensor([8, 16], 4),
          b: tensor([12, 16], 5),
          transposeB: true,
          bias: tensor([12], 6),
          activation: 'relu',
        }),
      ],
      1e-5,
    );
  });

  it('frees its temporaries', async () => {
    await expectNoLeak(() => [tf.matMul(tensor([6, 5], 4), tensor([7, 5], 5), false, true)]);
  });
});

describe("Sum over batch, rows and columns (a convolution's bias gradient) on wasm", () => {
  it.each([
    ['conv1 of the network', [64, 26, 26, 32], [0, 1, 2], false],
    ['conv2 of the network', [64, 11, 11, 64], [0, 1, 2], false],
    ['axes in another order, negative', [4, 5, 3, 6], [-2, 0, 1], false],
    ['keepDims', [2, 7, 9, 3], [0, 1, 2], true],
    ['one channel', [3, 4, 4, 1], [0, 1, 2], false],
    ["1x1 images (left to wasm's Sum)", [5, 1, 1, 4], [0, 1, 2], false],
    ["other axes (left to wasm's Sum)", [4, 5, 6, 3], [1, 2], false],
    ["rank 2, a dense layer's bias gradient", [64, 128], [0], false],
  ] as const)('matches the cpu backend: %s', async (_, shape, axes, keepDims) => {
    await expectSameOnBothBackends(() => [tf.sum(tensor([...shape], 7), [...axes], keepDims)], 1e-5);
  });

  it('is the gradient of a bias add, with the shape tfjs expects', async () => {
    const biasGrad = (): tf.Tensor[] => {
      const x = tensor([8, 6, 6, 5], 8);
      const r = tensor([8, 6, 6, 5], 9);
      return [tf.grad((b: tf.Tensor) => tf.sum(tf.mul(tf.add(x, b), r)))(tensor([5], 10))];
    };
    const [wasm] = await on('wasm', biasGrad);
    expect(wasm).toHaveLength(5);
    await expectSameOnBothBackends(biasGrad, 1e-5);
  });

  it('frees its temporaries', async () => {
    await expectNoLeak(() => [tf.sum(tensor([2, 5, 5, 3], 7), [0, 1, 2])]);
  });
});

describe('Identity on wasm', () => {
  it("shares its input's data instead of copying it, and frees it with the last tensor", async () => {
    await tf.setBackend('wasm');
    const dataIds = wasmDataIds();
    const x = tensor([4, 3], 11);
    const y = tf.clone(x);
    expect(wasmDataIds()).toBe(dataIds + 1);
    x.dispose();
    expect(Array.from(await y.data())).toEqual(Array.from(seeded(12, 11)));
    y.dispose();
    expect(wasmDataIds()).toBe(dataIds);
  });
});

describe('registration', () => {
  it('replaces each kernel once, however often it is asked', () => {
    const before = REPLACED_WASM_KERNELS.map((name) => tf.getKernel(name, 'wasm'));
    registerWasmTrainingKernels();
    expect(REPLACED_WASM_KERNELS.map((name) => tf.getKernel(name, 'wasm'))).toEqual(before);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });
});
