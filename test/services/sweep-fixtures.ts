import type { SweepRecord } from '../../electron/shared/ipc-contract';
import type { SweepPoint } from '../../electron/shared/schema/sweep';

/** One timed size: `imagesPerSecond` at `batchSize`, over 5 steps, leaving no tensor. */
export function sweepPoint(batchSize: number, imagesPerSecond: number): SweepPoint {
  return { batchSize, msPerStep: (batchSize / imagesPerSecond) * 1000, imagesPerSecond, steps: 5, tensorsLeft: 0 };
}

/** A kept sweep: tfjs-node timed at two sizes, and a GPU side that failed before it started. */
export function sweepRecord(id: string, startedAt: string): SweepRecord {
  return {
    id,
    startedAt,
    status: 'failed',
    request: { batchSizes: [16, 64], timedSteps: 5, warmupSteps: 2 },
    machine: { cpu: 'Intel Xeon', gpu: 'NVIDIA H200' },
    sides: [
      {
        device: 'cpu',
        engine: {
          engine: 'tfjs-node',
          device: 'cpu',
          backend: 'tensorflow',
          version: '4.22.0',
          libtensorflow: '2.9.1',
        },
        hardware: 'Intel Xeon',
        points: [
          { batchSize: 16, msPerStep: 4, imagesPerSecond: 4000, steps: 5, tensorsLeft: 0 },
          { batchSize: 64, msPerStep: 12, imagesPerSecond: 5333.3, steps: 5, tensorsLeft: 0 },
        ],
        skipped: [],
      },
      {
        device: 'gpu',
        engine: null,
        hardware: 'NVIDIA H200',
        points: [],
        skipped: [],
        failure: { reason: { code: 'webgpu-missing' } },
      },
    ],
  };
}

/** A finished sweep of both sides at the default sizes: the GPU (WebGPU on an A100) overtakes the CPU from 64 on. */
export function sweepBothSides(id: string, startedAt: string): SweepRecord {
  return {
    id,
    startedAt,
    status: 'done',
    request: { batchSizes: [16, 64, 256, 1024], timedSteps: 5, warmupSteps: 2 },
    machine: { cpu: 'AMD EPYC 7742 64-Core Processor', gpu: 'NVIDIA A100-SXM4-40GB' },
    sides: [
      {
        device: 'cpu',
        engine: {
          engine: 'tfjs-node',
          device: 'cpu',
          backend: 'tensorflow',
          version: '4.22.0',
          libtensorflow: '2.9.1',
        },
        hardware: 'AMD EPYC 7742 64-Core Processor',
        points: [sweepPoint(16, 4100), sweepPoint(64, 5200), sweepPoint(256, 5600), sweepPoint(1024, 5500)],
        skipped: [],
      },
      {
        device: 'gpu',
        engine: {
          engine: 'webgpu',
          device: 'gpu',
          backend: 'webgpu',
          version: '4.22.0',
          adapter: { vendor: 'nvidia', name: 'NVIDIA A100-SXM4-40GB', api: 'Vulkan', software: false },
        },
        hardware: 'NVIDIA A100-SXM4-40GB',
        points: [sweepPoint(16, 1900), sweepPoint(64, 6900), sweepPoint(256, 24000), sweepPoint(1024, 52000)],
        skipped: [],
      },
    ],
  };
}
