import { describe, expect, it } from 'vitest';
import { REFERENCE_CONFIG } from '../../../electron/training/core/config';
import type { RunResult } from '../../../electron/training/process/protocol';
import { formatSummary } from '../../../electron/training/cli/report';

const result = (over: Partial<RunResult>): RunResult => ({
  status: 'done',
  config: { ...REFERENCE_CONFIG, device: 'cpu', epochs: 1, batchSize: 64, lr: 0.001, momentum: 0.9, seed: 1 },
  engine: { engine: 'wasm', device: 'cpu', backend: 'wasm', version: '4.22.0' },
  timings: { engineStartMs: 100, dataLoadMs: 200, warmupMs: 300, trainingMs: 0, evaluationMs: 400 },
  trainImages: 64,
  batchesPerEpoch: 1,
  epochs: [{ epoch: 1, meanLoss: 2.3, ms: 300, imagesPerSecond: 213 }],
  lossWindows: [],
  finalLoss: 2.3,
  imagesPerSecond: 0,
  evaluation: { accuracy: 0.1, count: 1, perClassAccuracy: [], confusion: [] },
  ...over,
});

describe('formatSummary', () => {
  it('says "1 epoch", and that a one-batch run has no timed batch (the only one is the warm-up)', () => {
    const text = formatSummary(result({}), ['/w.pth']);
    expect(text).toContain(
      '  training        0.00 s for 1 epoch of 64 images (no timed batch: the only one was the warm-up)',
    );
    expect(text).toContain('  throughput      n/a');
    expect(text).toContain('  test accuracy   10.00% on 1 test image\n');
    expect(text).not.toMatch(/1 epochs|ms a batch/);
  });

  it('averages the timed batches: all but the warm-up', () => {
    const text = formatSummary(
      result({
        epochs: [1, 2].map((epoch) => ({ epoch, meanLoss: 1, ms: 1, imagesPerSecond: 1 })),
        trainImages: 6400,
        batchesPerEpoch: 100,
        imagesPerSecond: 823.7,
        timings: { engineStartMs: 0, dataLoadMs: 0, warmupMs: 0, trainingMs: 15_522, evaluationMs: 0 },
      }),
      ['/w.pth'],
    );
    expect(text).toContain('15.52 s for 2 epochs of 6400 images (78.0 ms a batch)'); // 15522 ms / 199 batches
    expect(text).toContain('  throughput      824 images/s');
  });

  it('names the data that trained, on the line after the engine, when told', () => {
    const lines = formatSummary(result({}), ['/w.pth'], 'idx files in /home/me/data/MNIST/raw').split('\n');
    expect(lines.slice(1, 3)).toEqual([
      '  engine          wasm 4.22.0 on CPU',
      '  data            idx files in /home/me/data/MNIST/raw',
    ]);
    expect(formatSummary(result({}), ['/w.pth'])).not.toContain('  data ');
  });
});
