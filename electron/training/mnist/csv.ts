/**
 * MNIST as CSV (the "MNIST in CSV" files mnist_train.csv / mnist_test.csv, and Kaggle's Fashion-MNIST CSVs): one
 * image a line, the label then 784 pixel values, comma-separated, with or without a header row. Parsed in one pass
 * over the bytes, with the same strictness as idx: every line and every value is checked.
 */
import { t } from '../../shared/i18n';
import { DatasetError, IMAGE_SIZE, MAX_IMAGES, readDataFile } from './errors';

// Local copies: the hot loop must not read imported bindings (CommonJS builds turn each read into a getter call).
const PIXELS = IMAGE_SIZE;
const MAX_ROWS = MAX_IMAGES;
const FIELDS = PIXELS + 1;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const ZERO = 0x30;
const NINE = 0x39;
const isDigit = (c: number): boolean => c >= ZERO && c <= NINE;

/** Reads one CSV split: `count` labels and `count` * 784 pixel bytes. Throws DatasetError naming the line. */
export async function readMnistCsv(file: string): Promise<{ images: Uint8Array; labels: Uint8Array; count: number }> {
  const b = await readDataFile(file);
  if (b.length === 0) throw new DatasetError(t('dataset.empty', { file, note: '' }));
  const capacity = Math.min(countLines(b), MAX_IMAGES);
  const images = new Uint8Array(capacity * IMAGE_SIZE);
  const labels = new Uint8Array(capacity);
  const notNumber = (line: number, field: number, at: number): never => {
    const text = JSON.stringify(valueText(b, at));
    throw new DatasetError(t('dataset.csv.notNumber', { file, line, field, text }));
  };

  let i = 0;
  let line = 1;
  // A header row ("label,pixel0,..." or "label,1x1,...") starts with a name, not a number: skip it.
  let first = 0;
  while (b[first] === SPACE || b[first] === TAB) first++;
  if (first < b.length && !isDigit(b[first]) && b[first] !== CR && b[first] !== LF) {
    const end = b.indexOf(LF);
    i = end < 0 ? b.length : end + 1;
    line = 2;
  }
  // One pass, one state machine: the value being read, its digit count, and whether a space has closed it.
  let count = 0;
  let field = 0;
  let value = 0;
  let digits = 0;
  let closed = false;
  for (; i <= b.length; i++) {
    const c = i < b.length ? b[i] : LF; // a missing newline at the end ends the last line
    if (c >= ZERO && c <= NINE && !closed) {
      value = value * 10 + (c - ZERO);
      digits++;
    } else if (c === SPACE || c === TAB || c === CR) {
      closed = digits > 0;
    } else if (c === COMMA || c === LF) {
      if (c === LF && field === 0 && digits === 0) {
        if (i < b.length) line++; // a blank line, such as the usual one at the end
        continue;
      }
      if (digits === 0 || digits > 3) notNumber(line, field + 1, i);
      if (field === 0) {
        if (value > 9) throw new DatasetError(t('dataset.csv.label', { file, line, label: value }));
        if (count === MAX_ROWS) throw new DatasetError(t('dataset.csv.tooMany', { file, max: MAX_ROWS }));
        labels[count] = value;
      } else if (field < FIELDS) {
        if (value > 255) throw new DatasetError(t('dataset.csv.pixel', { file, line, pixel: field - 1, value }));
        images[count * PIXELS + field - 1] = value;
      }
      field++;
      value = 0;
      digits = 0;
      closed = false;
      if (c === LF) {
        if (field !== FIELDS)
          throw new DatasetError(t('dataset.csv.count', { file, line, n: field, fields: FIELDS, pixels: PIXELS }));
        count++;
        field = 0;
        line++;
      }
    } else {
      notNumber(line, field + 1, i);
    }
  }
  if (count === 0) throw new DatasetError(t('dataset.csv.none', { file }));
  return { images: images.subarray(0, count * PIXELS), labels: labels.subarray(0, count), count };
}

function countLines(b: Uint8Array): number {
  let lines = 1;
  for (let at = b.indexOf(LF); at >= 0; at = b.indexOf(LF, at + 1)) lines++;
  return lines;
}

/** The text of the value around `at` (between commas or line ends), for an error message. */
function valueText(b: Uint8Array, at: number): string {
  const isEnd = (c: number) => c === COMMA || c === LF || c === CR;
  let start = Math.min(at, b.length);
  while (start > 0 && !isEnd(b[start - 1])) start--;
  let stop = start;
  while (stop < b.length && !isEnd(b[stop])) stop++;
  return Buffer.from(b.subarray(start, Math.min(stop, start + 20)))
    .toString('utf8')
    .trim();
}
