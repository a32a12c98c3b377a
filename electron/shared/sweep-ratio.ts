/**
 * What a CPU sweep and a GPU sweep (training/core/sweep.ts) say together: the GPU-over-CPU ratio of images a second
 * at each batch size both timed, where the GPU first trains faster, and the ratio at the tutorial's batch of 64.
 * No Node imports: the renderer's Scaling view and the CLI both word these figures.
 */

/** The figures of one timed batch size that a comparison needs. */
export interface RatePoint {
  batchSize: number;
  imagesPerSecond: number;
}

export interface SweepRatio {
  batchSize: number;
  /** GPU images a second over CPU images a second: above 1, the GPU is faster. */
  ratio: number;
}

export interface SweepComparison {
  /** One entry a batch size both sweeps timed, ascending. */
  ratios: SweepRatio[];
  /** The smallest shared batch size from which on the GPU is faster at every larger shared size; null if none. */
  gpuAheadFrom: number | null;
  /** The ratio at a batch of 64, the tutorial's, where both timed it. */
  atTutorialBatch: number | null;
}

export const TUTORIAL_BATCH = 64;

export function compareSweeps(cpu: readonly RatePoint[], gpu: readonly RatePoint[]): SweepComparison {
  const cpuRate = new Map(cpu.map((p) => [p.batchSize, p.imagesPerSecond]));
  const ratios = gpu
    .filter((p) => cpuRate.has(p.batchSize) && cpuRate.get(p.batchSize)! > 0)
    .map((p) => ({ batchSize: p.batchSize, ratio: p.imagesPerSecond / cpuRate.get(p.batchSize)! }))
    .sort((a, b) => a.batchSize - b.batchSize);
  // From the largest size down: the run of sizes where the GPU leads, so a lucky small size does not count.
  let gpuAheadFrom: number | null = null;
  for (let i = ratios.length - 1; i >= 0 && ratios[i].ratio > 1; i--) gpuAheadFrom = ratios[i].batchSize;
  const atTutorialBatch = ratios.find((r) => r.batchSize === TUTORIAL_BATCH)?.ratio ?? null;
  return { ratios, gpuAheadFrom, atTutorialBatch };
}
