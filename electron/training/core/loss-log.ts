/**
 * The run's losses, as the reference logs them (shared/REFERENCE.md): each step's loss stays on the device until a
 * report reads all of them in one sync; the mean of every 100 batches of an epoch is a window, the epoch's mean is
 * its summary, and each reading is checked for divergence (divergence.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { explosion, stuckAtChance } from './divergence';
import type { Reason } from '../../shared/reasons';
import type { LossWindow } from '../../shared/schema/results';

export const LOG_EVERY = 100; // the reference prints the mean loss of every 100 batches

/** Losses a run has trained but not read yet, wherever they wait: tfjs scalars, or a GPU buffer (the fused step). */
export interface PendingLosses {
  /** Steps whose losses wait unread. */
  readonly count: number;
  /** The waiting losses in step order, read in one sync; they wait no more. */
  take(): Promise<Float32Array>;
  dispose(): void;
}

/** Each step's loss as the tfjs scalar its optimizer returned, stacked and read in one sync. */
class ScalarLosses implements PendingLosses {
  private scalars: tf.Scalar[] = [];

  add(loss: tf.Scalar): void {
    this.scalars.push(loss);
  }

  get count(): number {
    return this.scalars.length;
  }

  async take(): Promise<Float32Array> {
    const stacked = tf.stack(this.scalars);
    const values = (await stacked.data()) as Float32Array;
    tf.dispose([stacked, ...this.scalars]);
    this.scalars = [];
    return values;
  }

  dispose(): void {
    tf.dispose(this.scalars);
    this.scalars = [];
  }
}

export class LossLog {
  private readonly pending: PendingLosses;
  private readonly scalars: ScalarLosses | null = null;
  private epochSum = 0;
  private windowSum = 0;
  private windowCount = 0;
  readonly windows: LossWindow[] = [];
  /** The last batch's loss read so far; null before the first report. */
  finalLoss: number | null = null;

  /** `pending`: where the losses wait; tfjs scalars given to add() by default. */
  constructor(pending?: PendingLosses) {
    this.pending = pending ?? (this.scalars = new ScalarLosses());
  }

  /** A step's loss, kept on the device until the next read. Throws for a log whose losses wait elsewhere. */
  add(loss: tf.Scalar): void {
    if (!this.scalars) throw new Error('this loss log reads its losses from where its steps left them');
    this.scalars.add(loss);
  }

  get hasPending(): boolean {
    return this.pending.count > 0;
  }

  startEpoch(): void {
    this.epochSum = 0;
    this.windowSum = 0;
    this.windowCount = 0;
  }

  /**
   * Reads the losses of the steps since the last read (one device sync) and adds them up as of `batch` of `epoch`.
   * Returns their mean, the 100-batch window closed at a log mark (`atLogMark`), and why the run diverged, if it did:
   * a reading that exploded is not added to the sums.
   */
  async read(
    epoch: number,
    batch: number,
    atLogMark: boolean,
  ): Promise<{ meanLoss: number; window: LossWindow | null; diverged: Reason | null }> {
    const values = await this.pending.take();
    let sum = 0;
    for (const v of values) sum += v;
    const meanLoss = sum / values.length;
    const exploded = explosion(meanLoss, { epoch, batch });
    if (exploded) return { meanLoss, window: null, diverged: exploded };
    this.epochSum += sum;
    this.windowSum += sum;
    this.windowCount += values.length;
    this.finalLoss = values[values.length - 1];
    if (!atLogMark) return { meanLoss, window: null, diverged: null };
    // The reference's window: running_loss over exactly the last 100 batches of this epoch.
    const window = { epoch, batch, meanLoss: this.windowSum / this.windowCount };
    this.windows.push(window);
    this.windowSum = 0;
    this.windowCount = 0;
    return { meanLoss, window, diverged: stuckAtChance(this.windows) };
  }

  /** The epoch's mean batch loss over its `batches` batches. */
  epochMean(batches: number): number {
    return this.epochSum / batches;
  }

  dispose(): void {
    this.pending.dispose();
  }
}
