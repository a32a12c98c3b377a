import type {
  CurvePoint,
  Device,
  EngineInfo,
  EpochSummary,
  Progress,
  QueueState,
  RunRecord,
  TrainingEvent,
} from '../../../electron/shared/ipc-contract';
import { t } from '../../../electron/shared/i18n';
import { api } from '../lib/api';
import { LiveCurve, halve, windowCenter } from '../lib/curve';
import { deviceLabel, errorMessage } from '../lib/format';
import { createFrameScheduler } from '../lib/frame';
import { history } from './history.svelte';
import { notices } from './notices.svelte';
import { settings } from './settings.svelte';

export type LivePhase = 'starting' | 'training' | 'evaluating' | 'finished';

/** What the live panels draw: an immutable snapshot, replaced at most once a frame. */
export interface LiveSnapshot {
  id: string;
  device: Device;
  engine: EngineInfo | null;
  progress: Progress | null;
  phase: LivePhase;
  windows: CurvePoint[];
  raw: CurvePoint[];
  smooth: CurvePoint[];
  epochs: EpochSummary[];
}

const MAX_POINTS = 1200;

/** Notices about a start or compare request that main refused. */
const START_TOPIC = 'start';
const cancelTopic = (id: string) => `cancel:${id}`;

/** The run being trained, as plain mutable data: events land here, the UI sees snapshots of it. */
class LiveRun {
  engine: EngineInfo | null = null;
  progress: Progress | null = null;
  phase: LivePhase = 'starting';
  windows: CurvePoint[] = [];
  epochs: EpochSummary[] = [];
  curve = new LiveCurve(MAX_POINTS);
  constructor(
    readonly id: string,
    readonly device: Device,
  ) {}

  snapshot(): LiveSnapshot {
    return {
      id: this.id,
      device: this.device,
      engine: this.engine,
      progress: this.progress,
      phase: this.phase,
      windows: this.windows.slice(),
      raw: this.curve.raw.slice(),
      smooth: this.curve.smooth.slice(),
      epochs: this.epochs.slice(),
    };
  }
}

class Training {
  queue = $state.raw<QueueState>({ running: null, queued: [] });
  live = $state.raw<LiveSnapshot | null>(null);
  /** The last run that finished while this window watched it. */
  result = $state.raw<RunRecord | null>(null);
  /** A start or compare request is on its way to main. */
  requesting = $state(false);
  /** The last comparison's runs, CPU then GPU: Results shows how far apart they ended once the second finishes. */
  pair = $state.raw<[string, string] | null>(null);

  private current: LiveRun | null = null;
  private readonly frame = createFrameScheduler(
    () => (this.live = this.current ? this.current.snapshot() : null),
    (cb) => requestAnimationFrame(cb),
  );

  /** Subscribes to main's training events; returns the unsubscribe, for an `$effect`. */
  connect(): () => void {
    const off = api.onTrainingEvent((ev) => this.handle(ev));
    api.getQueue().then(
      (q) => (this.queue = q),
      () => {},
    );
    return off;
  }

  handle(ev: TrainingEvent): void {
    switch (ev.kind) {
      case 'queued':
        this.queue = ev.queue;
        return;
      case 'started':
        // A run is under way: an earlier "could not start" no longer describes what the user sees.
        notices.clear(START_TOPIC);
        this.queue = ev.queue;
        this.current = new LiveRun(ev.id, ev.device);
        this.live = this.current.snapshot();
        void history.refresh();
        return;
      case 'finished':
        notices.clear(cancelTopic(ev.id));
        this.queue = ev.queue;
        if (this.current?.id === ev.id) {
          this.current.phase = 'finished';
          this.result = ev.record;
          this.live = this.current.snapshot();
        }
        history.upsert(ev.record);
        // Main could not write the row: its banner says why and what to do.
        if (ev.record.unsaved) void history.refresh();
        return;
    }
    const run = this.current;
    if (!run || run.id !== ev.id) return;
    switch (ev.kind) {
      case 'engine':
        run.engine = ev.engine;
        break;
      case 'progress':
        run.progress = ev.progress;
        run.phase = ev.progress.step >= ev.progress.totalSteps ? 'evaluating' : 'training';
        run.curve.add(ev.progress.step, ev.progress.loss);
        break;
      case 'loss-window': {
        const perEpoch = run.progress?.batchesPerEpoch ?? 0;
        run.windows.push({ step: windowCenter(ev.window, perEpoch), loss: ev.window.meanLoss });
        if (run.windows.length > MAX_POINTS) run.windows = halve(run.windows);
        break;
      }
      case 'epoch':
        run.epochs.push(ev.summary);
        break;
    }
    this.frame.schedule();
  }

  async start(device: Device): Promise<void> {
    const request = settings.request;
    if (!request) return;
    await this.request(
      async () => {
        // The GPU engine choice belongs to GPU runs only.
        const { gpuEngine, ...common } = request;
        const { queue } = await api.startTraining(
          device === 'gpu' ? { ...common, gpuEngine, device } : { ...common, device },
        );
        this.queue = queue;
      },
      () => t('progress.couldNotStart', { device: deviceLabel(device) }),
    );
  }

  async compare(): Promise<void> {
    const request = settings.request;
    if (!request) return;
    await this.request(
      async () => {
        const { ids, queue } = await api.compare(request);
        this.queue = queue;
        this.pair = ids.length === 2 ? [ids[0], ids[1]] : null;
      },
      () => t('progress.comparisonCouldNotStart'),
    );
  }

  /** Asks main to cancel run `id`, running or queued; false (and a notice) when main refused. */
  async cancel(id: string): Promise<boolean> {
    try {
      await api.cancelTraining({ id });
      return true;
    } catch (err) {
      notices.push('error', () => t('progress.cancelFailed'), errorMessage(err), cancelTopic(id));
      return false;
    }
  }

  /** `failure`: the notice's title, worded each time it is drawn (the language may change while it shows). */
  private async request(send: () => Promise<void>, failure: () => string): Promise<void> {
    this.requesting = true;
    try {
      await send();
      notices.clear(START_TOPIC);
    } catch (err) {
      notices.push('error', failure, errorMessage(err), START_TOPIC);
    } finally {
      this.requesting = false;
    }
  }
}

export const training = new Training();
