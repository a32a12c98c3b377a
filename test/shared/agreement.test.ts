import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareLoss, compareRuns, compareWeights } from '../../electron/shared/agreement';
import { validateConfig } from '../../electron/training/core/config';
import { loadMnist, type MnistData } from '../../electron/training/core/dataset';
import { train, type TrainOutput } from '../../electron/training/core/train';
import { initEngine, type EngineInfo } from '../../electron/training/engines';
import { NATIVE_SKIP_NOTE, runNative } from '../training/engines/native-helpers';

const tensor = (name: string, values: number[]) => ({ name, shape: [values.length], data: Float32Array.from(values) });

describe('compareWeights and compareLoss', () => {
  it('give the largest absolute difference a tensor, with its scale, and count NaN as infinitely far', () => {
    const gaps = compareWeights(
      [tensor('a', [1, -2, 3]), tensor('b', [0.5, 0])],
      [tensor('a', [1.25, -2, 2.5]), tensor('b', [0.5, Number.NaN])],
    );
    expect(gaps).toEqual([
      { name: 'a', maxAbsDiff: 0.5, maxAbs: 3 },
      { name: 'b', maxAbsDiff: Number.POSITIVE_INFINITY, maxAbs: 0.5 },
    ]);
    expect(() => compareWeights([tensor('a', [1])], [tensor('b', [1])])).toThrow(
      'weight 0 is a in one run and b in the other',
    );
    expect(() => compareWeights([tensor('a', [1])], [])).toThrow('the runs have 1 and 0 weight tensors');
  });

  it('compares the 100-batch windows both runs logged, at the same epoch and batch', () => {
    const a = [
      { epoch: 1, batch: 100, meanLoss: 2 },
      { epoch: 1, batch: 200, meanLoss: 1 },
      { epoch: 2, batch: 100, meanLoss: 0.5 },
    ];
    const b = [
      { epoch: 1, batch: 100, meanLoss: 2.1 },
      { epoch: 1, batch: 200, meanLoss: 1.3 },
    ];
    const gap = compareLoss(a, b)!;
    expect(gap).toMatchObject({ epoch: 1, batch: 200, windows: 2 });
    expect(gap.gap).toBeCloseTo(0.3, 6);
    expect(compareLoss(a, [])).toBeNull();
  });
});

const config = validateConfig({ epochs: 1, batchSize: 16, lr: 0.01, seed: 7, limit: 1600, testLimit: 500 });
const figures = (o: TrainOutput) => ({
  settings: o.result.config,
  lossWindows: o.result.lossWindows,
  accuracy: o.result.evaluation!.accuracy,
});
const agreementOf = (a: TrainOutput, b: TrainOutput) =>
  compareRuns(figures(a), figures(b), a.model!.weights, b.model!.weights);

// 100 batches of 16 real images: one reference log window.
let data: MnistData;
let wasm: EngineInfo;
let onWasm: TrainOutput;
beforeAll(async () => {
  wasm = await initEngine('cpu', { preferFallback: true });
  data = await loadMnist({ limit: 1600, testLimit: 500 });
  onWasm = await train({ config, data, engine: wasm });
});

describe('the same run twice', () => {
  it('on one engine ends bit-identical: no gap in any weight, window or accuracy', async () => {
    const again = await train({ config, data, engine: wasm });
    const agreement = agreementOf(onWasm, again);
    expect(agreement.differentSettings).toEqual([]);
    expect(agreement.weights.map((w) => w.maxAbsDiff)).toEqual(new Array(8).fill(0));
    expect(agreement.loss).toEqual({ epoch: 1, batch: 100, gap: 0, windows: 1 });
    expect(agreement.accuracy[0]).toBe(agreement.accuracy[1]);
  });

  it.runIf(runNative)(`on the native engine and on wasm ends within float32 rounding${NATIVE_SKIP_NOTE}`, async () => {
    const native = await initEngine('cpu');
    expect(native.engine).toBe('tfjs-node');
    let onNative: TrainOutput;
    try {
      onNative = await train({ config, data, engine: native });
    } finally {
      await tf.setBackend('wasm');
    }
    const agreement = agreementOf(onWasm, onNative);
    expect(agreement.differentSettings).toEqual([]);
    // Different summation orders: not bit-equal, but far below the weights' own size (~0.1-0.5).
    expect(agreement.maxWeightDiff).toBeGreaterThan(0);
    expect(agreement.maxWeightDiff).toBeLessThan(1e-3);
    for (const w of agreement.weights) expect(w.maxAbsDiff).toBeLessThan(w.maxAbs * 0.01);
    expect(agreement.loss).toMatchObject({ epoch: 1, batch: 100, windows: 1 });
    expect(agreement.loss!.gap).toBeLessThan(1e-3);
    expect(Math.abs(agreement.accuracy[0]! - agreement.accuracy[1]!)).toBeLessThanOrEqual(0.004); // 2 of 500 images
  });

  it('names the settings that differ, so a comparison of unlike runs is never read as agreement', () => {
    const base = { lossWindows: [], accuracy: null };
    const a = compareRuns(
      { ...base, settings: { ...config } },
      { ...base, settings: { ...config, seed: 8, lr: 0.1 } },
      [],
      [],
    );
    expect(a.differentSettings).toEqual(['lr', 'seed']);
  });
});
