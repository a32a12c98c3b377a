import type {
  Device,
  SweepEvent,
  SweepRecord,
  SweepSide,
  SweepStartResult,
} from '../../../electron/shared/ipc-contract';
import { describeReason } from '../../../electron/shared/describe-reason';
import { t } from '../../../electron/shared/i18n';
import { DEFAULT_BATCH_SIZES } from '../../../electron/shared/schema/sweep';
import { api } from '../lib/api';
import { errorMessage } from '../lib/format';
import { batchSizesProblem, parseBatchSizes, sweepEndAnnouncement } from '../lib/sweep-view';
import { announcer } from './announcer.svelte';
import { notices } from './notices.svelte';
import { settings } from './settings.svelte';

/** The sweep going on now, as its events have told it. */
export interface LiveSweep {
  id: string;
  phase: 'waiting' | 'timing' | 'cancelling';
  sizes: number[];
  devices: Device[];
  /** The sides finished so far. */
  sides: SweepSide[];
  /** The side being timed, its points so far. */
  current: SweepSide | null;
}

/** Timed steps and warm-up steps a size: the CLI's defaults, enough for a steady median. */
export const TIMED_STEPS = 5;
export const WARMUP_STEPS = 2;

class Sweeps {
  saved = $state.raw<SweepRecord[]>([]);
  /** What main said about the saved sweeps' file. */
  notice = $state<string | null>(null);
  live = $state.raw<LiveSweep | null>(null);
  /** The saved sweep on show when none is going on; the newest when null. */
  shownId = $state<string | null>(null);
  sizesText = $state(DEFAULT_BATCH_SIZES.join(', '));
  onCpu = $state(true);
  onGpu = $state(true);
  requesting = $state(false);
  /**
   * Why the last start did not happen (a refusal, sizes that are not sizes), worded when shown: this state outlives
   * the page that a language switch builds again, and the words must not.
   */
  error = $state.raw<(() => string) | null>(null);

  /** The sides to show: the live sweep's, else the chosen saved sweep's. */
  shown = $derived.by((): { sides: SweepSide[]; record: SweepRecord | null } | null => {
    if (this.live) {
      const { sides, current } = this.live;
      return { sides: current ? [...sides, current] : sides, record: null };
    }
    const record = this.saved.find((s) => s.id === this.shownId) ?? this.saved[0];
    return record ? { sides: record.sides, record } : null;
  });

  async load(): Promise<void> {
    try {
      const list = await api.listSweeps();
      this.saved = list.sweeps;
      this.notice = list.notice;
    } catch (err) {
      this.notice = t('scaling.errors.notRead', { error: errorMessage(err) });
    }
  }

  connect(): () => void {
    return api.onSweepEvent((event) => this.apply(event));
  }

  async start(): Promise<void> {
    const parsed = parseBatchSizes(this.sizesText);
    const devices: Device[] = [...(this.onCpu ? ['cpu' as const] : []), ...(this.onGpu ? ['gpu' as const] : [])];
    if ('problem' in parsed) {
      const typed = this.sizesText;
      return void (this.error = () => batchSizesProblem(typed) ?? '');
    }
    if (devices.length === 0) return void (this.error = () => t('scaling.errors.noDevice'));
    this.requesting = true;
    this.error = null;
    let result: SweepStartResult;
    try {
      result = await api.startSweep({
        batchSizes: parsed.sizes,
        timedSteps: TIMED_STEPS,
        warmupSteps: WARMUP_STEPS,
        devices,
        gpuEngine: settings.gpuEngine,
      });
      if (!result.started) {
        const { reason } = result;
        this.error = () => t('scaling.errors.refused', { reason: describeReason(reason) });
      }
    } catch (err) {
      this.error = () => t('scaling.errors.notStarted', { error: errorMessage(err) });
    } finally {
      this.requesting = false;
    }
  }

  async cancel(): Promise<void> {
    const live = this.live;
    if (!live) return;
    this.live = { ...live, phase: 'cancelling' };
    try {
      await api.cancelSweep({ id: live.id });
    } catch (err) {
      notices.push('error', () => t('scaling.errors.notCancelled'), errorMessage(err), `sweep-cancel:${live.id}`);
    }
  }

  private apply(event: SweepEvent): void {
    const live = this.live?.id === event.id ? this.live : null;
    switch (event.kind) {
      case 'waiting':
      case 'started':
        this.live = {
          id: event.id,
          phase: live?.phase === 'cancelling' ? 'cancelling' : event.kind === 'waiting' ? 'waiting' : 'timing',
          sizes: event.request.batchSizes,
          devices: event.devices,
          sides: live?.sides ?? [],
          current: live?.current ?? null,
        };
        break;
      case 'engine':
        if (live) this.live = { ...live, current: { ...this.current(live, event.device), engine: event.engine } };
        break;
      case 'point':
        if (live) {
          const current = this.current(live, event.device);
          this.live = { ...live, current: { ...current, points: [...current.points, event.point] } };
        }
        break;
      case 'side':
        if (live) this.live = { ...live, sides: [...live.sides, event.side], current: null };
        break;
      case 'finished':
        this.live = null;
        this.saved = [event.record, ...this.saved.filter((s) => s.id !== event.id)];
        this.shownId = event.id;
        announcer.say(sweepEndAnnouncement(event.record));
        if (event.unsaved)
          notices.push('error', () => t('scaling.errors.notSaved'), event.unsaved, `sweep:${event.id}`);
        break;
    }
  }

  /** The side `device` being timed, begun when it is new. */
  private current(live: LiveSweep, device: Device): SweepSide {
    return live.current?.device === device
      ? live.current
      : { device, engine: null, hardware: '', points: [], skipped: [] };
  }
}

export const sweeps = new Sweeps();
