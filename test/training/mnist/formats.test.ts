/**
 * MNIST as people have it: torchvision's download, Kaggle's folders, CSV and Keras's npz, each made from the real
 * MNIST files at test time, must load to exactly the pixels and labels the idx files give; and each format's bad
 * input fails with a one-line message naming the file and the fault.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, describeData, loadMnist, type MnistData } from '../../../electron/training/core/dataset';
import { csvText, hasNumpy, idxFiles, NAMES, numpyNpz, realSubset, TEST, TRAIN, write, type Subset } from './fixtures';

let subset: Subset;
let expected: MnistData;
const tmpDirs: string[] = [];
async function tmp(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'athanor-formats-'));
  tmpDirs.push(dir);
  return dir;
}

beforeAll(async () => {
  subset = await realSubset();
  // The reference: the same images through the idx reader, from the real files.
  expected = await loadMnist({ limit: TRAIN, testLimit: TEST });
});
afterAll(async () => {
  await Promise.all(tmpDirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

/** The four idx files of the subset, gzipped, named with `suffix` after the usual names. */
const gzipped = (suffix: string) =>
  Object.fromEntries(Object.entries(idxFiles(subset)).map(([n, b]) => [`${n}${suffix}`, gzipSync(b)]));

const same = (a: ArrayBufferView, b: ArrayBufferView) =>
  Buffer.compare(
    Buffer.from(a.buffer, a.byteOffset, a.byteLength),
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  ) === 0;

/** Loads `target` and checks every pixel and label against the idx reference. */
async function expectSameAsIdx(target: string, format: MnistData['format']): Promise<MnistData> {
  const data = await loadMnist({ dir: target });
  expect([data.format, data.train.count, data.test.count]).toEqual([format, TRAIN, TEST]);
  expect(same(data.train.images, expected.train.images)).toBe(true);
  expect(same(data.test.images, expected.test.images)).toBe(true);
  expect(Array.from(data.train.labels)).toEqual(Array.from(expected.train.labels));
  expect(Array.from(data.test.labels)).toEqual(Array.from(expected.test.labels));
  return data;
}

async function expectError(target: string, message: string | RegExp): Promise<void> {
  const err = await loadMnist({ dir: target }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatasetError);
  if (typeof message === 'string') expect((err as Error).message).toBe(message);
  else expect((err as Error).message).toMatch(message);
  expect((err as Error).message).not.toContain('\n');
}

describe('idx layouts', () => {
  it("torchvision's download: ./data holding MNIST/raw/ with raw and .gz files", async () => {
    const root = await tmp();
    const files = idxFiles(subset);
    await write(path.join(root, 'MNIST', 'raw'), files);
    await write(
      path.join(root, 'MNIST', 'raw'),
      Object.fromEntries(Object.entries(files).map(([n, b]) => [`${n}.gz`, gzipSync(b)])),
    );
    const data = await expectSameAsIdx(root, 'idx');
    expect(data.files).toEqual(NAMES.map((n) => path.join(root, 'MNIST', 'raw', n)));
    expect(data.description).toBe('idx files in MNIST/raw');
    expect(await describeData(root)).toBe(`idx files in ${path.join(root, 'MNIST', 'raw')}`);
    // Pointing at data/MNIST or at data/MNIST/raw works too.
    expect((await expectSameAsIdx(path.join(root, 'MNIST'), 'idx')).description).toBe('idx files in raw');
    expect((await expectSameAsIdx(path.join(root, 'MNIST', 'raw'), 'idx')).description).toBe('idx files');
  });

  it('a folder holding MNIST beside FashionMNIST trains on MNIST and says so', async () => {
    const root = await tmp();
    const files = idxFiles(subset);
    await write(path.join(root, 'FashionMNIST', 'raw'), files);
    await write(path.join(root, 'MNIST', 'raw'), files);
    const data = await expectSameAsIdx(root, 'idx');
    expect(data.description).toBe('idx files in MNIST/raw');
    await fs.rm(path.join(root, 'MNIST'), { recursive: true });
    expect((await loadMnist({ dir: root })).description).toBe('idx files in FashionMNIST/raw');
  });

  it("torchvision's download with only the .gz files", async () => {
    const root = await tmp();
    await write(path.join(root, 'MNIST', 'raw'), gzipped('.gz'));
    expect((await expectSameAsIdx(root, 'idx')).description).toBe('idx files (.gz) in MNIST/raw');
  });

  it("Kaggle's layout: each file in a folder of its own name, dashed or dotted", async () => {
    const root = await tmp();
    const files = idxFiles(subset);
    const dotted = (n: string) => n.replace('-idx', '.idx');
    await write(root, {
      [`${NAMES[0]}/${NAMES[0]}`]: files[NAMES[0]],
      [`${NAMES[1]}/${NAMES[1]}`]: files[NAMES[1]],
      [`${dotted(NAMES[2])}/${dotted(NAMES[2])}`]: files[NAMES[2]],
      [`${dotted(NAMES[3])}/${NAMES[3]}`]: files[NAMES[3]],
    });
    expect((await expectSameAsIdx(root, 'idx')).description).toBe('idx files, each in a folder of its own name');
    expect(await describeData(root)).toBe(`idx files in ${root}, each in a folder of its own name`);
  });

  it('a path naming one of the idx files reads the folder it is in', async () => {
    const root = await write(await tmp(), idxFiles(subset));
    expect((await expectSameAsIdx(path.join(root, NAMES[2]), 'idx')).description).toBe('idx files');
  });
});

