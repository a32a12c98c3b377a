/**
 * What a run reports while it trains (progress, the loss log, epochs) and when it ends (the result, the evaluation,
 * the trained weights), as the worker or GPU page sends them and main checks them.
 */
import * as v from 'valibot';
import { ConfigError, validateConfig } from '../../training/core/config';
import { checkWeights } from '../../training/core/weights';
import { describeValue as describe } from '../describe-value';
import { EngineInfoSchema, ReasonFieldSchema } from './engine';
import { amount, at, finite, fraction, guarded, list, oneOf, record, text, whole } from './fields';

/** Passes any value on to a later check that knows its bounds (progress.epoch is bounded by progress.epochs). */
const later = /* @__NO_SIDE_EFFECTS__ */ () => v.custom<number>(() => true);

/** One point of the live curve: reported at most every PROGRESS_INTERVAL_MS, and at every 100-batch mark. */
export const ProgressSchema = v.pipe(
  record({
    epoch: later(), // 1-based, at most `epochs`
    epochs: whole(1),
    batch: later(), // 1-based, within the epoch
    batchesPerEpoch: whole(1),
    /** Batches finished over the whole run. */
    step: later(),
    totalSteps: whole(1),
    /** Mean loss of the batches since the previous progress report. */
    loss: finite(),
    imagesPerSecond: amount(),
    /** Training-loop time so far, warm-up batch excluded, ms. */
    elapsedMs: amount(),
    etaMs: amount(),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const p = dataset.value;
    for (const [key, max] of [
      ['epoch', p.epochs],
      ['batch', p.batchesPerEpoch],
      ['step', p.totalSteps],
    ] as const) {
      const issue = v.safeParse(whole(1, max), p[key]).issues?.[0];
      if (issue) return addIssue({ message: issue.message, path: [at(key)] });
    }
  }),
);
export type Progress = v.InferOutput<typeof ProgressSchema>;

/** The reference's log line: `[epoch, batch] loss: mean of the last 100 batches`. */
export const LossWindowSchema = record({ epoch: whole(1), batch: whole(1), meanLoss: finite() });
export type LossWindow = v.InferOutput<typeof LossWindowSchema>;

export const EpochSummarySchema = record({
  epoch: whole(1),
  meanLoss: finite(),
  ms: amount(),
  imagesPerSecond: amount(),
});
export type EpochSummary = v.InferOutput<typeof EpochSummarySchema>;

/** The most mistakes a run keeps: all of a well-trained run's (~200 of 10,000), a bounded share of a poor one's. */
export const MAX_MISTAKES = 500;

/** One misclassified test image; `probability`: the softmax probability the model gave `predicted`, 0..1. */
export const MistakeSchema = record({
  index: whole(0),
  label: whole(0, 9),
  predicted: whole(0, 9),
  probability: fraction(),
});
export type Mistake = v.InferOutput<typeof MistakeSchema>;

export const EvaluationSchema = record({
  accuracy: fraction(),
  count: whole(0),
  /** 10 entries, NaN-free (0 when a class has no images). */
  perClassAccuracy: list(fraction(), 10),
  /** confusion[trueLabel][predictedLabel] */
  confusion: list(list(whole(0), 10), 10),
  /**
   * Misclassified test images, most confident first (softmax probability of the wrong prediction, descending),
   * at most MAX_MISTAKES. `index` is the image's position in the evaluated test split. Absent in rows written
   * before mistakes were recorded.
   */
  mistakes: v.optional(
    v.pipe(
      list(v.unknown()),
      v.maxLength(
        MAX_MISTAKES,
        (issue) => `has ${(issue.input as unknown[]).length} entries; at most ${MAX_MISTAKES} are kept`,
      ),
      v.array(MistakeSchema), // already a list: its length is checked before its entries
    ),
  ),
});
export type Evaluation = v.InferOutput<typeof EvaluationSchema>;

export const TimingsSchema = record({
  engineStartMs: amount(),
  dataLoadMs: amount(),
  warmupMs: amount(),
  /** The loop alone, like the reference's "Training took", without the warm-up batch. */
  trainingMs: amount(),
  evaluationMs: amount(),
});
export type Timings = v.InferOutput<typeof TimingsSchema>;

export const RUN_STATUSES = ['done', 'cancelled', 'diverged', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** The settings a result ran with: the training core's own check, its words after `result.config: `. */
const ConfigSchema = v.pipe(
  v.unknown(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    try {
      return validateConfig(dataset.value);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      addIssue({ message: `: ${err.message}`, received: typeof dataset.value }); // valibot would print the value
      return NEVER;
    }
  }),
);

export const RunResultSchema = record({
  status: oneOf(RUN_STATUSES),
  config: ConfigSchema,
  engine: EngineInfoSchema,
  timings: TimingsSchema,
  trainImages: whole(0),
  batchesPerEpoch: whole(0),
  epochs: list(EpochSummarySchema),
  lossWindows: list(LossWindowSchema),
  finalLoss: v.nullable(finite()),
  imagesPerSecond: amount(),
  evaluation: v.nullable(EvaluationSchema),
  /** Why a run stopped early ('cancelled', 'diverged'), as a code with its data. */
  reason: v.optional(ReasonFieldSchema),
});
export type RunResult = v.InferOutput<typeof RunResultSchema>;

/** The TF.js topology is a few kilobytes of JSON; far more is not a model of this network. */
const MAX_TOPOLOGY_CHARS = 1_000_000;

/** tfjs-layers topology (`model.toJSON(null, false)`), for the TF.js exporter: a fresh copy through JSON. */
const TopologySchema = v.pipe(
  v.unknown(),
  v.rawTransform<unknown, object>(({ dataset: { value }, addIssue, NEVER }) => {
    if (
      typeof value !== 'object' ||
      value === null ||
      Array.isArray(value) ||
      Object.getPrototypeOf(value) !== Object.prototype
    ) {
      addIssue({ message: `must be a plain object, got ${describe(value)}`, received: typeof value });
      return NEVER;
    }
    // It is stored and exported as JSON: a cycle, a BigInt or megabytes of it would fail there, later and less clearly.
    let json: string;
    try {
      json = JSON.stringify(value);
    } catch {
      addIssue({ message: 'cannot be written as JSON (a cycle or a BigInt in it)' });
      return NEVER;
    }
    if (json.length <= MAX_TOPOLOGY_CHARS) return JSON.parse(json) as object;
    addIssue({
      message: `is ${json.length.toLocaleString('en-US')} characters of JSON; a model of this network needs far fewer`,
    });
    return NEVER;
  }),
);

const dataWords = (issue: v.BaseIssue<unknown>) => `must be a Float32Array, got ${describe(issue.input)}`;

/** The trained weights: each tensor's Float32Array is kept as sent, not copied. */
export const TrainedModelSchema = v.pipe(
  record({
    weights: list(
      record({
        name: text(),
        shape: list(whole(1)),
        // Any Float32Array, whatever buffer backs it (NamedTensor's type); v.instance would narrow it to ArrayBuffer.
        data: guarded(
          dataWords,
          v.custom<Float32Array>((x) => x instanceof Float32Array, dataWords),
        ),
      }),
    ),
    topology: TopologySchema,
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    try {
      checkWeights(dataset.value.weights);
    } catch (err) {
      addIssue({ message: `: ${(err as Error).message}`, path: [at('weights')] });
    }
  }),
);
export type TrainedModel = v.InferOutput<typeof TrainedModelSchema>;
