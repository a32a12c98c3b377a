/**
 * `npm run train -- [options]`: the reference tutorial's run from a terminal, on the same code the app uses.
 * Prints the reference's log lines, then a summary; exits non-zero with a clear message on any failure.
 */
import { FLAG_NAMES, parseCli, USAGE, UsageError } from './args';
import { createProgressLine } from './progress';
import { isThreadCount, MAX_THREADS } from '../engines/wasm/thread-count';
import { ConfigError } from '../core/config';
import { DatasetError, describeData } from '../core/dataset';
import { exportWeights, provenance } from '../export/index';
import { checkOutputTarget, OutputError, removeMadeFolders, saveWeights } from './output-target';
import { formatLossLine, formatSummary } from './report';
import { RunFailure, startRun } from '../process/run-worker';
import { forkWorker } from '../process/worker-transport';
import { probeEngine } from '../process/probe-engine';
import { describeReason } from '../../shared/describe-reason';
import { adapterLabel } from '../../shared/adapter-label';
import type { EngineInfo } from '../../shared/schema/engine';
import { softwareGpuAllowed } from '../process/testing-option';

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
  // A thread count that would be ignored is bad input, as a bad flag is. TensorFlow's own variables too: it takes
  // text or 0 for "every core" and aborts on a negative count, so the engine replaces them; said here, not silently.
  for (const name of ['ATHANOR_THREADS', 'ATHANOR_WASM_THREADS', 'TF_NUM_INTRAOP_THREADS', 'TF_NUM_INTEROP_THREADS']) {
    const value = process.env[name];
    if (value !== undefined && !(name.startsWith('TF_') && value === '') && !isThreadCount(value)) {
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
  let trainingBegun = false;
  const run = startRun(
    forkWorker,
    args.config,
    {
      onProgress: (p) => {
        trainingBegun = true;
        if (p.step === p.totalSteps) trainingDone = true;
        sayEngine();
        progress.update(p);
      },
      onEpoch: (summary) => {
        if (summary.epoch === args.config.epochs) trainingDone = true;
      },
      onReady: (engine) => {
        engineLines = [`Training on ${engine.device.toUpperCase()} with ${engineWords(engine)}`];
        if (engine.fallbackReason) engineLines.push(`Fallback engine: ${describeReason(engine.fallbackReason)}`);
      },
      onLossWindow: (w) => (sayEngine(), progress.clear(), console.log(formatLossLine(w))),
    },
    {
      preferFallback: args.fallback,
      settingNames: FLAG_NAMES,
      allowSoftwareAdapter: softwareGpuAllowed(),
      ...(args.gpuStep ? { gpuStep: args.gpuStep } : {}),
    },
  );
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
        console.error(
          `\nTraining is done: finishing the evaluation and saving the weights (${again} to stop at once, without them)...`,
        );
        return;
      }
      // While the engine and the data load there is no batch yet: the run stops before its first one.
      const when = trainingBegun ? 'after the current batch' : 'before the first batch';
      console.error(`\nCancelling ${when} (${again} to stop at once)...`);
      run.cancel();
    });
  }

  let outcome;
  try {
    outcome = await run.outcome.finally(() => progress.clear());
  } catch (err) {
    // A failure of the run (not bad input: the data, a setting the engine cannot hold) still names its engine.
    if (!(err instanceof RunFailure && (err.kind === 'dataset' || err.kind === 'invalid-config'))) sayEngine();
    throw err;
  }
  const { result, model } = outcome;
  // A run cancelled before its first batch never began training; one that did has said so already.
  if (result.status !== 'cancelled') sayEngine();
  if (result.status !== 'done' || !model) {
    console.error(`athanor: ${result.reason ? describeReason(result.reason) : `run ${result.status}`}`);
    return result.status === 'cancelled' ? SIGNAL_EXIT[stoppedBy ?? 'SIGINT'] : 1;
  }
  // A cancel that reached the worker after its last batch finds nothing left to stop: say so, not "cancelled".
  if (stoppedBy && !trainingDone)
    console.error('athanor: the last batch had run when the cancel arrived: the run finished');
  console.log('Finished Training');
  console.log(`Training took ${(result.timings.trainingMs / 1000).toFixed(2)} seconds`);
  const outcomeOfSave = await saveWeights(args.out, model, (path, m) =>
    exportWeights(path, m, provenance(result.engine)),
  );
  saved = outcomeOfSave.saved;
  if (!outcomeOfSave.saved) {
    const { rescued, reason, rescueReason } = outcomeOfSave;
    // The run's results stay on screen whatever happened to the file.
    console.log(formatSummary(result, rescued ? rescued.files : ['not saved'], data));
    console.error(
      rescued
        ? `athanor: ${reason}; the weights are in ${rescued.files.join(', ')} instead`
        : `athanor: ${reason}; saving them in the temp folder failed too (${rescueReason}): the weights are lost`,
    );
    return 1;
  }
  const files = outcomeOfSave.result.files.join(', ');
  console.log(
    formatSummary(result, [args.defaultOut ? `${files} (no --out given: the folder you ran from)` : files], data),
  );
  return 0;
}

/** One line for anything unexpected: a user never sees a stack trace (ATHANOR_DEBUG=1 shows it). */
function describeFailure(err: unknown): string {
  if (process.env.ATHANOR_DEBUG && err instanceof Error && err.stack) return err.stack;
  if (err instanceof Error) return err.message.split('\n', 1)[0];
  return String(err);
}

/** The engine as the CLI names it: "wasm 4.22.0 (SIMD, 2 threads)", "webgpu 4.22.0 (...) on SwiftShader (Vulkan)". */
function engineWords(e: EngineInfo): string {
  return (
    `${e.engine} ${e.version}${e.features ? ` (${e.features})` : ''}` +
    (e.adapter ? ` on ${adapterLabel(e.adapter)}` : '')
  );
}

/**
 * Each engine in a worker of its own: the two native packages cannot share a process, and Dawn is checked apart from
 * CUDA. With the testing option a software adapter is listed as usable, as a run would use it.
 */
async function probe(): Promise<number> {
  const targets = [
    ['CPU', 'cpu'],
    ['GPU (CUDA)', { device: 'gpu', gpuEngine: 'cuda' }],
    ['GPU (WebGPU)', { device: 'gpu', gpuEngine: 'webgpu' }],
  ] as const;
  for (const [label, target] of targets) {
    const outcome = await probeEngine(forkWorker, target, { allowSoftwareAdapter: softwareGpuAllowed() });
    if (!outcome.ok) console.log(`${label}: cannot train: ${describeReason(outcome.reason ?? { code: 'no-reason' })}`);
    else {
      const e = outcome.engine!;
      console.log(
        `${label}: ${engineWords(e)}` +
          (e.fallbackReason ? `, the fallback engine: ${describeReason(e.fallbackReason)}` : ''),
      );
    }
  }
  console.log('GPU (WebGL): needs a page, so it trains in the app only (its Devices panel says whether it can run)');
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
