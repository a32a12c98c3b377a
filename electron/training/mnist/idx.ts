/**
 * idx files (the MNIST distribution format, http://yann.lecun.com/exdb/mnist/): a big-endian header (magic
 * 0x00000803 for uint8 images with three dimensions, 0x00000801 for uint8 labels with one; then each dimension as a
 * uint32) followed by the bytes. Raw or gzip, whatever the name says: gzip is known by its magic bytes 1f 8b.
 */
import { gunzipCapped } from './capped';
import { t } from '../../shared/i18n';
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
    const key =
      magic === IMAGES_MAGIC ? 'wrongMagicImages' : magic === LABELS_MAGIC ? 'wrongMagicLabels' : 'wrongMagic';
    const words = { file, magic: hex(magic), expected: hex(expected), kind: t(`dataset.kind.${kind}`) };
    throw new DatasetError(t(`dataset.idx.${key}`, words));
  }
  const count = view.getUint32(4);
  if (kind === 'images') {
    const [rows, cols] = [view.getUint32(8), view.getUint32(12)];
    if (rows !== SIDE || cols !== SIDE)
      throw new DatasetError(t('dataset.idx.imageSize', { file, rows, cols, side: SIDE }));
  }
  if (count === 0) throw new DatasetError(t('dataset.idx.none', { file, kind: t(`dataset.kind.${kind}`) }));
  if (count > MAX_IMAGES) {
    const items = t(`dataset.items.${kind}`, { n: count });
    throw new DatasetError(t('dataset.idx.tooMany', { file, items, note, max: MAX_IMAGES }));
  }
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
  const note = gzip ? t('dataset.idx.afterGunzip') : '';
  if (gzip) {
    const cap = (head: Uint8Array) => expectedLength(file, head, kind, note);
    bytes = await gunzipCapped(file, bytes, cap, HEADER_SIZE[kind] + MAX_IMAGES * ITEM_SIZE[kind]);
  }
  const headerSize = HEADER_SIZE[kind];
  if (bytes.length === 0) throw new DatasetError(t('dataset.empty', { file, note }));
  if (bytes.length < headerSize) {
    const words = { file, bytes: bytes.length, note, kind: t(`dataset.kind.${kind}`), need: headerSize };
    throw new DatasetError(t('dataset.idx.shortHeader', words));
  }
  const wanted = expectedLength(file, bytes, kind, note)!;
  const count = (wanted - headerSize) / ITEM_SIZE[kind];
  if (bytes.length < wanted) {
    const items = t(`dataset.items.${kind}`, { n: count });
    throw new DatasetError(t('dataset.idx.truncated', { file, bytes: bytes.length, note, wanted, items }));
  }
  if (bytes.length > wanted) {
    const items = t(`dataset.items.${kind}`, { n: count });
    throw new DatasetError(t('dataset.idx.trailing', { file, extra: bytes.length - wanted, items, wanted }));
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
