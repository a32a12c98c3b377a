/**
 * How far two runs of the same settings and seed ended apart, typically one on the CPU and one on the GPU: the
 * largest absolute difference in each weight tensor, the largest gap between their loss curves, and each one's test
 * accuracy. Engines sum in different orders (threads, tiles, fused kernels), so float32 results differ in their last
 * bits and the gaps grow over a run; a gap of the size of the weights themselves means the engines do not compute
 * the same thing (tfjs#2837 reports GPU results "way off"). No Node imports: the renderer words these figures.
 */
import type { NamedTensor } from '../training/core/weights';
import { RESULT_KEYS } from './schema/settings';

/** The settings that decide a run's numbers; two runs agree in these or their comparison says nothing. */
export const DETERMINING_SETTINGS = RESULT_KEYS;

export interface TensorGap {
  name: string;
  /** max |a - b| over the tensor's values. */
  maxAbsDiff: number;
  /** max |a| over the first run's values, for scale. */
  maxAbs: number;
}

export interface LossGap {
  /** Where the gap is largest: the reference's 100-batch window (epoch, batch). */
  epoch: number;
  batch: number;
  /** |mean loss a - mean loss b| there. */
  gap: number;
  /** Windows both runs logged. */
  windows: number;
}

/** The comparable part of a run: its settings, its 100-batch loss windows and its test accuracy. */
export interface RunFigures {
  settings: Partial<Record<(typeof DETERMINING_SETTINGS)[number], unknown>>;
  lossWindows: readonly { epoch: number; batch: number; meanLoss: number }[];
  accuracy: number | null;
}

export interface Agreement {
  /** The settings that differ between the runs, by key; empty when the comparison is like for like. */
  differentSettings: string[];
  /** One entry a weight tensor, in the network's order. */
  weights: TensorGap[];
  /** The largest of the tensors' maxAbsDiff. */
  maxWeightDiff: number;
  /** null when the runs logged no window in common (runs under 100 batches). */
  loss: LossGap | null;
  accuracy: [number | null, number | null];
}

/** Per-tensor gaps of two weight sets of the network. Throws if the sets are not of the same tensors. */
export function compareWeights(a: readonly NamedTensor[], b: readonly NamedTensor[]): TensorGap[] {
  if (a.length !== b.length) throw new Error(`the runs have ${a.length} and ${b.length} weight tensors`);
  return a.map((t, i) => {
    const u = b[i];
    if (t.name !== u.name || t.data.length !== u.data.length)
      throw new Error(`weight ${i} is ${t.name} in one run and ${u.name} in the other`);
    let maxAbsDiff = 0;
    let maxAbs = 0;
    for (let k = 0; k < t.data.length; k++) {
      const d = Math.abs(t.data[k] - u.data[k]);
      // NaN in either (a diverged run) is the largest difference there is.
      if (!(d <= maxAbsDiff)) maxAbsDiff = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
      maxAbs = Math.max(maxAbs, Math.abs(t.data[k]));
    }
    return { name: t.name, maxAbsDiff, maxAbs };
  });
}

/** The largest gap between the loss windows both runs logged at the same (epoch, batch); null if none. */
export function compareLoss(a: RunFigures['lossWindows'], b: RunFigures['lossWindows']): LossGap | null {
  const other = new Map(b.map((w) => [`${w.epoch}:${w.batch}`, w.meanLoss]));
  let worst: LossGap | null = null;
  let windows = 0;
  for (const w of a) {
    const m = other.get(`${w.epoch}:${w.batch}`);
    if (m === undefined) continue;
    windows++;
    const gap = Math.abs(w.meanLoss - m);
    const g = Number.isNaN(gap) ? Number.POSITIVE_INFINITY : gap;
    if (!worst || g > worst.gap) worst = { epoch: w.epoch, batch: w.batch, gap: g, windows: 0 };
  }
  return worst && { ...worst, windows };
}

/** The determining settings in which two runs differ, in DETERMINING_SETTINGS's order; empty when they match. */
export function differingSettings(a: RunFigures['settings'], b: RunFigures['settings']): string[] {
  return DETERMINING_SETTINGS.filter((key) => a[key] !== b[key]);
}

export function compareRuns(
  a: RunFigures,
  b: RunFigures,
  weightsA: readonly NamedTensor[],
  weightsB: readonly NamedTensor[],
): Agreement {
  const weights = compareWeights(weightsA, weightsB);
  return {
    differentSettings: differingSettings(a.settings, b.settings),
    weights,
    maxWeightDiff: Math.max(...weights.map((w) => w.maxAbsDiff)),
    loss: compareLoss(a.lossWindows, b.lossWindows),
    accuracy: [a.accuracy, b.accuracy],
  };
}
