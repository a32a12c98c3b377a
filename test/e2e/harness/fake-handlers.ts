/**
 * A scripted main side for UI states the real machine cannot show (a working GPU, a comparison, a damaged
 * history file). The real services are exercised by app.browser.test.ts; this only feeds the same channels.
 */
import { join } from 'node:path';
import type {
  DatasetChoice, DevicesReport, HistoryState, QueueState, RunRecord, TrainRequest, TrainingEvent,
} from '../../../electron/shared/ipc-contract';
import { makeRunId } from '../../../electron/shared/validate';
import { bundledMnistDir, readIdxImages, readIdxLabels } from '../../../electron/training/core/dataset';
import type { HandlerTable } from './api-bridge';

let testSet: Promise<{ images: Uint8Array; labels: Uint8Array }> | null = null;
/** The bundled MNIST test split as stored (bytes), read once. */
function realTestSet() {
  testSet ??= Promise.all([
    readIdxImages(join(bundledMnistDir(), 't10k-images-idx3-ubyte')),
    readIdxLabels(join(bundledMnistDir(), 't10k-labels-idx1-ubyte')),
  ]).then(([images, labels]) => ({ images: images.data, labels }));
  return testSet;
}

const ENGINE_CPU = { engine: 'tfjs-node', device: 'cpu', backend: 'tensorflow', version: '4.22.0' } as const;
const ENGINE_GPU = { engine: 'tfjs-node-gpu', device: 'gpu', backend: 'tensorflow', version: '4.22.0' } as const;
const A100 = { vendor: 'nvidia', name: 'NVIDIA A100-SXM4-40GB', api: 'Vulkan', software: false };
const A100_GL = { vendor: 'NVIDIA Corporation', name: 'NVIDIA A100-SXM4-40GB/PCIe/SSE2', api: 'OpenGL', software: false };
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
    return { step, loss: 0.06 + 2.24 * Math.exp((-step / steps) * scale) + 0.03 * Math.sin(i * 1.7), ms: (step / steps) * trainingMs };
  });
}

/** Images of each digit in MNIST's 10,000 test images: a real matrix's diagonal runs to four digits (1,135 ones). */
const TEST_DIGITS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

function confusion(accuracy: number): number[][] {
  return Array.from({ length: 10 }, (_, t) =>
    Array.from({ length: 10 }, (_, p) => (t === p ? Math.round(TEST_DIGITS[t] * accuracy) : (t * 7 + p * 3) % 11 === 0 ? 4 : (t + p) % 5 === 0 ? 1 : 0)),
  );
}

export function fakeRecord(id: string, device: 'cpu' | 'gpu', startedAt: string, trainingMs: number): RunRecord {
  const settings: TrainRequest = { device, epochs: 5, batchSize: 64, lr: 0.001, momentum: 0.9, seed: 42 };
  const accuracy = 0.9799;
  return {
    id, startedAt, status: 'done', device, settings, trainImages: 60000,
    hardware: device === 'cpu' ? GPU_DEVICES.cpu.model : GPU_DEVICES.gpus[0].name,
    engine: device === 'cpu' ? ENGINE_CPU : ENGINE_GPU,
    timings: { engineStartMs: 900, dataLoadMs: 400, warmupMs: 120, trainingMs, evaluationMs: 600 },
    secondsPerEpoch: trainingMs / 5000,
    imagesPerSecond: 300000 / (trainingMs / 1000),
    finalLoss: 0.081,
    accuracy,
    evaluation: {
      accuracy, count: 10000,
      perClassAccuracy: [0.991, 0.993, 0.979, 0.981, 0.978, 0.975, 0.983, 0.972, 0.966, 0.961],
      confusion: confusion(accuracy / 1.02),
    },
    epochs: [1, 2, 3, 4, 5].map((epoch) => ({ epoch, meanLoss: 0.9 / epoch, ms: trainingMs / 5, imagesPerSecond: 60000 / (trainingMs / 5000) })),
    lossWindows: [],
    curve: decayCurve(4690, device === 'cpu' ? 5 : 5.4, trainingMs),
    message: null,
    hasWeights: true,
  };
}

