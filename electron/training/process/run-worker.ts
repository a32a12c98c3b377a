import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkWorkerMessage, type WorkerErrorCode } from '../../shared/schema/messages';
import { messageOf } from '../engines/errors';
import type { ExitReason, Peer, Reason } from '../../shared/reasons';
import { describeReason } from '../../shared/describe-reason';
import { createTfLogFilter } from './tf-log-filter';
import { removeWasmTempFolders } from '../engines/wasm/temp-folders';
import { validateConfig, type Device, type TrainConfig } from '../core/config';
import type { SkippedSize, SweepPoint, SweepRequest } from '../../shared/schema/sweep';
import { MAX_TRAIN_IMAGES } from '../../shared/schema/settings';
import type { EngineInfo } from '../engines';
import type {
  BrowserEngineProbe,
  EpochSummary,
  LossWindow,
  ParentMessage,
  Progress,
  RunResult,
  TrainedModel,
  WorkerMessage,
  WorkerOptions,
} from './protocol';

/**
 * A worker process as the parent sees it: Node's fork here, Electron's utilityProcess or a GPU page in the app. What
 * it hears is unchecked (`unknown`): startRun and probeEngine check each message before acting on it.
 */
export interface WorkerTransport {
  send(message: ParentMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** `reason`: set by a transport that knows why its process ended (a GPU page that crashed or hung). */
  onExit(listener: (info: ExitInfo) => void): void;
  kill(): void;
  /** Who speaks on this transport, for a failure's reason: 'page'; 'worker' if unset. */
  readonly peer?: Peer;
}

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  reason?: ExitReason;
}

export type SpawnWorker = () => WorkerTransport;

/** The worker entry beside this module: built JavaScript in the app, TypeScript through tsx in dev and tests. */
export function workerEntry(dir: string = __dirname): { file: string; execArgv: string[] } {
  const js = join(dir, 'worker.js');
  if (existsSync(js)) return { file: js, execArgv: [] };
  // tsx's loader by absolute URL: a bare '--import tsx' would resolve from the caller's working directory.
  const tsxLoader = join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs');
  return { file: join(dir, 'worker.ts'), execArgv: ['--import', pathToFileURL(tsxLoader).href] };
}

export function forkWorker(entry = workerEntry(), execPath = process.execPath): WorkerTransport & { pid?: number } {
  // 'advanced' serialization carries the trained weights as Float32Arrays instead of JSON number lists. A process
  // group of its own (POSIX) keeps a terminal's Ctrl+C to the parent, which cancels the run cleanly; the worker
  // still ends with its parent, through the IPC channel's disconnect. (On Windows, detached opens a console.)
  const child = fork(entry.file, [], {
    execPath,
    execArgv: entry.execArgv,
    serialization: 'advanced',
    stdio: ['inherit', 'inherit', 'pipe', 'ipc'],
    detached: process.platform !== 'win32',
  });
  // The worker's errors reach the terminal; libtensorflow's start-up info lines do not (tf-log-filter.ts).
  const filter = createTfLogFilter((text) => process.stderr.write(text));
  child
    .stderr!.setEncoding('utf8')
    .on('data', (chunk: string) => filter.push(chunk))
    .on('end', () => filter.end());
  // A killed worker runs no exit hook: the temp folder its wasm engine made is removed here, at the kill (a CLI that
  // exits next never sees the worker's exit event) or when it ends on its own.
  child.once('exit', () => removeWasmTempFolders({ pid: child.pid }));
  return {
    pid: child.pid,
    send: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', (message: unknown) => listener(message)),
    onExit: (listener) => child.on('exit', (code, signal) => listener({ code, signal })),
    kill: () => {
      child.kill('SIGKILL');
      if (child.pid !== undefined) removeWasmTempFolders({ pid: child.pid });
    },
  };
}

export interface RunCallbacks {
  onReady?(engine: EngineInfo): void;
  onProgress?(progress: Progress): void;
  onLossWindow?(window: LossWindow): void;
  onEpoch?(summary: EpochSummary): void;
}

export interface RunOutcome {
  result: RunResult;
  model: TrainedModel | null;
}

/** How a run failed: a code the worker sent (WORKER_ERROR_CODES), or a worker that died without one. */
export type FailureKind = WorkerErrorCode | 'worker-crashed';

export class RunFailure extends Error {
  override name = 'RunFailure';
  /** `reason`: why, as a code with its data; `message` is its words (describeReason), for logs and the CLI. */
  constructor(
    readonly kind: FailureKind,
    readonly reason: Reason,
    readonly engine?: EngineInfo,
  ) {
    super(describeReason(reason));
  }
}

export interface JobHandle<T> {
  outcome: Promise<T>;
  /** Asks the worker to stop after the current batch; the outcome then says 'cancelled'. */
  cancel(): void;
  /** Kills the worker at once (synchronous, safe at process exit): for a caller that is going away. */
  stop(): void;
}

