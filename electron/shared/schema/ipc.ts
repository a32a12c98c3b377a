/**
 * What the renderer may send on each invoke channel, as schemas: main checks every argument with these
 * (validate.ts's validateArg) and the contract's argument types are inferred from them. No Node imports: the
 * renderer's project compiles this file.
 */
import * as v from 'valibot';
import { ConfigError, validateConfig } from '../../training/core/config';
import { describeValue as describe } from '../describe-value';
import { localFolderProblem, type PathSystem } from '../folder-path';
import { IMAGE_PIXELS, MAX_TEST_IMAGES } from '../ipc-contract';
import { bool, guarded, list, oneOf, record, whole } from './fields';
import { DEVICES, GPU_ENGINE_CHOICES, REQUEST_KEYS, REQUIRED_KEYS, SETTINGS, type TrainConfig } from './settings';
import { SWEEP_REQUEST_ENTRIES } from './sweep';
import { sweepId } from './sweep-record';

/**
 * The run manager's ids: start time (UTC, to the millisecond), device and 6 random hex digits; safe as a file name.
 * The year takes 4 to 6 digits, so a clock set far ahead (the year 10000 and on) still makes ids rows may carry.
 */
export const RUN_ID_PATTERN = /^\d{8,10}-\d{9}-(cpu|gpu)-[0-9a-f]{6}$/;

