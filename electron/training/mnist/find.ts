/**
 * Where the MNIST data is, in any of the layouts people have: the four idx files (raw or .gz, dashed or dotted
 * names, each loose or in a folder of its own name as in Kaggle's "MNIST Dataset"), torchvision's download
 * (`root/MNIST/raw/`), a pair of CSV files (mnist_train.csv / mnist_test.csv) or Keras's mnist.npz. `--data` and
 * the folder picker may name the folder, or one of the files.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DatasetError, fsReason } from './errors';

export type Source =
  | { format: 'idx'; files: [trainImages: string, trainLabels: string, testImages: string, testLabels: string] }
  | { format: 'csv'; train: string; test: string }
  | { format: 'npz'; file: string };

export const IDX_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
/** Subfolders torchvision downloads into (`datasets.MNIST(root)` and its siblings), and `raw` for `root/MNIST`. */
const TORCHVISION = ['MNIST/raw', 'FashionMNIST/raw', 'KMNIST/raw', 'raw'];
const LOOKED_FOR = `the four idx files (${IDX_FILES.join(', ')}; raw or .gz, dashed or dotted, loose or each in a folder of ` +
  "its own name), the same under MNIST/raw/ (torchvision's download), mnist_train.csv with mnist_test.csv, or mnist.npz (Keras)";

/** The usual name first, then the gzip and the dotted variants. */
export function idxCandidates(base: string): string[] {
  const dotted = base.replace(/-(idx\d-ubyte)$/, '.$1');
  return [base, `${base}.gz`, dotted, `${dotted}.gz`];
}

async function listFolder(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (err) {
    throw new DatasetError(`${dir}: cannot list the folder: ${fsReason(err)}`);
  }
}

const isFile = async (file: string) => (await fs.stat(file).catch(() => undefined))?.isFile() === true;
const isDir = async (dir: string) => (await fs.stat(dir).catch(() => undefined))?.isDirectory() === true;

/** One idx file in `dir`: loose, or (Kaggle) inside a folder named like the file; the first regular file wins. */
async function findIdxFile(dir: string, base: string): Promise<string | null> {
  const names = idxCandidates(base);
  for (const name of names) if (await isFile(path.join(dir, name))) return path.join(dir, name);
  for (const folder of names) {
    for (const name of names) if (await isFile(path.join(dir, folder, name))) return path.join(dir, folder, name);
  }
  return null;
}

async function findIdx(dir: string): Promise<(string | null)[]> {
  return Promise.all(IDX_FILES.map((base) => findIdxFile(dir, base)));
}

/** The error for a folder with some of the idx files: every missing one, in a fixed order, and an optional hint. */
function missingIdx(dir: string, found: (string | null)[], hint = ''): DatasetError {
  const missing = IDX_FILES.filter((_, i) => found[i] === null);
  if (missing.length === 1) {
    return new DatasetError(`${missing[0]}: not found in ${dir} (looked for ${idxCandidates(missing[0]).join(', ')})${hint}`);
  }
  return new DatasetError(`${missing.join(', ')}: not found in ${dir} (each also looked for as .gz and with a dot before idx)${hint}`);
}

/** A `<prefix>train.csv` with its `<prefix>test.csv`, names compared without case. */
async function findCsvPair(dir: string, names: string[]): Promise<Source | null> {
  for (const name of names) {
    const m = /^(.*)train\.csv$/i.exec(name);
    const test = m && names.find((other) => other.toLowerCase() === `${m[1]}test.csv`.toLowerCase());
    if (test && (await isFile(path.join(dir, name))) && (await isFile(path.join(dir, test)))) {
      return { format: 'csv', train: path.join(dir, name), test: path.join(dir, test) };
    }
  }
  return null;
}

