/**
 * A scripted main side for UI states the real machine cannot show (a working GPU, a comparison, a damaged
 * history file). The queue is the real RunManager's; only its workers are scripted (fake-worker.ts), and they move
 * only when the test says. The real services end to end are exercised by app.browser.test.ts.
 */
import type { Language } from '../../../electron/shared/i18n';
import { join } from 'node:path';
import type {
  DatasetChoice,
  DevicesReport,
  HistoryState,
  RunRecord,
  SweepEvent,
  SweepRecord,
  TrainRequest,
  TrainingEvent,
} from '../../../electron/shared/ipc-contract';
import { hardwareNames } from '../../../electron/services/devices';
import { createReportHandlers } from '../../../electron/services/report-handlers';
import { RunManager } from '../../../electron/services/run-manager';
import { bundledMnistDir, readIdxImages, readIdxLabels } from '../../../electron/training/core/dataset';
import { fakeSpawner, type FakeWorker } from '../../services/fake-worker';
import { makeModel } from '../../services/fixtures';
import type { HandlerTable } from './api-bridge';
import { ENGINE_CPU, ENGINE_GPU, fakeResult, fakeWeights, GPU_DEVICES } from './fake-records';
import { createFakeSweeps, type FakeSweeps } from './fake-sweeps';

export { fakeRecord, GPU_DEVICES } from './fake-records';

let testSet: Promise<{ images: Uint8Array; labels: Uint8Array }> | null = null;
/** The bundled MNIST test split as stored (bytes), read once. */
function realTestSet() {
  testSet ??= Promise.all([
    readIdxImages(join(bundledMnistDir(), 't10k-images-idx3-ubyte')),
    readIdxLabels(join(bundledMnistDir(), 't10k-labels-idx1-ubyte')),
  ]).then(([images, labels]) => ({ images: images.data, labels }));
  return testSet;
}

const BATCHES_PER_EPOCH = 938;

export interface FakeMain {
  handlers: HandlerTable;
  /** Events main sends; the test forwards them to the page. */
  onEvent: (listener: (ev: TrainingEvent) => void) => void;
  /**
   * The running run's next `count` batches, 8 batches a progress report, at once; it stays running at its last
   * batch until `finish`. Throws when no run is running.
   */
  advance: (count: number) => void;
  /**
   * Ends the running run as its worker would: 'done' with the reference run's figures, or 'cancelled'. Resolves once
   * main has sent its row (and started the next queued run). Throws when no run is running.
   */
  finish: (status?: 'done' | 'cancelled') => Promise<void>;
  /** The run running now, if any. */
  running: () => { id: string; device: 'cpu' | 'gpu' } | null;
  /** Sweep events main sends. */
  onSweepEvent: (listener: (ev: SweepEvent) => void) => void;
  /** The sweep workers, driven by the test (fake-sweeps.ts). */
  sweeps: FakeSweeps;
}

