/**
 * What the Scaling view says about a batch-size sweep, as plain functions of its data: the batch sizes typed in,
 * the table's rows, the sentence on where the GPU overtakes the CPU, the progress line and a saved sweep's name.
 */
import type { Device, EngineInfo, SweepRecord, SweepSide } from '../../../electron/shared/ipc-contract';
import { MAX_SWEEP_SIZES } from '../../../electron/shared/schema/sweep';
import { MAX_TRAIN_IMAGES } from '../../../electron/shared/schema/settings';
import { compareSweeps, TUTORIAL_BATCH } from '../../../electron/shared/sweep-ratio';
import { describeReason } from '../../../electron/shared/describe-reason';
import { engineLabel, engineName, formatInteger, formatSpeedup, formatWhen } from './format';

/**
 * The batch sizes in `text` ("16, 64 256"), in the order typed, or what is wrong with them in a sentence: each a
 * whole number from 1 to the training set's size, none twice, 1 to MAX_SWEEP_SIZES of them.
 */
export function parseBatchSizes(text: string): { sizes: number[] } | { problem: string } {
  const words = text.split(/[\s,;]+/).filter((w) => w !== '');
  if (words.length === 0) return { problem: 'Type at least one batch size.' };
  if (words.length > MAX_SWEEP_SIZES)
    return { problem: `At most ${MAX_SWEEP_SIZES} batch sizes, not ${words.length}.` };
  const sizes: number[] = [];
  for (const word of words) {
    const n = /^\d+$/.test(word) ? Number(word) : Number.NaN;
    if (!(n >= 1 && n <= MAX_TRAIN_IMAGES))
      return {
        problem: `"${word}" is not a batch size: each is a whole number from 1 to ${formatInteger(MAX_TRAIN_IMAGES)}.`,
      };
    if (sizes.includes(n)) return { problem: `${n} is there twice.` };
    sizes.push(n);
  }
  return { sizes };
}

export interface SweepRow {
  batchSize: number;
  cpu: SweepSide['points'][number] | null;
  gpu: SweepSide['points'][number] | null;
  /** GPU images a second over the CPU's, where both timed this size. */
  ratio: number | null;
  /** Why a side has no figure at this size (skipped), when it said. */
  cpuNote: string | null;
  gpuNote: string | null;
}

const sideOf = (sides: readonly SweepSide[], device: Device) => sides.find((s) => s.device === device) ?? null;

/** One row a batch size that either side timed or skipped, smallest first. */
export function sweepRows(sides: readonly SweepSide[]): SweepRow[] {
  const cpu = sideOf(sides, 'cpu');
  const gpu = sideOf(sides, 'gpu');
  const ratios = compareSweeps(cpu?.points ?? [], gpu?.points ?? []).ratios;
  const sizes = new Set(sides.flatMap((s) => [...s.points, ...s.skipped].map((p) => p.batchSize)));
  const pointAt = (side: SweepSide | null, b: number) => side?.points.find((p) => p.batchSize === b) ?? null;
  const noteAt = (side: SweepSide | null, b: number) => side?.skipped.find((p) => p.batchSize === b)?.reason ?? null;
  return [...sizes]
    .sort((a, b) => a - b)
    .map((b) => ({
      batchSize: b,
      cpu: pointAt(cpu, b),
      gpu: pointAt(gpu, b),
      ratio: ratios.find((r) => r.batchSize === b)?.ratio ?? null,
      cpuNote: noteAt(cpu, b),
      gpuNote: noteAt(gpu, b),
    }));
}

/**
 * Where the GPU overtakes the CPU and the ratio at the tutorial's batch of 64, in a sentence or two; null until
 * both sides have timed a size in common.
 */
