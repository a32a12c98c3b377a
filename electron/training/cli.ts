/**
 * `npm run train -- [options]`: the reference tutorial's run from a terminal, on the same code the app uses.
 * Prints the reference's log lines, then a summary; exits non-zero with a clear message on any failure.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createProgressLine } from './cli-progress';
import { isThreadCount, MAX_THREADS } from './engines/wasm/thread-count';
import { ConfigError, REFERENCE_CONFIG, SETTING_NAMES, validateConfig, type SettingNames, type TrainConfig } from './config';
import { DatasetError, describeData } from './dataset';
import { exportWeights, provenance } from './export/index';
import { checkOutputTarget, OutputError, removeMadeFolders, saveWeights } from './output-target';
import { formatLossLine, formatSummary } from './report';
import { forkWorker, probeEngine, RunFailure, startRun } from './run-worker';

const USAGE = `Usage: npm run train -- [options]

  --device cpu|gpu     where to train (default cpu). From a terminal the GPU is CUDA only (NVIDIA, with
                       @tensorflow/tfjs-node-gpu, CUDA 11.2 and cuDNN 8.1); WebGPU and WebGL, which serve
                       any GPU, train in the app
  --epochs N           passes over the training set (default ${REFERENCE_CONFIG.epochs})
  --batch-size N       images per batch (default ${REFERENCE_CONFIG.batchSize})
  --lr X               learning rate (default ${REFERENCE_CONFIG.lr})
  --momentum X         SGD momentum, 0 <= X < 1 (default ${REFERENCE_CONFIG.momentum})
  --seed N             seed for the initial weights and the shuffles (default ${REFERENCE_CONFIG.seed})
  --limit N            train on the first N images only
  --test-limit N       evaluate on the first N test images only
  --data PATH          MNIST as a folder or a file: idx (raw or .gz), torchvision's MNIST/raw, Kaggle's
                       folders, mnist_train.csv/mnist_test.csv, or Keras's mnist.npz (default: bundled MNIST)
  --out FILE           weights file: .pth (or .pt), .safetensors or .json (TF.js); default mnist_cnn.pth in the
                       folder you run from (relative paths are from there, also under npm run)
  --fallback           skip the native engine and train on the wasm engine
  --probe              say which engines load on this machine, and why not, without training
  --help, -h           show this help

Environment: ATHANOR_THREADS=N sets the CPU engines' threads (default: every core; an exported
TF_NUM_INTRAOP_THREADS wins for the native engine).`;

export class UsageError extends Error {}

const NUMBER_FLAGS = {
  epochs: 'epochs', 'batch-size': 'batchSize', lr: 'lr', momentum: 'momentum', seed: 'seed',
  limit: 'limit', 'test-limit': 'testLimit',
} as const;

/** Messages name the flags the user typed, not the config's keys. */
const FLAG_NAMES: SettingNames = {
  ...SETTING_NAMES,
  ...Object.fromEntries(Object.entries(NUMBER_FLAGS).map(([flag, key]) => [key, `--${flag}`])),
  device: '--device', dataDir: '--data',
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
  help: boolean;
  probe: boolean;
}

/** Numbers as people type them: digits, a sign, a decimal point; an exponent only where the value is a rate. */
const WHOLE = /^[-+]?\d+(\.\d+)?$/;
const REAL = /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i;
const RATE_FLAGS = new Set(['lr', 'momentum']);

/**
 * `--seed -5` as `--seed=-5`: parseArgs takes a value that starts with a dash for a flag of its own and answers with
 * three lines about ambiguity; a negative number is a value, which the range check then refuses by the flag's name.
 */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i].replace(/^--/, '');
    if (argv[i].startsWith('--') && flag in NUMBER_FLAGS && /^-[\d.]/.test(argv[i + 1] ?? '')) out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

/**
 * The flags as a checked config and an absolute weights path; relative `--out` and `--data` are read from `folder`.
 * Throws UsageError (unknown, repeated or contradictory flags, a value that is not a number) or ConfigError (a value
 * out of range), each one line naming the flag. `--help` anywhere asks for help, whatever else is on the line.
 */
