/**
 * MNIST as CSV (the "MNIST in CSV" files mnist_train.csv / mnist_test.csv, and Kaggle's Fashion-MNIST CSVs): one
 * image a line, the label then 784 pixel values, comma-separated, with or without a header row. Parsed byte by
 * byte (a 110 MB file in well under a second) with the same strictness as idx: every line and value is checked.
 */
import { promises as fs } from 'node:fs';
import { DatasetError, fsReason, IMAGE_SIZE, MAX_IMAGES } from './errors';

const FIELDS = IMAGE_SIZE + 1;
const [COMMA, CR, LF, SPACE, TAB, ZERO, NINE] = [0x2c, 0x0d, 0x0a, 0x20, 0x09, 0x30, 0x39];
const isDigit = (c: number): boolean => c >= ZERO && c <= NINE;

/** Reads one CSV split: `count` labels and `count` * 784 pixel bytes. Throws DatasetError naming the line. */
export async function readMnistCsv(file: string): Promise<{ images: Uint8Array; labels: Uint8Array; count: number }> {
  let b: Uint8Array;
  try {
    b = await fs.readFile(file);
  } catch (err) {
    throw new DatasetError(`${file}: ${fsReason(err)}`);
  }
  if (b.length === 0) throw new DatasetError(`${file}: file is empty`);
  let lines = 1;
  for (const c of b) if (c === LF) lines++;
  const capacity = Math.min(lines, MAX_IMAGES);
  const images = new Uint8Array(capacity * IMAGE_SIZE);
  const labels = new Uint8Array(capacity);

  let i = 0;
  let line = 1;
  // A header row ("label,pixel0,..." or "label,1x1,...") starts with a name, not a number: skip it.
  let first = 0;
  while (first < b.length && (b[first] === SPACE || b[first] === TAB)) first++;
  if (first < b.length && !isDigit(b[first]) && b[first] !== CR && b[first] !== LF) {
    while (i < b.length && b[i] !== LF) i++;
    i++;
    line++;
  }
  let count = 0;
  for (; i < b.length; line++) {
    if (b[i] === LF || (b[i] === CR && b[i + 1] === LF)) {
      i += b[i] === CR ? 2 : 1; // a blank line (the usual one at the end)
      continue;
    }
    if (count === MAX_IMAGES) throw new DatasetError(`${file}: more than the ${MAX_IMAGES} images Athanor reads`);
    let field = 0;
    for (;;) {
      while (b[i] === SPACE || b[i] === TAB) i++;
      const start = i;
      let value = 0;
      while (i < b.length && isDigit(b[i]) && i - start < 4) value = value * 10 + b[i++] - ZERO;
      while (b[i] === SPACE || b[i] === TAB) i++;
      const end = i >= b.length ? LF : b[i];
      if (i === start || (end !== COMMA && end !== CR && end !== LF)) {
        let stop = start;
        while (stop < b.length && b[stop] !== COMMA && b[stop] !== LF && b[stop] !== CR && stop - start < 20) stop++;
        const text = Buffer.from(b.subarray(start, stop)).toString('utf8');
        throw new DatasetError(`${file}: line ${line}, value ${field + 1}: ${JSON.stringify(text)} is not a whole number from 0 to 255`);
      }
      if (field === 0) {
        if (value > 9) throw new DatasetError(`${file}: line ${line}: label ${value} is outside 0..9`);
        labels[count] = value;
      } else if (field < FIELDS) {
        if (value > 255) throw new DatasetError(`${file}: line ${line}: pixel ${field - 1} is ${value}, outside 0..255`);
        images[count * IMAGE_SIZE + field - 1] = value;
      }
      field++;
      if (end === COMMA) {
        i++;
        continue;
      }
      i += end === CR && b[i + 1] === LF ? 2 : 1;
      break;
    }
    if (field !== FIELDS) {
      throw new DatasetError(`${file}: line ${line} has ${field} values, expected ${FIELDS} (a label, then ${IMAGE_SIZE} pixels)`);
    }
    count++;
  }
  if (count === 0) throw new DatasetError(`${file}: holds no images (no line after the header)`);
  return { images: images.subarray(0, count * IMAGE_SIZE), labels: labels.subarray(0, count), count };
}
