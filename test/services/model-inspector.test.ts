import { setLanguage } from '../../electron/shared/i18n';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/services/handlers';
import { HistoryStore } from '../../electron/services/history-store';
import { RunManager } from '../../electron/services/run-manager';
import type { DevicesReport } from '../../electron/shared/ipc-contract';
import { bundledMnistDir, readIdxImages, readIdxLabels } from '../../electron/training/core/dataset';
import { predictDigit } from '../../electron/training/core/infer';
import { initialWeights } from '../../electron/training/core/model';
import { fakeSpawner } from './fake-worker';
import { makeRecord } from './fixtures';

const DONE = '20250102-030405678-cpu-000001';
const FAILED = '20250102-030405679-gpu-000002';
let dir: string;
let history: HistoryStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'athanor-inspect-'));
  history = await HistoryStore.open(join(dir, 'user-data'));
  await history.saveWeights(DONE, { weights: initialWeights(11), topology: {} });
  await history.put(makeRecord(DONE, { hasWeights: true }));
  await history.put(makeRecord(FAILED, { status: 'failed', device: 'gpu' }));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function handlers() {
  const runs = new RunManager({ spawn: fakeSpawner().spawn, history, hardware: () => ({ cpu: 'x', gpu: null }) });
  const dialogs = { saveFile: async () => null, chooseFolder: async () => null };
  return createHandlers({
    appInfo: { name: 'Athanor', version: '0', platform: 'linux', packaged: false },
    devices: { get: async () => ({}) as DevicesReport },
    runs,
    history,
    dialogs,
  });
}

describe('model:predict and model:test-images', () => {
  it("answer a drawn image with the stored weights' probabilities", async () => {
    const pixels = Array.from({ length: 784 }, (_, i) => (i % 28 > 10 && i % 28 < 16 ? 1 : -1));
    const { probabilities } = await handlers()['model:predict']({ id: DONE, pixels });
    expect(probabilities).toHaveLength(10);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(probabilities).toEqual(Array.from(predictDigit(initialWeights(11), pixels)));
  });

  it("return the bundled MNIST's test images as stored in the file, with labels and the run's prediction", async () => {
    const data = bundledMnistDir();
    const images = await readIdxImages(join(data, 't10k-images-idx3-ubyte'));
    const labels = await readIdxLabels(join(data, 't10k-labels-idx1-ubyte'));
    const got = await handlers()['model:test-images']({ id: DONE, indices: [0, 7, 9999] });
    expect(got.map((g) => [g.index, g.label])).toEqual([
      [0, labels[0]],
      [7, labels[7]],
      [9999, labels[9999]],
    ]);
    expect(got.map((g) => g.label)).toEqual([7, 9, 6]); // MNIST's test set starts 7, 2, 1, 0, 4, 1, 4, 9 and ends with a 6
    for (const g of got) {
      expect(g.pixels).toEqual(Array.from(images.data.subarray(g.index * 784, (g.index + 1) * 784)));
      const p = predictDigit(
        initialWeights(11),
        g.pixels.map((v) => (v / 255 - 0.5) / 0.5),
      );
      expect(g.predicted).toBe(p.indexOf(Math.max(...p)));
      expect(g.probability).toBeCloseTo(p[g.predicted], 5);
    }
  });

  it('say clearly when the run has no weights, is unknown, or the image is outside the test set', async () => {
    const h = handlers();
    const pixels = new Array(784).fill(0);
    await expect(h['model:predict']({ id: FAILED, pixels })).rejects.toThrow(`run ${FAILED} has no stored weights`);
    await expect(h['model:predict']({ id: '20250102-030405678-cpu-999999', pixels })).rejects.toThrow(
      'is not in the history',
    );
    await expect(h['model:test-images']({ id: DONE, indices: [10_000] })).rejects.toThrow(
      "test image 10000 does not exist: the run's test set has 10000 images",
    );
    await expect(h['model:predict']({ id: DONE, pixels: pixels.slice(2) })).rejects.toThrow(
      'invalid argument for "model:predict"',
    );
    setLanguage('zh-CN');
    try {
      await expect(h['model:predict']({ id: FAILED, pixels })).rejects.toThrow(`训练 ${FAILED} 没有保存权重`);
      await expect(h['model:test-images']({ id: DONE, indices: [10_000] })).rejects.toThrow(
        '测试图像 10000 不存在：这次训练的测试集只有 10000 张图像',
      );
    } finally {
      setLanguage('en');
    }
  });
});
