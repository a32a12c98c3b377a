/**
 * A run's settings, each declared once: its schema (type and bounds), its default, the words messages name it by,
 * what it must be, its label in the settings form, its command-line flag with its help line, and how a run's summary and the CSV show it. The
 * config type, validateConfig, the IPC request check, the settings form's fields and bounds, the CLI's number flags,
 * parsing and --help, the summary and the CSV's columns are all derived from this table. Defaults are the reference
 * tutorial's (shared/REFERENCE.md). No Node imports: the renderer compiles this file.
 */
import * as v from 'valibot';
import { guarded } from './fields';

export const DEVICES = ['cpu', 'gpu'] as const;
/**
 * Which engine a GPU run uses. 'auto': CUDA (tfjs-node-gpu) where it loads, else WebGPU, else WebGL. The others
 * ask for one engine and fail with its reason when it cannot run; none of them ever trains on the CPU.
 */
export const GPU_ENGINE_CHOICES = ['auto', 'cuda', 'webgpu', 'webgl'] as const;
/** Training images in MNIST's training split: the most a quick run from the app can ask for. */
export const MAX_TRAIN_IMAGES = 60_000;

/** A whole number in [min, max]; `max` undefined: no upper bound. The words come from the bounds. */
function whole<M extends number | undefined = undefined>(min: number, max?: M) {
  const must =
    max === undefined
      ? min === 1
        ? 'must be a positive whole number'
        : `must be a whole number of at least ${min}`
      : `must be a whole number from ${min} to ${max}`;
  const atLeast = v.pipe(v.number(), v.integer(), v.minValue(min));
  const schema = max === undefined ? atLeast : v.pipe(atLeast, v.maxValue(max));
  return { schema, must, min, max: max as M, whole: true as const };
}

/** A finite number; `check` states the range, `must` says it in words. */
function real(must: string, formWords: string, check: (n: number) => boolean) {
  return { schema: v.pipe(v.number(), v.finite(), v.check(check)), must, formWords, whole: false as const };
}

const help = (flag: string, meta: string, text: string) => ({ flag, meta, text });

/**
 * The settings. `words`: how messages name it (the CLI names it by its flag instead); `rowMust`: what a history row's
 * check says instead of `must`, where rows have worded it otherwise since rows began (rows.ts); `max` on limit is the app's
 * bound (a run request), the core itself reads any positive limit. `shown`: its phrase in a run's settings summary
 * and its column in the history's CSV, where it has them. The order is the order of messages, --help and summaries.
 */
export const SETTINGS = {
  device: {
    words: 'device',
    default: 'cpu' as const,
    must: 'must be "cpu" or "gpu"',
    schema: v.picklist(DEVICES),
    cli: help('device', 'cpu|gpu', 'where to train (default cpu); --gpu-engine says which GPU engine'),
  },
  gpuEngine: {
    words: 'GPU engine',
    schema: v.picklist(GPU_ENGINE_CHOICES),
    must: `must be one of ${GPU_ENGINE_CHOICES.map((c) => `"${c}"`).join(', ')}`,
    cli: help(
      'gpu-engine',
      'auto|cuda|webgpu',
      'the GPU engine of --device gpu (default auto: CUDA where tfjs-node-gpu loads, else\n' +
        'WebGPU). WebGPU runs through Dawn (the webgpu package) on any GPU with its driver;\n' +
        'WebGL needs a page and trains in the app only',
    ),
  },
  epochs: {
    words: 'epochs',
    label: 'Epochs',
    default: 5,
    ...whole(1, 1000),
    cli: help('epochs', 'N', 'passes over the training set'),
    shown: { short: (n: number) => `${n} ep`, column: 'epochs' },
  },
  batchSize: {
    // Up to the training set's size: what an engine can hold is checked per engine before the first batch (limits.ts).
    words: 'batch size',
    label: 'Batch size',
    default: 64,
    ...whole(1, MAX_TRAIN_IMAGES),
    cli: help('batch-size', 'N', 'images per batch'),
    shown: { short: (n: number) => `batch ${n}`, column: 'batch_size' },
  },
  lr: {
    words: 'learning rate',
    label: 'Learning rate',
    default: 0.001,
    ...real('must be a positive finite number', 'A number above 0', (n) => n > 0),
    rowMust: 'must be a positive number',
    cli: help('lr', 'X', 'learning rate'),
    shown: { short: (n: number) => `lr ${n}`, column: 'learning_rate' },
  },
  momentum: {
    words: 'momentum',
    label: 'Momentum',
    default: 0.9,
    ...real('must be at least 0 and below 1', 'At least 0 and below 1', (n) => n >= 0 && n < 1),
    rowMust: 'must be a number from 0 to below 1',
    cli: help('momentum', 'X', 'SGD momentum, 0 <= X < 1'),
    shown: { short: (n: number) => `mom. ${n}`, column: 'momentum' },
  },
  seed: {
    words: 'seed',
    label: 'Seed',
    default: 42,
    ...whole(0, 2 ** 32 - 1),
    cli: help('seed', 'N', 'seed for the initial weights and the shuffles'),
    shown: { short: (n: number) => `seed ${n}`, column: 'seed' },
  },
  /** Train on the first `limit` training images only (the whole set when undefined). */
  limit: {
    words: 'limit',
    label: 'Images (quick run)',
    placeholder: 'all',
    ...whole(1),
    max: MAX_TRAIN_IMAGES,
    cli: help('limit', 'N', 'train on the first N images only'),
    shown: { short: (n: number) => `first ${n.toLocaleString('en-US')} images` },
  },
  /** Evaluate on the first `testLimit` test images only (all 10,000 when undefined). */
  testLimit: {
    words: 'testLimit',
    ...whole(1),
    appSends: false,
    cli: help('test-limit', 'N', 'evaluate on the first N test images only'),
  },
  /** Folder with MNIST-format files; the bundled MNIST when undefined. */
  dataDir: {
    words: 'dataDir',
    must: 'must be a folder path',
    schema: v.pipe(v.string(), v.minLength(1)),
    cli: help(
      'data',
      'PATH',
      "MNIST as a folder or a file: idx (raw or .gz), torchvision's MNIST/raw, Kaggle's\n" +
        "folders, mnist_train.csv/mnist_test.csv, or Keras's mnist.npz (default: bundled MNIST)",
    ),
  },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];