export interface FakeMain {
  handlers: HandlerTable;
  /** Events the fake would push; the test forwards them to the page. */
  onEvent: (listener: (ev: TrainingEvent) => void) => void;
  /**
   * The running run's next `count` batches, 8 batches a progress event, at once; it stays running at its last
   * batch until `finish`. Throws when no run is running.
   */
  advance: (count: number) => void;
  /** Ends the running run with `status` (its history row is emitted), and starts the next queued one. */
  finish: (status?: 'done' | 'cancelled') => void;
  /** The run running now, if any. */
  running: () => { id: string; device: 'cpu' | 'gpu' } | null;
}

/**
 * A scripted main: queue, cancel and history behave like the real one. A run's progress comes only when the test
 * asks (`advance`) and it ends only when the test says (`finish`) or cancels it, never on a clock: what a test sees
 * does not depend on how fast this machine is.
 */
export function createFakeMain(options: {
  records?: RunRecord[];
  notice?: string | null;
  devices?: DevicesReport;
  exportFails?: string;
  /** Holds each weights export until it resolves: a slow disk. */
  exportWait?: () => Promise<void>;
  /** What the folder picker returns; a 60,000-image Fashion-MNIST folder by default. */
  dataset?: DatasetChoice;
  /** Checks each run request before queueing it, as main does; a throw is main's refusal. */
  checkStart?: (request: TrainRequest) => void;
}): FakeMain {
  let records = options.records?.slice() ?? [];
  let listener: (ev: TrainingEvent) => void = () => {};
  let queue: QueueState = { running: null, queued: [] };
  const waiting: { id: string; request: TrainRequest }[] = [];
  let seq = 0;
  const state = (): HistoryState => ({ records, notice: options.notice ?? null });
  const snapshot = () => ({ running: queue.running, queued: waiting.map((w) => ({ id: w.id, device: w.request.device })) });

  let running: { id: string; request: TrainRequest; step: number } | null = null;

  const pump = () => {
    if (queue.running || waiting.length === 0) return;
    const job = waiting.shift()!;
    running = { ...job, step: 0 };
    queue = { running: { id: job.id, device: job.request.device }, queued: [] };
    queue = snapshot();
    listener({ kind: 'started', id: job.id, device: job.request.device, queue });
    listener({ kind: 'engine', id: job.id, engine: job.request.device === 'cpu' ? ENGINE_CPU : ENGINE_GPU });
  };

  const advance = (count: number) => {
    const run = running;
    if (!run) throw new Error('advance: no run is running');
    const total = 938 * run.request.epochs;
    const end = Math.min(total - 1, run.step + count);
    while (run.step < end) {
      const step = Math.min(end, run.step + 8);
      const epoch = Math.ceil(step / 938);
      listener({
        kind: 'progress', id: run.id,
        progress: {
          epoch, epochs: run.request.epochs, batch: step - (epoch - 1) * 938, batchesPerEpoch: 938, step, totalSteps: total,
          loss: 0.08 + 2.2 * Math.exp(-step / 600) + 0.05 * Math.sin(step), imagesPerSecond: 6800, elapsedMs: step * 9.4, etaMs: (total - step) * 9.4,
        },
      });
      if (Math.floor(step / 100) > Math.floor(run.step / 100)) {
        listener({ kind: 'loss-window', id: run.id, window: { epoch, batch: Math.floor((step - (epoch - 1) * 938) / 100) * 100 || 100, meanLoss: 0.08 + 2.2 * Math.exp(-step / 600) } });
      }
      run.step = step;
    }
  };

  const finish = (id: string, status: RunRecord['status']) => {
    running = null;
    const base = fakeRecord(id, queue.running?.device ?? 'cpu', new Date().toISOString(), 44000);
    const record: RunRecord = status === 'done' ? base : { ...base, status, evaluation: null, accuracy: null, hasWeights: false, message: 'cancelled by the user' };
    records = [record, ...records.filter((r) => r.id !== id)];
    queue = { running: null, queued: [] };
    queue = snapshot();
    listener({ kind: 'finished', id, record, queue });
    pump();
  };

  const handlers: HandlerTable = {
    'app:info': async () => ({ name: 'Athanor', version: '0.1.0', platform: 'linux', packaged: false }),
    'devices:get': async () => options.devices ?? GPU_DEVICES,
    'training:start': async (arg) => {
      const request = arg as TrainRequest;
      options.checkStart?.(request);
      // Ids in the real format: the renderer checks rows as main does. `seq` keeps them distinct within a millisecond.
      const id = makeRunId(request.device, new Date(), () => (++seq % 0x1000000) / 0x1000000);
      waiting.push({ id, request });
      queue = snapshot();
      listener({ kind: 'queued', id, device: request.device, queue });
      pump();
      return { id, queue };
    },
    'training:compare': async (arg) => {
      const ids: string[] = [];
      for (const device of ['cpu', 'gpu'] as const) {
        const r = (await handlers['training:start']({ ...(arg as object), device })) as { id: string };
        ids.push(r.id);
      }
      return { ids, queue };
    },
    'training:cancel': async (arg) => {
      const { id } = arg as { id: string };
      if (queue.running?.id === id) {
        finish(id, 'cancelled');
        return { cancelled: true };
      }
      const i = waiting.findIndex((w) => w.id === id);
      if (i < 0) return { cancelled: false };
      waiting.splice(i, 1);
      queue = snapshot();
      listener({ kind: 'finished', id, record: { ...fakeRecord(id, 'gpu', new Date().toISOString(), 1), status: 'cancelled', hasWeights: false, evaluation: null, accuracy: null, timings: null, message: 'cancelled before it started' }, queue });
      return { cancelled: true };
    },
    'training:queue': async () => queue,
    'history:list': async () => state(),
    'history:delete': async (arg) => {
      records = records.filter((r) => r.id !== (arg as { id: string }).id);
      return state();
    },
    'history:export-csv': async () => ({ saved: true, path: '/home/user/athanor-history.csv', bytes: 2048 }),
    'weights:export': async (arg) => {
      await options.exportWait?.();
      if (options.exportFails) throw new Error(options.exportFails);
      return { saved: true, path: `/home/user/mnist_cnn-${(arg as { id: string }).id}.pth`, bytes: 900_000 };
    },
    'dataset:choose': async () => options.dataset ?? { dir: '/home/user/data/fashion-mnist', trainCount: 60000, testCount: 10000, source: 'idx files (.gz)' },
    // Trying a model is tested against the real services (app.browser.test.ts); these only keep the panel quiet.
    'model:predict': async () => ({ probabilities: [0.01, 0.02, 0.01, 0.9, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] }),
    // The real test images, with a scripted model that is right on all but every 50th (its second guess, 60%): about
    // the 98% the fake records claim. The records keep no mistakes list, as rows from before mistakes were kept.
    'model:test-images': async (arg) => {
      const { images, labels } = await realTestSet();
      return (arg as { indices: number[] }).indices.map((index) => {
        const label = labels[index];
        const wrong = index % 50 === 0;
        return {
          index, label, predicted: wrong ? (label + 3) % 10 : label, probability: wrong ? 0.6 : 0.97,
          pixels: Array.from(images.subarray(index * 784, (index + 1) * 784)),
        };
      });
    },
  };
  return {
    handlers,
    onEvent: (l) => (listener = l),
    advance,
    finish: (status = 'done') => {
      if (!running) throw new Error('finish: no run is running');
      finish(running.id, status);
    },
    running: () => queue.running,
  };
}
