/** Shared test data for the services tests: a history row and a full set of weights with awkward bit patterns. */
import type { RunRecord } from '../../electron/shared/ipc-contract';
import { REFERENCE_CONFIG } from '../../electron/training/core/config';
import type { TrainedModel } from '../../electron/training/process/protocol';
import { WEIGHT_SPECS } from '../../electron/training/core/weights';

export function makeRecord(id: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    startedAt: '2025-01-02T03:04:05.678Z',
    status: 'done',
    device: 'cpu',
    hardware: 'Intel(R) Xeon(R) CPU @ 2.20GHz',
    engine: {
      engine: 'wasm',
      device: 'cpu',
      backend: 'wasm',
      version: '4.22.0',
      fallbackReason: { code: 'fallback-asked' },
    },
    settings: { ...REFERENCE_CONFIG, device: 'cpu', epochs: 5, batchSize: 64, lr: 0.001, momentum: 0.9, seed: 42 },
    trainImages: 60000,
    timings: { engineStartMs: 10, dataLoadMs: 20, warmupMs: 30, trainingMs: 44_000, evaluationMs: 500 },
    secondsPerEpoch: 8.8,
    imagesPerSecond: 6818.2,
    finalLoss: 0.081,
    accuracy: 0.9799,
    evaluation: null,
    epochs: [{ epoch: 1, meanLoss: 0.5, ms: 8800, imagesPerSecond: 6818 }],
    lossWindows: [{ epoch: 1, batch: 100, meanLoss: 2.268 }],
    curve: [
      { step: 1, loss: 2.3 },
      { step: 2, loss: 2.2 },
    ],
    message: null,
    hasWeights: false,
    ...overrides,
  };
}

/**
 * Random bits in every tensor: NaN payloads, -0, subnormals and infinities all have to survive storage. `finite`
 * gives ordinary values instead, for paths that do arithmetic-free but JIT-dependent copies (NaN payloads may change
 * there, which no trained network contains).
 */
export function makeModel(seed = 1, options: { finite?: boolean } = {}): TrainedModel {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  const weights = WEIGHT_SPECS.map((spec) => {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const data = options.finite
      ? new Float32Array(size).map(() => next() / 2 ** 31 - 1)
      : new Float32Array(new Uint32Array(size).map(() => next()).buffer);
    new Uint32Array(data.buffer)[0] = 0x80000000; // -0
    return { name: spec.name, shape: [...spec.shape], data };
  });
  return { weights, topology: { class_name: 'Sequential', config: { name: 'mnist_cnn' } } };
}
