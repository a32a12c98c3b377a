import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { TrainConfig } from './config';
import type { MnistData } from './dataset';
import type { EngineInfo } from '../engines';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { BatchSource } from './batches';
import { TfjsTrainer, type BatchTrainer } from './batch-trainer';
import type { GpuStep } from '../../shared/schema/engine';
import { FusedTrainer } from '../engines/webgpu/fused/fused-trainer';
import { evaluate } from './evaluate';
import { checkBatchFits, isOutOfMemory, outOfMemoryReason } from './limits';
import { describeReason } from '../../shared/describe-reason';
import type { Reason } from '../../shared/reasons';
import { createModel, initialWeights, readModelWeights, setModelWeights } from './model';
import { LOG_EVERY, LossLog } from './loss-log';
import type {
  EpochSummary,
  Evaluation,
  LossWindow,
  Progress,
  RunResult,
  Timings,
  TrainedModel,
} from '../../shared/schema/results';
import { RunClock } from './run-clock';
import { createRng, permutation } from './rng';
import { createYield } from './yield-to-events';

export interface TrainReporter {
  onProgress?(progress: Progress): void;
  onLossWindow?(window: LossWindow): void;
  onEpoch?(summary: EpochSummary): void;
}

export interface TrainInput {
  config: TrainConfig;
  /** The splits only: where the data came from is the caller's business. */
  data: Pick<MnistData, 'train' | 'test'>;
  engine: EngineInfo;
  reporter?: TrainReporter;
  signal?: AbortSignal;
  /** Measured by the caller before training: engine start-up and data loading. */
  setupTimings?: Pick<Timings, 'engineStartMs' | 'dataLoadMs'>;
  /**
   * 'device': the training split goes to the backend once and each batch is gathered there (GPU engines: no
   * 200 KB upload a batch). 'host' (default): each batch is filled on the host and uploaded (CPU engines, where
   * the backend's memory is the host's and a second copy of the set would only cost memory).
   */
  batchSource?: BatchSource;
  /** How a refused batch names the setting: the CLI's `--batch-size`; "batch size" if unset. */
  batchSizeName?: string;
  /** The WebGPU engine's step: 'fused' (default) or tfjs's 'tfjs'. Other engines always train with tfjs's. */
  gpuStep?: GpuStep;
}

export interface TrainOutput {
  result: RunResult;
  model: TrainedModel | null;
}

/** An engine that ran out of memory mid-run: `reason` names the engine and the batch ('out-of-memory'). */
class OutOfMemoryError extends Error {
  override name = 'OutOfMemoryError';
  constructor(
    readonly reason: Reason,
    options: ErrorOptions,
  ) {
    super(describeReason(reason), options);
  }
}

/**
 * The reference's loop: SGD with momentum on softmax cross-entropy, a fresh seeded shuffle each epoch, the short
 * last batch kept. Losses stay on the device and are read in one sync per report, not one per batch. A batch the
 * engine cannot hold is refused before the first step (ConfigError, see limits.ts); an engine that still runs out
 * of memory throws OutOfMemoryError; a run whose loss explodes or stays at chance ends 'diverged' (divergence.ts).
 */
export async function train(input: TrainInput): Promise<TrainOutput> {
  const { config, data, engine } = input;
  const batch = Math.min(config.batchSize, data.train.count); // the largest batch the run will really use
  checkBatchFits(batch, engine, input.batchSizeName);
  try {
    return await runLoop(input);
  } catch (err) {
    if (!isOutOfMemory(err)) throw err;
    throw new OutOfMemoryError(outOfMemoryReason(err, batch, engine), { cause: err });
  }
}

