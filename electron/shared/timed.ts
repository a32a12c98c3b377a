/**
 * Whether a run's figures measured anything: one rule for every place that shows them (the renderer's panels, the
 * history's CSV), the CLI's rule (training/cli/report.ts: "n/a" for a run that timed no batch).
 */
import type { RunRecord } from './ipc-contract';

/**
 * Whether a run's timings measured any training: the first batch is the untimed warm-up, so a run of one batch, or
 * one stopped before its second, timed nothing, and its rate (0 img/s) and times (~0 s) are not measurements.
 * Rows from before rates were stored (imagesPerSecond null) count as timed when their loop took any time.
 */
export function timedTraining(r: Pick<RunRecord, 'timings' | 'imagesPerSecond'>): boolean {
  const ms = r.timings?.trainingMs;
  if (ms === undefined || ms === null || !Number.isFinite(ms) || ms <= 0) return false;
  return r.imagesPerSecond === null || (Number.isFinite(r.imagesPerSecond) && r.imagesPerSecond > 0);
}
