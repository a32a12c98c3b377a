import type { RunRecord, TrainRequest } from '../../electron/shared/ipc-contract';
import { REFERENCE_CONFIG } from '../../electron/shared/schema/settings';

const { device: _device, ...reference } = REFERENCE_CONFIG;
export const REFERENCE_SETTINGS: Omit<TrainRequest, 'device'> = {
  ...reference,
  epochs: 5,
  batchSize: 64,
  lr: 0.001,
  momentum: 0.9,
  seed: 42,
};

/** A history row with plausible numbers; tests override what they look at. */
export function makeRecord(over: Partial<RunRecord> & Pick<RunRecord, 'id' | 'device'>): RunRecord {
  const trainingMs = over.timings?.trainingMs ?? 44_000;
  return {
    startedAt: '2026-01-01T10:00:00.000Z',
    status: 'done',
    hardware: over.device === 'gpu' ? 'NVIDIA A100-SXM4-40GB' : 'Intel(R) Xeon(R) CPU @ 2.20GHz',
    engine: null,
    settings: { device: over.device, ...REFERENCE_SETTINGS },
    trainImages: 60000,
    timings: { engineStartMs: 10, dataLoadMs: 200, warmupMs: 30, trainingMs, evaluationMs: 900 },
    secondsPerEpoch: trainingMs / 5000,
    imagesPerSecond: 300000 / (trainingMs / 1000),
    finalLoss: 0.08,
    accuracy: 0.98,
    evaluation: null,
    epochs: [],
    lossWindows: [],
    curve: [],
    message: null,
    hasWeights: true,
    ...over,
  };
}
