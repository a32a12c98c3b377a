/**
 * Where the MNIST data is, in any of the layouts people have: the four idx files (raw or .gz, dashed or dotted
 * names, each loose or in a folder of its own name as in Kaggle's "MNIST Dataset"), torchvision's download
 * (`root/MNIST/raw/`), a pair of CSV files (mnist_train.csv / mnist_test.csv) or Keras's mnist.npz. `--data` and
 * the folder picker may name the folder, or one of the files.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DatasetError, fsReason } from './errors';
import { specialKind } from '../../fs-read';
import { t } from '../../shared/i18n';
import { CODE_NAMES } from '../../shared/i18n/code-names';
import { DATA_NAMES } from './names';

export type Source =
  | { format: 'idx'; files: [trainImages: string, trainLabels: string, testImages: string, testLabels: string] }
  | { format: 'csv'; train: string; test: string }
  | { format: 'npz'; file: string };

export const IDX_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];
/** Subfolders torchvision downloads into (`datasets.MNIST(root)` and its siblings), and `raw` for `root/MNIST`. */
const TORCHVISION = ['MNIST/raw', 'FashionMNIST/raw', 'KMNIST/raw', 'raw'];
/** Every layout `findInFolder` knows, in words, for a folder that holds none. */
const lookedFor = (): string =>
  t('dataset.find.lookedFor', {
    files: IDX_FILES.join(t('dataset.listSeparator')),
    torchvision: CODE_NAMES.torchvision,
    keras: DATA_NAMES.keras,
  });

/** The usual name first, then the gzip and the dotted variants. */
export function idxCandidates(base: string): string[] {
  const dotted = base.replace(/-(idx\d-ubyte)$/, '.$1');
  return [base, `${base}.gz`, dotted, `${dotted}.gz`];
}

/**
 * The entries of `dir`, by lower-case name (idx, CSV and npz names are matched without case, as on Windows and
 * macOS). A folder that is not there, or is a file, has none; one that cannot be listed is a DatasetError.
 */
async function entries(dir: string): Promise<Map<string, string>> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return new Map();
    throw new DatasetError(t('dataset.find.cannotList', { dir, reason: fsReason(err) }));
  }
  return new Map(names.sort().map((n) => [n.toLowerCase(), n]));
}

/** Whether the listed `file` is a regular file; a link to nothing, or one that cannot be read, is said so. */
async function isFile(file: string): Promise<boolean> {
  return (await fileSize(file)) !== null;
}

/** The size in bytes of the listed `file` if it is a regular file, else null; errors as `isFile`. */
async function fileSize(file: string): Promise<number | null> {
  try {
    const stat = await fs.stat(file);
    if (stat.isFile()) return stat.size;
    // A data file's name on a pipe or a device is that file, unreadable: "not found" would send the user looking.
    if (!stat.isDirectory()) {
      throw new DatasetError(t('dataset.find.special', { file, kind: specialKind(stat) }));
    }
    return null;
  } catch (err) {
    if (err instanceof DatasetError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && (await fs.lstat(file).catch(() => undefined))?.isSymbolicLink()) {
      throw new DatasetError(t('dataset.find.deadLink', { file }));
    }
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new DatasetError(t('dataset.find.cannotRead', { file, reason: fsReason(err) }));
  }
}

/**
 * One idx file in `dir`: loose, or (Kaggle) inside a folder named like the file. The first non-empty regular file
 * wins; an empty one (an interrupted unpack beside its good .gz) only when there is nothing else, to be refused.
 */
async function findIdxFile(dir: string, listing: Map<string, string>, base: string): Promise<string | null> {
  const names = idxCandidates(base);
  let empty: string | null = null;
  const consider = async (file: string): Promise<boolean> => {
    const size = await fileSize(file);
    if (size === 0) empty ??= file;
    return size !== null && size > 0;
  };
  for (const name of names) {
    const real = listing.get(name);
    if (real && (await consider(path.join(dir, real)))) return path.join(dir, real);
  }
  for (const folder of names) {
    const realFolder = listing.get(folder);
    if (!realFolder) continue;
    const inner = await entries(path.join(dir, realFolder));
    for (const name of names) {
      const real = inner.get(name);
      if (real && (await consider(path.join(dir, realFolder, real)))) return path.join(dir, realFolder, real);
    }
  }
  return empty;
}

