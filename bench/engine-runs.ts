/** One timed run for `npm run bench:engines` and the GPU kit: the settings, the clock, and how a row is named. */
import { REFERENCE_CONFIG, type TrainConfig } from '../electron/training/core/config';
import type { EngineInfo, RunResult, WorkerOptions } from '../electron/training/process/protocol';
import { startRun } from '../electron/training/process/run-worker';
import { type SpawnWorker } from '../electron/training/process/worker-transport';
import { adapterLabel } from '../electron/shared/adapter-label';
import { engineLabel } from '../renderer/src/lib/format';

export interface Row {
  engine: EngineInfo;
  /** The training loop's own clock over the timed batches, the first (warm-up) batch excluded. */
  msPerBatch: number;
  batches: number;
}

/** The app's name for the engine (format.ts), then where it ran: the adapter, or the CPU with its threads. */
export function label(engine: EngineInfo): string {
  const where = engine.adapter
    ? adapterLabel(engine.adapter)
    : engine.device === 'cpu'
      ? `CPU${engine.features ? `, ${engine.features}` : ''}`
      : 'NVIDIA GPU';
  // Dawn's WebGPU and Chromium's share a name: the features say which ("Dawn in Node, webgpu 0.6.2").
  const dawn = engine.features?.startsWith('Dawn') ? ` (${engine.features})` : '';
  return `${engineLabel({ ...engine, adapter: undefined })}${dawn} on ${where}`;
}

/** A short run of `batches` timed batches of 64 plus one warm-up batch; `over`: the engine, the data folder. */
export const runConfig = (
  device: 'cpu' | 'gpu',
  batches: number,
  over: Partial<Pick<TrainConfig, 'gpuEngine' | 'dataDir'>> = {},
): TrainConfig => ({
  ...REFERENCE_CONFIG,
  device,
  epochs: 1,
  batchSize: 64,
  lr: 0.001,
  momentum: 0.9,
  seed: 42,
  limit: (batches + 1) * 64,
  testLimit: 1,
  ...over,
});

export async function timeRun(spawn: SpawnWorker, config: TrainConfig, options: WorkerOptions = {}): Promise<Row> {
  const { result } = (await startRun(spawn, config, {}, options).outcome) as { result: RunResult };
  const batches = result.batchesPerEpoch * result.epochs.length - 1;
  return { engine: result.engine, msPerBatch: result.timings.trainingMs / batches, batches };
}
