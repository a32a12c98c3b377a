import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist, type MnistData } from '../../../electron/training/core/dataset';
import { median, sweepEngine } from '../../../electron/training/core/sweep';
import { initEngine, type EngineInfo } from '../../../electron/training/engines';
import { compareSweeps } from '../../../electron/shared/sweep-ratio';
import { describeSkipped } from '../../../electron/shared/describe-skipped';

// Real MNIST on the fallback engine, the one this machine trains the CPU with.
let data: MnistData;
let engine: EngineInfo;
beforeAll(async () => {
  engine = await initEngine('cpu', { preferFallback: true });
  data = await loadMnist({ limit: 300, testLimit: 1 });
});

describe('sweepEngine', () => {
  it('times each batch size that fits and says why it skipped the others, leaving no tensor behind', async () => {
    const seen: number[] = [];
    const before = tf.memory().numTensors;
    const result = await sweepEngine(
      data.train,
      engine,
      { batchSizes: [8, 32, 400], timedSteps: 3, warmupSteps: 1 },
      {
        onPoint: (p, index, of) => seen.push(p.batchSize * 100 + index * 10 + of),
      },
    );
    expect(result.points.map((p) => p.batchSize)).toEqual([8, 32]);
    expect(seen).toEqual([803, 3213]);
    expect(result.skipped).toEqual([{ batchSize: 400, reason: 'too-few-images', limit: 300 }]);
    expect(describeSkipped(result.skipped[0])).toBe('more than the 300 images loaded');
    for (const p of result.points) {
      expect(p.steps).toBe(3);
      expect(p.msPerStep).toBeGreaterThan(0);
      expect(p.imagesPerSecond).toBeCloseTo(p.batchSize / (p.msPerStep / 1000), 6);
      expect(p.tensorsLeft).toBe(0);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(result.engine).toBe(engine);
  });

  it("skips a size above the engine's known limit without trying it, and the rest once cancelled", async () => {
    const big = await sweepEngine(data.train, { ...engine, engine: 'wasm' }, { batchSizes: [4096], timedSteps: 1 });
    expect(big.points).toEqual([]);
    expect(big.skipped).toEqual([{ batchSize: 4096, reason: 'engine-limit', engine: 'wasm', limit: 3584 }]);
    expect(describeSkipped(big.skipped[0])).toBe('more than the wasm engine can hold (3584)');

    const controller = new AbortController();
    const cancelled = await sweepEngine(
      data.train,
      engine,
      { batchSizes: [4, 8, 16], timedSteps: 1, warmupSteps: 0 },
      { onPoint: () => controller.abort() },
      controller.signal,
    );
    expect(cancelled.points.map((p) => p.batchSize)).toEqual([4]);
    expect(cancelled.skipped).toEqual([
      { batchSize: 8, reason: 'cancelled' },
      { batchSize: 16, reason: 'cancelled' },
    ]);
  });

  it("times the GPU engines' batch source too (the split uploaded once), and frees it after each point", async () => {
    const before = tf.memory().numTensors;
    const result = await sweepEngine(data.train, engine, {
      batchSizes: [16, 64],
      timedSteps: 2,
      warmupSteps: 1,
      batchSource: 'device',
    });
    expect(result.points.map((p) => [p.batchSize, p.steps, p.tensorsLeft])).toEqual([
      [16, 2, 0],
      [64, 2, 0],
    ]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });
});

describe('compareSweeps', () => {
  const cpu = [16, 64, 256, 1024].map((b, i) => ({ batchSize: b, imagesPerSecond: [1000, 1200, 1300, 1300][i] }));
  it('gives the GPU-over-CPU ratio at each shared size, where the GPU pulls ahead, and the ratio at 64', () => {
    const gpu = [
      { batchSize: 16, imagesPerSecond: 500 },
      { batchSize: 64, imagesPerSecond: 1800 },
      { batchSize: 256, imagesPerSecond: 6500 },
      { batchSize: 2048, imagesPerSecond: 9000 },
    ];
    const c = compareSweeps(cpu, gpu);
    expect(c.ratios).toEqual([
      { batchSize: 16, ratio: 0.5 },
      { batchSize: 64, ratio: 1.5 },
      { batchSize: 256, ratio: 5 },
    ]);
    expect(c.gpuAheadFrom).toBe(64);
    expect(c.atTutorialBatch).toBe(1.5);
  });

  it('counts a lead only where it holds for every larger size, and says so when the GPU never leads', () => {
    const gpu = [
      { batchSize: 16, imagesPerSecond: 2000 },
      { batchSize: 64, imagesPerSecond: 600 },
      { batchSize: 256, imagesPerSecond: 2600 },
      { batchSize: 1024, imagesPerSecond: 3900 },
    ];
    expect(compareSweeps(cpu, gpu).gpuAheadFrom).toBe(256);
    const slow = cpu.map((p) => ({ ...p, imagesPerSecond: p.imagesPerSecond / 2 }));
    expect(compareSweeps(cpu, slow)).toMatchObject({ gpuAheadFrom: null, atTutorialBatch: 0.5 });
    expect(compareSweeps(cpu, [{ batchSize: 32, imagesPerSecond: 1 }])).toEqual({
      ratios: [],
      gpuAheadFrom: null,
      atTutorialBatch: null,
    });
  });
});
