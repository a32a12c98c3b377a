/**
 * A batch-size sweep (training/core/sweep.ts) as it crosses from a worker or GPU page to main: each timed point and
 * the sizes it skipped. One definition: the sweep's types are these schemas' outputs.
 */
import * as v from 'valibot';
import { amount, list, record, text, whole } from './fields';
import { MAX_TRAIN_IMAGES } from './settings';

/** The tutorial's batch size and the sizes around it that show the curve's shape. */
export const DEFAULT_BATCH_SIZES: readonly number[] = [16, 64, 256, 1024];

/** The most batch sizes one sweep times: a dozen doublings cover 1 to 60,000. */
export const MAX_SWEEP_SIZES = 16;
/** The most timed steps a point: a median of more says nothing new and only makes the sweep slow. */
export const MAX_TIMED_STEPS = 100;

/** One batch size's figures. */
export const SweepPointSchema = record({
  batchSize: whole(1),
  /** Median wall time of one training step, ms, including reading its loss back (so a GPU's queue is drained). */
  msPerStep: amount(),
  /** batchSize / msPerStep, images a second. */
  imagesPerSecond: amount(),
  /** The timed steps the median is of. */
  steps: whole(1),
  /** Tensors the point left on the backend: 0 unless something leaks. */
  tensorsLeft: whole(0),
});
export type SweepPoint = v.InferOutput<typeof SweepPointSchema>;

/** Why a sweep did not time a size: a code, worded where it is shown (shared/describe-skipped.ts). */
export const SKIP_REASONS = ['cancelled', 'engine-limit', 'too-few-images'] as const;

/**
 * A batch size the sweep did not time, and why: one of SKIP_REASONS with its data (the engine and its largest batch;
 * the images loaded), or, in a sweep an earlier Athanor saved, the reason in English words, shown as they were.
 */
export const SkippedSizeSchema = record({
  batchSize: whole(1),
  reason: text(),
  /** The engine whose largest batch the size passed ('engine-limit'). */
  engine: v.optional(text()),
  /** The engine's largest batch ('engine-limit'), or the images loaded ('too-few-images'). */
  limit: v.optional(whole(0)),
});
export type SkippedSize = v.InferOutput<typeof SkippedSizeSchema>;

/** What a sweep asks of the worker: the sizes in the order to time them, and the steps a size. */
/** The request's fields, for a message or an IPC argument that carries them with others (schema/ipc.ts). */
export const SWEEP_REQUEST_ENTRIES = {
  batchSizes: v.pipe(
    list(whole(1, MAX_TRAIN_IMAGES)),
    v.minLength(1, 'must name at least one batch size'),
    v.maxLength(MAX_SWEEP_SIZES, `must name at most ${MAX_SWEEP_SIZES} batch sizes`),
  ),
  timedSteps: whole(1, MAX_TIMED_STEPS),
  warmupSteps: whole(0, MAX_TIMED_STEPS),
};
export const SweepRequestSchema = record(SWEEP_REQUEST_ENTRIES);
export type SweepRequest = v.InferOutput<typeof SweepRequestSchema>;

export const SweepDoneSchema = record({ points: list(SweepPointSchema), skipped: list(SkippedSizeSchema) });
