/**
 * One training run at a time, the rest wait in a first-in first-out queue. Each run's worker reports through
 * TrainingEvents, and every request ends as a history row, whatever happened to it.
 */
import { adapterName } from '../shared/adapter-label';
import type { QueueState, RunRecord, TrainRequest, TrainingEvent } from '../shared/ipc-contract';
import { makeRunId } from '../shared/validate';
import type { TrainConfig } from '../training/core/config';
import { RunFailure, startRun, type RunHandle, type RunOutcome } from '../training/process/run-worker';
import { type SpawnWorker, type WorkerTransport } from '../training/process/worker-transport';
import type { WorkerOptions } from '../training/process/protocol';
import { Curve } from './curve';
import type { HistoryStore } from './history-store';
import type { HardwareNames } from './devices';
import { messageOf } from '../training/engines/errors';
import { chooseTransport, needsCudaDetection } from './job-transport';
import { CANCELLED_BEFORE_START, completedRecord, failedRecord, newRecord } from './run-record';
import { Listeners } from './listeners';

export interface RunManagerOptions {
  /** A worker process: CPU runs and CUDA runs (Electron's utilityProcess in the app). */
  spawn: SpawnWorker;
  /**
   * A GPU page for WebGPU and WebGL runs (a hidden window in the app), already given its data loader. Without it,
   * GPU runs go to `spawn`, that is to the CUDA engine.
   */
  spawnPage?: SpawnWorker;
  /** Whether the CUDA engine loads here (device detection's answer): "Auto" then trains on it, else on the page. */
  cudaReady?: () => Promise<boolean>;
  /** Where rows and weights go: only these two calls, so a test can keep rows in memory. */
  history: Pick<HistoryStore, 'put' | 'saveWeights'>;
  /** Read when a run starts, so names detected after construction still reach the row. */
  hardware: () => HardwareNames;
  workerOptions?: WorkerOptions;
  /** Evaluate on the first N test images only (tests); all of them otherwise. */
  testLimit?: number;
  sink?: (event: TrainingEvent) => void;
  /** Where failures to save a row go; the run itself carries on. */
  onError?: (err: unknown) => void;
  now?: () => Date;
  random?: () => number;
  /** How long a cancelled worker may take to stop by itself before it is killed. */
  cancelGraceMs?: number;
}

interface Job {
  id: string;
  request: TrainRequest;
}

interface Active extends Job {
  record: RunRecord;
  curve: Curve;
  handle: RunHandle | null;
  worker: WorkerTransport | null;
  cancelRequested: boolean;
  /** Settles a run still waiting for device detection ("Auto"), when it is cancelled before it has a worker. */
  cancelWait: () => void;
}

export class RunManager {
  private readonly waiting: Job[] = [];
  private active: Active | null = null;
  private readonly listeners = new Listeners<TrainingEvent>((err) => this.report(err));
  private idleWaiters: (() => void)[] = [];
  /** Set while a sweep has the devices (reserve): runs queue, but none starts. */
  private held = false;

  constructor(private readonly options: RunManagerOptions) {
    if (options.sink) this.listeners.subscribe(options.sink);
  }

  subscribe(listener: (event: TrainingEvent) => void): () => void {
    return this.listeners.subscribe(listener);
  }

  queue(): QueueState {
    return {
      running: this.active && { id: this.active.id, device: this.active.request.device },
      queued: this.waiting.map((j) => ({ id: j.id, device: j.request.device })),
    };
  }

  enqueue(request: TrainRequest): { id: string; queue: QueueState } {
    const id = makeRunId(request.device, this.now(), this.options.random);
    this.waiting.push({ id, request: { ...request } });
    this.listeners.emit({ kind: 'queued', id, device: request.device, queue: this.queue() });
    this.pump();
    return { id, queue: this.queue() };
  }

  /** The reference's comparison: the same settings on the CPU, then on the GPU. */
  compare(settings: Omit<TrainRequest, 'device'>): { ids: string[]; queue: QueueState } {
    const { gpuEngine, ...common } = settings; // the GPU engine choice is the GPU run's alone
    const ids = [
      this.enqueue({ ...common, device: 'cpu' }).id,
      this.enqueue({ ...common, gpuEngine, device: 'gpu' }).id,
    ];
    return { ids, queue: this.queue() };
  }

  /** Stops the running run (its row says cancelled), or takes a waiting one off the queue (recorded as cancelled). */
  async cancel(id: string): Promise<{ cancelled: boolean }> {
    const active = this.active;
    if (active?.id === id) {
      if (!active.cancelRequested) {
        active.cancelRequested = true;
        // Still waiting for device detection ("Auto"), which may take long: the run ends now, without a worker.
        if (active.handle) this.stopSoon(active);
        else active.cancelWait();
      }
      return { cancelled: true };
    }
    const i = this.waiting.findIndex((j) => j.id === id);
    if (i < 0) return { cancelled: false };
    const [job] = this.waiting.splice(i, 1);
    const record = { ...this.newRecord(job), status: 'cancelled' as const, reason: CANCELLED_BEFORE_START };
    await this.save(record);
    this.listeners.emit({ kind: 'finished', id, record, queue: this.queue() });
    this.pump(); // wakes idle() waiters when that was the last job
    return { cancelled: true };
  }

