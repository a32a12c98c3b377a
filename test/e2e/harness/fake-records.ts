/**
 * What the scripted main shows for a machine it does not have: an A100 beside a 64-core CPU, and history rows with
 * a reference run's figures (5 epochs of 60,000 images, 97.99% on the 10,000 test images).
 */
import type { DevicesReport, EngineInfo, RunRecord, TrainRequest } from '../../../electron/shared/ipc-contract';
import { REFERENCE_CONFIG, type TrainConfig } from '../../../electron/training/core/config';
import type { RunResult, TrainedModel } from '../../../electron/training/process/protocol';
import { makeModel } from '../../services/fixtures';

export const ENGINE_CPU = { engine: 'tfjs-node', device: 'cpu', backend: 'tensorflow', version: '4.22.0' } as const;
export const ENGINE_GPU = { engine: 'tfjs-node-gpu', device: 'gpu', backend: 'tensorflow', version: '4.22.0' } as const;
const A100 = { vendor: 'nvidia', name: 'NVIDIA A100-SXM4-40GB', api: 'Vulkan', software: false };
const A100_GL = {
  vendor: 'NVIDIA Corporation',
  name: 'NVIDIA A100-SXM4-40GB/PCIe/SSE2',
  api: 'OpenGL',
  software: false,
};
const ENGINE_WEBGPU = { engine: 'webgpu', device: 'gpu', backend: 'webgpu', version: '4.22.0', adapter: A100 } as const;
const ENGINE_WEBGL = { engine: 'webgl', device: 'gpu', backend: 'webgl', version: '4.22.0', adapter: A100_GL } as const;

export const GPU_DEVICES: DevicesReport = {
  cpu: { model: 'AMD EPYC 7742 64-Core Processor', cores: 16, memoryGiB: 125.7 },
  gpus: [{ name: 'NVIDIA A100-SXM4-40GB', memoryMiB: 40960, driver: '535.183.01', cuda: '12.2' }],
  gpuDetectionNote: null,
  engines: {
    cpu: { device: 'cpu', available: true, engine: ENGINE_CPU, reason: null },
    gpu: { device: 'gpu', available: true, engine: ENGINE_GPU, reason: null },
  },
  gpuEngines: {
    cuda: { device: 'gpu', available: true, engine: ENGINE_GPU, reason: null },
    webgpu: { device: 'gpu', available: true, engine: ENGINE_WEBGPU, reason: null, adapter: A100 },
    webgl: { device: 'gpu', available: true, engine: ENGINE_WEBGL, reason: null, adapter: A100_GL },
  },
  adapters: [A100, A100_GL],
};

/** A loss curve over `steps` batches, timed evenly over `trainingMs` of the loop's clock. */
function decayCurve(steps: number, scale: number, trainingMs: number): { step: number; loss: number; ms: number }[] {
  return Array.from({ length: 60 }, (_, i) => {
    const step = Math.round(((i + 1) / 60) * steps);
    return {
      step,
      loss: 0.06 + 2.24 * Math.exp((-step / steps) * scale) + 0.03 * Math.sin(i * 1.7),
      ms: (step / steps) * trainingMs,
    };
  });
}

/** Images of each digit in MNIST's 10,000 test images: a real matrix's diagonal runs to four digits (1,135 ones). */
const TEST_DIGITS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

function confusion(accuracy: number): number[][] {
  return Array.from({ length: 10 }, (_, t) =>
    Array.from({ length: 10 }, (_, p) =>
      t === p ? Math.round(TEST_DIGITS[t] * accuracy) : (t * 7 + p * 3) % 11 === 0 ? 4 : (t + p) % 5 === 0 ? 1 : 0,
    ),
  );
}

export function fakeRecord(id: string, device: 'cpu' | 'gpu', startedAt: string, trainingMs: number): RunRecord {
  const settings: TrainRequest = {
    ...REFERENCE_CONFIG,
    device,
    epochs: 5,
    batchSize: 64,
    lr: 0.001,
    momentum: 0.9,
    seed: 42,
  };
  const accuracy = 0.9799;
  return {
    id,
    startedAt,
    status: 'done',
    device,
    settings,
    trainImages: 60000,
    hardware: device === 'cpu' ? GPU_DEVICES.cpu.model : GPU_DEVICES.gpus[0].name,
    engine: device === 'cpu' ? ENGINE_CPU : ENGINE_GPU,
    timings: { engineStartMs: 900, dataLoadMs: 400, warmupMs: 120, trainingMs, evaluationMs: 600 },
    secondsPerEpoch: trainingMs / 5000,
    imagesPerSecond: 300000 / (trainingMs / 1000),
    finalLoss: 0.081,
    accuracy,
    evaluation: {
      accuracy,
      count: 10000,
      perClassAccuracy: [0.991, 0.993, 0.979, 0.981, 0.978, 0.975, 0.983, 0.972, 0.966, 0.961],
      confusion: confusion(accuracy / 1.02),
    },
    epochs: [1, 2, 3, 4, 5].map((epoch) => ({
      epoch,
      meanLoss: 0.9 / epoch,
      ms: trainingMs / 5,
      imagesPerSecond: 60000 / (trainingMs / 5000),
    })),
    lossWindows: [],
    curve: decayCurve(4690, device === 'cpu' ? 5 : 5.4, trainingMs),
    message: null,
    hasWeights: true,
  };
}

/**
 * What a worker reports at the end of a run with `config`: the reference run's timings and accuracy, spread over the
 * epochs asked for. A cancelled run has no evaluation and says after how many of its batches it stopped.
 */
export function fakeResult(
  config: TrainConfig,
  engine: EngineInfo,
  stopped: { step: number; totalSteps: number } | null,
): RunResult {
  const trainingMs = 44_000;
  const epochMs = trainingMs / config.epochs;
  const record = fakeRecord('', config.device, '', trainingMs);
  return {
    status: stopped ? 'cancelled' : 'done',
    config,
    engine,
    timings: record.timings!,
    trainImages: 60000,
    batchesPerEpoch: 938,
    epochs: Array.from({ length: config.epochs }, (_, i) => ({
      epoch: i + 1,
      meanLoss: 0.9 / (i + 1),
      ms: epochMs,
      imagesPerSecond: 60000 / (epochMs / 1000),
    })),
    lossWindows: [],
    finalLoss: 0.081,
    imagesPerSecond: (60000 * config.epochs) / (trainingMs / 1000),
    evaluation: stopped ? null : record.evaluation,
    ...(stopped
      ? { reason: { code: 'run-cancelled', step: stopped.step, totalSteps: stopped.totalSteps } as const }
      : {}),
  };
}

/**
 * The weights a fake run stored: one network for every run, and on the GPU the same with every 97th value of the
 * t-th tensor moved by (t + 1) * 1e-6: rounding-sized gaps, distinct for each tensor, that a test can compute.
 */
export function fakeWeights(device: 'cpu' | 'gpu'): TrainedModel {
  const model = makeModel(7, { finite: true });
  if (device === 'cpu') return model;
  for (const [t, w] of model.weights.entries()) {
    for (let k = 0; k < w.data.length; k += 97) w.data[k] += (t + 1) * 1e-6;
  }
  return model;
}
