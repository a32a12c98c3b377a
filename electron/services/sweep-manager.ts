/**
 * The Scaling view's batch-size sweeps: one at a time, each side (the CPU, then the GPU) in a fresh worker or GPU
 * page exactly as a run trains there (job-transport.ts), and never beside a run: a sweep waits for the run queue to
 * empty and holds it while it times (RunManager.reserve). Every sweep ends kept in the history's sweeps file, with
 * the points of a side that failed or was cancelled half-way.
 */
import { adapterName } from '../shared/adapter-label';
import type {
  Device,
  GpuEngineChoice,
  SweepEvent,
  SweepRecord,
  SweepSide,
  SweepStartResult,
} from '../shared/ipc-contract';
import * as v from 'valibot';
import { ExitReasonSchema, reasonOf, type Reason } from '../shared/reasons';
import type { SweepRequest } from '../shared/schema/sweep';
import { makeRunId } from '../shared/validate';
import type { WorkerOptions } from '../training/process/protocol';
import { RunFailure, startSweep, type JobHandle, type SweepOutcome } from '../training/process/run-worker';
import type { HardwareNames } from './hardware-names';
import { chooseTransport, needsCudaDetection, type Transports } from './job-transport';
import type { RunManager } from './run-manager';
import type { SweepStore } from './history-sweeps';
import { Listeners } from './listeners';

export interface SweepStartRequest extends SweepRequest {
  devices: Device[];
  gpuEngine?: GpuEngineChoice;
}

export interface SweepManagerOptions extends Transports {
  runs: Pick<RunManager, 'reserve'>;
  store: Pick<SweepStore, 'put'>;
  /** Read when a sweep starts: the names device detection found. */
  hardware: () => HardwareNames;
  workerOptions?: WorkerOptions;
  now?: () => Date;
  random?: () => number;
  /** How long a cancelled worker may take to stop by itself before it is killed, ms. */
  cancelGraceMs?: number;
  onError?: (err: unknown) => void;
}

interface Active {
  id: string;
  cancelled: boolean;
  /** Ends the wait for the run queue or for device detection. */
  stopWaiting: () => void;
  handle: JobHandle<SweepOutcome> | null;
}

export class SweepManager {
  private active: Active | null = null;
  private readonly listeners = new Listeners<SweepEvent>((err) => this.report(err));

  constructor(private readonly options: SweepManagerOptions) {}

  subscribe(listener: (event: SweepEvent) => void): () => void {
    return this.listeners.subscribe(listener);
  }

  /** Starts a sweep, or says why not (one is already going). Resolves at once; events tell the rest. */
  start(request: SweepStartRequest): SweepStartResult {
    if (this.active) return { started: false, reason: { code: 'sweep-busy' } };
    const startedAt = this.now();
    const id = makeRunId('sweep', startedAt, this.options.random);
    const active: Active = { id, cancelled: false, stopWaiting: () => undefined, handle: null };
    this.active = active;
    void this.run(active, request, startedAt)
      .catch((err: unknown) => this.report(err))
      .finally(() => (this.active = null));
    return { started: true, id };
  }

  /** Stops the sweep `id`: at the next batch size, and for good after the grace period; unknown ids are a no-op. */
  cancel(id: string): { cancelled: boolean } {
    const active = this.active;
    if (active?.id !== id) return { cancelled: false };
    if (!active.cancelled) {
      active.cancelled = true;
      active.stopWaiting();
      if (active.handle) {
        const handle = active.handle;
        handle.cancel();
        setTimeout(() => handle.stop(), this.options.cancelGraceMs ?? 10_000).unref?.();
      }
    }
    return { cancelled: true };
  }

  /**
   * App shutdown: the worker is killed at once. The sweep is kept as cancelled, with what it timed, if the write
   * lands before the process ends; nothing waits for it.
   */
  dispose(): void {
    if (!this.active) return;
    this.active.cancelled = true;
    this.active.stopWaiting();
    this.active.handle?.stop();
  }