export function parseCli(argv: string[], folder: string = userFolder()): CliArgs {
  if (argv.includes('--help') || argv.includes('-h')) {
    return { config: { ...REFERENCE_CONFIG }, out: resolve(folder, DEFAULT_OUT), defaultOut: true, fallback: false, help: true, probe: false };
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv),
      strict: true,
      allowPositionals: false,
      tokens: true,
      options: {
        device: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' },
        fallback: { type: 'boolean' }, probe: { type: 'boolean' },
        ...Object.fromEntries(Object.keys(NUMBER_FLAGS).map((k) => [k, { type: 'string' as const }])),
      },
    });
  } catch (err) {
    // Node's words, first line only: "Unknown option '--epochz'", "Option '--epochs <value>' argument missing".
    throw new UsageError((err as Error).message.split('\n')[0].replace(/\.$/, ''));
  }
  const given = parsed.tokens.filter((t) => t.kind === 'option').map((t) => (t as { name: string }).name);
  const repeated = given.find((name, i) => given.indexOf(name) !== i);
  if (repeated) throw new UsageError(`--${repeated} is given more than once: give it once`);
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v.probe && given.length > 1) {
    throw new UsageError(`--probe trains nothing and takes no other options, got ${given.filter((n) => n !== 'probe').map((n) => `--${n}`).join(' ')}`);
  }
  if (v.fallback && v.device === 'gpu') {
    throw new UsageError('--fallback picks the CPU\'s wasm engine and cannot go with --device gpu');
  }
  const raw: Record<string, unknown> = {};
  if (v.device !== undefined) raw.device = v.device;
  // An empty path would quietly mean the folder you are in.
  for (const flag of ['data', 'out'] as const) {
    if (v[flag] !== undefined && String(v[flag]).trim() === '') throw new UsageError(`--${flag} needs a path, got ""`);
  }
  if (v.data !== undefined) raw.dataDir = resolve(folder, String(v.data));
  for (const [flag, key] of Object.entries(NUMBER_FLAGS)) {
    const text = v[flag];
    if (text === undefined) continue;
    const rate = RATE_FLAGS.has(flag);
    if (!(rate ? REAL : WHOLE).test(String(text))) {
      throw new UsageError(`--${flag} needs ${rate ? 'a number such as 0.001' : 'a whole number'}, got "${text}"`);
    }
    raw[key] = Number(text);
  }
  const config = validateConfig(raw, FLAG_NAMES);
  return {
    config,
    out: resolve(folder, String(v.out ?? DEFAULT_OUT)),
    defaultOut: v.out === undefined,
    fallback: v.fallback === true,
    help: false,
    probe: v.probe === true,
  };
}

/** The shell's convention: 128 + the signal's number. */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
type StopSignal = keyof typeof SIGNAL_EXIT;

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseCli(argv);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      console.error(`athanor: ${err.message} (npm run train -- --help lists the options)`);
      return 2;
    }
    throw err;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  // A thread count that would be ignored is bad input, as a bad flag is.
  for (const name of ['ATHANOR_THREADS', 'ATHANOR_WASM_THREADS']) {
    const value = process.env[name];
    if (value !== undefined && !isThreadCount(value)) {
      console.error(`athanor: ${name} must be a whole number of threads from 1 to ${MAX_THREADS}, got "${value}"`);
      return 2;
    }
  }
  if (args.probe) return probe();
  // Where the data is, before any engine starts and before a folder is made for the weights: a missing folder, one
  // without MNIST, or half a download is bad input (exit 2), and nothing may read as if training had begun. Damage
  // inside a file shows when it is read.
  let data: string;
  try {
    data = await describeData(args.config.dataDir);
  } catch (err) {
    if (!(err instanceof DatasetError)) throw err;
    console.error(`athanor: ${err.message}`);
    return 2;
  }
  let made: Awaited<ReturnType<typeof checkOutputTarget>>;
  try {
    made = await checkOutputTarget(args.out);
    if (made.madeFolder) console.log(`Made the folder ${made.madeFolder} for the weights`);
  } catch (err) {
    if (!(err instanceof OutputError)) throw err;
    console.error(`athanor: ${err.message}`);
    return 2;
  }
  // However the CLI ends (a failed or cancelled run, a second Ctrl+C, a closed pipe, a crash), it leaves no folder it
  // made for weights that never came.
  let saved = false;
  process.on('exit', () => {
    if (!saved) removeMadeFolders(made);
  });
  const progress = createProgressLine(process.stderr);
  // "Training on ..." is said once training has begun (the first batch is done), not when the engine is up: data
  // that turns out damaged when read then fails with its one line, never after a line saying training started.
  let engineLines: string[] = [];
  const sayEngine = () => {
    for (const line of engineLines) console.log(line);
    engineLines = [];
  };
  let trainingDone = false;
  const run = startRun(forkWorker, args.config, {
    onProgress: (p) => {
      if (p.step === p.totalSteps) trainingDone = true;
      sayEngine();
      progress.update(p);
    },
    onEpoch: (summary) => {
      if (summary.epoch === args.config.epochs) trainingDone = true;
    },
    onReady: (engine) => {
      engineLines = [`Training on ${engine.device.toUpperCase()} with ${engine.engine} ${engine.version}` +
        (engine.features ? ` (${engine.features})` : '')];
      if (engine.fallbackReason) engineLines.push(`Fallback engine: ${engine.fallbackReason}`);
    },
    onLossWindow: (w) => (sayEngine(), progress.clear(), console.log(formatLossLine(w))),
  }, { preferFallback: args.fallback, settingNames: FLAG_NAMES });
  // Whatever ends the CLI ends its worker: a worker stuck in a read (a hung network file) never sees the parent go.
  process.on('exit', () => run.stop());

  // Ctrl+C (a terminal sends it to the whole process group: the worker has a group of its own and ignores it),
  // `kill` and a closed terminal all cancel after the current batch; a second signal stops at once.
  // npm and tsx pass a terminal's Ctrl+C on as well, so one keypress can arrive twice within milliseconds: only a
  // signal a second or more after the first is a second Ctrl+C.
  let stoppedBy: StopSignal | null = null;
  let stoppedAt = 0;
  for (const signal of Object.keys(SIGNAL_EXIT) as StopSignal[]) {
    process.on(signal, () => {
      if (stoppedBy) {
        if (performance.now() - stoppedAt < 1000) return;
        console.error(`athanor: stopped at once (${signal}); the run's weights were not saved`);
        process.exit(SIGNAL_EXIT[signal]);
      }
      stoppedBy = signal;
      stoppedAt = performance.now();
      const again = signal === 'SIGINT' ? 'Ctrl+C again' : `${signal} again`;
      if (trainingDone) {
        // Nothing left to cancel: the evaluation and the save take seconds, and the trained weights are worth them.
        console.error(`\nTraining is done: finishing the evaluation and saving the weights (${again} to stop at once, without them)...`);
        return;
      }
      console.error(`\nCancelling after the current batch (${again} to stop at once)...`);
      run.cancel();
    });
  }

  let outcome;
  try {
    outcome = await run.outcome.finally(() => progress.clear());
  } catch (err) {
    // A failure of the run (not bad input: the data, a setting the engine cannot hold) still names its engine.
    if (!(err instanceof RunFailure && (err.kind === 'dataset' || err.kind === 'invalid-config'))) sayEngine();
    if (err instanceof RunFailure && err.kind === 'engine-unavailable' && args.config.device === 'gpu') {
      console.error(`athanor: ${describeFailure(err)} (from a terminal the GPU engine is CUDA; WebGPU and WebGL, for any ` +
        'GPU, train in the app)');
      return 1;
    }
    throw err;
  }
  const { result, model } = outcome;
  // A run cancelled before its first batch never began training; one that did has said so already.
  if (result.status !== 'cancelled') sayEngine();
  if (result.status !== 'done' || !model) {
    console.error(`athanor: ${result.message ?? `run ${result.status}`}`);
    return result.status === 'cancelled' ? SIGNAL_EXIT[stoppedBy ?? 'SIGINT'] : 1;
  }
  // A cancel that reached the worker after its last batch finds nothing left to stop: say so, not "cancelled".
  if (stoppedBy && !trainingDone) console.error('athanor: the last batch had run when the cancel arrived: the run finished');
  console.log('Finished Training');
  console.log(`Training took ${(result.timings.trainingMs / 1000).toFixed(2)} seconds`);
  const outcomeOfSave = await saveWeights(args.out, model, (path, m) => exportWeights(path, m, provenance(result.engine)));
  saved = outcomeOfSave.saved;
  if (!outcomeOfSave.saved) {
    const { rescued, reason, rescueReason } = outcomeOfSave;
    // The run's results stay on screen whatever happened to the file.
    console.log(formatSummary(result, rescued ? rescued.files : ['not saved'], data));
    console.error(rescued
      ? `athanor: ${reason}; the weights are in ${rescued.files.join(', ')} instead`
      : `athanor: ${reason}; saving them in the temp folder failed too (${rescueReason}): the weights are lost`);
    return 1;
  }
  const files = outcomeOfSave.result.files.join(', ');
  console.log(formatSummary(result, [args.defaultOut ? `${files} (no --out given: the folder you ran from)` : files], data));
  return 0;
}

