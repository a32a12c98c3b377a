/**
 * Keras's mnist.npz: a zip (numpy.savez; entries stored or deflated) of four .npy arrays, x_train (n, 28, 28),
 * y_train (n,), x_test, y_test, all uint8. fflate's streaming Unzip, fed 64 KiB at a time, splits the zip into
 * entries; Node's zlib inflates the deflated ones (natively: several times faster than JavaScript inflate), and each
 * entry is cut off at the length its .npy header announces. The .npy header follows the NumPy format
 * specification (NEP 1, numpy.lib.format): magic "\x93NUMPY", a major and a minor version byte, the header length
 * (uint16 little-endian in version 1, uint32 in versions 2 and 3), then a Python dict literal with 'descr',
 * 'fortran_order' and 'shape'.
 */
import { Unzip, type AsyncFlateStreamHandler, type UnzipDecoderConstructor, type UnzipFile } from 'fflate';
import { CappedBytes, unpackCapped, type CapFromHeader } from './capped';
import { t } from '../../shared/i18n';
import { DATA_NAMES } from './names';
import { checkLabels, DatasetError, IMAGE_SIZE, MAX_IMAGES, readDataFile, SIDE, type RawSplit } from './errors';

const ARRAYS = ['x_train', 'y_train', 'x_test', 'y_test'] as const;
type ArrayName = (typeof ARRAYS)[number];
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** numpy writes headers of a few hundred bytes; anything much longer is not a header. */
const MAX_HEADER = 64 * 1024;
const MAX_ENTRY = 12 + MAX_HEADER + MAX_IMAGES * IMAGE_SIZE;
const PUSH_SIZE = 64 * 1024;

interface NpyHeader {
  /** Bytes before the data. */
  offset: number;
  count: number;
}

/**
 * Parses the .npy header at the start of `head` and checks it is an MNIST array: uint8, C order, (n, 28, 28) or
 * (n, 784) images, (n,) labels. Returns undefined while `head` is too short to hold the whole header.
 */