  private async run(active: Active, request: SweepStartRequest, startedAt: Date): Promise<void> {
    const { id } = active;
    const { devices, gpuEngine, ...timing } = request;
    // The CPU first, whatever order the request named them in: the table reads CPU, then GPU.
    const order = (['cpu', 'gpu'] as const).filter((d) => devices.includes(d));
    this.listeners.emit({ kind: 'waiting', id, request: timing, devices: order });
    const release = await this.holdRuns(active);
    const machine = this.options.hardware();
    const sides: SweepSide[] = [];
    try {
      if (release) this.listeners.emit({ kind: 'started', id, request: timing, devices: order });
      for (const device of release ? order : []) {
        if (active.cancelled) break;
        const side = await this.sweepSide(active, { device, gpuEngine }, timing, machine);
        if (!side) break;
        sides.push(side);
        this.listeners.emit({ kind: 'side', id, side });
      }
    } finally {
      release?.();
    }
    const record: SweepRecord = {
      id,
      startedAt: startedAt.toISOString(),
      status: active.cancelled ? 'cancelled' : sides.some((s) => s.failure) ? 'failed' : 'done',
      request: timing,
      machine,
      sides,
    };
    let unsaved: string | null = null;
    try {
      await this.options.store.put(record);
    } catch (err) {
      this.report(err);
      unsaved = err instanceof Error ? err.message : String(err);
    }
    this.listeners.emit({ kind: 'finished', id, record, unsaved });
  }

  /** The run queue held for this sweep (RunManager.reserve), or null when it was cancelled while it waited. */
  private async holdRuns(active: Active): Promise<(() => void) | null> {
    const reservation = this.options.runs.reserve();
    const release = await this.untilCancelled(active, reservation);
    if (release) return release;
    // Cancelled while it waited for the runs: the hold it gets later is given back at once.
    void reservation.then((late) => late());
    return null;
  }

  /** `promise`'s value, or null as soon as the sweep is cancelled. */
  private untilCancelled<T>(active: Active, promise: Promise<T>): Promise<T | null> {
    if (active.cancelled) return Promise.resolve(null);
    const stopped = new Promise<null>((resolve) => (active.stopWaiting = () => resolve(null)));
    return Promise.race([promise.then((value) => (active.cancelled ? null : value)), stopped]);
  }

  /** One device's sweep in a fresh worker or page: its points, kept as they arrive, whatever ends it. */
  private async sweepSide(
    active: Active,
    target: { device: Device; gpuEngine?: GpuEngineChoice },
    timing: SweepRequest,
    machine: HardwareNames,
  ): Promise<SweepSide | null> {
    const side: SweepSide = {
      device: target.device,
      engine: null,
      hardware: target.device === 'cpu' ? machine.cpu : (machine.gpu ?? 'GPU'),
      points: [],
      skipped: [],
    };
    const cuda = needsCudaDetection(this.options, target)
      ? await this.untilCancelled(
          active,
          this.options.cudaReady!().catch(() => false),
        )
      : false;
    // Cancelled while device detection answered: this side never started, and is not kept.
    if (active.cancelled) return null;
    try {
      // Inside the try: a worker that cannot even be started (spawn throws) fails its side, not the sweep.
      const handle = startSweep(
        chooseTransport(this.options, target, cuda ?? false),
        target,
        timing,
        {
          onReady: (engine) => {
            side.engine = engine;
            if (engine.adapter) side.hardware = adapterName(engine.adapter);
            this.listeners.emit({ kind: 'engine', id: active.id, device: target.device, engine });
          },
          onPoint: (point) => {
            side.points.push(point);
            this.listeners.emit({ kind: 'point', id: active.id, device: target.device, point });
          },
        },
        this.options.workerOptions,
      );
      active.handle = handle;
      const outcome = await handle.outcome;
      side.skipped = outcome.skipped;
    } catch (err) {
      // A cancel that had to kill the worker: the sizes it did not reach are skipped, not a failure.
      if (active.cancelled) side.skipped = unreached(timing.batchSizes, side);
      else side.failure = { reason: failureReason(err) };
      if (err instanceof RunFailure && err.engine && !side.engine) side.engine = err.engine;
    } finally {
      active.handle = null;
    }
    return side;
  }

  private report(err: unknown): void {
    (this.options.onError ?? console.error)(err);
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }
}

/** The sizes of a side that no point was timed at, each skipped as 'cancelled' (as the worker says it). */
function unreached(sizes: readonly number[], side: SweepSide): SweepSide['skipped'] {
  const timed = new Set(side.points.map((p) => p.batchSize));
  return sizes.filter((s) => !timed.has(s)).map((batchSize) => ({ batchSize, reason: 'cancelled' }));
}

/** Why a side failed, as a code: the engine's own reason, a worker or page that ended, or its error's message. */
export function failureReason(err: unknown): Reason {
  if (err instanceof RunFailure) {
    const exit = v.safeParse(ExitReasonSchema, err.reason);
    return exit.success ? { code: 'sweep-process-ended', exit: exit.output } : err.reason;
  }
  return reasonOf(err);
}