/** The settings a run request from the app carries: all but the command line's own (appSends: false). */
export const REQUEST_KEYS = SETTING_KEYS.filter((key) => !('appSends' in SETTINGS[key]));
/** The settings a request must carry: the form always sends them, so a missing one is a renderer bug. */
export const REQUIRED_KEYS = REQUEST_KEYS.filter((key) => 'default' in SETTINGS[key]);
/**
 * The settings that decide a run's numbers: all a request carries but where it trains. Two runs are comparable (the
 * speed-up headline, the agreement figures) only when these match.
 */
export const RESULT_KEYS = REQUEST_KEYS.filter((key) => key !== 'device' && key !== 'gpuEngine');

/** The number settings a run shows in its summary (and the CSV, where they have a column), with their phrases. */
export const SHOWN_SETTINGS = SETTING_KEYS.flatMap((key) => {
  const spec: Spec = SETTINGS[key];
  return 'shown' in spec ? [{ key, ...spec.shown }] : [];
}) as { key: SettingKey; short: (n: number) => string; column?: string }[];

/** Any one setting's entry, to read the fields some settings have (`'shown' in spec`). */
export type SettingSpec = (typeof SETTINGS)[SettingKey];
type Spec = SettingSpec;
type WithDefault = { [K in SettingKey]: (typeof SETTINGS)[K] extends { default: unknown } ? K : never }[SettingKey];

/**
 * Each setting's schema: one with a default is filled in when absent (or undefined), the others stay optional. The
 * type says the setting's own schema; the guard in front of it changes nothing it outputs.
 */
function entries() {
  const out: Record<string, v.GenericSchema> = {};
  for (const key of SETTING_KEYS) {
    const spec: Spec = SETTINGS[key];
    // Guarded against a huge BigInt or text (fields.ts); validateConfig words the problem, not the issue.
    const schema = guarded(spec.must, spec.schema as v.GenericSchema);
    out[key] = 'default' in spec ? v.optional(schema, spec.default) : v.optional(schema);
  }
  return out as {
    [K in SettingKey]: K extends WithDefault
      ? v.OptionalSchema<(typeof SETTINGS)[K]['schema'], v.InferInput<(typeof SETTINGS)[K]['schema']>>
      : v.OptionalSchema<(typeof SETTINGS)[K]['schema'], undefined>;
  };
}

/** The config schema: every setting, defaults filled in, unknown keys left to the caller (validateConfig names them). */
export const ConfigSchema = v.object(entries());

export type TrainConfig = v.InferOutput<typeof ConfigSchema>;
export type Device = TrainConfig['device'];
export type GpuEngineChoice = NonNullable<TrainConfig['gpuEngine']>;

/** The reference tutorial's values: every setting that has a default. */
export const REFERENCE_CONFIG = Object.freeze(
  Object.fromEntries(
    SETTING_KEYS.flatMap((key) => {
      const spec: Spec = SETTINGS[key];
      return 'default' in spec ? [[key, spec.default]] : [];
    }),
  ),
) as Readonly<Pick<TrainConfig, WithDefault>>;

/** How messages name each setting: words by default, the flag names (`--batch-size`) on the command line. */
export type SettingNames = Record<SettingKey, string>;
export const SETTING_NAMES: Readonly<SettingNames> = Object.freeze(
  Object.fromEntries(SETTING_KEYS.map((key) => [key, SETTINGS[key].words])) as SettingNames,
);

/** One setting's problem in words: `batch size must be a whole number from 1 to 60000, got 0`. */
export function settingProblem(key: SettingKey, name: string, got: string): string {
  return `${name} ${SETTINGS[key].must}, got ${got}`;
}
