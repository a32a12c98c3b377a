import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandlers, type Dialogs, type SaveDefaults } from '../../electron/services/handlers';
import { HistoryStore, toCsv } from '../../electron/services/history-store';
import { RunManager } from '../../electron/services/run-manager';
import type { DevicesReport } from '../../electron/shared/ipc-contract';
import { INVOKE_CHANNELS } from '../../electron/shared/ipc-contract';
import { bundledMnistDir } from '../../electron/training/dataset';
import { readPth } from '../../electron/training/export/pth';
import { readSafetensors } from '../../electron/training/export/safetensors';
import { toTorch } from '../../electron/training/export/torch-layout';
import { csvText, idxFiles, realSubset, TEST, TRAIN, write } from '../training/mnist/fixtures';
import { fakeSpawner } from './fake-worker';
import { makeModel, makeRecord } from './fixtures';

const DONE = '20250102-030405678-cpu-000001';
const FAILED = '20250102-030405679-gpu-000002';
const REQUEST = { device: 'cpu', epochs: 1, batchSize: 64, lr: 0.001, momentum: 0.9, seed: 42 } as const;

let dir: string;
let out: string;
let history: HistoryStore;
let answer: string | null;
let saveCalls: SaveDefaults[];
const devicesReport = { cpu: { model: 'x', cores: 2, memoryGiB: 8 } } as DevicesReport;