export type RunHandle = JobHandle<RunOutcome>;

/** How a process ended without saying why: its transport's reason (a GPU page that crashed), its signal, or its code. */
export function exitReason({ code, signal, reason }: ExitInfo): ExitReason {
  if (reason) return reason;
  if (signal) return { code: 'worker-killed', signal };
  return { code: 'worker-exited', exitCode: code };
}

/**
 * What a job's own messages do; the server's common ones ('ready', 'error', a stray probe answer) are handled here. A
 * message the job has no use for then is thrown as OutOfPlace.
 */
type JobHandler<T> = (message: WorkerMessage, resolve: (outcome: T) => void) => void;

/** A good message at a time the job cannot take it. */
class OutOfPlace extends Error {
  constructor(readonly where: Extract<Reason, { code: 'run-message-out-of-place' }>['where']) {
    super(where);
  }
}

/**
 * Runs one job in a fresh worker. The outcome settles exactly once: with what `handle` resolves, or with a
 * RunFailure when the worker reports an error, dies, or sends a message that fails its check (shared/schema/messages.ts)
 * or that a callback throws on. A dead worker is never a hang, and nothing it sends throws in the caller.
 */
function startJob<T>(
  spawn: SpawnWorker,
  start: Extract<ParentMessage, { type: 'start' }>,
  onReady: ((engine: EngineInfo) => void) | undefined,
  handle: JobHandler<T>,
): JobHandle<T> {
  const worker = spawn();
  const peer = worker.peer ?? 'worker';
  let engine: EngineInfo | undefined;
  let cancelRequested = false;
  let settled = false;
  let fail!: (failure: RunFailure) => void;
  const outcome = new Promise<T>((resolve, reject) => {
    const finish = settleOnce(worker);
    const end = (settle: () => void) => {
      settled = true;
      finish(settle);
    };
    fail = (failure) => end(() => reject(failure));
    worker.onMessage((raw) => {
      // What arrives after the end (a page still talking while it closes) has nobody left to tell.
      if (settled) return;
      let message: WorkerMessage;
      try {
        message = checkWorkerMessage(raw);
      } catch (err) {
        fail(new RunFailure('failed', { code: 'run-bad-message', peer, detail: (err as Error).message }, engine));
        return;
      }
      try {
        switch (message.type) {
          case 'ready':
            engine = message.engine;
            onReady?.(message.engine);
            break;
          case 'error': {
            fail(new RunFailure(message.code ?? 'failed', errorReason(message), engine));
            break;
          }
          case 'probe-result':
            fail(new RunFailure('failed', { code: 'run-probe-answer', peer }, engine));
            break;
          default:
            handle(message, (result) => end(() => resolve(result)));
        }
      } catch (err) {
        const { type } = message;
        const reason: Reason =
          err instanceof OutOfPlace
            ? { code: 'run-message-out-of-place', peer, type, where: err.where }
            : { code: 'run-message-unusable', peer, type, detail: messageOf(err) };
        fail(new RunFailure('failed', reason, engine));
      }
    });
    worker.onExit((info) => {
      fail(new RunFailure('worker-crashed', cancelRequested ? { code: 'run-stopped' } : exitReason(info), engine));
    });
  });

  worker.send(start);
  return {
    outcome,
    cancel: () => {
      cancelRequested = true;
      worker.send({ type: 'cancel' });
    },
    // Settles here rather than on the transport's exit: a worker whose exit is never reported cannot hold the run.
    stop: () => {
      cancelRequested = true;
      fail(new RunFailure('worker-crashed', { code: 'run-stopped' }, engine));
    },
  };
}

/** Runs one training job in a fresh worker (startJob): the outcome is the run's result and trained model. */
export function startRun(
  spawn: SpawnWorker,
  config: TrainConfig,
  callbacks: RunCallbacks = {},
  options: WorkerOptions = {},
): RunHandle {
  return startJob<RunOutcome>(spawn, { type: 'start', config, options }, callbacks.onReady, (message, resolve) => {
    switch (message.type) {
      case 'progress':
        callbacks.onProgress?.(message.progress);
        break;
      case 'loss-window':
        callbacks.onLossWindow?.(message.window);
        break;
      case 'epoch':
        callbacks.onEpoch?.(message.summary);
        break;
      case 'done':
        resolve({ result: message.result, model: message.model });
        break;
      default:
        throw new OutOfPlace('sweep-in-run');
    }
  });
}

export interface SweepCallbacks {
  onReady?(engine: EngineInfo): void;
  onPoint?(point: SweepPoint): void;
}

export interface SweepOutcome {
  engine: EngineInfo;
  points: SweepPoint[];
  skipped: SkippedSize[];
}