async function findIdx(dir: string, listing: Map<string, string>): Promise<(string | null)[]> {
  return Promise.all(IDX_FILES.map((base) => findIdxFile(dir, listing, base)));
}

const complete = (found: (string | null)[]): found is [string, string, string, string] =>
  found.every((f) => f !== null);

/** The error for a folder with some of the idx files: every missing one, in a fixed order, and an optional hint (words). */
function missingIdx(dir: string, found: (string | null)[], hint = ''): DatasetError {
  const missing = IDX_FILES.filter((_, i) => found[i] === null);
  const separator = t('dataset.listSeparator');
  if (missing.length === 1) {
    const candidates = idxCandidates(missing[0]).join(separator);
    return new DatasetError(t('dataset.find.missingOne', { name: missing[0], dir, candidates, hint }));
  }
  return new DatasetError(t('dataset.find.missingMany', { names: missing.join(separator), dir, hint }));
}

/**
 * A CSV split's name: `<prefix>train.csv` or `<prefix>test.csv`, where the prefix is empty or ends in `_`, `-`, `.`
 * or a space (`mnist_train.csv`, `fashion-mnist_test.csv`, `train.csv`; not `latest.csv`). Without case.
 */
const CSV_SPLIT = /^(.*[_\-. ])?(train|test)\.csv$/i;

/** A `<prefix>train.csv` with its `<prefix>test.csv` among `names`. */
async function findCsvPair(dir: string, listing: Map<string, string>): Promise<Source | null> {
  for (const name of listing.values()) {
    const m = CSV_SPLIT.exec(name);
    if (!m || m[2].toLowerCase() !== 'train') continue;
    const test = listing.get(`${m[1] ?? ''}test.csv`.toLowerCase());
    if (test && (await isFile(path.join(dir, name))) && (await isFile(path.join(dir, test)))) {
      return { format: 'csv', train: path.join(dir, name), test: path.join(dir, test) };
    }
  }
  return null;
}

/**
 * What the folder holds, in this order: a data set in the folder itself (idx, a CSV pair, an npz), then torchvision's
 * subfolders (MNIST first). The first place that holds part of an idx set decides: part of a set is refused with
 * the missing files named (and any complete folder to choose instead), never quietly replaced by another data set.
 */
async function findInFolder(dir: string): Promise<Source> {
  const listing = await entries(dir);
  const here = await findIdx(dir, listing);
  if (complete(here)) return { format: 'idx', files: here };
  // One folder of Kaggle's layout, chosen instead of the one holding them all: that one is the data set.
  if (isIdxName(path.basename(dir))) {
    const above = await findInFolder(path.dirname(dir)).catch(() => null);
    if (above) return above;
  }
  const csv = await findCsvPair(dir, listing);
  if (csv) return csv;
  const names = [...listing.values()];
  const npzs = names.filter((n) => /\.npz$/i.test(n));
  const npz = listing.get('mnist.npz') ?? onlyOne(npzs);
  if (npz && (await isFile(path.join(dir, npz)))) return { format: 'npz', file: path.join(dir, npz) };

  const partial: { dir: string; found: (string | null)[] }[] = here.some((f) => f) ? [{ dir, found: here }] : [];
  for (const sub of TORCHVISION) {
    const folder = await resolveFolder(dir, listing, sub);
    if (!folder || folder.listing.size === 0) continue;
    const { at: raw, listing: subListing } = folder;
    const found = await findIdx(raw, subListing);
    if (complete(found)) {
      if (partial.length > 0)
        throw missingIdx(partial[0].dir, partial[0].found, t('dataset.find.completeElsewhere', { dir: raw }));
      return { format: 'idx', files: found };
    }
    if (found.some((f) => f)) partial.push({ dir: raw, found });
  }
  if (partial.length > 0) throw missingIdx(partial[0].dir, partial[0].found);
  if (npzs.length > 1) {
    const names = npzs.join(t('dataset.listSeparator'));
    throw new DatasetError(t('dataset.find.manyNpz', { dir, n: npzs.length, names }));
  }
  // One CSV split without its partner: the same error as naming that file.
  for (const lone of names.filter((n) => CSV_SPLIT.test(n))) {
    if (await isFile(path.join(dir, lone))) return findFromFile(path.join(dir, lone));
  }
  throw new DatasetError(t('dataset.find.nothing', { dir, lookedFor: lookedFor() }));
}