async function findInFolder(dir: string): Promise<Source> {
  const here = await findIdx(dir);
  if (here.every((f) => f !== null)) return { format: 'idx', files: here as [string, string, string, string] };
  const partial: { dir: string; found: (string | null)[] }[] = here.some((f) => f) ? [{ dir, found: here }] : [];
  for (const sub of TORCHVISION) {
    const raw = path.join(dir, sub);
    if (!(await isDir(raw))) continue;
    const found = await findIdx(raw);
    if (found.every((f) => f !== null)) {
      // Half a download of the data set that comes first (MNIST) must not quietly train the one beside it.
      const broken = partial.find((p) => p.dir !== dir);
      if (broken) throw missingIdx(broken.dir, broken.found, `; ${sub} beside it is complete: choose ${raw} to train on that`);
      return { format: 'idx', files: found as [string, string, string, string] };
    }
    if (found.some((f) => f)) partial.push({ dir: raw, found });
  }
  const names = (await listFolder(dir)).sort();
  const csv = await findCsvPair(dir, names);
  if (csv) return csv;
  const npz = names.find((n) => n.toLowerCase() === 'mnist.npz') ?? onlyOne(names.filter((n) => /\.npz$/i.test(n)));
  if (npz && (await isFile(path.join(dir, npz)))) return { format: 'npz', file: path.join(dir, npz) };
  if (partial.length > 0) throw missingIdx(partial[0].dir, partial[0].found);
  // One CSV split without its partner: the same error as naming that file.
  const lone = names.find((n) => /(train|test)\.csv$/i.test(n));
  if (lone && (await isFile(path.join(dir, lone)))) return findFromFile(path.join(dir, lone));
  throw new DatasetError(`${dir}: no MNIST data found: looked for ${LOOKED_FOR}`);
}

const onlyOne = (names: string[]): string | undefined => (names.length === 1 ? names[0] : undefined);
const isIdxName = (name: string) => IDX_FILES.some((base) => idxCandidates(base).includes(name));

/** A file named directly: an .npz, one of a CSV pair (the other is found beside it), or one of the idx files. */
async function findFromFile(file: string): Promise<Source> {
  const dir = path.dirname(file);
  const name = path.basename(file);
  if (/\.npz$/i.test(name)) return { format: 'npz', file };
  const csv = /^(.*)(train|test)\.csv$/i.exec(name);
  if (csv) {
    const isTrain = csv[2].toLowerCase() === 'train';
    const wanted = `${csv[1]}${isTrain ? 'test' : 'train'}.csv`.toLowerCase();
    const partner = (await listFolder(dir)).find((n) => n.toLowerCase() === wanted);
    if (!partner || !(await isFile(path.join(dir, partner)))) {
      throw new DatasetError(`${path.join(dir, `${csv[1]}${isTrain ? 'test' : 'train'}.csv`)}: not found beside ${file} (a CSV file holds one split; training needs both)`);
    }
    const other = path.join(dir, partner);
    return { format: 'csv', train: isTrain ? file : other, test: isTrain ? other : file };
  }
  if (isIdxName(name)) {
    // Kaggle's layout puts each file in a folder named like it: the data set is the folder above.
    return findInFolder(isIdxName(path.basename(dir)) ? path.dirname(dir) : dir);
  }
  throw new DatasetError(`${file}: not a file Athanor reads as MNIST: name a folder, an .npz, a *_train.csv or *_test.csv, or an idx file`);
}

/** Finds the data at `target` (a folder or a file); throws DatasetError saying what was looked for. */
export async function findSource(target: string): Promise<Source> {
  const stat = await fs.stat(target).catch(() => undefined);
  // It may have been meant as a folder or as a file (mnist.npz, a CSV): say neither.
  if (!stat) throw new DatasetError(`${target}: does not exist`);
  if (stat.isDirectory()) return findInFolder(target);
  if (stat.isFile()) return findFromFile(target);
  throw new DatasetError(`${target}: is neither a folder nor a file`);
}

/**
 * What `findSource` picked, in one line for a person: "idx files in MNIST/raw", "idx files (.gz) in data, each in a
 * folder of its own name", "mnist_train.csv and mnist_test.csv", "mnist.npz (Keras)". Folders are relative to `base`
 * (the folder the user named) when given and inside it, else absolute. A folder can hold several data sets
 * (torchvision's MNIST and FashionMNIST side by side): this line is how the user learns which one trains.
 */
export function describeSource(source: Source, base?: string): string {
  const where = (folder: string) => {
    const rel = base === undefined ? null : path.relative(base, folder);
    if (rel === null || rel.startsWith('..') || path.isAbsolute(rel)) return ` in ${folder}`;
    return rel ? ` in ${rel.split(path.sep).join('/')}` : '';
  };
  if (source.format === 'npz') return `${path.basename(source.file)} (Keras)${where(path.dirname(source.file))}`;
  if (source.format === 'csv') return `${path.basename(source.train)} and ${path.basename(source.test)}${where(path.dirname(source.train))}`;
  const gz = source.files.every((f) => f.endsWith('.gz')) ? ' (.gz)' : '';
  const folders = new Set(source.files.map((f) => path.dirname(f)));
  if (folders.size === 1) return `idx files${gz}${where(path.dirname(source.files[0]))}`;
  // Kaggle's layout: each file in a folder named like it, the folders side by side.
  return `idx files${gz}${where(path.dirname(path.dirname(source.files[0])))}, each in a folder of its own name`;
}