export const EXPORT_FORMATS = ['pth', 'safetensors', 'tfjs', 'onnx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The settings a run request carries: all but the command line's own. */
type RequestKey = {
  [K in keyof typeof SETTINGS]: (typeof SETTINGS)[K] extends { appSends: false } ? never : K;
}[keyof typeof SETTINGS];
/** Settings the form sends: the training config without internal test knobs; `limit` at most MAX_TRAIN_IMAGES. */
export type TrainRequest = Pick<TrainConfig, RequestKey>;

const runIdWords = (issue: v.BaseIssue<unknown>) =>
  `must be a run id like "20250102-030405678-cpu-1a2b3c", got ${describe(issue.input)}`;
const runId = () => guarded(runIdWords, v.pipe(v.string(runIdWords), v.regex(RUN_ID_PATTERN, runIdWords)));

/** A channel that takes nothing: undefined or null, passed on as undefined. */
const noArgWords = (issue: v.BaseIssue<unknown>) => `expects no argument, got ${describe(issue.input)}`;
const NoArg = v.pipe(
  guarded(
    noArgWords,
    v.custom<void>((x) => x === undefined || x === null, noArgWords),
  ),
  v.transform((): void => undefined),
);

const IdArg = record({ id: runId() });

const pixelsWords = (issue: v.BaseIssue<unknown>) =>
  `must be an array of ${IMAGE_PIXELS} numbers, got ${describe(issue.input)}`;
const pixelWords = (issue: v.BaseIssue<unknown>) => `must be a number from -1 to 1, got ${describe(issue.input)}`;
const indicesWords = (issue: v.BaseIssue<unknown>) =>
  `must be an array of 1 to ${MAX_TEST_IMAGES} test image numbers, got ${describe(issue.input)}`;
const formatWords = (issue: v.BaseIssue<unknown>) =>
  `must be one of ${EXPORT_FORMATS.join(', ')}, got ${describe(issue.input)}`;

/** A drawn image: exactly 784 finite numbers in the normalised range [-1, 1], as (x/255 - 0.5) / 0.5 makes them. */
const PredictArg = record({
  id: runId(),
  pixels: v.pipe(
    guarded(pixelsWords, v.array(v.unknown(), pixelsWords)),
    v.length(
      IMAGE_PIXELS,
      (issue) => `must be an array of ${IMAGE_PIXELS} numbers, got ${(issue.input as unknown[]).length} values`,
    ),
    v.array(guarded(pixelWords, v.pipe(v.number(pixelWords), v.minValue(-1, pixelWords), v.maxValue(1, pixelWords)))),
  ),
});

/** Up to MAX_TEST_IMAGES distinct whole indices; whether each is inside the run's test split is the handler's check. */
const TestImagesArg = record({
  id: runId(),
  indices: v.pipe(
    guarded(indicesWords, v.array(v.unknown(), indicesWords)),
    v.check(
      (list) => list.length >= 1 && list.length <= MAX_TEST_IMAGES,
      (issue) =>
        `must be an array of 1 to ${MAX_TEST_IMAGES} test image numbers, got ${(issue.input as unknown[]).length}`,
    ),
    v.array(whole(0, SETTINGS.limit.max - 1)),
    v.check((list) => new Set(list).size === list.length, 'must not repeat'),
  ),
});

// --- Issue 16, agreement and report: a block of its own, so other channels merge beside it. ---

/** Two different runs, by id: the agreement of their weights, losses and accuracy. */
const AgreementArg = v.pipe(
  record({ a: runId(), b: runId() }),
  v.check(({ a, b }) => a !== b, 'must name two different runs'),
);

/** The most characters a report may have: far above any history's (a run's curve is at most 1,000 points). */
export const MAX_REPORT_CHARS = 32 * 1024 * 1024;
const reportWords = (issue: v.BaseIssue<unknown>) =>
  `must be an HTML document (starting "<!doctype html>") of at most ${MAX_REPORT_CHARS} characters, got ${describe(issue.input)}`;
/**
 * The report, built by the renderer (report-html.ts): main checks that it is an HTML document of sane size, and
 * that it holds no script, which the report promises its reader (its CSP forbids them too) whatever the renderer sent.
 */
const ReportArg = record({
  html: guarded(
    reportWords,
    v.pipe(
      v.string(reportWords),
      v.maxLength(MAX_REPORT_CHARS, reportWords),
      v.check((html) => /^<!doctype html>/i.test(html), reportWords),
      v.check((html) => !/<script\b/i.test(html), 'must hold no script'),
    ),
  ),
});

// --- end of issue 16's block ---

/**
 * A run request: the settings (every one the form sends, none missing) under the training core's own check, plus
 * the app's bound on a quick run and a folder this machine may read. Every problem is reported at once.
 */
function trainArg(withDevice: boolean, system: PathSystem) {
  const keys = withDevice ? REQUEST_KEYS : REQUEST_KEYS.filter((k) => k !== 'device');
  return v.pipe(
    record(Object.fromEntries(keys.map((key) => [key, v.optional(v.unknown())]))),
    v.rawTransform(({ dataset: { value: o }, addIssue, NEVER }) => {
      // The form always sends every setting; a missing one is a renderer bug, not a wish for the default.
      const missing = REQUIRED_KEYS.filter((k) => keys.includes(k) && o[k] === undefined);
      if (missing.length > 0) {
        addIssue({ message: `missing ${missing.map((k) => `"${k}"`).join(', ')}` });
        return NEVER;
      }
      const problems: string[] = [];
      const { min, max } = SETTINGS.limit;
      if (
        o.limit !== undefined &&
        (!Number.isInteger(o.limit) || (o.limit as number) < min || (o.limit as number) > max)
      ) {
        problems.push(`limit must be a whole number from ${min} to ${max}, got ${describe(o.limit)}`);
      }
      const folderProblem = o.dataDir === undefined ? null : localFolderProblem(o.dataDir, 'dataDir', system);
      if (folderProblem) problems.push(folderProblem);
      let config: TrainConfig | undefined;
      try {
        config = validateConfig({ ...o, device: withDevice ? o.device : 'cpu', limit: undefined, dataDir: undefined });
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        problems.unshift(err.message);
      }
      if (problems.length > 0 || !config) {
        addIssue({ message: problems.join('; ') });
        return NEVER;
      }
      const checked: Record<string, unknown> = { ...config, limit: o.limit, dataDir: o.dataDir };
      return Object.fromEntries(
        keys.flatMap((k) => (checked[k] === undefined ? [] : [[k, checked[k]]])),
      ) as TrainRequest;
    }),
  );
}

// --- Batch-size sweeps (the Scaling view) ---

/**
 * A sweep: the sizes, steps and warm-up the worker's own request allows (schema/sweep.ts), on the CPU, the GPU or
 * both (each once), and which GPU engine ("auto" when absent, as a run's). A repeated size would time it twice.
 */
const SweepStartArg = record({
  ...SWEEP_REQUEST_ENTRIES,
  batchSizes: v.pipe(
    SWEEP_REQUEST_ENTRIES.batchSizes,
    v.check((sizes) => new Set(sizes).size === sizes.length, 'must not repeat a batch size'),
  ),
  devices: v.pipe(
    list(oneOf(DEVICES)),
    v.minLength(1, 'must name the CPU, the GPU or both'),
    v.check((d) => new Set(d).size === d.length, 'must not repeat a device'),
  ),
  gpuEngine: v.optional(oneOf(GPU_ENGINE_CHOICES)),
});
const SweepIdArg = record({ id: sweepId() });

// --- end of sweeps ---

/** Every invoke channel's argument schema; `system` says how a folder path must look (tests ask for the other's). */
export function channelSchemas(system: PathSystem) {
  return {
    'app:info': NoArg,
    'app:language': NoArg,
    'devices:get': v.pipe(
      v.nullish(record({ refresh: v.optional(bool()) })),
      v.transform((arg) => arg ?? undefined),
    ),
    'training:start': trainArg(true, system),
    'training:compare': v.pipe(
      trainArg(false, system),
      v.transform((arg) => arg as Omit<TrainRequest, 'device'>),
    ),
    'training:cancel': IdArg,
    'training:queue': NoArg,
    'history:list': NoArg,
    'history:delete': IdArg,
    'history:export-csv': NoArg,
    'weights:export': record({
      id: runId(),
      format: v.optional(guarded(formatWords, v.picklist(EXPORT_FORMATS, formatWords))),
    }),
    'dataset:choose': NoArg,
    'model:predict': PredictArg,
    'model:test-images': TestImagesArg,
    // Issue 16: agreement and report.
    'history:agreement': AgreementArg,
    'report:export': ReportArg,
    // Sweeps
    'sweep:start': SweepStartArg,
    'sweep:cancel': SweepIdArg,
    'sweep:list': NoArg,
  };
}

type Schemas = ReturnType<typeof channelSchemas>;
/** Each invoke channel's argument, as main's check returns it. */
export type ChannelArgs = { [C in keyof Schemas]: v.InferOutput<Schemas[C]> };
