import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundledMnistDir,
  DatasetError,
  IMAGE_SIZE,
  loadMnist,
  readIdxImages,
  readIdxLabels,
  type MnistData,
} from '../../../electron/training/core/dataset';

const IMAGES_MAGIC = 0x803;
const LABELS_MAGIC = 0x801;
const NAMES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

// Published MNIST label counts (train, test).
const TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

const tmpDirs: string[] = [];
async function tmpDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'athanor-dataset-'));
  tmpDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(tmpDirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

/** An idx file: big-endian uint32 magic and dims, then the payload bytes as given (no checks: tests corrupt it). */
function idxBytes(magic: number, dims: number[], payload: ArrayLike<number>): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((dim, i) => header.writeUInt32BE(dim, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(Uint8Array.from(payload))]);
}

async function writeIdx(file: string, magic: number, dims: number[], payload: ArrayLike<number>): Promise<string> {
  await fs.writeFile(file, idxBytes(magic, dims, payload));
  return file;
}

/** Pixel j of image n of a synthetic set: deterministic, covers 0..255 and differs between images. */
const synthPixel = (n: number, j: number): number => (n * 31 + j * 7) % 256;
const synthImages = (count: number): Uint8Array =>
  Uint8Array.from({ length: count * IMAGE_SIZE }, (_, k) => synthPixel(Math.floor(k / IMAGE_SIZE), k % IMAGE_SIZE));
const synthLabels = (count: number): Uint8Array => Uint8Array.from({ length: count }, (_, n) => (n * 3) % 10);

/** A valid folder of 12 train and 5 test synthetic images under the standard names. */
async function synthFolder(): Promise<string> {
  const dir = await tmpDir();
  await writeIdx(path.join(dir, NAMES[0]), IMAGES_MAGIC, [12, 28, 28], synthImages(12));
  await writeIdx(path.join(dir, NAMES[1]), LABELS_MAGIC, [12], synthLabels(12));
  await writeIdx(path.join(dir, NAMES[2]), IMAGES_MAGIC, [5, 28, 28], synthImages(5));
  await writeIdx(path.join(dir, NAMES[3]), LABELS_MAGIC, [5], synthLabels(5));
  return dir;
}

/** The pixel scaling as stated in the issue, for expected values. */
// PyTorch's float32 steps: ToTensor divides in float32, Normalize subtracts and divides in float32.
const scaled = (byte: number): number => Math.fround(Math.fround(Math.fround(byte / 255) - 0.5) / 0.5);

function labelCounts(labels: Uint8Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

const sameBytes = (a: ArrayBufferView, b: ArrayBufferView): boolean =>
  Buffer.compare(
    Buffer.from(a.buffer, a.byteOffset, a.byteLength),
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  ) === 0;

/** The promise must reject with a DatasetError whose message contains every fragment. */
async function expectDatasetError(promise: Promise<unknown>, ...fragments: (string | RegExp)[]): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatasetError);
  const message = (err as Error).message;
  for (const fragment of fragments) {
    if (typeof fragment === 'string') expect(message).toContain(fragment);
    else expect(message).toMatch(fragment);
  }
}

