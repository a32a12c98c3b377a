/**
 * A scripted stand-in for the training worker process: the run manager talks to it through the same WorkerTransport
 * seam it uses for Node's fork and Electron's utilityProcess. Tests drive it message by message.
 */
import type { EngineInfo } from '../../electron/shared/ipc-contract';
import type { TrainConfig } from '../../electron/training/core/config';
import type { ParentMessage, RunResult, RunStatus, WorkerMessage } from '../../electron/training/process/protocol';
import type { SpawnWorker, WorkerTransport } from '../../electron/training/process/worker-transport';
import { makeModel } from './fixtures';

export const WASM: EngineInfo = {
  engine: 'wasm',
  device: 'cpu',
  backend: 'wasm',
  version: '4.22.0',
  fallbackReason: { code: 'fallback-asked' },
};

export class FakeWorker implements WorkerTransport {
  readonly sent: ParentMessage[] = [];
  killed = false;
  exited = false;
  private readonly messageListeners: ((m: unknown) => void)[] = [];
  private readonly exitListeners: ((info: { code: number | null; signal: string | null }) => void)[] = [];

  constructor(private readonly onSend: (worker: FakeWorker, message: ParentMessage) => void = () => undefined) {}

  get config(): TrainConfig {
    const start = this.sent.find((m) => m.type === 'start');
    if (!start || start.type !== 'start') throw new Error('no start message was sent');
    return start.config;
  }

  send(message: ParentMessage): void {
    this.sent.push(message);
    this.onSend(this, message);
  }
  onMessage(listener: (m: unknown) => void): void {
    this.messageListeners.push(listener);
  }
  onExit(listener: (info: { code: number | null; signal: string | null }) => void): void {
    this.exitListeners.push(listener);
  }
  kill(): void {
    if (this.killed) return;
    this.killed = true;
    this.exit(null, 'SIGKILL');
  }

  /** Says `message` as the worker would; a test may send anything (`say`), a message outside the protocol too. */
  emit(message: WorkerMessage): void {
    this.say(message);
  }
  say(message: unknown): void {
    if (this.exited) return;
    for (const l of this.messageListeners) l(message);
  }
  exit(code: number | null, signal: string | null = null): void {
    if (this.exited) return;
    this.exited = true;
    for (const l of this.exitListeners) l({ code, signal });
  }

  /** What a real worker says on the way to a finished run; `steps` progress reports with a falling loss. */
  train(steps: number, status: RunStatus = 'done', engine: EngineInfo = WASM): void {
    const config = this.config;
    this.emit({ type: 'ready', engine, timings: { engineStartMs: 5 } });
    for (let step = 1; step <= steps; step++) {
      this.emit({
        type: 'progress',
        progress: {
          epoch: 1,
          epochs: 1,
          batch: step,
          batchesPerEpoch: steps,
          step,
          totalSteps: steps,
          loss: 2.3 / step,
          imagesPerSecond: 1000,
          elapsedMs: step * 10,
          etaMs: (steps - step) * 10,
        },
      });
    }
    this.emit({ type: 'loss-window', window: { epoch: 1, batch: 100, meanLoss: 1.5 } });
    this.emit({ type: 'epoch', summary: { epoch: 1, meanLoss: 1.2, ms: 2000, imagesPerSecond: 320 } });
    this.emit({
      type: 'done',
      result: makeResult(config, status, engine),
      model: status === 'done' ? makeModel(3) : null,
    });
  }
}

export function makeResult(config: TrainConfig, status: RunStatus, engine: EngineInfo = WASM): RunResult {
  return {
    status,
    config,
    engine,
    timings: { engineStartMs: 5, dataLoadMs: 6, warmupMs: 7, trainingMs: 2000, evaluationMs: 8 },
    trainImages: config.limit ?? 60000,
    batchesPerEpoch: 10,
    epochs: [{ epoch: 1, meanLoss: 1.2, ms: 2000, imagesPerSecond: 320 }],
    lossWindows: [{ epoch: 1, batch: 100, meanLoss: 1.5 }],
    finalLoss: status === 'diverged' ? null : 0.9,
    imagesPerSecond: 320,
    evaluation:
      status === 'done'
        ? {
            accuracy: 0.8,
            count: 500,
            perClassAccuracy: new Array(10).fill(0.8),
            confusion: Array.from({ length: 10 }, () => new Array(10).fill(5)),
          }
        : null,
    ...(status === 'diverged'
      ? { reason: { code: 'loss-exploded', epoch: 1, batch: 3, loss: 'NaN', limit: 10 * Math.log(10) } as const }
      : {}),
  };
}

/** Counts spawns and hands each new worker to the test. */
export function fakeSpawner(onSend?: (worker: FakeWorker, message: ParentMessage) => void): {
  spawn: SpawnWorker;
  workers: FakeWorker[];
} {
  const workers: FakeWorker[] = [];
  return {
    workers,
    spawn: () => {
      const w = new FakeWorker(onSend);
      workers.push(w);
      return w;
    },
  };
}