const onlyOne = (names: string[]): string | undefined => (names.length === 1 ? names[0] : undefined);

/**
 * `sub` ("MNIST/raw") under `dir`, each segment matched without case: its path as it is on disk, with its entries;
 * null when absent.
 */
async function resolveFolder(
  dir: string,
  listing: Map<string, string>,
  sub: string,
): Promise<{ at: string; listing: Map<string, string> } | null> {
  let at = dir;
  let here = listing;
  for (const segment of sub.split('/')) {
    const real = here.get(segment.toLowerCase());
    if (!real) return null;
    at = path.join(at, real);
    here = await entries(at);
  }
  return { at, listing: here };
}
const isIdxName = (name: string) => IDX_FILES.some((base) => idxCandidates(base).includes(name.toLowerCase()));

/** A file named directly: an .npz, one of a CSV pair (the other is found beside it), or one of the idx files. */
async function findFromFile(file: string): Promise<Source> {
  const dir = path.dirname(file);
  const name = path.basename(file);
  if (/\.npz$/i.test(name)) return { format: 'npz', file };
  const csv = CSV_SPLIT.exec(name);
  if (csv) {
    const prefix = csv[1] ?? '';
    const isTrain = csv[2].toLowerCase() === 'train';
    const partner = (await entries(dir)).get(`${prefix}${isTrain ? 'test' : 'train'}.csv`.toLowerCase());
    if (partner && !(await isFile(path.join(dir, partner)))) {
      const key = isTrain ? 'dataset.find.partnerNotFileTest' : 'dataset.find.partnerNotFileTrain';
      throw new DatasetError(t(key, { partner: path.join(dir, partner), file }));
    }
    if (!partner) {
      const expected = path.join(dir, `${prefix}${isTrain ? 'test' : 'train'}.csv`);
      throw new DatasetError(t('dataset.find.partnerMissing', { partner: expected, file }));
    }
    const other = path.join(dir, partner);
    return { format: 'csv', train: isTrain ? file : other, test: isTrain ? other : file };
  }
  if (isIdxName(name)) {
    // Kaggle's layout puts each file in a folder named like it: the data set is the folder above.
    return findInFolder(isIdxName(path.basename(dir)) ? path.dirname(dir) : dir);
  }
  throw new DatasetError(t('dataset.find.notData', { file }));
}

/** Finds the data at `target` (a folder or a file); throws DatasetError saying what was looked for. */
export async function findSource(target: string): Promise<Source> {
  const stat = await fs.stat(target).catch((err: NodeJS.ErrnoException) => {
    // It may have been meant as a folder or as a file (mnist.npz, a CSV): say neither.
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR')
      throw new DatasetError(t('dataset.find.doesNotExist', { target }));
    throw new DatasetError(t('dataset.find.cannotRead', { file: target, reason: fsReason(err) }));
  });
  if (stat.isDirectory()) return findInFolder(target);
  if (stat.isFile()) return findFromFile(target);
  throw new DatasetError(t('dataset.find.targetSpecial', { target, kind: specialKind(stat) }));
}
