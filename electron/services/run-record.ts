/** How a run's request and its outcome become a history row: pure functions, so every outcome maps the same way. */
import type { CurvePoint, RunRecord, TrainRequest } from '../shared/ipc-contract';
import { RunFailure } from '../training/process/run-worker';
import type { RunResult } from '../training/process/protocol';
import type { HardwareNames } from './devices';
import { reasonOf, type Reason } from '../shared/reasons';

export const CANCELLED_BEFORE_START: Reason = { code: 'run-cancelled-before-start' };

/** The row written when a run starts (or is cancelled while waiting): everything the outcome decides is empty. */
export function newRecord(id: string, request: TrainRequest, names: HardwareNames, startedAt: Date): RunRecord {
  const hardware = (request.device === 'cpu' ? names.cpu : names.gpu) ?? 'no NVIDIA GPU found';
  return {
    id,
    startedAt: startedAt.toISOString(),
    status: 'running',
    device: request.device,
    hardware,
    engine: null,
    settings: { ...request },
    trainImages: 0,
    timings: null,
    secondsPerEpoch: null,
    imagesPerSecond: null,
    finalLoss: null,
    accuracy: null,
    evaluation: null,
    epochs: [],
    lossWindows: [],
    curve: [],
    message: null,
    hasWeights: false,
  };
}

export function completedRecord(started: RunRecord, result: RunResult, curve: CurvePoint[]): RunRecord {
  const seconds = result.epochs.map((e) => e.ms / 1000);
  return {
    ...started,
    status: result.status,
    engine: result.engine,
    trainImages: result.trainImages,
    timings: result.timings,
    secondsPerEpoch: seconds.length > 0 ? seconds.reduce((a, b) => a + b, 0) / seconds.length : null,
    imagesPerSecond: result.imagesPerSecond,
    finalLoss: result.finalLoss,
    accuracy: result.evaluation?.accuracy ?? null,
    evaluation: result.evaluation,
    epochs: result.epochs,
    lossWindows: result.lossWindows,
    curve,
    message: null,
    ...(result.reason ? { reason: result.reason } : {}),
  };
}

/**
 * A run that ended without a result: cancelled when its failure says so (a worker that ended after Cancel, a run
 * cancelled before it started; run-worker.ts and RunManager decide), else failed.
 */
export function failedRecord(started: RunRecord, err: unknown, curve: CurvePoint[]): RunRecord {
  return {
    ...started,
    status: err instanceof RunFailure && err.kind === 'cancelled' ? 'cancelled' : 'failed',
    engine: (err instanceof RunFailure ? err.engine : undefined) ?? started.engine,
    curve,
    message: null,
    reason: reasonOf(err),
  };
}