async function runLoop(input: TrainInput): Promise<TrainOutput> {
  const { config, data, reporter = {}, signal } = input;
  const split = data.train;
  const batchesPerEpoch = Math.ceil(split.count / config.batchSize);
  const totalSteps = batchesPerEpoch * config.epochs;
  const shuffleRng = createRng((Math.imul(config.seed, 2654435761) + 1) >>> 0);

  const { yieldToEvents, close: closeYield } = createYield();
  const model = createModel();
  const trainer = createTrainer(input, model);
  const clock = new RunClock();
  const log = new LossLog(trainer.losses);
  const epochs: EpochSummary[] = [];
  let step = 0;
  let stopped: Stop | null = null;

  /** Reads the losses since the last report, reports progress as of `batch` of `epoch`, and says why the run stops. */
  const report = async (epoch: number, batch: number, atLogMark: boolean): Promise<Reason | null> => {
    const { meanLoss, window, diverged } = await log.read(epoch, batch, atLogMark);
    if (step === 1) clock.warmedUp();
    if (window) reporter.onLossWindow?.(window);
    if (diverged) return diverged;
    reporter.onProgress?.({
      epoch,
      epochs: config.epochs,
      batch,
      batchesPerEpoch,
      step,
      totalSteps,
      loss: meanLoss,
      ...clock.report(step, totalSteps),
    });
    return null;
  };

  try {
    for (let epoch = 1; epoch <= config.epochs && !stopped; epoch++) {
      const order = permutation(split.count, shuffleRng);
      clock.startEpoch();
      log.startEpoch();
      for (let batch = 1; batch <= batchesPerEpoch; batch++) {
        if (signal?.aborted) {
          // The batches trained since the last report count: their losses and the counter reach the caller first,
          // so the last progress, the final loss and the cancel's "after N of M batches" name the same batch.
          const diverged = log.hasPending ? await report(epoch, batch - 1, false) : null;
          // Before the first batch (a cancel while the engine or the data loaded), it said so, as the app's queue does.
          const cancelled: Reason =
            step === 0 ? { code: 'run-cancelled-before-start' } : { code: 'run-cancelled', step, totalSteps };
          stopped = diverged ? { status: 'diverged', reason: diverged } : { status: 'cancelled', reason: cancelled };
          break;
        }
        const start = (batch - 1) * config.batchSize;
        const size = Math.min(config.batchSize, split.count - start);
        trainer.train(order, start, size, log);
        step++;
        clock.trained(step, size);

        const atLogMark = batch % LOG_EVERY === 0;
        if (step === 1 || atLogMark || batch === batchesPerEpoch || clock.reportDue()) {
          const diverged = await report(epoch, batch, atLogMark);
          if (diverged) {
            stopped = { status: 'diverged', reason: diverged };
            break;
          }
        }
        await yieldToEvents();
      }
      if (stopped) break;
      const summary = { epoch, meanLoss: log.epochMean(batchesPerEpoch), ...clock.epoch(epoch) };
      epochs.push(summary);
      reporter.onEpoch?.(summary);
    }
    const trainingMs = clock.trainingMs(); // the loop's time, before evaluation starts
    if (!stopped) await trainer.finish(model);
    const evalStart = performance.now();
    const evaluation = stopped ? null : await evaluate(model, data.test);
    const evaluationMs = stopped ? 0 : performance.now() - evalStart;
    const trained = stopped
      ? null
      : { weights: await readModelWeights(model), topology: model.toJSON(null, false) as object };
    const result = assembleResult(input, trainer.gpuStep, {
      clock,
      trainingMs,
      log,
      epochs,
      batchesPerEpoch,
      evaluation,
      evaluationMs,
      stopped,
    });
    return { result, model: trained };
  } finally {
    closeYield();
    trainer.dispose();
    log.dispose();
    disposeModel(model);
  }
}

interface Outcome {
  clock: RunClock;
  trainingMs: number;
  log: LossLog;
  epochs: EpochSummary[];
  batchesPerEpoch: number;
  evaluation: Evaluation | null;
  evaluationMs: number;
  stopped: Stop | null;
}

/** Why the loop stopped before its last batch. */
interface Stop {
  status: 'cancelled' | 'diverged';
  reason: Reason;
}

/** The result the caller, the history and the CLI's summary read: timings from the run's clock, losses from its log. */
function assembleResult(input: TrainInput, step: GpuStep | null, o: Outcome): RunResult {
  const { trainingMs } = o;
  const result: RunResult = {
    status: o.stopped?.status ?? 'done',
    config: input.config,
    engine: step ? { ...input.engine, step } : input.engine,
    timings: {
      engineStartMs: input.setupTimings?.engineStartMs ?? 0,
      dataLoadMs: input.setupTimings?.dataLoadMs ?? 0,
      warmupMs: o.clock.warmupMs,
      trainingMs,
      evaluationMs: o.evaluationMs,
    },
    trainImages: input.data.train.count,
    batchesPerEpoch: o.batchesPerEpoch,
    epochs: o.epochs,
    lossWindows: o.log.windows,
    finalLoss: o.log.finalLoss,
    imagesPerSecond: trainingMs > 0 ? o.clock.imagesTimed / (trainingMs / 1000) : 0,
    evaluation: o.evaluation,
  };
  if (o.stopped) result.reason = o.stopped.reason;
  return result;
}

/**
 * The step that trains each batch: the fused WebGPU step on the WebGPU engine unless tfjs's is asked for, tfjs's
 * optimizer everywhere else. Either starts from the seed's initial weights.
 */
function createTrainer(input: TrainInput, model: LayersModel): BatchTrainer {
  const { config, engine, data } = input;
  const initial = initialWeights(config.seed);
  const gpuStep = engine.backend === 'webgpu' ? (input.gpuStep ?? 'fused') : null;
  if (gpuStep === 'fused') {
    const device = (tf.backend() as WebGPUBackend).device;
    const maxBatch = Math.min(config.batchSize, data.train.count);
    return new FusedTrainer(device, data.train, { maxBatch, lr: config.lr, momentum: config.momentum, initial });
  }
  setModelWeights(model, initial);
  const optimizer = tf.train.momentum(config.lr, config.momentum);
  return new TfjsTrainer(model, optimizer, data.train, input.batchSource, gpuStep);
}

function disposeModel(model: LayersModel): void {
  try {
    model.dispose();
  } catch {
    // Already disposed: nothing left to free.
  }
}