  /** Resolves when nothing runs and nothing waits. */
  idle(): Promise<void> {
    if (!this.active && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Waits until nothing runs or waits, then keeps every run from starting until the returned release is called:
   * a sweep's timings would mean nothing beside a run on the same machine. Runs asked for meanwhile queue as usual.
   */
  async reserve(): Promise<() => void> {
    while (this.active || this.waiting.length > 0 || this.held) await this.idle();
    this.held = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held = false;
      this.pump();
    };
  }

  /** App shutdown: forget the queue and kill the worker. Its row stays 'running' and is marked failed at next start. */
  dispose(): void {
    this.waiting.length = 0;
    this.active?.worker?.kill();
  }

  private pump(): void {
    if (this.active || this.held) return;
    const job = this.waiting.shift();
    if (!job) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
      return;
    }
    void this.run(job);
  }

  /**
   * One job, start to row: the row goes to disk as 'running' first (if the app dies mid-run, the next start still
   * shows it), then whatever happens (a cancel, a crash, an outcome that cannot be recorded) ends as the row that
   * replaces it, and the next job starts. Never rejects: the queue never stops on a run.
   */
  private async run(job: Job): Promise<void> {
    const active: Active = {
      ...job,
      record: this.newRecord(job),
      curve: new Curve(),
      handle: null,
      worker: null,
      cancelRequested: false,
      cancelWait: () => undefined,
    };
    this.active = active;
    this.listeners.emit({ kind: 'started', id: job.id, device: job.request.device, queue: this.queue() });
    void this.save(active.record);
    let record: RunRecord;
    try {
      // Only "Auto" on a machine with a GPU page waits, for device detection's word on CUDA; the rest start at once.
      const cuda = needsCudaDetection(this.options, job.request) ? await this.detectCuda(active) : false;
      // Cancelled while it waited: it ends before a worker.
      if (active.cancelRequested) throw new RunFailure('cancelled', CANCELLED_BEFORE_START);
      record = await this.recordOutcome(
        active,
        await this.start(active, chooseTransport(this.options, job.request, cuda)),
      );
    } catch (err) {
      record = failedRecord(active.record, err, active.curve.snapshot());
    }
    // The store writes in order: this replaces the 'running' row. A row it could not write is still shown, saying so.
    const notSaved = await this.save(record);
    this.active = null;
    this.listeners.emit({
      kind: 'finished',
      id: job.id,
      record: notSaved ? { ...record, unsaved: notSaved } : record,
      queue: this.queue(),
    });
    this.pump();
  }

  /** Device detection's word on CUDA (false when it fails); a cancel meanwhile ends the wait at once. */
  private detectCuda(active: Active): Promise<boolean> {
    const cancelled = new Promise<boolean>((resolve) => {
      active.cancelWait = () => resolve(false);
    });
    return Promise.race([this.options.cudaReady!().catch(() => false), cancelled]);
  }

  private start(active: Active, chosen: SpawnWorker): Promise<RunOutcome> {
    const { id, request } = active;
    const config: TrainConfig = { ...request };
    if (this.options.testLimit !== undefined) config.testLimit = this.options.testLimit;
    const spawn: SpawnWorker = () => (active.worker = chosen());
    active.handle = startRun(
      spawn,
      config,
      {
        onReady: (engine) => {
          // A page run's GPU is known only now: the adapter Chromium gave it. Kept in the row as data, in English
          // whatever language the app speaks.
          const hardware = engine.adapter ? adapterName(engine.adapter, 'en') : active.record.hardware;
          active.record = { ...active.record, engine, hardware };
          this.listeners.emit({ kind: 'engine', id, engine });
        },
        onProgress: (progress) => {
          active.curve.add(progress.step, progress.loss, progress.elapsedMs);
          this.listeners.emit({ kind: 'progress', id, progress });
        },
        onLossWindow: (window) => this.listeners.emit({ kind: 'loss-window', id, window }),
        onEpoch: (summary) => this.listeners.emit({ kind: 'epoch', id, summary }),
      },
      this.options.workerOptions,
    );
    return active.handle.outcome;
  }

  /**
   * Asks the worker to stop after its current batch, and stops the run the hard way after the grace period: a worker
   * stuck in a native call never reads the message, and one that misbehaves may never answer it.
   */
  private stopSoon(active: Active): void {
    active.handle?.cancel();
    setTimeout(() => active.handle?.stop(), this.options.cancelGraceMs ?? 10_000).unref?.();
  }

  private async recordOutcome(active: Active, { result, model }: RunOutcome): Promise<RunRecord> {
    const record = completedRecord(active.record, result, active.curve.snapshot());
    if (result.status === 'done' && model) {
      try {
        const notStored = await this.options.history.saveWeights(active.id, model);
        record.hasWeights = true;
        // Kept in memory instead: exportable while the app is open, and the row says so.
        if (notStored) record.reason = { code: 'weights-in-memory', detail: notStored };
      } catch (err) {
        record.reason = { code: 'weights-not-stored', detail: messageOf(err) };
      }
    }
    return record;
  }

  private newRecord({ id, request }: Job): RunRecord {
    return newRecord(id, request, this.options.hardware(), this.now());
  }

  /** Writes the row; resolves with why it could not (the store keeps it listed), or null. */
  private save(record: RunRecord): Promise<string | null> {
    return this.options.history.put(record).then(
      () => null,
      (err: unknown) => {
        this.report(err);
        return (err as Error).message ?? String(err);
      },
    );
  }

  private report(err: unknown): void {
    (this.options.onError ?? console.error)(err);
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }
}