describe('the bundled MNIST', () => {
  let data: MnistData;
  beforeAll(async () => {
    data = await loadMnist();
  });

  it('loads 60,000 train and 10,000 test images with the published label counts', () => {
    expect(data.dir).toBe(bundledMnistDir());
    expect(data.train.count).toBe(60000);
    expect(data.test.count).toBe(10000);
    expect(data.train.images.length).toBe(60000 * IMAGE_SIZE);
    expect(data.test.images.length).toBe(10000 * IMAGE_SIZE);
    expect(labelCounts(data.train.labels)).toEqual(TRAIN_COUNTS);
    expect(labelCounts(data.test.labels)).toEqual(TEST_COUNTS);
    expect(Array.from(data.train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(data.test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
  });

  it('scales pixels to [-1, 1] as (x/255 - 0.5) / 0.5', () => {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of data.train.images) {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    expect(min).toBe(-1);
    expect(max).toBe(1);
    // Sum computed independently with numpy in float32 steps, as PyTorch's ToTensor + Normalize do:
    // ((x.astype(float32) / 255) - 0.5) / 0.5, summed in float64.
    expect(Math.abs(sum - -34747462.31549376)).toBeLessThan(0.01);
    // First train image (a 5): pixel 0 is 0, pixel 152 is 3, pixel 161 is 255 in the raw file.
    expect(data.train.images[0]).toBe(-1);
    expect(data.train.images[152]).toBe(scaled(3));
    expect(data.train.images[161]).toBe(1);
    // Byte 64 is where float64-then-round and PyTorch's float32 steps differ by one ulp; numpy float32 gives:
    expect(scaled(64)).toBe(-0.498039186000824);
  });

  it('keeps only the first `limit` / `testLimit` images', async () => {
    const small = await loadMnist({ limit: 300, testLimit: 7 });
    expect(small.train.count).toBe(300);
    expect(small.test.count).toBe(7);
    expect(small.train.images.length).toBe(300 * IMAGE_SIZE);
    expect(small.train.labels.length).toBe(300);
    expect(small.test.labels.length).toBe(7);
    expect(sameBytes(small.train.images, data.train.images.subarray(0, 300 * IMAGE_SIZE))).toBe(true);
    expect(Array.from(small.test.labels)).toEqual(Array.from(data.test.labels.subarray(0, 7)));
  });

  it('gives identical arrays from gzip copies', async () => {
    const dir = await tmpDir();
    for (const name of NAMES) {
      const raw = await fs.readFile(path.join(bundledMnistDir(), name));
      await fs.writeFile(path.join(dir, `${name}.gz`), gzipSync(raw, { level: 1 }));
    }
    const gz = await loadMnist({ dir });
    expect(gz.train.count).toBe(60000);
    expect(sameBytes(gz.train.images, data.train.images)).toBe(true);
    expect(sameBytes(gz.train.labels, data.train.labels)).toBe(true);
    expect(sameBytes(gz.test.images, data.test.images)).toBe(true);
    expect(sameBytes(gz.test.labels, data.test.labels)).toBe(true);
  });

  it('finds the dotted Kaggle names (train-images.idx3-ubyte)', async () => {
    const dir = await tmpDir();
    for (const name of NAMES) {
      await fs.symlink(path.join(bundledMnistDir(), name), path.join(dir, name.replace('-idx', '.idx')));
    }
    const dotted = await loadMnist({ dir, limit: 50, testLimit: 50 });
    expect(Array.from(dotted.train.labels)).toEqual(Array.from(data.train.labels.subarray(0, 50)));
    expect(sameBytes(dotted.test.images, data.test.images.subarray(0, 50 * IMAGE_SIZE))).toBe(true);
  });
});

describe('other idx folders', () => {
  // Real Fashion-MNIST is not available offline; it ships gzip idx files under the MNIST names, so this builds a
  // small synthetic folder of that shape.
  it('reads a Fashion-MNIST-shaped folder of .gz files', async () => {
    const dir = await tmpDir();
    const write = (name: string, bytes: Buffer) => fs.writeFile(path.join(dir, `${name}.gz`), gzipSync(bytes));
    await write(NAMES[0], idxBytes(IMAGES_MAGIC, [12, 28, 28], synthImages(12)));
    await write(NAMES[1], idxBytes(LABELS_MAGIC, [12], synthLabels(12)));
    await write(NAMES[2], idxBytes(IMAGES_MAGIC, [5, 28, 28], synthImages(5)));
    await write(NAMES[3], idxBytes(LABELS_MAGIC, [5], synthLabels(5)));
    const data = await loadMnist({ dir });
    expect(data.dir).toBe(dir);
    expect(data.train.count).toBe(12);
    expect(data.test.count).toBe(5);
    expect(Array.from(data.train.labels)).toEqual([0, 3, 6, 9, 2, 5, 8, 1, 4, 7, 0, 3]);
    expect(data.train.images[11 * IMAGE_SIZE + 100]).toBe(scaled(synthPixel(11, 100)));
    expect(data.test.images[4 * IMAGE_SIZE + 783]).toBe(scaled(synthPixel(4, 783)));
  });

  it('detects gzip by its magic bytes, not by the name', async () => {
    const dir = await tmpDir();
    const gzipped = path.join(dir, 'images-without-gz-suffix');
    await fs.writeFile(gzipped, gzipSync(idxBytes(IMAGES_MAGIC, [2, 28, 28], synthImages(2))));
    const rawNamedGz = path.join(dir, 'labels.gz');
    await writeIdx(rawNamedGz, LABELS_MAGIC, [2], [7, 1]);
    const images = await readIdxImages(gzipped);
    expect(images.count).toBe(2);
    expect([images.rows, images.cols]).toEqual([28, 28]);
    expect(Array.from(images.data)).toEqual(Array.from(synthImages(2)));
    expect(Array.from(await readIdxLabels(rawNamedGz))).toEqual([7, 1]);
  });
});

describe('bad input', () => {
  /** A valid synthetic folder with one file replaced; returns the folder and the replaced file's path. */
  async function folderWith(name: string, bytes: Buffer): Promise<{ dir: string; file: string }> {
    const dir = await synthFolder();
    const file = path.join(dir, name);
    await fs.writeFile(file, bytes);
    return { dir, file };
  }

  it('rejects a wrong magic number', async () => {
    const { dir, file } = await folderWith(NAMES[0], idxBytes(LABELS_MAGIC, [12, 28, 28], synthImages(12)));
    await expectDatasetError(loadMnist({ dir }), file, 'wrong magic number 0x00000801', 'expected 0x00000803');
    await expectDatasetError(readIdxLabels(path.join(dir, NAMES[2])), NAMES[2], 'wrong magic number 0x00000803');
  });

  it('rejects images that are not 28x28', async () => {
    const { dir, file } = await folderWith(NAMES[2], idxBytes(IMAGES_MAGIC, [5, 32, 32], new Uint8Array(5 * 32 * 32)));
    await expectDatasetError(loadMnist({ dir }), file, 'images are 32x32 pixels');
  });

  it('rejects an image count that differs from the label count', async () => {
    const { dir, file } = await folderWith(NAMES[1], idxBytes(LABELS_MAGIC, [11], synthLabels(11)));
    await expectDatasetError(loadMnist({ dir }), path.join(dir, NAMES[0]), file, 'holds 12 images', 'holds 11 labels');
  });

  it('rejects a label outside 0..9', async () => {
    const { dir, file } = await folderWith(NAMES[3], idxBytes(LABELS_MAGIC, [5], [1, 2, 10, 3, 4]));
    await expectDatasetError(loadMnist({ dir }), file, 'label 10 at index 2 is outside 0..9');
  });

  it('rejects a truncated file and a truncated header', async () => {
    const cut = idxBytes(IMAGES_MAGIC, [12, 28, 28], synthImages(12)).subarray(0, 16 + 11 * IMAGE_SIZE + 100);
    const { dir, file } = await folderWith(NAMES[0], cut);
    await expectDatasetError(loadMnist({ dir }), file, 'truncated', `expected ${16 + 12 * IMAGE_SIZE}`);
    const header = await writeIdx(path.join(dir, 'short'), LABELS_MAGIC, [], []);
    await expectDatasetError(readIdxLabels(header), header, 'truncated: 4 bytes');
  });

  it('rejects trailing bytes', async () => {
    const { dir, file } = await folderWith(NAMES[3], idxBytes(LABELS_MAGIC, [5], [...synthLabels(5), 0, 0, 0]));
    await expectDatasetError(loadMnist({ dir }), file, '3 trailing bytes');
  });

  it('rejects corrupt gzip data, and a valid gzip of a truncated file', async () => {
    const gz = gzipSync(idxBytes(LABELS_MAGIC, [5], synthLabels(5)));
    const { dir, file } = await folderWith(NAMES[3], gz.subarray(0, gz.length - 12));
    await expectDatasetError(loadMnist({ dir }), file, 'corrupt gzip data');
    const shortGz = gzipSync(idxBytes(LABELS_MAGIC, [5], synthLabels(4)));
    await fs.writeFile(file, shortGz);
    await expectDatasetError(loadMnist({ dir }), file, 'truncated: 12 bytes after gunzip');
  });

  it("rejects a named pipe or a device in a data file's place at once instead of waiting on it", async () => {
    const dir = await synthFolder();
    const file = path.join(dir, NAMES[1]);
    await fs.rm(file);
    execFileSync('mkfifo', [file]);
    // Found under its name, and refused for what it is: "not found" would send the user looking for it.
    await expectDatasetError(loadMnist({ dir }), `${file}: it is a named pipe, not a file`);
    await expectDatasetError(readIdxLabels(file), file, 'it is a named pipe, not a file');
    await fs.rm(file);
    await fs.symlink('/dev/zero', file);
    await expectDatasetError(loadMnist({ dir }), `${file}: it is a device, not a file`);
    await expectDatasetError(readIdxLabels(file), file, 'it is a device, not a file');
    // Named as the data itself, the same words.
    await expectDatasetError(loadMnist({ dir: file }), `${file}: it is a device, not a folder or a file`);
  });

  it('rejects an empty file', async () => {
    const { dir, file } = await folderWith(NAMES[1], Buffer.alloc(0));
    await expectDatasetError(loadMnist({ dir }), file, 'file is empty');
  });

  it('names the missing file and the folder it was expected in', async () => {
    const dir = await synthFolder();
    await fs.rm(path.join(dir, NAMES[3]));
    await expectDatasetError(
      loadMnist({ dir }),
      `t10k-labels-idx1-ubyte: not found in ${dir}`,
      't10k-labels.idx1-ubyte.gz',
    );
    await expectDatasetError(readIdxImages(path.join(dir, 'nope')), path.join(dir, 'nope'), 'file not found');
    // Several missing: all named, in a fixed order, not whichever lookup lost a race.
    await fs.rm(path.join(dir, NAMES[0]));
    await expectDatasetError(
      loadMnist({ dir }),
      `train-images-idx3-ubyte, t10k-labels-idx1-ubyte: not found in ${dir}`,
    );
  });

  it('rejects a folder that does not exist', async () => {
    const dir = path.join(os.tmpdir(), 'athanor-no-such-folder', 'mnist');
    await expectDatasetError(loadMnist({ dir }), dir, 'does not exist');
  });

  it('rejects limits that are not positive integers or exceed the data', async () => {
    const dir = await synthFolder();
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      await expectDatasetError(loadMnist({ dir, limit }), 'limit must be a positive integer', String(limit));
    }
    await expectDatasetError(loadMnist({ dir, testLimit: 0 }), 'testLimit must be a positive integer');
    await expectDatasetError(loadMnist({ dir, limit: 13 }), 'limit 13 is more than the 12 images', NAMES[0]);
    await expectDatasetError(loadMnist({ dir, testLimit: 6 }), 'testLimit 6 is more than the 5 images', NAMES[2]);
    const ok = await loadMnist({ dir, limit: 12, testLimit: 5 });
    expect([ok.train.count, ok.test.count]).toEqual([12, 5]);
  });
});
