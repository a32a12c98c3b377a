import type { CurvePoint, LossWindow, RunRecord } from '../../../electron/shared/ipc-contract';
import { settingsKey } from './speedup';

/** The reference logs the mean loss of every 100 batches. */
export const WINDOW_BATCHES = 100;

/** The step of a 100-batch mean's last batch on the run's x axis (batches finished over the whole run). */
export function windowStep(w: LossWindow, batchesPerEpoch: number): number {
  return (w.epoch - 1) * batchesPerEpoch + w.batch;
}

/** Where a 100-batch mean is drawn: the middle of the batches it averages, where the fine curve had that loss. */
export function windowCenter(w: LossWindow, batchesPerEpoch: number): number {
  return windowStep(w, batchesPerEpoch) - (WINDOW_BATCHES - 1) / 2;
}

/** Merges neighbouring pairs: halves the points, keeps the shape, and keeps the newest point exact. */
export function halve(points: readonly CurvePoint[]): CurvePoint[] {
  const out: CurvePoint[] = [];
  const odd = points.length % 2;
  for (let i = 0; i + 1 < points.length - odd; i += 2) {
    out.push({ step: (points[i].step + points[i + 1].step) / 2, loss: (points[i].loss + points[i + 1].loss) / 2 });
  }
  if (odd) out.push(points[points.length - 1]);
  return out;
}

/** At most `max` points (max >= 2): a long run's curve costs the chart the same as a short one's. */
export function capPoints(points: readonly CurvePoint[], max: number): CurvePoint[] {
  let out = points.slice();
  while (out.length > max) out = halve(out);
  return out;
}

/** Exponential moving average with TensorBoard's debiasing, so the first points are not dragged towards zero. */
export function emaSmooth(points: readonly CurvePoint[], weight = 0.8): CurvePoint[] {
  let ema = 0;
  return points.map((p, i) => {
    ema = ema * weight + (1 - weight) * p.loss;
    return { ...p, loss: ema / (1 - weight ** (i + 1)) };
  });
}

/**
 * The live run's fine curve: raw progress points and their smoothed line, each kept under `max` points.
 * Plain data (no runes): the state module publishes snapshots of it once a frame.
 */
export class LiveCurve {
  raw: CurvePoint[] = [];
  smooth: CurvePoint[] = [];
  private ema = 0;
  private count = 0;

  constructor(
    private readonly max = 1200,
    private readonly weight = 0.8,
  ) {}

  add(step: number, loss: number): void {
    if (!Number.isFinite(loss)) return;
    this.count += 1;
    this.ema = this.ema * this.weight + (1 - this.weight) * loss;
    this.raw.push({ step, loss });
    this.smooth.push({ step, loss: this.ema / (1 - this.weight ** this.count) });
    if (this.raw.length > this.max) this.raw = halve(this.raw);
    if (this.smooth.length > this.max) this.smooth = halve(this.smooth);
  }
}

/** Whether every point of the run's curve carries the loop's clock (rows from before it was recorded do not). */
export function hasTimes(points: readonly CurvePoint[]): boolean {
  return points.length > 0 && points.every((p) => p.ms !== undefined && Number.isFinite(p.ms));
}

/**
 * A stored curve as chart points: x is the step, or the loop's seconds (warm-up excluded, as the timing is defined)
 * on the time axis, where points without a time are left out. y is the smoothed loss.
 */
export function curveXY(points: readonly CurvePoint[], axis: 'batches' | 'time'): { x: number; y: number }[] {
  const smooth = emaSmooth(points);
  if (axis === 'batches') return smooth.map((p) => ({ x: p.step, y: p.loss }));
  return smooth.flatMap((p, i) =>
    points[i].ms === undefined ? [] : [{ x: (points[i].ms as number) / 1000, y: p.loss }],
  );
}

/**
 * The overlay's x axis when the user has not picked one: time when the ticked runs include a CPU run and a GPU run
 * with the same settings (the race: the same curve over batches, different speeds) and all of them were timed.
 */
export function defaultAxis(runs: readonly RunRecord[]): 'batches' | 'time' {
  if (!runs.every((r) => hasTimes(r.curve))) return 'batches';
  const race = runs.some(
    (c) =>
      c.device === 'cpu' && runs.some((g) => g.device === 'gpu' && settingsKey(g.settings) === settingsKey(c.settings)),
  );
  return race ? 'time' : 'batches';
}