describe('CSV', () => {
  it('mnist_train.csv and mnist_test.csv, without a header row, by folder and by either file', async () => {
    const root = await write(await tmp(), {
      'mnist_train.csv': csvText(subset.trainImages, subset.trainLabels),
      'mnist_test.csv': csvText(subset.testImages, subset.testLabels),
    });
    const data = await expectSameAsIdx(root, 'csv');
    expect(data.files).toEqual([path.join(root, 'mnist_train.csv'), path.join(root, 'mnist_test.csv')]);
    expect(data.description).toBe('mnist_train.csv and mnist_test.csv');
    expect(await describeData(path.join(root, 'mnist_test.csv'))).toBe(`mnist_train.csv and mnist_test.csv in ${root}`);
    await expectSameAsIdx(path.join(root, 'mnist_train.csv'), 'csv');
    await expectSameAsIdx(path.join(root, 'mnist_test.csv'), 'csv');
  });

  it("with a header row and CRLF line ends, under Kaggle Fashion-MNIST's names", async () => {
    const root = await write(await tmp(), {
      'fashion-mnist_train.csv': csvText(subset.trainImages, subset.trainLabels, { header: true, eol: '\r\n' }),
      'fashion-mnist_test.csv': csvText(subset.testImages, subset.testLabels, { header: true, eol: '\r\n' }),
    });
    await expectSameAsIdx(root, 'csv');
  });

  it('refuses lines, values and files that are not MNIST CSV, naming the line', async () => {
    const root = await tmp();
    const good = csvText(subset.testImages.subarray(0, 3 * 784), subset.testLabels.subarray(0, 3));
    const lines = good.trimEnd().split('\n');
    const train = path.join(root, 'mnist_train.csv');
    await write(root, { 'mnist_test.csv': good });
    const cases: [string, string][] = [
      [
        [lines[0], lines[1].split(',').slice(0, 784).join(','), lines[2]].join('\n'),
        `${train}: line 2 has 784 values, expected 785 (a label, then 784 pixels)`,
      ],
      [
        [lines[0], `${lines[1]},0`].join('\n'),
        `${train}: line 2 has 786 values, expected 785 (a label, then 784 pixels)`,
      ],
      [
        [lines[0], lines[1].replace(/^(\d),\d+/, '$1,256')].join('\n'),
        `${train}: line 2: pixel 0 is 256, outside 0..255`,
      ],
      [lines[0].replace(/^\d/, '10'), `${train}: line 1: label 10 is outside 0..9`],
      [lines[0].replace(/,0,/, ',0.5,'), `${train}: line 1, value 2: "0.5" is not a whole number from 0 to 255`],
      [lines[0].replace(/,0,/, ',,'), `${train}: line 1, value 2: "" is not a whole number from 0 to 255`],
      ['', `${train}: file is empty`],
      ['label,pixel0\n', `${train}: holds no images (no line after the header)`],
    ];
    for (const [text, message] of cases) {
      await fs.writeFile(train, text);
      await expectError(root, message);
    }
    await fs.rm(train);
    await expectError(
      path.join(root, 'mnist_test.csv'),
      `${train}: not found beside ${path.join(root, 'mnist_test.csv')} (a CSV file holds one split; training needs both)`,
    );
  });
});

