/** The data a run reads, in one line for a person, in the language this process speaks. */
import path from 'node:path';
import { t } from '../../shared/i18n';
import type { Source } from './find';
import { DATA_NAMES } from './names';

/**
 * What `findSource` picked, in one line for a person: "idx files in MNIST/raw", "idx files (.gz) in data, each in a
 * folder of its own name", "mnist_train.csv and mnist_test.csv", "mnist.npz (Keras)". Folders are relative to `base`
 * (the folder the user named) when given and inside it, else absolute. A folder can hold several data sets
 * (torchvision's MNIST and FashionMNIST side by side): this line is how the user learns which one trains.
 */
export function describeSource(source: Source, base?: string): string {
  /** The folder as the line names it; '' for `base` itself, which goes unsaid. */
  const where = (folder: string) => {
    const rel = base === undefined ? null : path.relative(base, folder);
    if (rel === null || rel.startsWith('..') || path.isAbsolute(rel)) return folder;
    return rel.split(path.sep).join('/');
  };
  // Each line has a form with its folder and one without: where the folder goes in a sentence differs by language.
  if (source.format === 'npz') {
    const folder = where(path.dirname(source.file));
    const words = { file: path.basename(source.file), keras: DATA_NAMES.keras };
    return folder ? t('dataset.source.npzIn', { ...words, folder }) : t('dataset.source.npz', words);
  }
  if (source.format === 'csv') {
    const folder = where(path.dirname(source.train));
    const words = { train: path.basename(source.train), test: path.basename(source.test) };
    return folder ? t('dataset.source.csvIn', { ...words, folder }) : t('dataset.source.csv', words);
  }
  const gz = source.files.every((f) => f.toLowerCase().endsWith('.gz')) ? t('dataset.source.gz') : '';
  const folders = new Set(source.files.map((f) => path.dirname(f)));
  if (folders.size === 1) {
    const folder = where(path.dirname(source.files[0]));
    return folder ? t('dataset.source.idxIn', { gz, folder }) : t('dataset.source.idx', { gz });
  }
  // Kaggle's layout: each file in a folder named like it, the folders side by side.
  const folder = where(path.dirname(path.dirname(source.files[0])));
  return folder ? t('dataset.source.kaggleIn', { gz, folder }) : t('dataset.source.kaggle', { gz });
}
