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
 * - Stuck at chance: the mean of the 5th 100-batch window (500 batches in) still within 2% of ln 10 (at or above
 *   2.257). The tutorial's settings are near 0.4 there; a run still at chance has stalled (dead ReLUs after a too
 *   large step, or a learning rate too small to move). Measured: learning rate 1 never explodes but sits at
 *   2.33-2.37 for its first 500 batches. Runs shorter than 500 batches are never judged stuck: their early windows
 *   sit near chance by nature (the tutorial's first is 2.268).
 */
export const CHANCE_LOSS = Math.log(10);
export const EXPLODED_LOSS = 10 * CHANCE_LOSS;
export const STUCK_LOSS = 0.98 * CHANCE_LOSS;
export const WINDOWS_TO_LEARN = 5;

export interface Where {
  epoch: number;
  batch: number;
}

/** The reason a run exploded, or null: `meanLoss` is the mean over the batches read since the last check. */
export function explosion(meanLoss: number, at: Where): string | null {
  if (Number.isFinite(meanLoss) && meanLoss <= EXPLODED_LOSS) return null;
  const what = Number.isNaN(meanLoss) ? 'became NaN' : !Number.isFinite(meanLoss) ? 'became infinite'
    : `reached ${meanLoss.toPrecision(3)}, more than 10 x ln 10 = ${EXPLODED_LOSS.toFixed(1)}`;
  return `training diverged: the loss ${what} at epoch ${at.epoch}, batch ${at.batch}: try a lower learning rate`;
}

/**
 * The reason a run is stuck at chance, or null. `windowIndex` counts the run's 100-batch windows from 1; only the
 * WINDOWS_TO_LEARN-th is judged.
 */
export function stuckAtChance(windowIndex: number, meanLoss: number, at: Where): string | null {
  if (windowIndex !== WINDOWS_TO_LEARN || meanLoss < STUCK_LOSS) return null;
  return `training is not learning: the mean loss of batches ${at.batch - 99}-${at.batch} of epoch ${at.epoch} is ` +
    `${meanLoss.toFixed(3)}, still chance level (ln 10 = ${CHANCE_LOSS.toFixed(3)}) after ` +
    `${WINDOWS_TO_LEARN * 100} batches: try another learning rate`;
}
