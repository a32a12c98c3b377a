import { readRegularFile } from '../../fs-read';
import { basename } from 'node:path';
import { writeFileAtomic } from '../../fs-atomic';
import type { NamedTensor } from '../core/weights';
import { pickleStateDict, unpickleStateDict } from './pickle';
import { buildStoredZip, readStoredZip, type ZipEntry } from './zip-store';

/*
 * PyTorch's zip serialization (the default since torch 1.6), as `torch.save(net.state_dict(), path)` writes it:
 *   <archive>/data.pkl   pickle of the state_dict; each tensor names its storage by key
 *   <archive>/byteorder  "little"
 *   <archive>/data/<key> each storage's raw little-endian bytes
 *   <archive>/version    "3\n"
 * Float32Array is host-endian; every platform Node and Electron ship for is little-endian, so it is written as is.
 */

/** torch names the archive folder after the file; it must be a plain folder name inside the zip. */
export function archiveNameFor(path: string): string {
  const stem = basename(path)
    .replace(/\.[^.]*$/, '')
    .replace(/[^A-Za-z0-9_-]/g, '_');
  return stem || 'archive';
}

function bytesOf(data: Float32Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The .pth bytes of a state_dict in PyTorch layout (see torch-layout.ts), tensors in the order given. */
export function encodePth(tensors: readonly NamedTensor[], archive = 'mnist_cnn'): Uint8Array {
  const records = tensors.map((t, i) => ({ name: t.name, key: String(i), numel: t.data.length, shape: t.shape }));
  tensors.forEach((t) => {
    if (t.shape.reduce((a, b) => a * b, 1) !== t.data.length) throw new Error(`${t.name}: shape does not match data`);
  });
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  const entries: ZipEntry[] = [
    { name: `${archive}/data.pkl`, data: pickleStateDict(records) },
    { name: `${archive}/byteorder`, data: text('little') },
    ...tensors.map((t, i) => ({ name: `${archive}/data/${i}`, data: bytesOf(t.data) })),
    { name: `${archive}/version`, data: text('3\n') },
  ];
  return buildStoredZip(entries);
}

/** Writes a PyTorch-layout state_dict to `path` atomically; returns the file size. */
export async function writePth(path: string, tensors: readonly NamedTensor[]): Promise<number> {
  const bytes = encodePth(tensors, archiveNameFor(path));
  await writeFileAtomic(path, bytes);
  return bytes.length;
}

/**
 * Reads a .pth state_dict of float32 tensors: the files writePth writes and plain `torch.save(state_dict)` ones.
 * Tensors come back in file order, in PyTorch layout.
 */
export function decodePth(file: Uint8Array): NamedTensor[] {
  const zip = readStoredZip(file);
  const first = zip.keys().next().value;
  if (first === undefined || !first.includes('/')) throw new Error('not a PyTorch zip file (no archive folder)');
  const archive = first.slice(0, first.indexOf('/'));
  const record = (name: string): Uint8Array => {
    const entry = zip.get(`${archive}/${name}`);
    if (!entry) throw new Error(`not a PyTorch file: ${archive}/${name} is missing`);
    return entry.data;
  };
  const byteorder = zip.get(`${archive}/byteorder`);
  if (byteorder && new TextDecoder().decode(byteorder.data) !== 'little') {
    throw new Error('big-endian .pth files are not supported');
  }
  const tensors: NamedTensor[] = [];
  for (const [name, t] of unpickleStateDict(record('data.pkl'))) {
    if (t.storage.dtype !== 'torch.FloatStorage') throw new Error(`${name} is ${t.storage.dtype}, not float32`);
    const numel = t.shape.reduce((a, b) => a * b, 1);
    const contiguous = t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
    if (numel > 1 && t.stride.join() !== contiguous.join()) throw new Error(`${name} is not contiguous`);
    const raw = record(`data/${t.storage.key}`);
    if (raw.length !== t.storage.numel * 4 || t.offset + numel > t.storage.numel) {
      throw new Error(`${name}: storage ${t.storage.key} has ${raw.length} bytes, too few for its shape`);
    }
    // Copy: the record's offset in the zip need not be a multiple of 4 in files other writers made.
    const data = new Float32Array(raw.slice(t.offset * 4, (t.offset + numel) * 4).buffer);
    tensors.push({ name, shape: t.shape, data });
  }
  return tensors;
}

export async function readPth(path: string): Promise<NamedTensor[]> {
  return decodePth(new Uint8Array(await readRegularFile(path)));
}
