/**
 * What the Scaling view says about a batch-size sweep, as plain functions of its data: the batch sizes typed in,
 * the table's rows, the sentence on where the GPU overtakes the CPU, the progress line and a saved sweep's name.
 */
import type { Device, EngineInfo, SweepRecord, SweepSide } from '../../../electron/shared/ipc-contract';
import { MAX_SWEEP_SIZES } from '../../../electron/shared/schema/sweep';
import { MAX_TRAIN_IMAGES } from '../../../electron/shared/schema/settings';
import { compareSweeps, TUTORIAL_BATCH } from '../../../electron/shared/sweep-ratio';
import { describeReason } from '../../../electron/shared/describe-reason';
import { describeSkipped } from '../../../electron/shared/describe-skipped';
import { language, t } from '../../../electron/shared/i18n';
import { engineLabel, engineName, formatInteger, formatSpeedup, formatWhen } from './format';
import { joinSentences } from './run-figures';

/**
 * The batch sizes in `text` ("16, 64 256"), in the order typed, or what is wrong with them in a sentence: each a
 * whole number from 1 to the training set's size, none twice, 1 to MAX_SWEEP_SIZES of them.
 */
export function parseBatchSizes(text: string): { sizes: number[] } | { problem: string } {
  const words = text.split(/[\s,;]+/).filter((w) => w !== '');
  if (words.length === 0) return { problem: t('scaling.parse.none') };
  if (words.length > MAX_SWEEP_SIZES)
    return { problem: t('scaling.parse.tooMany', { max: MAX_SWEEP_SIZES, count: words.length }) };
  const sizes: number[] = [];
  for (const word of words) {
    const n = /^\d+$/.test(word) ? Number(word) : Number.NaN;
    if (!(n >= 1 && n <= MAX_TRAIN_IMAGES))
      return { problem: t('scaling.parse.notASize', { word, max: formatInteger(MAX_TRAIN_IMAGES) }) };
    if (sizes.includes(n)) return { problem: t('scaling.parse.twice', { size: n }) };
    sizes.push(n);
  }
  return { sizes };
}

/** What is wrong with the batch sizes in `text`, in a sentence; null when they are sizes. */
export function batchSizesProblem(text: string): string | null {
  const parsed = parseBatchSizes(text);
  return 'problem' in parsed ? parsed.problem : null;
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
  const noteAt = (side: SweepSide | null, b: number) => {
    const skipped = side?.skipped.find((p) => p.batchSize === b);
    return skipped ? describeSkipped(skipped) : null;
  };
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
      ? t('scaling.verdict.never', { largest })
      : gpuAheadFrom === ratios[0].batchSize
        ? t('scaling.verdict.everywhere', { from: formatInteger(gpuAheadFrom) })
        : t('scaling.verdict.from', { from: formatInteger(gpuAheadFrom) });
  const at64 =
    atTutorialBatch === null
      ? t('scaling.verdict.tutorialUntimed', { batch: TUTORIAL_BATCH })
      : t('scaling.verdict.tutorial', { batch: TUTORIAL_BATCH, ratio: formatSpeedup(atTutorialBatch) });
  // A software rasteriser stands in for a GPU in tests: its figures must never read as a GPU's.
  const software = gpu?.engine?.adapter?.software ? [t('scaling.verdict.software')] : [];
  return joinSentences([where, at64, ...software]);
}

const deviceName = (device: Device) => (device === 'cpu' ? 'CPU' : 'GPU');

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
  const where = p.engine
    ? engineName(p.engine)
    : p.device === 'gpu'
      ? t('scaling.progress.gpu')
      : t('scaling.progress.cpu');
  return t('scaling.progress.text', { size: formatInteger(size), where, index, total });
}

/** A saved sweep's name: when, and each side's engine, version and machine. */
export function sweepTitle(sweep: SweepRecord): string {
  const sides = sweep.sides.map((s) =>
    s.engine
      ? s.engine.adapter
        ? engineLabel(s.engine)
        : t('scaling.name.engineOn', { engine: engineLabel(s.engine), hardware: s.hardware })
      : t('scaling.name.didNotStart', { device: deviceName(s.device) }),
  );
  return [formatWhen(sweep.startedAt), ...(sides.length > 0 ? sides : [t('scaling.name.nothingTimed')])].join(' · ');
}

/** What a screen reader hears when a sweep ends: "Sweep done. <where the GPU wins>", each failed side's reason. */
export function sweepEndAnnouncement(sweep: SweepRecord): string {
  if (sweep.status === 'cancelled') return t('scaling.announce.cancelled');
  const failed = sweep.sides.flatMap((s) =>
    s.failure
      ? [t('scaling.announce.sideFailed', { device: deviceName(s.device), reason: describeReason(s.failure.reason) })]
      : [],
  );
  const ended = sweep.status === 'done' ? t('scaling.announce.done') : t('scaling.announce.ended');
  return joinSentences([ended, ...failed, sweepVerdict(sweep.sides) ?? '']);
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
  const steps = t('scaling.name.steps', {
    timed: t('scaling.name.timedSteps', { count: timedSteps }),
    warmup: t('scaling.name.warmupSteps', { count: warmupSteps }),
  });
  return [sweepTitle(sweep), steps, ...(sweep.status === 'done' ? [] : [sweepStatus(sweep.status)])].join(' · ');
}

/** A sweep's status in words: "done", "cancelled", "failed". */
export function sweepStatus(status: SweepRecord['status']): string {
  return t(`scaling.status.${status}`);
}

/** What a screen reader hears of the sweep chart: each line's rate at each size it timed. */
export function sweepChartLabel(sides: readonly SweepSide[]): string {
  const lines = sides.map((s) =>
    t('scaling.chart.line', {
      name: sweepLineName(s),
      points:
        s.points
          .map((p) => t('scaling.chart.point', { rate: formatInteger(p.imagesPerSecond), size: p.batchSize }))
          .join(t('scaling.chart.pointSeparator')) || t('scaling.chart.noSizes'),
    }),
  );
  return t('scaling.chart.label', { lines: lines.join(t('scaling.chart.lineSeparator')) });
}

/** A side's line in the chart and its legend: "CPU · tfjs-node", "GPU · …" until its engine is known. */
export function sweepLineName(s: SweepSide): string {
  return `${deviceName(s.device)} · ${s.engine ? engineName(s.engine) : '…'}`;
}

/**
 * `value` with exactly `digits` decimals in the current language's digits and decimal mark, without grouping: what
 * toFixed gives in English ("12.5", "1234"), for milliseconds a step.
 */
export function formatFixed(value: number, digits: number): string {
  return new Intl.NumberFormat(language(), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: false,
  }).format(value);
}

/** A step's time in the Scaling table: "3.42 ms", "12.5 ms", "230 ms". */
export function formatMsPerStep(ms: number): string {
  return t('scaling.table.ms', { ms: formatFixed(ms, ms < 10 ? 2 : ms < 100 ? 1 : 0) });
}