export function parseNpyHeader(what: string, head: Uint8Array, kind: 'images' | 'labels'): NpyHeader | undefined {
  if (head.length < 10) return undefined;
  if (!MAGIC.every((byte, i) => head[i] === byte))
    throw new DatasetError(t('dataset.npz.notNpy', { what, magic: DATA_NAMES.magic }));
  const major = head[6];
  if (major < 1 || major > 3)
    throw new DatasetError(t('dataset.npz.version', { what, version: `${major}.${head[7]}` }));
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (major > 1 && head.length < 12) return undefined;
  const length = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (length > MAX_HEADER) throw new DatasetError(t('dataset.npz.headerSize', { what, length }));
  if (head.length < start + length) return undefined;
  const dict = Buffer.from(head.subarray(start, start + length)).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(dict)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(dict)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(dict)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    const header = JSON.stringify(dict.trim().slice(0, 120));
    throw new DatasetError(t('dataset.npz.unreadableHeader', { what, header }));
  }
  if (!/^[|<>=]?u1$/.test(descr))
    throw new DatasetError(t('dataset.npz.dtype', { what, descr, uint8: DATA_NAMES.uint8 }));
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const text = `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
  const isImages =
    shape.length === 3 ? shape[1] === SIDE && shape[2] === SIDE : shape.length === 2 && shape[1] === IMAGE_SIZE;
  if (kind === 'images' && !isImages)
    throw new DatasetError(t('dataset.npz.imageShape', { what, shape: text, side: SIDE }));
  if (kind === 'labels' && shape.length !== 1)
    throw new DatasetError(t('dataset.npz.labelShape', { what, shape: text }));
  if (fortran === 'True' && shape.length > 1)
    throw new DatasetError(t('dataset.npz.fortran', { what, fortran: DATA_NAMES.fortran }));
  const count = shape[0];
  if (!Number.isSafeInteger(count) || count < 1)
    throw new DatasetError(t('dataset.npz.shapeEmpty', { what, shape: text, kind: t(`dataset.kind.${kind}`) }));
  if (count > MAX_IMAGES) {
    const words = { what, shape: text, max: MAX_IMAGES, kind: t(`dataset.kind.${kind}`) };
    throw new DatasetError(t('dataset.npz.shapeTooMany', words));
  }
  return { offset: start + length, count };
}

/** Reads x_train, y_train, x_test and y_test from an .npz; every problem is a DatasetError naming file and array. */
export async function readMnistNpz(file: string): Promise<{ train: RawSplit; test: RawSplit }> {
  const zip = await readDataFile(file);
  if (zip.length === 0) throw new DatasetError(t('dataset.empty', { file, note: '' }));
  if (zip[0] !== 0x50 || zip[1] !== 0x4b) throw new DatasetError(t('dataset.npz.notZip', { file }));
  const arrays = await unzipArrays(file, zip);
  const missing = ARRAYS.filter((name) => !arrays.has(name));
  if (missing.length > 0) {
    const names = missing.join(t('dataset.listSeparator'));
    throw new DatasetError(t('dataset.npz.missingArrays', { ...DATA_NAMES, file, names }));
  }
  const read = (x: ArrayName, y: ArrayName): RawSplit => {
    const images = npyData(`${file} (${x})`, arrays.get(x)!, 'images');
    const labels = npyData(`${file} (${y})`, arrays.get(y)!, 'labels');
    checkLabels(`${file} (${y})`, labels.data);
    return {
      images: images.data,
      labels: labels.data,
      count: images.count,
      imagesFrom: `${file} (${x})`,
      labelsFrom: `${file} (${y})`,
    };
  };
  return { train: read('x_train', 'y_train'), test: read('x_test', 'y_test') };
}

/** Hands a deflated entry's bytes on as they are, for Node's zlib to inflate under the cap. */
class DeflatedBytes {
  static compression = 8;
  ondata: AsyncFlateStreamHandler = () => undefined;
  push(chunk: Uint8Array, final: boolean): void {
    this.ondata(null, chunk.slice(), final);
  }
}

/** The array entries of the zip, each unpacked no further than its .npy header allows. */
async function unzipArrays(file: string, zip: Uint8Array): Promise<Map<ArrayName, Uint8Array>> {
  const entries = new Map<
    ArrayName,
    { what: string; capFor: CapFromHeader; stored?: CappedBytes; deflated?: Uint8Array[] }
  >();
  let failure: unknown;
  const unzip = new Unzip();
  unzip.register(DeflatedBytes as unknown as UnzipDecoderConstructor);
  unzip.onfile = (entry: UnzipFile) => {
    const name = entry.name.replace(/\.npy$/, '') as ArrayName;
    if (!ARRAYS.includes(name) || entries.has(name)) return; // other entries are skipped, never unpacked
    const what = `${file} (${name})`;
    const kind = name.startsWith('x') ? 'images' : 'labels';
    if (entry.compression !== 0 && entry.compression !== 8) {
      const words = { what, method: entry.compression, numpy: DATA_NAMES.numpy };
      failure = new DatasetError(t('dataset.npz.compression', words));
      return;
    }
    const declared = entry.originalSize ?? 0;
    if (declared > MAX_ENTRY) {
      failure = new DatasetError(t('dataset.npz.entryTooLarge', { what, bytes: declared }));
      return;
    }
    const capFor: CapFromHeader = (head) => {
      const header = parseNpyHeader(what, head, kind);
      return header && header.offset + header.count * (kind === 'images' ? IMAGE_SIZE : 1);
    };
    const stored = entry.compression === 0 ? new CappedBytes(what, capFor, MAX_ENTRY) : undefined;
    const deflated: Uint8Array[] = [];
    entries.set(name, { what, capFor, stored, deflated: stored ? undefined : deflated });
    entry.ondata = (err, chunk) => {
      try {
        if (err) throw new DatasetError(t('dataset.npz.damagedEntry', { what, error: err.message }));
        if (stored) stored.push(chunk);
        else deflated.push(chunk);
      } catch (e) {
        failure ??= e;
        entry.terminate();
      }
    };
    entry.start();
  };
  try {
    for (let at = 0; at < zip.length && failure === undefined; at += PUSH_SIZE) {
      unzip.push(zip.subarray(at, at + PUSH_SIZE), at + PUSH_SIZE >= zip.length);
    }
  } catch (err) {
    failure ??= new DatasetError(t('dataset.npz.damagedZip', { file, error: (err as Error).message }));
  }
  if (failure !== undefined) throw failure;
  const arrays = new Map<ArrayName, Uint8Array>();
  for (const [name, e] of entries) {
    arrays.set(
      name,
      e.stored
        ? e.stored.bytes()
        : await unpackCapped(e.what, 'deflate', Buffer.concat(e.deflated!), e.capFor, MAX_ENTRY),
    );
  }
  return arrays;
}

/** The array's data after its header, which must be exactly as long as the header's shape says. */
function npyData(what: string, bytes: Uint8Array, kind: 'images' | 'labels'): { data: Uint8Array; count: number } {
  const header = parseNpyHeader(what, bytes, kind);
  if (!header) throw new DatasetError(t('dataset.npz.shortHeader', { what, bytes: bytes.length }));
  const size = header.count * (kind === 'images' ? IMAGE_SIZE : 1);
  const have = bytes.length - header.offset;
  if (have !== size) throw new DatasetError(t('dataset.npz.truncated', { what, have, size }));
  return { data: bytes.subarray(header.offset), count: header.count };
}
