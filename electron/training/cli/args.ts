/**
 * The command line's flags: their help text, their parsing into a checked config, and the words its messages use.
 * Every problem is one line naming the flag the user typed (UsageError or ConfigError), for the CLI to print.
 */
import { resolve, sep } from 'node:path';
import { endsInSeparator } from './output-target';
import { readFlags } from './flags';
import { REFERENCE_CONFIG, SETTING_NAMES, validateConfig, type SettingNames, type TrainConfig } from '../core/config';
import { GPU_STEPS, type GpuStep } from '../../shared/schema/engine';
import { SETTING_KEYS, SETTINGS, type SettingKey } from '../../shared/schema/settings';

/**
 * The settings that have a flag, in --help's order: `flag` is what follows `--`; `number`: whether its value is a
 * number, and a rate (which may hold a fraction) where it is not whole.
 */
const SETTING_FLAGS = SETTING_KEYS.flatMap((key) => {
  const spec = SETTINGS[key];
  if (!('cli' in spec)) return [];
  const number = 'whole' in spec ? { rate: !spec.whole } : undefined;
  // A number's default is said after its help; the device and the data folder say theirs in their own words.
  const shown = 'default' in spec && typeof spec.default === 'number' ? ` (default ${spec.default})` : '';
  return [{ key, flag: spec.cli.flag, meta: spec.cli.meta, text: `${spec.cli.text}${shown}`, number }];
});

/** One --help entry: the flag and its value in a column, the text beside it, continued lines under the text. */
const usageLine = (flag: string, text: string) => `  ${flag.padEnd(21)}${text.split('\n').join(`\n${' '.repeat(23)}`)}`;

export const USAGE = `Usage: npm run train -- [options]

${SETTING_FLAGS.map(({ flag, meta, text }) => usageLine(`--${flag} ${meta}`, text)).join('\n')}
${usageLine(
  '--out FILE',
  'weights file: .pth (or .pt), .safetensors, .json (TF.js) or .onnx; default mnist_cnn.pth\n' +
    'in the folder you run from (relative paths are from there, also under npm run)',
)}
${usageLine('--fallback', 'skip the native engine and train on the wasm engine')}
${usageLine(
  '--gpu-step NAME',
  "the WebGPU engine's training step: fused (default: Athanor's WGSL kernels, one GPU\n" +
    "submit a batch) or tfjs (tfjs's own kernels, the reference); needs --device gpu",
)}
${usageLine('--probe', 'say which engines load on this machine, and why not, without training')}
${usageLine('--help, -h', 'show this help')}

Environment: ATHANOR_THREADS=N sets the CPU engines' threads (default: every core; an exported
TF_NUM_INTRAOP_THREADS wins for the native engine).`;

export class UsageError extends Error {}

/** The number settings' flags: `batch-size` to batchSize. */
const NUMBER_FLAGS: Readonly<Record<string, { key: SettingKey; rate: boolean }>> = Object.fromEntries(
  SETTING_FLAGS.flatMap(({ flag, key, number }) => (number ? [[flag, { key, rate: number.rate }]] : [])),
);

/** Messages name the flags the user typed, not the config's keys. */
export const FLAG_NAMES: SettingNames = {
  ...SETTING_NAMES,
  ...Object.fromEntries(SETTING_FLAGS.map(({ key, flag }) => [key, `--${flag}`])),
};

export const DEFAULT_OUT = 'mnist_cnn.pth';

/**
 * The folder the user typed the command in. `npm run` starts scripts in the package's root and keeps the user's
 * folder in INIT_CWD, so under `npm run train` that is the one relative paths mean.
 */
export function userFolder(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  return env.npm_lifecycle_event === 'train' && env.INIT_CWD ? env.INIT_CWD : cwd;
}

export interface CliArgs {
  config: TrainConfig;
  out: string;
  /** No --out: the weights go to DEFAULT_OUT in the user's folder, which the summary says. */
  defaultOut: boolean;
  fallback: boolean;
  /** --gpu-step: how the WebGPU engine trains; unset: the fused step. */
  gpuStep?: GpuStep;
  help: boolean;
  probe: boolean;
}

/**
 * Numbers as people type them: digits, a sign, a decimal point; an exponent only where the value is a rate. A whole
 * number may end in ".0" but has no other fraction: "1.9999999999999999" would read as 2 and train 2 epochs.
 */
const WHOLE = /^[-+]?\d+(\.0*)?$/;
const REAL = /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i;

/**
 * `--seed -5` as `--seed=-5`: parseArgs takes a value that starts with a dash for a flag of its own and answers with
 * three lines about ambiguity; a negative number is a value, which the range check then refuses by the flag's name.
 */
export function joinNegativeValues(
  argv: string[],
  numberFlags: readonly string[] = Object.keys(NUMBER_FLAGS),
): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i].replace(/^--/, '');
    if (argv[i].startsWith('--') && numberFlags.includes(flag) && /^-[\d.]/.test(argv[i + 1] ?? ''))
      out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