export function sweepVerdict(sides: readonly SweepSide[]): string | null {
  const cpu = sideOf(sides, 'cpu');
  const gpu = sideOf(sides, 'gpu');
  const { ratios, gpuAheadFrom, atTutorialBatch } = compareSweeps(cpu?.points ?? [], gpu?.points ?? []);
  if (ratios.length === 0) return null;
  const largest = formatInteger(ratios.at(-1)!.batchSize);
  const where =
    gpuAheadFrom === null
      ? `The GPU never overtakes the CPU in the sizes timed (up to a batch of ${largest}).`
      : gpuAheadFrom === ratios[0].batchSize
        ? `The GPU is faster than the CPU at every size timed, from a batch of ${formatInteger(gpuAheadFrom)} on.`
        : `The GPU overtakes the CPU from a batch of ${formatInteger(gpuAheadFrom)} on.`;
  const at64 =
    atTutorialBatch === null
      ? `The tutorial's batch of ${TUTORIAL_BATCH} was not timed on both.`
      : `At the tutorial's batch of ${TUTORIAL_BATCH}, the GPU trains ${formatSpeedup(atTutorialBatch)} the CPU's images a second.`;
  // A software rasteriser stands in for a GPU in tests: its figures must never read as a GPU's.
  const software = gpu?.engine?.adapter?.software
    ? " These are a software adapter's figures (testing only), not a GPU's."
    : '';
  return `${where} ${at64}${software}`;
}

/** "batch 256 on WebGPU, 3 of 8": the size being timed now, counting every size of every side. */
export function progressText(p: {
  sizes: readonly number[];
  devices: readonly Device[];
  sides: readonly SweepSide[];
  device: Device | null;
  engine: SweepSide['engine'];
  doneHere: number;
}): string {
  const total = p.sizes.length * p.devices.length;
  const before = p.sides.length * p.sizes.length;
  const index = Math.min(before + p.doneHere + 1, total);
  const size = p.sizes[Math.min(p.doneHere, p.sizes.length - 1)];
  const where = p.engine ? engineName(p.engine) : p.device === 'gpu' ? 'the GPU' : 'the CPU';
  return `batch ${formatInteger(size)} on ${where}, ${index} of ${total}`;
}

/** A saved sweep's name: when, and each side's engine, version and machine. */
export function sweepTitle(sweep: SweepRecord): string {
  const sides = sweep.sides.map((s) =>
    s.engine
      ? s.engine.adapter
        ? engineLabel(s.engine)
        : `${engineLabel(s.engine)} on ${s.hardware}`
      : `${s.device === 'cpu' ? 'CPU' : 'GPU'} (did not start)`,
  );
  return [formatWhen(sweep.startedAt), ...(sides.length > 0 ? sides : ['nothing timed'])].join(' · ');
}

/** What a screen reader hears when a sweep ends: "Sweep done. <where the GPU wins>", each failed side's reason. */
export function sweepEndAnnouncement(sweep: SweepRecord): string {
  if (sweep.status === 'cancelled') return 'Sweep cancelled';
  const failed = sweep.sides.flatMap((s) =>
    s.failure ? [`${s.device === 'cpu' ? 'CPU' : 'GPU'} sweep failed: ${describeReason(s.failure.reason)}.`] : [],
  );
  return [`Sweep ${sweep.status === 'done' ? 'done' : 'ended'}.`, ...failed, sweepVerdict(sweep.sides) ?? '']
    .filter((part) => part !== '')
    .join(' ');
}

/**
 * A kept sweep as the HTML report draws it: one series an engine that timed something (a side that failed before
 * starting has no engine and is left out). Empty without a sweep.
 */
export function reportSeries(record: SweepRecord | null): { engine: EngineInfo; points: SweepSide['points'] }[] {
  if (!record) return [];
  return record.sides.flatMap((side) =>
    side.engine && side.points.length > 0 ? [{ engine: side.engine, points: side.points }] : [],
  );
}

/**
 * The report's line naming a kept sweep: its title, its steps, and how it ended when it did not finish, so a cancelled
 * or failed sweep's points never read as a whole sweep ("2026-12-03 14:01 · ... · 5 timed steps after 2 warm-up
 * steps a size · cancelled").
 */
export function sweepReportNote(sweep: SweepRecord): string {
  const { timedSteps, warmupSteps } = sweep.request;
  const steps = `${timedSteps} timed step${timedSteps === 1 ? '' : 's'} after ${warmupSteps} warm-up step${warmupSteps === 1 ? '' : 's'} a size`;
  return [sweepTitle(sweep), steps, ...(sweep.status === 'done' ? [] : [sweep.status])].join(' · ');
}