/** One line for anything unexpected: a user never sees a stack trace (ATHANOR_DEBUG=1 shows it). */
function describeFailure(err: unknown): string {
  if (process.env.ATHANOR_DEBUG && err instanceof Error && err.stack) return err.stack;
  if (err instanceof Error) return err.message.split('\n', 1)[0];
  return String(err);
}

/** Each device's engine in a worker of its own: the two native packages cannot share a process. */
async function probe(): Promise<number> {
  for (const device of ['cpu', 'gpu'] as const) {
    const outcome = await probeEngine(forkWorker, device);
    const label = device === 'cpu' ? 'CPU' : 'GPU (CUDA)';
    if (!outcome.ok) console.log(`${label}: cannot train: ${outcome.reason}`);
    else {
      const e = outcome.engine!;
      console.log(`${label}: ${e.engine} ${e.version}${e.features ? ` (${e.features})` : ''}` +
        (e.fallbackReason ? `, the fallback engine: ${e.fallbackReason}` : ''));
    }
  }
  console.log('GPU (WebGPU, WebGL): these engines, for any GPU, train in the app (its Devices panel says which can run)');
  return 0;
}

if (require.main === module) {
  // `npm run train | head -3`: once the reader has gone, stop as Unix tools do, quietly and with SIGPIPE's status
  // (128 + 13); the 'exit' handlers end the worker and remove what the run made.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(141);
      throw err;
    });
  }
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`athanor: ${describeFailure(err)}`);
      // Settings or data the run refused (an engine's batch limit, a folder without MNIST) are bad input, as flags are.
      process.exit(err instanceof RunFailure && (err.kind === 'invalid-config' || err.kind === 'dataset') ? 2 : 1);
    },
  );
}
