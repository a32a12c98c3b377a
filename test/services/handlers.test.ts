import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandlers, type Dialogs, type SaveDefaults } from '../../electron/services/handlers';
import { HistoryStore, toCsv } from '../../electron/services/history-store';
import { RunManager } from '../../electron/services/run-manager';
import type { DevicesReport } from '../../electron/shared/ipc-contract';
import { INVOKE_CHANNELS } from '../../electron/shared/ipc-contract';
import { setLanguage } from '../../electron/shared/i18n';
import { REFERENCE_CONFIG } from '../../electron/shared/schema/settings';
import { bundledMnistDir } from '../../electron/training/core/dataset';
import type { ExportFormat } from '../../electron/training/export/index';
import { readPth } from '../../electron/training/export/pth';
import { readSafetensors } from '../../electron/training/export/safetensors';
import { readTfjsArtifacts } from '../../electron/training/export/tfjs';
import { toTorch } from '../../electron/training/export/torch-layout';
import { csvText, idxFiles, realSubset, TEST, TRAIN, write } from '../training/mnist/fixtures';
import { fakeSpawner } from './fake-worker';
import { makeModel, makeRecord } from './fixtures';

const DONE = '20250102-030405678-cpu-000001';
const FAILED = '20250102-030405679-gpu-000002';
const REQUEST = {
  ...REFERENCE_CONFIG,
  device: 'cpu',
  epochs: 1,
  batchSize: 64,
  lr: 0.001,
  momentum: 0.9,
  seed: 42,
} as const;

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
    saveFile: async (defaults) => {
      saveCalls.push(defaults);
      return answer;
    },
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
    await expect(handlers['training:start']({ ...REQUEST, epochs: 0 })).rejects.toThrow(
      /epochs must be a whole number/,
    );
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
    expect((await handlers['history:list'](undefined)).records.map((r) => r.status)).toEqual([
      'done',
      'failed',
      'done',
      'cancelled',
      'cancelled',
    ]);
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
    // Only the chosen format is offered: a filter picked in the native dialog would be a choice main never hears of.
    expect(saveCalls[0].filters.map((f) => f.extensions)).toEqual([['pth', 'pt']]);
    expect(result).toEqual({ saved: true, path: answer, bytes: (await readFile(answer)).length });
    const tensors = await readPth(answer);
    const expected = toTorch(makeModel(5, { finite: true }).weights);
    expect(tensors.map((t) => [t.name, t.shape])).toEqual(expected.map((t) => [t.name, t.shape]));
    expect(
      Buffer.from(tensors[4].data.buffer, tensors[4].data.byteOffset, tensors[4].data.byteLength).equals(
        Buffer.from(expected[4].data.buffer, expected[4].data.byteOffset, expected[4].data.byteLength),
      ),
    ).toBe(true);
  });

  it("weights:export: a name ending in the chosen format's extension is kept; a bare name gets it", async () => {
    const { handlers } = setup();
    answer = join(out, 'w.safetensors');
    await handlers['weights:export']({ id: DONE, format: 'safetensors' });
    expect((await readSafetensors(answer)).tensors[0].name).toBe('conv1.weight');
    answer = join(out, 'model');
    expect(await handlers['weights:export']({ id: DONE, format: 'tfjs' })).toMatchObject({
      saved: true,
      path: join(out, 'model.json'),
    });
    expect(saveCalls[1]).toMatchObject({ defaultName: 'mnist_cnn.json', filters: [{ extensions: ['json'] }] });
    expect(saveCalls[1].filters).toHaveLength(1);
    const files = (await readdir(out)).sort();
    expect(files).toHaveLength(3);
    expect(files.filter((f) => f !== 'model.json' && f !== 'w.safetensors')).toEqual([
      expect.stringMatching(/^model\.[0-9a-f]{8}\.weights\.bin$/),
    ]);
    answer = null;
    expect(await handlers['weights:export']({ id: DONE })).toEqual({ saved: false, reason: 'cancelled' });
  });

  it('weights:export failures say why and leave no file', async () => {
    const { handlers } = setup();
    answer = join(out, 'missing-folder', 'mnist_cnn.pth');
    await expect(handlers['weights:export']({ id: DONE })).rejects.toThrow(
      `the weights were not exported to ${answer}: cannot write ${answer}: directory does not exist; they are still in ` +
        'the history: export them again to another place',
    );
    if (existsSync('/proc/self')) {
      // Was "directory does not exist": /proc is there, it only takes no new files.
      answer = '/proc/mnist_cnn.pth';
      await expect(handlers['weights:export']({ id: DONE })).rejects.toThrow(
        'cannot write /proc/mnist_cnn.pth: the folder does not take new files (a virtual file system such as /proc); they are still',
      );
    }
    answer = join(out, 'mnist_cnn.json');
    await expect(handlers['weights:export']({ id: DONE })).rejects.toThrow(
      /"mnist_cnn\.json" ends in "\.json" \(TensorFlow\.js model\), but the format chosen is PyTorch state_dict: nothing was written/,
    );
    expect(await readdir(out)).toEqual([]);
    await expect(handlers['weights:export']({ id: FAILED })).rejects.toThrow(
      `run ${FAILED} has no stored weights: only runs that finished keep them (it ended failed)`,
    );
    await expect(handlers['weights:export']({ id: '20250102-030405678-cpu-999999' })).rejects.toThrow(
      'is not in the history',
    );
  });

  it("words its save dialogs in the user's language: titles and filter names in Chinese, extensions as they are", async () => {
    const { handlers } = setup();
    setLanguage('zh-CN');
    try {
      await handlers['history:export-csv'](undefined);
      await handlers['weights:export']({ id: DONE, format: 'pth' });
      await handlers['weights:export']({ id: DONE, format: 'tfjs' });
    } finally {
      setLanguage('en');
    }
    expect(saveCalls.map((c) => [c.title, c.filters])).toEqual([
      ['将历史记录导出为 CSV', [{ name: 'CSV', extensions: ['csv'] }]],
      ['将权重导出为 PyTorch state_dict', [{ name: 'PyTorch state_dict (.pth)', extensions: ['pth', 'pt'] }]],
      [
        '将权重导出为 TensorFlow.js 模型',
        [{ name: 'TensorFlow.js 模型 (.json + .weights.bin)', extensions: ['json'] }],
      ],
    ]);
  });

  describe('weights:export follows the format chosen in the export dialog, whatever the typed name ends in', () => {
    const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    const stored = () => makeModel(5, { finite: true }).weights;

    it('TF.js chosen, "tfjs.pth" typed: refused naming both formats, nothing written; "tfjs.json" then saves TF.js', async () => {
      const { handlers } = setup();
      answer = join(out, 'tfjs.pth');
      await expect(handlers['weights:export']({ id: DONE, format: 'tfjs' })).rejects.toThrow(
        '"tfjs.pth" ends in ".pth" (PyTorch state_dict), but the format chosen is TensorFlow.js model: nothing was written. ' +
          'Save it under a name ending in ".json", or choose PyTorch state_dict',
      );
      expect(await readdir(out)).toEqual([]);
      expect(saveCalls[0]).toMatchObject({
        title: 'Export weights as TensorFlow.js model',
        filters: [{ extensions: ['json'] }],
      });

      answer = join(out, 'tfjs.json');
      expect(await handlers['weights:export']({ id: DONE, format: 'tfjs' })).toMatchObject({
        saved: true,
        path: answer,
      });
      const artifacts = await readTfjsArtifacts(answer);
      expect(artifacts.weightSpecs.map((w) => w.name)).toEqual(stored().map((w) => w.name));
      expect(Buffer.from(artifacts.weightData).equals(Buffer.concat(stored().map((w) => bits(w.data))))).toBe(true);
    });

    const refused: [ExportFormat, string][] = [
      ['pth', 'w.safetensors'],
      ['safetensors', 'w.PT'],
      ['safetensors', 'model.json'],
      ['pth', 'm.Json'],
    ];
    it.each(refused)('%s chosen, %s typed: refused, and no file appears', async (format, name) => {
      const { handlers } = setup();
      answer = join(out, name);
      await expect(handlers['weights:export']({ id: DONE, format })).rejects.toThrow(
        /but the format chosen is .*: nothing was written/,
      );
      expect(await readdir(out)).toEqual([]);
    });

    it('a name with no export extension gets the chosen one, and the file is that format (read back)', async () => {
      const { handlers } = setup();
      answer = join(out, 'mnist_cnn.v2');
      expect(await handlers['weights:export']({ id: DONE, format: 'safetensors' })).toMatchObject({
        saved: true,
        path: join(out, 'mnist_cnn.v2.safetensors'),
      });
      const { tensors } = await readSafetensors(join(out, 'mnist_cnn.v2.safetensors'));
      expect(bits(tensors[4].data).equals(bits(toTorch(stored())[4].data))).toBe(true);

      answer = join(out, 'notes.txt');
      expect(await handlers['weights:export']({ id: DONE, format: 'pth' })).toMatchObject({
        path: join(out, 'notes.txt.pth'),
      });
      expect((await readPth(join(out, 'notes.txt.pth')))[0].name).toBe('conv1.weight');
      answer = join(out, 'Run.PT');
      expect(await handlers['weights:export']({ id: DONE, format: 'pth' })).toMatchObject({ path: answer });
      expect((await readFile(answer)).subarray(0, 2).toString('latin1')).toBe('PK'); // torch.save's zip
    });

    it('an added extension never replaces a file the save dialog did not ask about', async () => {
      const { handlers } = setup();
      await writeFile(join(out, 'model.pth'), "the user's own file");
      answer = join(out, 'model');
      await expect(handlers['weights:export']({ id: DONE, format: 'pth' })).rejects.toThrow(
        '"model.pth" already exists, and the save dialog asked about "model", not it: nothing was written. ' +
          'To replace it, save again under the full name "model.pth"',
      );
      expect(await readFile(join(out, 'model.pth'), 'utf8')).toBe("the user's own file");
      expect(await readdir(out)).toEqual(['model.pth']);
      answer = join(out, 'model.pth'); // chosen in the dialog, which asked before replacing it
      expect(await handlers['weights:export']({ id: DONE, format: 'pth' })).toMatchObject({
        saved: true,
        path: answer,
      });
      expect((await readPth(answer)).map((t) => t.name)[0]).toBe('conv1.weight');
    });
  });

  it('dataset:choose refuses a folder that is not a local absolute path here, before reading it', async () => {
    let inspected = 0;
    const { runs } = setup();
    const handlers = createHandlers({
      appInfo: { name: 'Athanor', version: '0.1.0', platform: 'linux', packaged: false },
      devices: { get: async () => devicesReport },
      runs,
      history,
      dialogs: { saveFile: async () => null, chooseFolder: async () => answer },
      inspectDataset: async () => {
        inspected++;
        return { trainCount: 1, testCount: 1, source: 'idx files' };
      },
    });
    for (const [folder, reason] of [
      ['\\\\nas\\mnist', /^the chosen folder "\\\\\\\\nas\\\\mnist" is a network path/],
      ['C:\\mnist', /is a Windows path; on this system a folder path starts with "\/"$/],
      ['mnist', /is not an absolute path/],
      ['/data/../mnist', /has a "\." or "\.\." part/],
    ] as const) {
      answer = folder;
      await expect(handlers['dataset:choose'](undefined), folder).rejects.toThrow(reason);
    }
    expect(inspected).toBe(0);
    answer = '/srv/mnist';
    expect(await handlers['dataset:choose'](undefined)).toEqual({
      dir: '/srv/mnist',
      trainCount: 1,
      testCount: 1,
      source: 'idx files',
    });
    expect(inspected).toBe(1);
  });

  it('dataset:choose counts a real MNIST folder, refuses a folder without MNIST data, and passes on a cancel', async () => {
    const { handlers } = setup();
    answer = bundledMnistDir();
    expect(await handlers['dataset:choose'](undefined)).toEqual({
      dir: answer,
      trainCount: 60000,
      testCount: 10000,
      source: 'idx files',
    });
    answer = out;
    await expect(handlers['dataset:choose'](undefined)).rejects.toThrow(
      `${out}: no MNIST data found: looked for the four idx files (train-images-idx3-ubyte, train-labels-idx1-ubyte, `,
    );
    answer = null;
    expect(await handlers['dataset:choose'](undefined)).toBeNull();
  });

  it("dataset:choose reads the layouts people have: torchvision's ./data and a folder holding mnist_*.csv", async () => {
    const { handlers } = setup();
    const subset = await realSubset();
    answer = await write(
      join(dir, 'data'),
      Object.fromEntries(Object.entries(idxFiles(subset)).map(([n, b]) => [`MNIST/raw/${n}`, b])),
    );
    expect(await handlers['dataset:choose'](undefined)).toEqual({
      dir: answer,
      trainCount: TRAIN,
      testCount: TEST,
      source: 'idx files in MNIST/raw',
    });
    answer = await write(join(dir, 'csv'), {
      'mnist_train.csv': csvText(subset.trainImages, subset.trainLabels),
      'mnist_test.csv': csvText(subset.testImages, subset.testLabels),
    });
    expect(await handlers['dataset:choose'](undefined)).toEqual({
      dir: answer,
      trainCount: TRAIN,
      testCount: TEST,
      source: 'mnist_train.csv and mnist_test.csv',
    });
  });
});
