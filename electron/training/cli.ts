/**
 * `npm run train -- [options]`: the reference tutorial's run from a terminal, on the same code the app uses.
 * Prints the reference's log lines, then a summary; exits non-zero with a clear message on any failure.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createProgressLine } from './cli-progress';
import { ConfigError, REFERENCE_CONFIG, validateConfig, type TrainConfig } from './config';
import { exportWeights } from './export/index';
import { formatLossLine, formatSummary } from './report';
import { forkWorker, probeEngine, RunFailure, startRun } from './run-worker';

const USAGE = `Usage: npm run train -- [options]

  --device cpu|gpu     where to train (default cpu; gpu needs @tensorflow/tfjs-node-gpu and CUDA)
  --epochs N           passes over the training set (default ${REFERENCE_CONFIG.epochs})
  --batch-size N       images per batch (default ${REFERENCE_CONFIG.batchSize})
  --lr X               learning rate (default ${REFERENCE_CONFIG.lr})
  --momentum X         SGD momentum, 0 <= X < 1 (default ${REFERENCE_CONFIG.momentum})
  --seed N             seed for the initial weights and the shuffles (default ${REFERENCE_CONFIG.seed})
  --limit N            train on the first N images only
  --test-limit N       evaluate on the first N test images only
  --data DIR           folder with MNIST-format idx files (default: the bundled MNIST)
  --out FILE           weights file: .pth, .safetensors or .json (TF.js); default ./mnist_cnn.pth
  --fallback           skip the native engine and train on the wasm engine
  --probe              say which engines load on this machine, and why not, without training
  --help               show this help`;

export class UsageError extends Error {}

const NUMBER_FLAGS = {
  epochs: 'epochs', 'batch-size': 'batchSize', lr: 'lr', momentum: 'momentum', seed: 'seed',
  limit: 'limit', 'test-limit': 'testLimit',
} as const;

export interface CliArgs {
  config: TrainConfig;
  out: string;
  fallback: boolean;
  help: boolean;
  probe: boolean;
}

export function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        device: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' },
        fallback: { type: 'boolean' }, help: { type: 'boolean' }, probe: { type: 'boolean' },
        ...Object.fromEntries(Object.keys(NUMBER_FLAGS).map((k) => [k, { type: 'string' as const }])),
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const raw: Record<string, unknown> = {};
  if (v.device !== undefined) raw.device = v.device;
  if (v.data !== undefined) raw.dataDir = resolve(String(v.data));
  for (const [flag, key] of Object.entries(NUMBER_FLAGS)) {
    const text = v[flag];
    if (text === undefined) continue;
    const n = Number(text);
    if (String(text).trim() === '' || Number.isNaN(n)) throw new UsageError(`--${flag} needs a number, got "${text}"`);
    raw[key] = n;
  }
  const config = validateConfig(raw);
  return {
    config,
    out: resolve(String(v.out ?? 'mnist_cnn.pth')),
    fallback: v.fallback === true,
    help: v.help === true,
    probe: v.probe === true,
  };
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseCli(argv);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      console.error(`athanor: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.probe) return probe();
  const progress = createProgressLine(process.stderr);
  const run = startRun(forkWorker, args.config, {
    onProgress: (p) => progress.update(p),
    onReady: (engine) => {
      console.log(`Training on ${engine.device.toUpperCase()} with ${engine.engine} ${engine.version}` +
        (engine.features ? ` (${engine.features})` : ''));
      if (engine.fallbackReason) console.log(`Fallback engine: ${engine.fallbackReason}`);
    },
    onLossWindow: (w) => (progress.clear(), console.log(formatLossLine(w))),
  }, { preferFallback: args.fallback });

  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts++;
    if (interrupts === 1) {
      console.error('\nCancelling after the current batch (Ctrl+C again to stop at once)...');
      run.cancel();
    } else process.exit(130);
  });

  try {
    const { result, model } = await run.outcome.finally(() => progress.clear());
    if (result.status !== 'done' || !model) {
      console.error(`athanor: ${result.message ?? `run ${result.status}`}`);
      return result.status === 'cancelled' ? 130 : 1;
    }
    console.log('Finished Training');
    console.log(`Training took ${(result.timings.trainingMs / 1000).toFixed(2)} seconds`);
    const saved = await exportWeights(args.out, model);
    console.log(formatSummary(result, saved.files));
    return 0;
  } catch (err) {
    const reason = err instanceof RunFailure ? err.message : (err as Error).stack ?? String(err);
    console.error(`athanor: ${reason}`);
    return 1;
  }
}

/** Each device's engine in a worker of its own: the two native packages cannot share a process. */
async function probe(): Promise<number> {
  for (const device of ['cpu', 'gpu'] as const) {
    const outcome = await probeEngine(forkWorker, device);
    const label = device.toUpperCase();
    if (!outcome.ok) console.log(`${label}: cannot train: ${outcome.reason}`);
    else {
      const e = outcome.engine!;
      console.log(`${label}: ${e.engine} ${e.version}${e.features ? ` (${e.features})` : ''}` +
        (e.fallbackReason ? `, the fallback engine: ${e.fallbackReason}` : ''));
    }
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