describe.runIf(hasNumpy())('npz written by NumPy', () => {
  it("Keras's mnist.npz (np.savez: entries stored), by folder and by file", async () => {
    const root = await tmp();
    const file = await numpyNpz(root, subset, false);
    await fs.rm(path.join(root, 'x_train.bin'));
    const data = await expectSameAsIdx(root, 'npz');
    expect(data.files).toEqual([file]);
    expect(data.description).toBe(`${path.basename(file)} (Keras)`);
    await expectSameAsIdx(file, 'npz');
  });

  it('np.savez_compressed (entries deflated)', async () => {
    const file = await numpyNpz(await tmp(), subset, true);
    await expectSameAsIdx(file, 'npz');
  });
});

describe('a folder with none of them', () => {
  it('lists what was looked for', async () => {
    const root = await write(await tmp(), { 'notes.txt': 'hello', 'data.csv': '1,2,3' });
    await expectError(
      root,
      `${root}: no MNIST data found: looked for the four idx files (${NAMES.join(', ')}; raw or .gz, ` +
        "dashed or dotted, loose or each in a folder of its own name), the same under MNIST/raw/ (torchvision's download), " +
        'mnist_train.csv with mnist_test.csv, or mnist.npz (Keras)',
    );
    await expectError(
      path.join(root, 'notes.txt'),
      `${path.join(root, 'notes.txt')}: not a file Athanor reads as MNIST: name a folder, an .npz, a *_train.csv or *_test.csv, or an idx file`,
    );
  });

  it('a torchvision folder missing a file names it, in that folder', async () => {
    const root = await tmp();
    const files = idxFiles(subset);
    delete files[NAMES[1]];
    await write(path.join(root, 'MNIST', 'raw'), files);
    await expectError(
      root,
      `${NAMES[1]}: not found in ${path.join(root, 'MNIST', 'raw')} (looked for ${NAMES[1]}, ${NAMES[1]}.gz, train-labels.idx1-ubyte, train-labels.idx1-ubyte.gz)`,
    );
  });

  it('half an MNIST download beside a whole FashionMNIST is named, not quietly replaced by FashionMNIST', async () => {
    const root = await tmp();
    const files = idxFiles(subset);
    await write(path.join(root, 'FashionMNIST', 'raw'), files);
    await write(path.join(root, 'MNIST', 'raw'), { [NAMES[0]]: files[NAMES[0]], [NAMES[1]]: files[NAMES[1]] });
    const fashion = path.join(root, 'FashionMNIST', 'raw');
    await expectError(
      root,
      `${NAMES[2]}, ${NAMES[3]}: not found in ${path.join(root, 'MNIST', 'raw')} (each also looked for as .gz and ` +
        `with a dot before idx); ${fashion} is complete: choose that folder to train on it`,
    );
    // Named directly, FashionMNIST trains.
    expect((await expectSameAsIdx(path.join(root, 'FashionMNIST'), 'idx')).description).toBe('idx files in raw');
  });

  it('one CSV split without its partner says which file is missing, whether the folder or the file is named', async () => {
    const root = await write(await tmp(), { 'mnist_train.csv': csvText(subset.trainImages, subset.trainLabels) });
    const message = `${path.join(root, 'mnist_test.csv')}: not found beside ${path.join(root, 'mnist_train.csv')} (a CSV file holds one split; training needs both)`;
    await expectError(root, message);
    await expectError(path.join(root, 'mnist_train.csv'), message);
  });

  it('the first place holding part of a set decides: loose files beside a whole MNIST/raw are named, by folder or by file', async () => {
    const root = await tmp();
    const files = idxFiles(subset);
    await write(path.join(root, 'MNIST', 'raw'), files);
    await write(root, { [NAMES[1]]: files[NAMES[1]] });
    const message =
      `${NAMES[0]}, ${NAMES[2]}, ${NAMES[3]}: not found in ${root} (each also looked for as .gz and with a dot before ` +
      `idx); ${path.join(root, 'MNIST', 'raw')} is complete: choose that folder to train on it`;
    await expectError(root, message);
    await expectError(path.join(root, NAMES[1]), message);
  });

  it('what the folder itself holds comes before its torchvision subfolders', async () => {
    const root = await tmp();
    await write(path.join(root, 'FashionMNIST', 'raw'), idxFiles(subset));
    const file = await numpyNpz(root, subset, false);
    expect((await loadMnist({ dir: root })).description).toBe(`${path.basename(file)} (Keras)`);
  });

  it('a link to nothing, named like an idx file, is named as such', async () => {
    const root = await tmp();
    const files = idxFiles(subset);
    await write(root, { [NAMES[1]]: files[NAMES[1]], [NAMES[2]]: files[NAMES[2]], [NAMES[3]]: files[NAMES[3]] });
    await fs.symlink(path.join(root, 'gone'), path.join(root, NAMES[0]));
    await expectError(root, `${path.join(root, NAMES[0])}: a link to a file that does not exist`);
  });

  it('idx names are matched without case, as CSV and npz names are', async () => {
    const root = await tmp();
    const files = idxFiles(subset);
    await write(root, Object.fromEntries(NAMES.map((n) => [n.toUpperCase(), files[n]])));
    await expectSameAsIdx(root, 'idx');
    await expectSameAsIdx(path.join(root, NAMES[0].toUpperCase()), 'idx');
  });

  it('a CSV split is <prefix>train.csv with a prefix ending in _ - . or space: latest.csv is not one', async () => {
    const root = await write(await tmp(), { 'latest.csv': '1,2,3\n' });
    await expectError(root, new RegExp(`^${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: no MNIST data found: `));
  });

  it("torchvision's folders are matched without case too, and .GZ counts as .gz", async () => {
    const root = await tmp();
    await write(path.join(root, 'mnist', 'RAW'), gzipped('.GZ'));
    expect((await expectSameAsIdx(root, 'idx')).description).toBe('idx files (.gz) in mnist/RAW');
  });

  it('an empty file left by an interrupted unpack gives way to its good .gz; alone, it is refused', async () => {
    const root = await tmp();
    const files = idxFiles(subset);
    await write(root, { ...files, [NAMES[3]]: new Uint8Array(0), [`${NAMES[3]}.gz`]: gzipSync(files[NAMES[3]]) });
    const data = await expectSameAsIdx(root, 'idx');
    expect(data.files[3]).toBe(path.join(root, `${NAMES[3]}.gz`));
    await fs.rm(path.join(root, `${NAMES[3]}.gz`));
    await expectError(
      root,
      new RegExp(`^${path.join(root, NAMES[3]).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*empty`),
    );
  });

  it('several .npz files, none named mnist.npz, are named with what to do', async () => {
    const root = await tmp();
    const file = await numpyNpz(root, subset, false);
    await fs.copyFile(file, path.join(root, 'fashion.npz'));
    await fs.rename(file, path.join(root, 'keras_mnist.npz'));
    await expectError(
      root,
      `${root}: 2 .npz files (fashion.npz, keras_mnist.npz) and none named mnist.npz: name one with --data, or keep only one in the folder`,
    );
  });

  it('a folder named like a CSV split is not taken for one', async () => {
    const root = await write(await tmp(), { 'mnist_test.csv': csvText(subset.testImages, subset.testLabels) });
    await fs.mkdir(path.join(root, 'mnist_train.csv'));
    const message = `${path.join(root, 'mnist_train.csv')}: is not a file (the training split beside ${path.join(root, 'mnist_test.csv')} must be one)`;
    await expectError(root, message);
    await expectError(path.join(root, 'mnist_test.csv'), message);
  });

  it('a link that loops is named as such', async () => {
    const root = await tmp();
    await fs.symlink(path.join(root, 'loop'), path.join(root, 'loop'));
    await expectError(
      path.join(root, 'loop'),
      `${path.join(root, 'loop')}: cannot be read: a link that loops back on itself`,
    );
  });

  it('a path that does not exist says so, without guessing folder or file', async () => {
    const target = path.join(await tmp(), 'nothere', 'mnist.npz');
    await expectError(target, `${target}: does not exist`);
  });
});

describe("a file or a folder named inside Kaggle's layout", () => {
  it('reads the data set the folder above holds', async () => {
    const root = await tmp();
    const files = idxFiles(subset);
    await write(root, Object.fromEntries(NAMES.map((n) => [`${n}/${n}`, files[n]])));
    const data = await expectSameAsIdx(path.join(root, NAMES[0], NAMES[0]), 'idx');
    expect(data.description).toBe(`idx files in ${root}, each in a folder of its own name`);
    // The folder picker chooses folders: one of the per-file folders means the set above it too.
    expect((await expectSameAsIdx(path.join(root, NAMES[2]), 'idx')).description).toBe(
      `idx files in ${root}, each in a folder of its own name`,
    );
  });
});
