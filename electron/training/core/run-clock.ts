/**
 * The run's clock. The first batch (shader compilation, kernel set-up) is the warm-up and is timed apart; training
 * time, rate and ETA count from its end, and so does epoch 1's time, so the epochs add up to the training time.
 */

/** The most often progress is reported, ms (besides every 100-batch mark and an epoch's last batch). */
export const PROGRESS_INTERVAL_MS = 250;

export class RunClock {
  private readonly start = performance.now();
  private loopStart = 0;
  private lastReport = 0;
  private epochStart = 0;
  /** The warm-up batch's time, ms, from the clock's start to its first report. */
  warmupMs = 0;
  /** Images trained after the warm-up batch: the run's and this epoch's. */
  imagesTimed = 0;
  epochImages = 0;

  /** Ends the warm-up: called at the first report, once the first batch's loss is read (its work is done). */
  warmedUp(): void {
    this.warmupMs = performance.now() - this.start;
    this.loopStart = performance.now();
  }

  /** `size` images trained in step `step` (1-based): the warm-up step's are not timed. */
  trained(step: number, size: number): void {
    if (step === 1) return;
    this.imagesTimed += size;
    this.epochImages += size;
  }

  startEpoch(): void {
    this.epochStart = performance.now();
    this.epochImages = 0;
  }

  /** Whether a report is due by time alone: PROGRESS_INTERVAL_MS since the last one. */
  reportDue(): boolean {
    return performance.now() - this.lastReport >= PROGRESS_INTERVAL_MS;
  }

  /**
   * Marks a report at `step` of `totalSteps` and gives its figures: ms of training so far (0 at the warm-up step),
   * images a second over it (0 before any), and the ETA in ms from the mean step time after the warm-up.
   */
  report(step: number, totalSteps: number): { elapsedMs: number; imagesPerSecond: number; etaMs: number } {
    this.lastReport = performance.now();
    const elapsedMs = step === 1 ? 0 : this.lastReport - this.loopStart;
    const timedSteps = step - 1;
    return {
      elapsedMs,
      imagesPerSecond: elapsedMs > 0 ? this.imagesTimed / (elapsedMs / 1000) : 0,
      etaMs: timedSteps > 0 ? (elapsedMs / timedSteps) * (totalSteps - step) : 0,
    };
  }

  /** This epoch's ms and images a second; epoch 1's clock starts after the warm-up batch. */
  epoch(epoch: number): { ms: number; imagesPerSecond: number } {
    const ms = performance.now() - (epoch === 1 && this.loopStart > 0 ? this.loopStart : this.epochStart);
    return { ms, imagesPerSecond: ms > 0 ? this.epochImages / (ms / 1000) : 0 };
  }

  /** The training time in ms: from the end of the warm-up to now; 0 for a run that ended before it. */
  trainingMs(): number {
    return this.loopStart > 0 ? performance.now() - this.loopStart : 0;
  }
}
