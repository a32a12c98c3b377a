/**
 * Compressed input that lies: a gzip idx file or an npz entry whose content is larger than its header announces is
 * refused once it passes that size. The bombs here unpack to 5 GiB, more than one Buffer can hold: the messages
 * below can only come from a reader that stopped early. And every other fault of an npz, with its message.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, loadMnist, readIdxImages, readIdxLabels } from '../../../electron/training/core/dataset';
import { deflateBomb, gzipBomb, idx, npy, realSubset, TEST, TRAIN, zip, type Subset } from './fixtures';

let subset: Subset;
let dir: string;
beforeAll(async () => {
  subset = await realSubset();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'athanor-compressed-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function errorOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatasetError);
  return (err as Error).message;
}

describe('gzip idx files', () => {
  it('a labels file whose header announces 10 labels but unpacks to 5 GiB is refused past 18 bytes', async () => {
    const file = path.join(dir, 'bomb-labels.gz');
    await fs.writeFile(file, gzipBomb(idx(0x801, [10], new Uint8Array(10)), 5));
    expect(await errorOf(readIdxLabels(file))).toBe(
      `${file}: unpacks to more than the 18 bytes its header announces: refused without unpacking the rest`,
    );
  });

  it('an images file announcing 2 images is refused past 16 + 2 x 784 bytes', async () => {
    const file = path.join(dir, 'bomb-images.gz');
    await fs.writeFile(file, gzipBomb(idx(0x803, [2, 28, 28], new Uint8Array(0)), 5));
    expect(await errorOf(readIdxImages(file))).toBe(
      `${file}: unpacks to more than the 1584 bytes its header announces: refused without unpacking the rest`,
    );
  });

  it('a header announcing more images than Athanor reads is refused before its data is unpacked', async () => {
    const file = path.join(dir, 'huge-count.gz');
    await fs.writeFile(file, gzipBomb(idx(0x803, [2 ** 31, 28, 28], new Uint8Array(0)), 5));
    expect(await errorOf(readIdxImages(file))).toBe(
      `${file}: its header announces 2147483648 images after gunzip, more than the 1000000 Athanor reads`,
    );
  });

  it('a wrong header is named from the first bytes, not after unpacking the rest', async () => {
    const file = path.join(dir, 'wrong-magic.gz');
    await fs.writeFile(file, gzipBomb(idx(0x801, [10], new Uint8Array(0)), 5));
    expect(await errorOf(readIdxImages(file))).toBe(
      `${file}: wrong magic number 0x00000801 (an idx labels file), expected 0x00000803 for idx images`,
    );
  });
});

describe('npz', () => {
  const arrays = (s: Subset) => ({
    x_train: npy([TRAIN, 28, 28], s.trainImages),
    y_train: npy([TRAIN], s.trainLabels),
    x_test: npy([TEST, 784], s.testImages),
    y_test: npy([TEST], s.testLabels),
  });
  async function npzFile(name: string, entries: Parameters<typeof zip>[0]): Promise<string> {
    const file = path.join(dir, name);
    await fs.writeFile(file, zip(entries));
    return file;
  }
  const entriesOf = (a: Record<string, Buffer>, method: 0 | 8 = 0) =>
    Object.entries(a).map(([name, data]) => ({
      name: `${name}.npy`,
      data: method === 8 ? deflateRawSync(data) : data,
      method,
    }));

  it('a hand-built npz (stored and deflated, (n, 784) test images) loads the same pixels as the idx files', async () => {
    const expected = await loadMnist({ limit: TRAIN, testLimit: TEST });
    for (const method of [0, 8] as const) {
      const data = await loadMnist({ dir: await npzFile(`hand-${method}.npz`, entriesOf(arrays(subset), method)) });
      expect(Buffer.from(data.train.images.buffer).equals(Buffer.from(expected.train.images.buffer))).toBe(true);
      expect(Buffer.from(data.test.images.buffer).equals(Buffer.from(expected.test.images.buffer))).toBe(true);
      expect(Array.from(data.test.labels)).toEqual(Array.from(expected.test.labels));
    }
  });

  it('an entry that unpacks past its .npy header, even with a declared size that lies, is refused early', async () => {
    const a = arrays(subset);
    const head = npy([TEST], new Uint8Array(0));
    const file = await npzFile('bomb.npz', [
      ...entriesOf({ x_train: a.x_train, y_train: a.y_train, x_test: a.x_test }),
      { name: 'y_test.npy', data: deflateBomb(head, 5), method: 8, size: head.length + TEST },
    ]);
    expect(await errorOf(loadMnist({ dir: file }))).toBe(
      `${file} (y_test): unpacks to more than the ${head.length + TEST} bytes its header announces: refused without unpacking the rest`,
    );
  });

  it('refuses each fault with the array named', async () => {
    const a = arrays(subset);
    const cases: [string, Record<string, Buffer>, (file: string) => string][] = [
      [
        'missing',
        { x_train: a.x_train, y_train: a.y_train, x_test: a.x_test },
        (f) => `${f}: no y_test in it (a Keras mnist.npz holds x_train, y_train, x_test and y_test)`,
      ],
      [
        'float',
        { ...a, x_train: npy([TRAIN, 28, 28], new Uint8Array(TRAIN * 784 * 4), '<f4') },
        (f) => `${f} (x_train): the values are of type '<f4', only uint8 ('|u1') is supported`,
      ],
      [
        '32px',
        { ...a, x_test: npy([TEST, 32, 32], new Uint8Array(TEST * 1024)) },
        (f) => `${f} (x_test): shape (${TEST}, 32, 32), expected (n, 28, 28) images`,
      ],
      [
        '2d-labels',
        { ...a, y_train: npy([TRAIN, 1], subset.trainLabels) },
        (f) => `${f} (y_train): shape (${TRAIN}, 1), expected (n,) labels`,
      ],
      [
        'count',
        { ...a, y_train: npy([TRAIN - 1], subset.trainLabels.subarray(1)) },
        (f) => `${f} (x_train) holds ${TRAIN} images but ${f} (y_train) holds ${TRAIN - 1} labels`,
      ],
      [
        'label',
        {
          ...a,
          y_test: npy(
            [TEST],
            Uint8Array.from(subset.testLabels, (v, i) => (i === 7 ? 10 : v)),
          ),
        },
        (f) => `${f} (y_test): label 10 at index 7 is outside 0..9`,
      ],
      [
        'short',
        { ...a, x_test: npy([TEST, 28, 28], subset.testImages.subarray(784)) },
        (f) => `${f} (x_test): truncated: ${(TEST - 1) * 784} bytes of data, its header announces ${TEST * 784}`,
      ],
      [
        'long',
        { ...a, y_test: Buffer.concat([a.y_test, Buffer.from([1, 2])]) },
        (f) =>
          `${f} (y_test): unpacks to more than the ${a.y_test.length} bytes its header announces: refused without unpacking the rest`,
      ],
      [
        'no-magic',
        { ...a, y_test: Buffer.from('not an array at all') },
        (f) => `${f} (y_test): not a .npy array (no \\x93NUMPY magic)`,
      ],
    ];
    for (const [name, entries, message] of cases) {
      const file = await npzFile(`${name}.npz`, entriesOf(entries));
      expect(await errorOf(loadMnist({ dir: file })), name).toBe(message(file));
    }
  });

  it('refuses a file that is not a zip, a declared size no MNIST array has, and an unknown compression method', async () => {
    const text = path.join(dir, 'text.npz');
    await fs.writeFile(text, 'x_train,y_train');
    expect(await errorOf(loadMnist({ dir: text }))).toBe(`${text}: not a zip archive (an .npz is a zip of .npy files)`);
    const a = arrays(subset);
    const huge = await npzFile('huge.npz', [
      ...entriesOf(a).slice(1),
      { name: 'x_train.npy', data: a.x_train, size: 0xfffffff0 },
    ]);
    expect(await errorOf(loadMnist({ dir: huge }))).toBe(
      `${huge} (x_train): declares ${0xfffffff0} bytes, more than an MNIST array can hold`,
    );
    const bzip = await npzFile('bzip2.npz', [
      ...entriesOf(a).slice(1),
      { name: 'x_train.npy', data: a.x_train, method: 12 as 8 },
    ]);
    expect(await errorOf(loadMnist({ dir: bzip }))).toBe(
      `${bzip} (x_train): compression method 12 is not supported (numpy writes entries stored or deflated)`,
    );
  });
});
