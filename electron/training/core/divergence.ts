/**
 * When a run has stopped learning, so it ends 'diverged' instead of 'done'. The rule rests on one fact of softmax
 * cross-entropy over 10 classes: a network that knows nothing, like a freshly initialised one, scores ln 10 = 2.303
 * (the tutorial's first 100 batches average 2.268; see shared/REFERENCE.md).
 *
 * - Exploded: a mean loss that is not finite, or above 10 x ln 10 = 23.0. That is a network giving the right digit a
 *   probability below e^-23 (about 1e-10) on average: confidently wrong, which only weights that have blown up
 *   produce. Measured on 600 batches of 64 with the tutorial's momentum 0.9 (wasm engine): at learning rates 0.05
 *   and 0.1 no reading of the loss exceeds 2.31 (they learn: 0.07-0.11 by batch 600); at 0.5 it reaches 1.2e5 by
 *   batch 16, at 10 it passes 23 at batch 2 (and would reach 1.7e24 by batch 100).
 * - Stuck at chance: from the 5th 100-batch window on (500 batches in), a window still within 2% of ln 10 (at or
 *   above 2.257) and no lower than the best of the 4 before it: at chance and no longer falling. The tutorial's
 *   settings are near 0.4 there; a run still at chance has stalled (dead ReLUs after a too large step). Measured:
 *   learning rate 1 never explodes but sits at 2.33-2.37 (windows 2.368 2.332 2.338 2.339 2.336: stopped at the
 *   5th), while 0.0001, ten times slower than the tutorial, is still near chance at 500 batches but falling
 *   (2.303 2.291 2.279 2.269 2.257): it goes on. Runs shorter than 500 batches are never judged stuck: their early
 *   windows sit near chance by nature (the tutorial's first is 2.268).
 */
import type { LossWindow } from '../../shared/schema/results';
import type { Reason } from '../../shared/reasons';

export const CHANCE_LOSS = Math.log(10);
export const EXPLODED_LOSS = 10 * CHANCE_LOSS;
export const STUCK_LOSS = 0.98 * CHANCE_LOSS;
export const WINDOWS_TO_LEARN = 5;

export interface Where {
  epoch: number;
  batch: number;
}

/** The reason a run exploded ('loss-exploded'), or null: `meanLoss` is the mean over the batches read since the last check. */
export function explosion(meanLoss: number, at: Where): Reason | null {
  if (Number.isFinite(meanLoss) && meanLoss <= EXPLODED_LOSS) return null;
  // NaN and Infinity as words: a history row is JSON, which would write either as null.
  const loss = Number.isNaN(meanLoss) ? 'NaN' : Number.isFinite(meanLoss) ? meanLoss : 'Infinity';
  return { code: 'loss-exploded', epoch: at.epoch, batch: at.batch, loss, limit: EXPLODED_LOSS };
}

/** The reason a run is stuck at chance ('loss-stuck'), or null; judges the last of the run's 100-batch windows so far. */
export function stuckAtChance(windows: readonly LossWindow[]): Reason | null {
  const n = windows.length;
  if (n < WINDOWS_TO_LEARN) return null;
  const last = windows[n - 1];
  const bestBefore = Math.min(...windows.slice(n - WINDOWS_TO_LEARN, n - 1).map((w) => w.meanLoss));
  if (last.meanLoss < STUCK_LOSS || last.meanLoss < bestBefore) return null;
  return {
    code: 'loss-stuck',
    epoch: last.epoch,
    fromBatch: last.batch - 99,
    toBatch: last.batch,
    meanLoss: last.meanLoss,
    chance: CHANCE_LOSS,
    batchesBefore: (WINDOWS_TO_LEARN - 1) * 100,
  };
}
