import { NOT_REGULAR_FILE, readRegularFile } from '../../fs-read';
import { t } from '../../shared/i18n';

import { DatasetError } from './dataset-error';

export { DatasetError } from './dataset-error';

/** A data file's bytes, whole; a file system error is a DatasetError naming the file (`fsReason`). */
export async function readDataFile(file: string): Promise<Uint8Array> {
  try {
    return await readRegularFile(file);
  } catch (err) {
    throw new DatasetError(t('dataset.fileProblem', { file, reason: fsReason(err) }));
  }
}

/** Every label must be a digit class 0..9; `what` names where they came from ("file" or "file (y_train)"). */
export function checkLabels(what: string, labels: Uint8Array): void {
  const bad = labels.findIndex((label) => label > 9);
  if (bad >= 0) throw new DatasetError(t('dataset.label', { what, label: labels[bad], index: bad }));
}

/** A file system error in words, in the language this process speaks, for `dataset.fileProblem`. */
export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return t('dataset.fs.notFound');
  if (code === 'EISDIR') return t('dataset.fs.isFolder');
  if (code === 'EACCES' || code === 'EPERM') return t('dataset.fs.permission');
  if (code === 'ELOOP') return t('dataset.fs.loop');
  if (code === NOT_REGULAR_FILE) return (err as Error).message;
  return t('dataset.fs.other', { code: code ?? (err as Error).message });
}

/** 28x28 pixels, one byte each: the only image shape the network takes. */
export const SIDE = 28;
export const IMAGE_SIZE = SIDE * SIDE;
/**
 * The most images one split may hold: EMNIST's largest split (697,932 training images) fits, and the limit keeps a
 * damaged or hostile header from asking for gigabytes before a byte of it has been checked.
 */
export const MAX_IMAGES = 1_000_000;

/** One split as stored: `count` images of 784 bytes (0..255) and `count` labels (0..9), with where each came from. */
export interface RawSplit {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  imagesFrom: string;
  labelsFrom: string;
}
