import type { RunRecord, SweepRecord, TrainRequest } from '../../../electron/shared/ipc-contract';
import { compareSweeps } from '../../../electron/shared/sweep-ratio';
import { t } from '../../../electron/shared/i18n';
import { RESULT_KEYS } from '../../../electron/shared/schema/settings';
import { engineLabel, formatSpeedup } from './format';
import { timedTraining } from './run-figures';

/** Runs are comparable when every setting that decides their numbers matches (all but where they train). */
export function settingsKey(s: TrainRequest): string {
  return JSON.stringify(RESULT_KEYS.map((key) => (s as Partial<Record<string, unknown>>)[key] ?? null));
}

export type Speedup =
  | {
      kind: 'ratio';
      /** CPU training time over GPU training time. */
      factor: number;
      label: string;
      /** GPU images per second over CPU images per second; null when a run lacks the figure. */
      throughputFactor: number | null;
      gpu: RunRecord;
      cpu: RunRecord;
    }
  | { kind: 'need-gpu'; message: string; cpu: RunRecord | null }
  | { kind: 'need-cpu'; message: string; gpu: RunRecord };

/** A run's loop time, when it timed a batch: a one-batch run's ~0 ms would make any ratio. */
function trainingMs(r: RunRecord): number | null {
  return timedTraining(r) ? (r.timings as NonNullable<RunRecord['timings']>).trainingMs : null;
}

function rate(r: RunRecord): number | null {
  const v = r.imagesPerSecond;
  return v !== null && Number.isFinite(v) && v > 0 ? v : null;
}

/** A software rasteriser stands in for a GPU in tests; its times must never pass for a GPU's. */
const onSoftwareAdapter = (r: RunRecord): boolean => r.engine?.adapter?.software === true;

const newestFirst = (a: RunRecord, b: RunRecord) => Date.parse(b.startedAt) - Date.parse(a.startedAt);

/**
 * The headline: how many times faster the GPU trained than the CPU, for the newest finished GPU run that has a
 * finished CPU run with the same settings (the newest such CPU run). Training-loop time, like the reference's
 * "Training took"; images per second compared alongside. Runs on a software adapter never count.
 */
export function computeSpeedup(records: readonly RunRecord[]): Speedup {
  const done = records.filter((r) => r.status === 'done' && trainingMs(r) !== null).sort(newestFirst);
  const gpuRuns = done.filter((r) => r.device === 'gpu' && !onSoftwareAdapter(r));
  const cpuRuns = done.filter((r) => r.device === 'cpu');
  if (gpuRuns.length === 0) {
    const software = done.find((r) => r.device === 'gpu' && onSoftwareAdapter(r));
    return {
      kind: 'need-gpu',
      cpu: cpuRuns[0] ?? null,
      message: software
        ? t('history.speedup.software', { engine: engineLabel(software.engine) })
        : cpuRuns.length === 0
          ? t('history.speedup.needBoth')
          : t('history.speedup.needGpu'),
    };
  }
  for (const gpu of gpuRuns) {
    const cpu = cpuRuns.find((c) => settingsKey(c.settings) === settingsKey(gpu.settings));
    if (cpu) {
      const factor = (trainingMs(cpu) as number) / (trainingMs(gpu) as number);
      const cpuRate = rate(cpu);
      const gpuRate = rate(gpu);
      const throughputFactor = cpuRate !== null && gpuRate !== null ? gpuRate / cpuRate : null;
      return { kind: 'ratio', factor, label: formatSpeedup(factor), throughputFactor, gpu, cpu };
    }
  }
  return {
    kind: 'need-cpu',
    gpu: gpuRuns[0],
    message: t('history.speedup.needCpu'),
  };
}

/**
 * What the newest sweep that timed both the CPU and a hardware GPU at `batchSize`, on the same engines as the runs
 * compared (`engines`: the CPU run's and the GPU run's engine names), measured there: the GPU's images a second over
 * the CPU's. A sweep of other engines says nothing about these runs. `sweeps` newest first, as main lists them; null
 * when none timed that size on both.
 */
export function sweepRatioAt(
  sweeps: readonly SweepRecord[],
  batchSize: number,
  engines: { cpu: string | undefined; gpu: string | undefined },
): { ratio: number; sweep: SweepRecord } | null {
  for (const sweep of sweeps) {
    const cpu = sweep.sides.find((s) => s.device === 'cpu');
    const gpu = sweep.sides.find((s) => s.device === 'gpu');
    if (!cpu || !gpu || gpu.engine?.adapter?.software) continue;
    if (cpu.engine?.engine !== engines.cpu || gpu.engine?.engine !== engines.gpu) continue;
    const at = compareSweeps(cpu.points, gpu.points).ratios.find((r) => r.batchSize === batchSize);
    if (at) return { ratio: at.ratio, sweep };
  }
  return null;
}
