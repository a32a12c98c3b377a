import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { planFilterGrad, type FilterGradAttrs } from '../../../electron/training/engines/filter-grad-plan';
import { overrideKernel } from '../../../electron/training/engines/override-kernel';

type Shape4 = [number, number, number, number];
const info = (shape: number[], dtype: tf.DataType = 'float32'): tf.TensorInfo => ({ dataId: {}, shape, dtype });
const attrs = (filterShape: Shape4, extra: Partial<FilterGradAttrs> = {}): FilterGradAttrs => ({
  strides: 1,
  pad: 'valid',
  dataFormat: 'NHWC',
  filterShape,
  ...extra,
});

describe('planFilterGrad', () => {
  it('cuts conv1 at batch 64 into 167 runs of 10 rows (1664 rows = 64 images x 26 output rows)', () => {
    const plan = planFilterGrad(info([64, 28, 28, 1]), info([64, 26, 26, 32]), attrs([3, 3, 1, 32]), 1 << 16)!;
    expect(plan).toMatchObject({ weights: 288, rows: 1664, rowsPerSplit: 10, splits: 167 });
  });

  it('gives no thread fewer than 256 pixels to sum, however many threads are asked for', () => {
    const plan = planFilterGrad(info([64, 28, 28, 1]), info([64, 26, 26, 32]), attrs([3, 3, 1, 32]), 1 << 20)!;
    expect(plan).toMatchObject({ rowsPerSplit: 10, splits: 167 }); // 10 rows of 26 pixels
    const small = planFilterGrad(info([2, 5, 5, 1]), info([2, 3, 3, 4]), attrs([3, 3, 1, 4]), 1 << 20)!;
    expect(small).toMatchObject({ rows: 6, rowsPerSplit: 6, splits: 1 });
  });

  it('cuts conv2 at batch 64 into 4 runs of 176 rows: 18,432 weights already fill most of a GPU', () => {
    const plan = planFilterGrad(info([64, 13, 13, 32]), info([64, 11, 11, 64]), attrs([3, 3, 32, 64]), 1 << 16)!;
    expect(plan).toMatchObject({ weights: 18432, rows: 704, rowsPerSplit: 176, splits: 4 });
  });

  it('covers every row exactly once for a short batch, with the last run shorter', () => {
    const plan = planFilterGrad(info([37, 28, 28, 1]), info([37, 26, 26, 32]), attrs([3, 3, 1, 32]), 1 << 16)!;
    expect(plan.rows).toBe(962);
    expect((plan.splits - 1) * plan.rowsPerSplit).toBeLessThan(plan.rows);
    expect(plan.splits * plan.rowsPerSplit).toBeGreaterThanOrEqual(plan.rows);
  });

  it("takes 'same' padding, with the pads tfjs computes", () => {
    const plan = planFilterGrad(
      info([2, 9, 14, 3]),
      info([2, 9, 14, 5]),
      attrs([3, 3, 3, 5], { pad: 'same' }),
      1 << 16,
    )!;
    expect(plan.info.padInfo).toMatchObject({ top: 1, left: 1, bottom: 1, right: 1 });
    expect(plan.rows).toBe(18);
  });

  it.each([
    ['a stride of 2', info([4, 9, 9, 3]), info([4, 4, 4, 5]), attrs([3, 3, 3, 5], { strides: 2 })],
    ['strides [1, 2]', info([4, 9, 9, 3]), info([4, 7, 4, 5]), attrs([3, 3, 3, 5], { strides: [1, 2] })],
    ['NCHW', info([4, 3, 9, 9]), info([4, 5, 7, 7]), attrs([3, 3, 3, 5], { dataFormat: 'NCHW' })],
    ['int32 input', info([4, 9, 9, 3], 'int32'), info([4, 7, 7, 5]), attrs([3, 3, 3, 5])],
    ['an empty batch', info([0, 9, 9, 3]), info([0, 7, 7, 5]), attrs([3, 3, 3, 5])],
  ])('leaves %s to tfjs (null)', (_, x, dy, a) => {
    expect(planFilterGrad(x, dy, a, 1 << 16)).toBeNull();
  });
});

describe('overrideKernel', () => {
  // A made-up backend name, so the real backends' registries stay as they are.
  const backendName = 'athanor-test-backend';
  const stockFunc: tf.KernelFunc = () => info([1]);
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName, kernelFunc: stockFunc });

  it('puts the new kernel in place and hands it the one it replaces, once however often it is called', () => {
    const handed: tf.KernelFunc[] = [];
    const make = (stock: tf.KernelFunc): tf.KernelFunc => {
      handed.push(stock);
      return () => info([2]);
    };
    overrideKernel('Conv2DBackpropFilter', backendName, make);
    overrideKernel('Conv2DBackpropFilter', backendName, make);
    expect(handed).toEqual([stockFunc]);
    const kernel = tf.getKernel('Conv2DBackpropFilter', backendName)!;
    expect(kernel.kernelFunc).not.toBe(stockFunc);
    expect(
      (kernel.kernelFunc({ inputs: {}, backend: {} as tf.KernelBackend, attrs: {} }) as tf.TensorInfo).shape,
    ).toEqual([2]);
  });

  it('says which package to import when the backend has no such kernel', () => {
    expect(() => overrideKernel('Conv2DBackpropFilter', 'webgpu', (s) => s)).toThrow(
      'webgpu has no Conv2DBackpropFilter kernel to replace: import @tensorflow/tfjs-backend-webgpu first',
    );
  });
});