function setup() {
  const { spawn, workers } = fakeSpawner();
  const runs = new RunManager({ spawn, history, hardware: () => ({ cpu: 'Intel Xeon', gpu: null }) });
  const dialogs: Dialogs = {
    saveFile: async (defaults) => { saveCalls.push(defaults); return answer; },
    chooseFolder: async () => answer,
  };
  const devices = { get: vi.fn(async () => devicesReport) };
  const appInfo = { name: 'Athanor', version: '0.1.0', platform: 'linux', packaged: false };
  return { handlers: createHandlers({ appInfo, devices, runs, history, dialogs }), runs, workers, devices };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'athanor-handlers-'));
  out = join(dir, 'out');
  await mkdir(out);
  history = await HistoryStore.open(join(dir, 'user-data'));
  await history.saveWeights(DONE, makeModel(5, { finite: true }));
  await history.put(makeRecord(DONE, { hasWeights: true }));
  await history.put(makeRecord(FAILED, { status: 'failed', device: 'gpu', message: 'no NVIDIA GPU found' }));
  answer = null;
  saveCalls = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createHandlers', () => {
  it('has a handler for every channel, and each validates its argument before acting', async () => {
    const { handlers, workers } = setup();
    expect(Object.keys(handlers).sort()).toEqual([...INVOKE_CHANNELS].sort());
    for (const channel of INVOKE_CHANNELS) {
      await expect(handlers[channel]({ surprise: 1 }), channel).rejects.toThrow(`invalid argument for "${channel}"`);
    }
    await expect(handlers['training:start']({ ...REQUEST, epochs: 0 })).rejects.toThrow(/epochs must be a whole number/);
    expect(workers).toHaveLength(0);
    expect(saveCalls).toHaveLength(0);
  });

  it('app info, devices (with refresh) and the queue', async () => {
    const { handlers, devices } = setup();
    expect(await handlers['app:info'](undefined)).toMatchObject({ name: 'Athanor' });
    expect(await handlers['devices:get'](undefined)).toBe(devicesReport);
    await handlers['devices:get']({ refresh: true });
    expect(devices.get.mock.calls).toEqual([[false], [true]]);
    expect(await handlers['training:queue'](undefined)).toEqual({ running: null, queued: [] });
  });

  it('start, compare and cancel go to the run manager; a running row cannot be deleted', async () => {
    const { handlers, workers, runs } = setup();
    const { id } = await handlers['training:start'](REQUEST);
    const { ids, queue } = await handlers['training:compare']({ ...REQUEST, device: undefined });
    expect(queue.queued.map((q) => q.id)).toEqual(ids);
    expect(workers[0].config).toEqual(REQUEST);
    await expect(handlers['history:delete']({ id })).rejects.toThrow('this run is still training');
    expect(await handlers['training:cancel']({ id: ids[1] })).toEqual({ cancelled: true });
    expect(await handlers['training:cancel']({ id: ids[1] })).toEqual({ cancelled: false });
    await handlers['training:cancel']({ id: ids[0] });
    workers[0].train(1);
    await runs.idle();
    expect(workers).toHaveLength(1);
    expect((await handlers['history:list'](undefined)).records.map((r) => r.status)).toEqual(['done', 'failed', 'done', 'cancelled', 'cancelled']);
  });

  it('history: list, delete (weights too) and CSV export through the save dialog', async () => {
    const { handlers } = setup();
    answer = join(out, 'runs');
    const saved = await handlers['history:export-csv'](undefined);
    expect(saved).toEqual({ saved: true, path: join(out, 'runs.csv'), bytes: expect.any(Number) });
    expect(await readFile(join(out, 'runs.csv'), 'utf8')).toBe(toCsv(history.state().records));
    expect(saveCalls[0]).toMatchObject({ defaultName: 'athanor-history.csv', filters: [{ extensions: ['csv'] }] });
    answer = null;
    expect(await handlers['history:export-csv'](undefined)).toEqual({ saved: false, reason: 'cancelled' });

    const state = await handlers['history:delete']({ id: DONE });
    expect(state.records.map((r) => r.id)).toEqual([FAILED]);
    await expect(history.loadWeights(DONE)).rejects.toThrow(/could not be read/);
  });

  it('weights:export offers mnist_cnn.pth first and writes a state_dict that reads back', async () => {
    const { handlers } = setup();
    answer = join(out, 'mnist_cnn.pth');
    const result = await handlers['weights:export']({ id: DONE });
    expect(saveCalls[0].defaultName).toBe('mnist_cnn.pth');
    expect(saveCalls[0].filters.map((f) => f.extensions)).toEqual([['pth', 'pt'], ['safetensors'], ['json']]);
    expect(result).toEqual({ saved: true, path: answer, bytes: (await readFile(answer)).length });
    const tensors = await readPth(answer);
    const expected = toTorch(makeModel(5, { finite: true }).weights);
    expect(tensors.map((t) => [t.name, t.shape])).toEqual(expected.map((t) => [t.name, t.shape]));
    expect(Buffer.from(tensors[4].data.buffer, tensors[4].data.byteOffset, tensors[4].data.byteLength)
      .equals(Buffer.from(expected[4].data.buffer, expected[4].data.byteOffset, expected[4].data.byteLength))).toBe(true);
  });

  it('weights:export: the chosen extension picks the format; a bare name gets the offered one', async () => {
    const { handlers } = setup();
    answer = join(out, 'w.safetensors');
    await handlers['weights:export']({ id: DONE });
    expect((await readSafetensors(answer)).tensors[0].name).toBe('conv1.weight');
    answer = join(out, 'model');
    expect(await handlers['weights:export']({ id: DONE, format: 'tfjs' })).toMatchObject({ saved: true, path: join(out, 'model.json') });
    expect(saveCalls[1]).toMatchObject({ defaultName: 'mnist_cnn.json', filters: [{ extensions: ['json'] }, {}, {}] });
    const files = (await readdir(out)).sort();
    expect(files).toHaveLength(3);
    expect(files.filter((f) => f !== 'model.json' && f !== 'w.safetensors')).toEqual([expect.stringMatching(/^model\.[0-9a-f]{8}\.weights\.bin$/)]);
    answer = null;
    expect(await handlers['weights:export']({ id: DONE })).toEqual({ saved: false, reason: 'cancelled' });
  });

  it('weights:export failures say why and leave no file', async () => {
    const { handlers } = setup();
    answer = join(out, 'missing-folder', 'mnist_cnn.pth');
    await expect(handlers['weights:export']({ id: DONE })).rejects.toThrow(
      `the weights were not exported to ${answer}: cannot write ${answer}: directory does not exist; they are still in ` +
      'the history: export them again to another place');
    if (existsSync('/proc/self')) {
      // Was "directory does not exist": /proc is there, it only takes no new files.
      answer = '/proc/mnist_cnn.pth';
      await expect(handlers['weights:export']({ id: DONE })).rejects.toThrow(
        'cannot write /proc/mnist_cnn.pth: the folder does not take new files (a virtual file system such as /proc); they are still');
    }
    answer = join(out, 'mnist_cnn.txt');
    await expect(handlers['weights:export']({ id: DONE })).rejects.toThrow(/its extension "\.txt" is not one Athanor writes/);
    expect(await readdir(out)).toEqual([]);
    await expect(handlers['weights:export']({ id: FAILED })).rejects.toThrow(`run ${FAILED} has no stored weights: only runs that finished keep them (it ended failed)`);
    await expect(handlers['weights:export']({ id: '20250102-030405678-cpu-999999' })).rejects.toThrow('is not in the history');
  });

  it('dataset:choose counts a real MNIST folder, refuses a folder without MNIST data, and passes on a cancel', async () => {
    const { handlers } = setup();
    answer = bundledMnistDir();
    expect(await handlers['dataset:choose'](undefined)).toEqual({ dir: answer, trainCount: 60000, testCount: 10000, source: 'idx files' });
    answer = out;
    await expect(handlers['dataset:choose'](undefined)).rejects.toThrow(
      `${out}: no MNIST data found: looked for the four idx files (train-images-idx3-ubyte, train-labels-idx1-ubyte, `);
    answer = null;
    expect(await handlers['dataset:choose'](undefined)).toBeNull();
  });

  it("dataset:choose reads the layouts people have: torchvision's ./data and a folder holding mnist_*.csv", async () => {
    const { handlers } = setup();
    const subset = await realSubset();
    answer = await write(join(dir, 'data'), Object.fromEntries(Object.entries(idxFiles(subset)).map(([n, b]) => [`MNIST/raw/${n}`, b])));
    expect(await handlers['dataset:choose'](undefined)).toEqual({ dir: answer, trainCount: TRAIN, testCount: TEST, source: 'idx files in MNIST/raw' });
    answer = await write(join(dir, 'csv'), {
      'mnist_train.csv': csvText(subset.trainImages, subset.trainLabels),
      'mnist_test.csv': csvText(subset.testImages, subset.testLabels),
    });
    expect(await handlers['dataset:choose'](undefined)).toEqual({ dir: answer, trainCount: TRAIN, testCount: TEST, source: 'mnist_train.csv and mnist_test.csv' });
  });
});
