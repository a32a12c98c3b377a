import type { MnistSplit } from '../../../electron/training/core/dataset';
import { beforeAll, describe, expect, it } from 'vitest';
import { forwardNchw, fromTorch, toTorch, TORCH_SPECS } from '../../../electron/training/export/torch-layout';
import { initialWeights } from '../../../electron/training/core/model';
import { PARAMETER_COUNT, type NamedTensor } from '../../../electron/training/core/weights';
import {
  accuracy,
  argmaxRows,
  testImages,
  maxAbsDiff,
  predictLogits,
  trainedModel,
  type TrainedModel,
} from './fixtures';

const bits = (t: NamedTensor): Uint32Array => new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length);

describe('PyTorch layout', () => {
  const tf = initialWeights(11);
  const torch = toTorch(tf);

  it('names and shapes are those of the reference Net state_dict', () => {
    expect(torch.map((t) => `${t.name} [${t.shape}]`)).toEqual([
      'conv1.weight [32,1,3,3]',
      'conv1.bias [32]',
      'conv2.weight [64,32,3,3]',
      'conv2.bias [64]',
      'fc1.weight [128,1600]',
      'fc1.bias [128]',
      'fc2.weight [10,128]',
      'fc2.bias [10]',
    ]);
    expect(TORCH_SPECS.map((s) => s.name)).toEqual(torch.map((t) => t.name));
    expect(torch.reduce((n, t) => n + t.data.length, 0)).toBe(225_034);
    expect(PARAMETER_COUNT).toBe(225_034);
  });

  it('puts each element where PyTorch expects it', () => {
    const [conv1, , conv2, , fc1, , fc2] = torch;
    // conv: torch[o][i][y][x] = tf[y][x][i][o]
    expect(conv1.data[((7 * 1 + 0) * 3 + 2) * 3 + 1]).toBe(tf[0].data[((2 * 3 + 1) * 1 + 0) * 32 + 7]);
    expect(conv2.data[((50 * 32 + 9) * 3 + 1) * 3 + 2]).toBe(tf[2].data[((1 * 3 + 2) * 32 + 9) * 64 + 50]);
    // fc1: torch input c*25 + h*5 + w is TF input (h*5 + w)*64 + c
    for (const [o, c, h, w] of [
      [0, 0, 0, 1],
      [5, 63, 4, 4],
      [127, 10, 2, 3],
      [64, 1, 0, 0],
    ]) {
      expect(fc1.data[o * 1600 + c * 25 + h * 5 + w]).toBe(tf[4].data[((h * 5 + w) * 64 + c) * 128 + o]);
    }
    expect(fc2.data[3 * 128 + 100]).toBe(tf[6].data[100 * 10 + 3]);
    expect(torch[1].data).toEqual(tf[1].data);
  });

  it('round-trips TF -> PyTorch -> TF bit-exactly', () => {
    const back = fromTorch(torch);
    expect(back.map((t) => t.name)).toEqual(tf.map((t) => t.name));
    back.forEach((t, i) => {
      expect(t.shape).toEqual(tf[i].shape);
      expect(bits(t)).toEqual(bits(tf[i]));
    });
  });

  it('rejects a state_dict with a missing or misshapen tensor', () => {
    expect(() => fromTorch(torch.slice(1))).toThrow(/no conv1.weight/);
    const bad = torch.map((t) => (t.name === 'fc2.weight' ? { ...t, shape: [128, 10] } : t));
    expect(() => fromTorch(bad)).toThrow(/fc2.weight should be \[10,128\]/);
  });
});

describe('independent NCHW forward pass (test oracle)', () => {
  const N = 200;
  let test: MnistSplit;
  let trained: TrainedModel;
  let tfLogits: Float32Array;
  beforeAll(async () => {
    test = await testImages(N);
    trained = await trainedModel();
    tfLogits = predictLogits(trained.model, test.images, N);
  });

  it('the trained source model predicts well above chance on real test images', () => {
    expect(accuracy(argmaxRows(tfLogits), test.labels)).toBeGreaterThan(0.6);
  });

  it('matches TF.js logits within 1e-4 and the same class for every image', () => {
    const logits = forwardNchw(toTorch(trained.weights), test.images, N);
    expect(maxAbsDiff(logits, tfLogits)).toBeLessThan(1e-4);
    expect(argmaxRows(logits)).toEqual(argmaxRows(tfLogits));
  });

  it('detects a wrong fc1 flatten order (the mistake this layout exists to avoid)', () => {
    const torch = toTorch(trained.weights);
    // A plain transpose of TF's [1600, 128] keeps the h,w,c input order PyTorch does not use.
    const naive = new Float32Array(128 * 1600);
    const tfFc1 = trained.weights[4].data;
    for (let i = 0; i < 1600; i++) for (let o = 0; o < 128; o++) naive[o * 1600 + i] = tfFc1[i * 128 + o];
    const wrong = torch.map((t) => (t.name === 'fc1.weight' ? { ...t, data: naive } : t));
    expect(maxAbsDiff(forwardNchw(wrong, test.images, N), tfLogits)).toBeGreaterThan(0.1);
  });
});