/**
 * Times the engine `device` (and `gpuEngine`) would train on at each of `sweep`'s batch sizes, in a fresh worker
 * (core/sweep.ts), with the reference's optimizer settings and seed. Fails as a run does (RunFailure).
 */
export function startSweep(
  spawn: SpawnWorker,
  target: Pick<TrainConfig, 'device' | 'gpuEngine'>,
  sweep: SweepRequest,
  callbacks: SweepCallbacks = {},
  options: WorkerOptions = {},
): JobHandle<SweepOutcome> {
  let engine: EngineInfo | undefined;
  // Enough images for the largest size; one test image, since a sweep evaluates nothing.
  const limit = Math.min(MAX_TRAIN_IMAGES, Math.max(...sweep.batchSizes));
  const config = validateConfig({ ...target, epochs: 1, batchSize: 64, limit, testLimit: 1 });
  const onReady = (e: EngineInfo) => {
    engine = e;
    callbacks.onReady?.(e);
  };
  return startJob<SweepOutcome>(spawn, { type: 'start', config, options, sweep }, onReady, (message, resolve) => {
    if (message.type === 'sweep-point') callbacks.onPoint?.(message.point);
    else if (message.type === 'sweep-done' && engine) resolve({ engine, ...message.sweep });
    else throw new OutOfPlace(message.type === 'sweep-done' ? 'before-ready' : 'run-in-sweep');
  });
}

/**
 * How long a probe may take before its engine is called unavailable, in ms: loading libtensorflow from a cold disk
 * and its one training step take seconds, a GPU page's adapter and shaders on a software renderer tens of seconds.
 */
export const PROBE_TIMEOUT_MS = 120_000;

export interface ProbeOutcome {
  ok: boolean;
  engine?: EngineInfo;
  reason?: Reason;
  /** The GPU page's answer: each browser engine's state. */
  browserEngines?: BrowserEngineProbe;
}

/** A GPU engine a Node worker can check by name: CUDA (the default for 'gpu') or WebGPU through Dawn. */
export type ProbeTarget = Device | { device: 'gpu'; gpuEngine: 'cuda' | 'webgpu' };

/**
 * Asks a fresh worker whether the engine for `target` loads, without training. Never rejects: a dead worker, an
 * error, a message that fails its check or no answer within `timeoutMs` is an answer of "not ready", with the
 * reason; the worker is stopped once the answer is in.
 */
export function probeEngine(
  spawn: SpawnWorker,
  target: ProbeTarget,
  options: WorkerOptions = {},
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<ProbeOutcome> {
  const { device, gpuEngine } = typeof target === 'string' ? { device: target, gpuEngine: undefined } : target;
  const worker = spawn();
  const peer = worker.peer ?? 'worker';
  return new Promise<ProbeOutcome>((resolve) => {
    const settle = settleOnce(worker);
    // A probe that never answers (a driver whose adapter request never resolves, a library load that hangs) would
    // hold the Devices panel, and every refresh that shares it, for good: it is unavailable after timeoutMs.
    const timer = setTimeout(
      () => finish(() => resolve({ ok: false, reason: { code: 'probe-timeout', peer, seconds: timeoutMs / 1000 } })),
      timeoutMs,
    );
    timer.unref?.();
    const finish = (done: () => void) =>
      settle(() => {
        clearTimeout(timer);
        done();
      });
    worker.onMessage((raw) => {
      let message: WorkerMessage;
      try {
        message = checkWorkerMessage(raw);
      } catch (err) {
        finish(() =>
          resolve({ ok: false, reason: { code: 'probe-bad-message', peer, detail: (err as Error).message } }),
        );
        return;
      }
      if (message.type === 'probe-result') {
        finish(() =>
          resolve({
            ok: message.ok,
            engine: message.engine,
            reason: message.reason,
            browserEngines: message.browserEngines,
          }),
        );
      } else if (message.type === 'error') finish(() => resolve({ ok: false, reason: errorReason(message) }));
    });
    worker.onExit((info) =>
      finish(() => resolve({ ok: false, reason: { code: 'probe-ended', exit: exitReason(info) } })),
    );
    worker.send({ type: 'probe', device, options, ...(gpuEngine ? { gpuEngine } : {}) });
  });
}

/**
 * A worker's answer, an error and its exit can all arrive, in any order: the first one settles the caller's
 * promise, and the worker is then stopped.
 */
function settleOnce(worker: WorkerTransport): (settle: () => void) => void {
  let settled = false;
  return (settle) => {
    if (settled) return;
    settled = true;
    settle();
    worker.kill();
  };
}

/** An 'error' message's reason: the code it carries, else its words (a sender that gives only words). */
function errorReason(message: Extract<WorkerMessage, { type: 'error' }>): Reason {
  return message.reason ?? { code: 'error', message: message.message ?? '' };
}
