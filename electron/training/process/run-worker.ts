/**
 * A job in a fresh worker or GPU page, from the parent's side: a training run (startRun) or a batch-size sweep
 * (startSweep), its messages checked and its end told as a RunFailure with a reason when it does not finish.
 */
import { checkWorkerMessage, type WorkerErrorCode } from '../../shared/schema/messages';
import { messageOf } from '../engines/errors';
import type { Reason } from '../../shared/reasons';
import { describeReason } from '../../shared/describe-reason';
import { errorReason, exitReason, settleOnce, type SpawnWorker } from './worker-transport';
import { validateConfig, type TrainConfig } from '../core/config';
import type { SkippedSize, SweepPoint, SweepRequest } from '../../shared/schema/sweep';
import { MAX_TRAIN_IMAGES } from '../../shared/schema/settings';
import type { EngineInfo } from '../engines';
import type {
  EpochSummary,
  LossWindow,
  ParentMessage,
  Progress,
  RunResult,
  TrainedModel,
  WorkerMessage,
  WorkerOptions,
} from './protocol';

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
export type FailureKind = WorkerErrorCode | 'worker-crashed' | 'cancelled';

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
      // After a cancel the worker's end is the cancel's: it was asked to stop, and stopped.
      fail(
        cancelRequested
          ? new RunFailure('cancelled', { code: 'run-stopped' }, engine)
          : new RunFailure('worker-crashed', exitReason(info), engine),
      );
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
      fail(new RunFailure('cancelled', { code: 'run-stopped' }, engine));
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
