/**
 * idx files (the MNIST distribution format, http://yann.lecun.com/exdb/mnist/): a big-endian header (magic
 * 0x00000803 for uint8 images with three dimensions, 0x00000801 for uint8 labels with one; then each dimension as a
 * uint32) followed by the bytes. Raw or gzip, whatever the name says: gzip is known by its magic bytes 1f 8b.
 */
import { gunzipCapped } from './capped';
import { checkLabels, DatasetError, IMAGE_SIZE, MAX_IMAGES, readDataFile, SIDE } from './errors';

const IMAGES_MAGIC = 0x00000803;
const LABELS_MAGIC = 0x00000801;
type Kind = 'images' | 'labels';
const HEADER_SIZE: Record<Kind, number> = { images: 16, labels: 8 };
const ITEM_SIZE: Record<Kind, number> = { images: IMAGE_SIZE, labels: 1 };

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
const isGzip = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/**
 * Checks an idx header (magic, image size, count) and returns the file's exact length in bytes, or undefined when
 * `head` is too short to tell. `note` says the sizes are of gunzipped data.
 */
function expectedLength(file: string, head: Uint8Array, kind: Kind, note: string): number | undefined {
  const headerSize = HEADER_SIZE[kind];
  if (head.length < headerSize) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = view.getUint32(0);
  const expected = kind === 'images' ? IMAGES_MAGIC : LABELS_MAGIC;
  if (magic !== expected) {
    const hint =
      magic === IMAGES_MAGIC ? ' (an idx images file)' : magic === LABELS_MAGIC ? ' (an idx labels file)' : '';
    throw new DatasetError(
      `${file}: wrong magic number ${hex(magic)}${hint}, expected ${hex(expected)} for idx ${kind}`,
    );
  }
  const count = view.getUint32(4);
  if (kind === 'images') {
    const [rows, cols] = [view.getUint32(8), view.getUint32(12)];
    if (rows !== SIDE || cols !== SIDE)
      throw new DatasetError(`${file}: images are ${rows}x${cols} pixels, only ${SIDE}x${SIDE} is supported`);
  }
  if (count === 0) throw new DatasetError(`${file}: holds no ${kind} (count is 0)`);
  if (count > MAX_IMAGES)
    throw new DatasetError(
      `${file}: its header announces ${count} ${kind}${note}, more than the ${MAX_IMAGES} Athanor reads`,
    );
  return headerSize + count * ITEM_SIZE[kind];
}

/**
 * Reads an idx file and checks it against its header: magic, 28x28 images, and an exact length, so a truncated
 * download or a wrong file fails here with a sentence instead of later with a RangeError or wrong pixels. A gzip
 * file is unpacked only up to the length its header announces.
 */
async function readIdx(file: string, kind: Kind): Promise<{ count: number; payload: Uint8Array }> {
  let bytes = await readDataFile(file);
  const gzip = isGzip(bytes);
  const note = gzip ? ' after gunzip' : '';
  if (gzip) {
    const cap = (head: Uint8Array) => expectedLength(file, head, kind, note);
    bytes = await gunzipCapped(file, bytes, cap, HEADER_SIZE[kind] + MAX_IMAGES * ITEM_SIZE[kind]);
  }
  const headerSize = HEADER_SIZE[kind];
  if (bytes.length === 0) throw new DatasetError(`${file}: file is empty${note}`);
  if (bytes.length < headerSize) {
    throw new DatasetError(
      `${file}: truncated: ${bytes.length} bytes${note}, an idx ${kind} header needs ${headerSize}`,
    );
  }
  const wanted = expectedLength(file, bytes, kind, note)!;
  const count = (wanted - headerSize) / ITEM_SIZE[kind];
  if (bytes.length < wanted) {
    throw new DatasetError(`${file}: truncated: ${bytes.length} bytes${note}, expected ${wanted} for ${count} ${kind}`);
  }
  if (bytes.length > wanted) {
    throw new DatasetError(
      `${file}: ${bytes.length - wanted} trailing bytes after ${count} ${kind} (expected ${wanted} bytes)`,
    );
  }
  return { count, payload: bytes.subarray(headerSize, wanted) };
}

/** Reads and validates an idx3 images file (raw or gzip); only 28x28 images are accepted. */
export async function readIdxImages(
  file: string,
): Promise<{ data: Uint8Array; count: number; rows: number; cols: number }> {
  const { count, payload } = await readIdx(file, 'images');
  return { data: payload, count, rows: SIDE, cols: SIDE };
}

/** Reads and validates an idx1 labels file (raw or gzip); every label must be a digit class 0..9. */
export async function readIdxLabels(file: string): Promise<Uint8Array> {
  const { payload } = await readIdx(file, 'labels');
  checkLabels(file, payload);
  return payload;
}