/**
 * Main's run queue as the app wires it (RunManager), with scripted workers and rows kept in memory. A worker starts
 * its engine as soon as it is asked, answers a cancel at once, and otherwise reports batches only when the test asks
 * (`advance`) and ends only when the test says (`finish`): what a test sees never depends on how fast this machine is.
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
  /** Where the report's save dialog saves (main's real handler writes the file there); cancelled when absent. */
  reportPath?: () => string | null;
  /** Sweeps kept before the page opened. */
  sweeps?: SweepRecord[];
  /** The language main speaks, as if the user chose it from the menu; English when absent. */
  language?: Language;
}): FakeMain {
  const devices = options.devices ?? GPU_DEVICES;
  let records = options.records?.slice() ?? [];
  const state = (): HistoryState => ({ records, notice: options.notice ?? null });
  const steps = new WeakMap<FakeWorker, number>();
  const totalSteps = (worker: FakeWorker) => BATCHES_PER_EPOCH * worker.config.epochs;
  const engineOf = (worker: FakeWorker) => (worker.config.device === 'cpu' ? ENGINE_CPU : ENGINE_GPU);

  const { spawn, workers } = fakeSpawner((worker, message) => {
    // Answered after the send returns, as a real worker's reply arrives on a later turn.
    if (message.type === 'start')
      queueMicrotask(() => worker.emit({ type: 'ready', engine: engineOf(worker), timings: { engineStartMs: 900 } }));
    if (message.type === 'cancel') queueMicrotask(() => end(worker, 'cancelled'));
  });
  const end = (worker: FakeWorker, status: 'done' | 'cancelled') => {
    const stopped = status === 'cancelled' ? { step: steps.get(worker) ?? 0, totalSteps: totalSteps(worker) } : null;
    worker.emit({
      type: 'done',
      result: fakeResult(worker.config, engineOf(worker), stopped),
      model: stopped ? null : makeModel(1, { finite: true }),
    });
  };

  let seq = 0;
  const runs = new RunManager({
    spawn,
    history: {
      put: async (record) => {
        records = [record, ...records.filter((r) => r.id !== record.id)];
      },
      saveWeights: async () => null,
    },
    hardware: () => hardwareNames(devices),
    // Ids in the real format, distinct within a millisecond: the renderer checks rows as main does.
    random: () => (++seq % 0x1000000) / 0x1000000,
  });

  const sweeps = createFakeSweeps(runs, () => hardwareNames(devices), options.sweeps);

  /** The running run's worker: the latest one spawned, since the queue runs one at a time. */
  const current = (what: string): FakeWorker => {
    const worker = workers.at(-1);
    if (!runs.queue().running || !worker || worker.exited) throw new Error(`${what}: no run is running`);
    return worker;
  };

  const advance = (count: number) => {
    const worker = current('advance');
    const total = totalSteps(worker);
    const epochs = worker.config.epochs;
    let at = steps.get(worker) ?? 0;
    const last = Math.min(total - 1, at + count);
    while (at < last) {
      const step = Math.min(last, at + 8);
      const epoch = Math.ceil(step / BATCHES_PER_EPOCH);
      const batch = step - (epoch - 1) * BATCHES_PER_EPOCH;
      worker.emit({
        type: 'progress',
        progress: {
          epoch,
          epochs,
          batch,
          batchesPerEpoch: BATCHES_PER_EPOCH,
          step,
          totalSteps: total,
          loss: 0.08 + 2.2 * Math.exp(-step / 600) + 0.05 * Math.sin(step),
          imagesPerSecond: 6800,
          elapsedMs: step * 9.4,
          etaMs: (total - step) * 9.4,
        },
      });
      if (Math.floor(step / 100) > Math.floor(at / 100)) {
        worker.emit({
          type: 'loss-window',
          window: { epoch, batch: Math.floor(batch / 100) * 100 || 100, meanLoss: 0.08 + 2.2 * Math.exp(-step / 600) },
        });
      }
      at = step;
    }
    steps.set(worker, at);
  };

  const finish = (status: 'done' | 'cancelled' = 'done'): Promise<void> => {
    const worker = current('finish');
    const { id } = runs.queue().running!;
    const ended = new Promise<void>((resolve) => {
      const unsubscribe = runs.subscribe((ev) => {
        if (ev.kind !== 'finished' || ev.id !== id) return;
        unsubscribe();
        resolve();
      });
    });
    end(worker, status);
    return ended;
  };

  const handlers: HandlerTable = {
    'app:info': async () => ({ name: 'Athanor', version: '0.1.0', platform: 'linux', packaged: false }),
    'app:language': async () => ({
      language: options.language ?? 'en',
      chosen: options.language ?? null,
      system: 'en',
    }),
    'devices:get': async () => devices,
    'training:start': async (arg) => {
      const request = arg as TrainRequest;
      options.checkStart?.(request);
      return runs.enqueue(request);
    },
    'training:compare': async (arg) => runs.compare(arg as Omit<TrainRequest, 'device'>),
    'training:cancel': async (arg) => runs.cancel((arg as { id: string }).id),
    'training:queue': async () => runs.queue(),
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
    'dataset:choose': async () =>
      options.dataset ?? {
        dir: '/home/user/data/fashion-mnist',
        trainCount: 60000,
        testCount: 10000,
        source: 'idx files (.gz)',
      },
    // Trying a model is tested against the real services (app.browser.test.ts); these only keep the panel quiet.
    'model:predict': async () => ({ probabilities: [0.01, 0.02, 0.01, 0.9, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01] }),
    // The real test images, with a scripted model that is right on all but every 50th (its second guess, 60%): about
    // the 98% the fake records claim. The records keep no mistakes list, as rows from before mistakes were kept.
    // Main's own handlers, over these rows and fakeWeights: the figures and the written file are the real ones.
    ...createReportHandlers({
      history: {
        get: (id) => records.find((r) => r.id === id),
        loadWeights: async (id) => fakeWeights(records.find((r) => r.id === id)?.device ?? 'cpu'),
      },
      dialogs: { saveFile: async () => options.reportPath?.() ?? null },
    }),
    'model:test-images': async (arg) => {
      const { images, labels } = await realTestSet();
      return (arg as { indices: number[] }).indices.map((index) => {
        const label = labels[index];
        const wrong = index % 50 === 0;
        return {
          index,
          label,
          predicted: wrong ? (label + 3) % 10 : label,
          probability: wrong ? 0.6 : 0.97,
          pixels: Array.from(images.subarray(index * 784, (index + 1) * 784)),
        };
      });
    },
    ...sweeps.handlers,
  };
  return {
    handlers,
    onEvent: (listener) => runs.subscribe(listener),
    advance,
    finish,
    running: () => runs.queue().running,
    onSweepEvent: sweeps.onEvent,
    sweeps,
  };
}
