import type { SweepRecord } from '../../electron/shared/ipc-contract';

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