/** The GPU engines a terminal can train on (GPU_ENGINE_CHOICES without the page's WebGL). */
const CLI_GPU_ENGINES: readonly string[] = ['auto', 'cuda', 'webgpu'];

/**
 * `--gpu-engine`'s value: a GPU engine this process can start. WebGL needs a page (the app's), and the flag means
 * nothing without `--device gpu`: both are refused rather than ignored. Anything else is left to the config's check.
 */
function gpuEngineFlag(value: string, device: unknown): string {
  if (value === 'webgl') {
    throw new UsageError(
      '--gpu-engine webgl needs a page and trains in the app only; from a terminal: auto, cuda or webgpu',
    );
  }
  if (!CLI_GPU_ENGINES.includes(value)) {
    throw new UsageError(`--gpu-engine must be one of ${CLI_GPU_ENGINES.join(', ')}, got "${value}"`);
  }
  if (device !== 'gpu') throw new UsageError("--gpu-engine picks the GPU's engine and needs --device gpu");
  return value;
}

/** `--gpu-step`'s value: one of GPU_STEPS, with `--device gpu` (a CPU run has no GPU step to pick). */
function gpuStepFlag(value: string, device: unknown): GpuStep {
  const step = GPU_STEPS.find((s) => s === value);
  if (!step) throw new UsageError(`--gpu-step must be one of ${GPU_STEPS.join(', ')}, got "${value}"`);
  if (device !== 'gpu') throw new UsageError("--gpu-step picks the WebGPU engine's step and needs --device gpu");
  return step;
}

/**
 * The flags as a checked config and an absolute weights path; relative `--out` and `--data` are read from `folder`.
 * Throws UsageError (unknown, repeated or contradictory flags, a value that is not a number) or ConfigError (a value
 * out of range), each one line naming the flag. `--help` anywhere asks for help, whatever else is on the line.
 */
export function parseCli(argv: string[], folder: string = userFolder()): CliArgs {
  if (argv.includes('--help') || argv.includes('-h')) {
    return {
      config: { ...REFERENCE_CONFIG },
      out: resolve(folder, DEFAULT_OUT),
      defaultOut: true,
      fallback: false,
      help: true,
      probe: false,
    };
  }
  const { values, given } = readFlags(
    joinNegativeValues(argv),
    {
      device: 'string',
      'gpu-engine': 'string',
      data: 'string',
      out: 'string',
      fallback: 'boolean',
      'gpu-step': 'string',
      probe: 'boolean',
      // Said first (parseCli's start): here only so that `--help=1` is refused as a switch given a value.
      help: 'boolean',
      ...Object.fromEntries(Object.keys(NUMBER_FLAGS).map((k) => [k, 'string' as const])),
    },
    (words) => new UsageError(words),
    '--epochs 5',
  );
  const v: Record<string, string | true | undefined> = values;
  if (v.probe && given.length > 1) {
    throw new UsageError(
      `--probe trains nothing and takes no other options, got ${given
        .filter((n) => n !== 'probe')
        .map((n) => `--${n}`)
        .join(' ')}`,
    );
  }
  if (v.fallback && v.device === 'gpu') {
    throw new UsageError("--fallback picks the CPU's wasm engine and cannot go with --device gpu");
  }
  const gpuStep = v['gpu-step'] === undefined ? undefined : gpuStepFlag(String(v['gpu-step']), v.device);
  if (gpuStep && v['gpu-engine'] === 'cuda') {
    throw new UsageError('--gpu-step picks how WebGPU trains and cannot go with --gpu-engine cuda');
  }
  const raw: Record<string, unknown> = {};
  if (v.device !== undefined) raw.device = v.device;
  if (v['gpu-engine'] !== undefined) raw.gpuEngine = gpuEngineFlag(String(v['gpu-engine']), v.device);
  // An empty path would quietly mean the folder you are in.
  for (const flag of ['data', 'out'] as const) {
    if (v[flag] !== undefined && String(v[flag]).trim() === '') throw new UsageError(`--${flag} needs a path, got ""`);
  }
  if (v.data !== undefined) raw.dataDir = resolve(folder, String(v.data));
  const typed: Partial<Record<SettingKey, string>> = {};
  for (const [flag, { key, rate }] of Object.entries(NUMBER_FLAGS)) {
    const text = v[flag];
    if (text === undefined) continue;
    if (!(rate ? REAL : WHOLE).test(String(text))) {
      throw new UsageError(`--${flag} needs ${rate ? 'a number such as 0.001' : 'a whole number'}, got "${text}"`);
    }
    raw[key] = Number(text);
    typed[key] = String(text);
  }
  const config = validateConfig(raw, FLAG_NAMES, typed);
  return {
    config,
    // resolve() drops a trailing separator: kept, so that `--out new.pth/` is refused as the folder it names.
    out: resolve(folder, String(v.out ?? DEFAULT_OUT)) + (endsInSeparator(String(v.out ?? '')) ? sep : ''),
    defaultOut: v.out === undefined,
    fallback: v.fallback === true,
    ...(gpuStep ? { gpuStep } : {}),
    help: false,
    probe: v.probe === true,
  };
}
