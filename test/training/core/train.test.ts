import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../electron/training/core/config';
import { loadMnist, type MnistData } from '../../../electron/training/core/dataset';
import { initEngine, type EngineInfo } from '../../../electron/training/engines';
import type { Progress } from '../../../electron/training/process/protocol';
import { train } from '../../../electron/training/core/train';
import { PARAMETER_COUNT } from '../../../electron/training/core/weights';
import { describeReason } from '../../../electron/shared/describe-reason';

// Real MNIST subsets on the fallback engine: the same code path the app takes on this machine.
let data: MnistData;
let engine: EngineInfo;
beforeAll(async () => {
  engine = await initEngine('cpu', { preferFallback: true });
  data = await loadMnist({ limit: 1600, testLimit: 1000 });
});

const config = (over: object) => validateConfig({ epochs: 1, batchSize: 16, lr: 0.01, seed: 3, ...over });

describe('train', () => {
  it('learns: the loss falls, accuracy beats chance, the log has the reference windows', async () => {
    const progress: Progress[] = [];
    const windows: { epoch: number; batch: number; meanLoss: number }[] = [];
    const epochs: number[] = [];
    const { result, model } = await train({
      config: config({}),
      data,
      engine,
      reporter: {
        onProgress: (p) => progress.push(p),
        onLossWindow: (w) => windows.push(w),
        onEpoch: (e) => epochs.push(e.epoch),
      },
    });
    expect(result.status).toBe('done');
    expect(result.batchesPerEpoch).toBe(100);
    expect(windows).toHaveLength(1);
    expect(windows[0]).toMatchObject({ epoch: 1, batch: 100 });
    expect(epochs).toEqual([1]);
    // Untrained cross-entropy over 10 classes starts near ln(10) = 2.30.
    expect(progress[0].loss).toBeGreaterThan(2.0);
    expect(progress[0].loss).toBeLessThan(2.6);
    expect(result.finalLoss!).toBeLessThan(progress[0].loss - 0.5);
    expect(windows[0].meanLoss).toBeLessThan(2.3);
    expect(result.evaluation!.accuracy).toBeGreaterThan(0.6);
    expect(result.evaluation!.count).toBe(1000);
    const confusionTotal = result.evaluation!.confusion.flat().reduce((a, b) => a + b, 0);
    expect(confusionTotal).toBe(1000);
    expect(result.evaluation!.perClassAccuracy).toHaveLength(10);
    expect(progress.at(-1)).toMatchObject({ step: 100, totalSteps: 100, batch: 100, etaMs: 0 });
    expect(result.timings.trainingMs).toBeGreaterThan(0);
    expect(result.timings.warmupMs).toBeGreaterThan(0);
    expect(result.imagesPerSecond).toBeGreaterThan(0);
    expect(model!.weights.reduce((n, w) => n + w.data.length, 0)).toBe(PARAMETER_COUNT);
    expect((model!.topology as { class_name?: string }).class_name).toBe('Sequential');
  });

  it('times epochs on the training clock: the warm-up batch is in neither, and the epochs add up to the training time', async () => {
    const { result } = await train({
      config: config({ epochs: 2, limit: undefined }),
      data: { ...data, train: { ...data.train, count: 320 } },
      engine,
    });
    const sum = result.epochs.reduce((a, e) => a + e.ms, 0);
    expect(Math.abs(sum - result.timings.trainingMs)).toBeLessThan(Math.max(20, 0.05 * result.timings.trainingMs));
    // 20 batches of 16 an epoch; epoch 1 counts 19 of them (the first is the warm-up).
    expect(result.epochs[0].imagesPerSecond * (result.epochs[0].ms / 1000)).toBeCloseTo(19 * 16, 6);
    expect(result.epochs[1].imagesPerSecond * (result.epochs[1].ms / 1000)).toBeCloseTo(20 * 16, 6);
  });

  it('is repeatable with a seed and differs with another', async () => {
    const small = (seed: number) =>
      train({ config: config({ seed, limit: 160 }), data: { ...data, train: sub(data, 160) }, engine });
    const [a, b, c] = [await small(5), await small(5), await small(6)];
    expect(a.model!.weights[4].data).toEqual(b.model!.weights[4].data);
    expect(a.result.finalLoss).toBe(b.result.finalLoss);
    expect(a.model!.weights[4].data).not.toEqual(c.model!.weights[4].data);
  });

  it('frees every tensor: memory does not grow from run to run', async () => {
    const run = () => train({ config: config({ limit: 64 }), data: { ...data, train: sub(data, 64) }, engine });
    await run();
    const before = tf.memory().numTensors;
    await run();
    await run();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops at the next batch when cancelled', async () => {
    const abort = new AbortController();
    let seen = 0;
    const { result, model } = await train({
      config: config({}),
      data,
      engine,
      signal: abort.signal,
      reporter: {
        onProgress: () => {
          if (++seen === 2) abort.abort();
        },
      },
    });
    expect(result.status).toBe('cancelled');
    expect(result.reason).toMatchObject({ code: 'run-cancelled', totalSteps: 100 });
    expect(describeReason(result.reason!)).toMatch(/^cancelled after \d+ of 100 batches$/);
    expect(result.evaluation).toBeNull();
    expect(model).toBeNull();
  });

  it('cancelled before its first batch (while the engine or the data loaded), it says it never started', async () => {
    const abort = new AbortController();
    abort.abort();
    const { result, model } = await train({ config: config({}), data, engine, signal: abort.signal });
    expect(result.status).toBe('cancelled');
    expect(result.reason).toEqual({ code: 'run-cancelled-before-start' });
    expect(describeReason(result.reason!)).toBe('cancelled before it started');
    expect(model).toBeNull();
  });

  it('reports the batches trained since the last report before it stops: the counter and the message agree', async () => {
    // A signal that reads as aborted from the 6th check on: the loop checks once before each batch, so 5 batches
    // train, and (the first reported at once, the rest due every 250 ms) some of them are not yet reported.
    let checks = 0;
    const signal = {
      get aborted() {
        return ++checks > 5;
      },
    } as AbortSignal;
    const progress: Progress[] = [];
    const { result } = await train({
      config: config({}),
      data,
      engine,
      signal,
      reporter: { onProgress: (p) => progress.push(p) },
    });
    expect(result.status).toBe('cancelled');
    expect(result.reason).toEqual({ code: 'run-cancelled', step: 5, totalSteps: 100 });
    expect(describeReason(result.reason!)).toBe('cancelled after 5 of 100 batches');
    expect(progress.at(-1)).toMatchObject({ step: 5, batch: 5, epoch: 1 });
    expect(result.finalLoss).toBeGreaterThan(0);
  });

  it('stops with "training diverged" when the loss is not finite', async () => {
    const { result, model } = await train({ config: config({ lr: 1e30 }), data, engine });
    expect(result.status).toBe('diverged');
    expect(result.reason).toMatchObject({
      code: 'loss-exploded',
      epoch: 1,
      loss: expect.stringMatching(/^(NaN|Infinity)$/),
    });
    expect(describeReason(result.reason!)).toMatch(
      /training diverged: the loss became (NaN|infinite) at epoch 1, batch \d+/,
    );
    expect(model).toBeNull();
  });

  it('keeps the short last batch', async () => {
    const { result } = await train({
      config: config({ batchSize: 64, limit: 100 }),
      data: { ...data, train: sub(data, 100) },
      engine,
    });
    expect(result.batchesPerEpoch).toBe(2);
    expect(result.trainImages).toBe(100);
  });
});

function sub(d: MnistData, n: number) {
  return { images: d.train.images.subarray(0, n * 784), labels: d.train.labels.subarray(0, n), count: n };
}
