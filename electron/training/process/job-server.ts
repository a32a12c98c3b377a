/**
 * One job server for every place a run trains: the worker process (worker.ts, Node) and the GPU page
 * (page-worker.ts, Chromium) answer the same protocol the same way. A port takes one start (a run, or a batch-size
 * sweep when the start asks for one) or one probe; cancel aborts the run at the next batch; a second job is refused;
 * and every failure reaches the parent as one 'error' message whose code comes from one mapping (errorCode), so the
 * same refusal reads the same from either.
 */
import { reasonOf, type Peer } from '../../shared/reasons';
import { EngineUnavailableError } from '../engines/errors';
import { errorCode } from './error-code';
import type { EngineInfo, ParentMessage, WorkerMessage } from './protocol';
import type { Reason } from '../../shared/reasons';
import { sweepEngine } from '../core/sweep';
import { train, type TrainInput } from '../core/train';

export interface JobPort {
  send(message: WorkerMessage): void;
  onMessage(listener: (message: ParentMessage) => void): void;
}

export type StartMessage = Extract<ParentMessage, { type: 'start' }>;
export type ProbeMessage = Extract<ParentMessage, { type: 'probe' }>;

/** What differs between the places a run trains: how the engine starts and where the data comes from. */
export interface Trainer {
  /** Which server this is, for the "already busy" refusal. */
  readonly peer: Peer;
  /**
   * Checks the start message, starts the engine (calling `ready` with it and its start-up time in ms, as soon as it
   * is up) and gets the data: everything `train` needs but the signal and the reporter. Throws what went wrong.
   */
  prepare(
    message: StartMessage,
    ready: (engine: EngineInfo, engineStartMs: number) => void,
  ): Promise<Omit<TrainInput, 'signal' | 'reporter'>>;
  /** The 'probe-result' message for a probe. */
  probe(message: ProbeMessage): Promise<WorkerMessage>;
  /**
   * Why the engine's device failed, where tfjs does not throw it (a lost WebGPU device): it fails the job, in place
   * of whatever tfjs threw next or the numbers it trained on invalid buffers.
   */
  fault?(): Reason | null;
}

/** Serves one job on `port` with `trainer`, and cancel at any time. */
export function serveJobs(port: JobPort, trainer: Trainer): void {
  const abort = new AbortController();
  let busy = false;
  port.onMessage((message) => {
    if (message.type === 'cancel') {
      abort.abort();
      return;
    }
    if (busy) {
      port.send({ type: 'error', code: 'failed', reason: { code: 'worker-busy', peer: trainer.peer } });
      return;
    }
    busy = true;
    const job =
      message.type === 'start'
        ? runJob(port, trainer, message, abort.signal)
        : trainer.probe(message).then((answer) => port.send(answer));
    job.catch((thrown: unknown) => {
      // A device fault tfjs did not throw (a lost device) is why the job failed, whatever tfjs threw after it.
      const fault = trainer.fault?.();
      const err = fault ? new EngineUnavailableError(fault) : thrown;
      port.send({ type: 'error', code: errorCode(err), reason: reasonOf(err) });
    });
  });
}

async function runJob(port: JobPort, trainer: Trainer, message: StartMessage, signal: AbortSignal): Promise<void> {
  const input = await trainer.prepare(message, (engine, engineStartMs) =>
    port.send({ type: 'ready', engine, timings: { engineStartMs } }),
  );
  if (message.sweep) {
    const { config } = input;
    const { points, skipped } = await sweepEngine(
      input.data.train,
      input.engine,
      {
        ...message.sweep,
        seed: config.seed,
        lr: config.lr,
        momentum: config.momentum,
        batchSource: input.batchSource,
      },
      { onPoint: (point) => port.send({ type: 'sweep-point', point }) },
      signal,
    );
    port.send({ type: 'sweep-done', sweep: { points, skipped } });
    return;
  }
  const { result, model } = await train({
    ...input,
    signal,
    reporter: {
      onProgress: (progress) => port.send({ type: 'progress', progress }),
      onLossWindow: (window) => port.send({ type: 'loss-window', window }),
      onEpoch: (summary) => port.send({ type: 'epoch', summary }),
    },
  });
  const fault = trainer.fault?.();
  if (fault) throw new EngineUnavailableError(fault);
  port.send({ type: 'done', result, model });
}
