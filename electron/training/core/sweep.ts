/**
 * The batch-size sweep: how fast one engine trains the reference network at each batch size. The tutorial's "the
 * GPU was 14 times faster" is one point of this curve: at small batches kernel launches and dispatches dominate a
 * step, so a GPU's lead grows with the batch. Each point times single training steps (the loop's own step, on the
 * batch source the app uses for the engine) after warm-up steps at that size (a new shape compiles new kernels and
 * shaders), and reports the median, which a stray slow step does not move.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EngineInfo } from '../engines';
import { createBatches, type BatchSource } from './batches';
import type { MnistSplit } from './dataset';
import { maxBatchSizeFor } from './limits';
import { createModel, disposeMomentum, initialWeights, setModelWeights, trainingStep } from './model';
import { createYield } from './yield-to-events';
import type { SkippedSize, SweepPoint } from '../../shared/schema/sweep';

export type { SkippedSize, SweepPoint };

export { DEFAULT_BATCH_SIZES } from '../../shared/schema/sweep';

export interface SweepOptions {
  /** Batch sizes in images, each at least 1; timed in the order given. */
  batchSizes: readonly number[];
  /** Timed steps a point (the median is reported); default 5. */
  timedSteps?: number;
  /** Untimed steps before them at each size; default 2. */
  warmupSteps?: number;
  /** Initial weights (model.ts initialWeights); default 42, the reference's. */
  seed?: number;
  lr?: number;
  momentum?: number;
  batchSource?: BatchSource;
}

export interface SweepResult {
  engine: EngineInfo;
  points: SweepPoint[];
  skipped: SkippedSize[];
}

export interface SweepReporter {
  onPoint?(point: SweepPoint, index: number, of: number): void;
}

/** The middle value of `values` (mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Times the current tfjs backend (`engine` says which; it must already be started) at each batch size on images of
 * `split`. A size above the engine's known limit (limits.ts) or the split's image count is skipped with its reason,
 * as is every size left when `signal` aborts. Throws what a step throws (an engine out of memory, say).
 */
export async function sweepEngine(
  split: MnistSplit,
  engine: EngineInfo,
  options: SweepOptions,
  reporter: SweepReporter = {},
  signal?: AbortSignal,
): Promise<SweepResult> {
  const { timedSteps = 5, warmupSteps = 2, seed = 42, lr = 0.001, momentum = 0.9 } = options;
  const limit = maxBatchSizeFor(engine);
  const points: SweepPoint[] = [];
  const skipped: SkippedSize[] = [];
  const sizes = options.batchSizes;
  const { yieldToEvents, close } = createYield();
  try {
    for (const [index, batchSize] of sizes.entries()) {
      if (signal?.aborted) {
        skipped.push({ batchSize, reason: 'cancelled' });
        continue;
      }
      if (limit !== undefined && batchSize > limit) {
        skipped.push({ batchSize, reason: 'engine-limit', engine: engine.engine, limit });
        continue;
      }
      if (batchSize > split.count) {
        skipped.push({ batchSize, reason: 'too-few-images', limit: split.count });
        continue;
      }
      const point = await timePoint(split, batchSize, {
        timedSteps,
        warmupSteps,
        seed,
        lr,
        momentum,
        source: options.batchSource,
      });
      points.push(point);
      reporter.onPoint?.(point, index, sizes.length);
      await yieldToEvents();
    }
  } finally {
    close();
  }
  return { engine, points, skipped };
}

interface PointOptions {
  timedSteps: number;
  warmupSteps: number;
  seed: number;
  lr: number;
  momentum: number;
  source?: BatchSource;
}

async function timePoint(split: MnistSplit, batchSize: number, o: PointOptions): Promise<SweepPoint> {
  const before = tf.memory().numTensors;
  const batches = createBatches(split, o.source);
  const model = createModel();
  setModelWeights(model, initialWeights(o.seed));
  const optimizer = tf.train.momentum(o.lr, o.momentum);
  // Consecutive batches of the split, wrapping around: every step sees new images, as in training.
  const order = Int32Array.from({ length: split.count }, (_, i) => i);
  const batchesInSplit = Math.floor(split.count / batchSize);
  const times: number[] = [];
  try {
    for (let step = 0; step < o.warmupSteps + o.timedSteps; step++) {
      const start = (step % batchesInSplit) * batchSize;
      const began = performance.now();
      const { xs, ys } = batches.make(order, start, batchSize);
      const loss = trainingStep(model, optimizer, xs, ys);
      await loss.data();
      const ms = performance.now() - began;
      tf.dispose([xs, ys, loss]);
      if (step >= o.warmupSteps) times.push(ms);
    }
  } finally {
    batches.dispose();
    disposeMomentum(optimizer);
    model.dispose();
  }
  const msPerStep = median(times);
  return {
    batchSize,
    msPerStep,
    imagesPerSecond: batchSize / (msPerStep / 1000),
    steps: times.length,
    tensorsLeft: tf.memory().numTensors - before,
  };
}
