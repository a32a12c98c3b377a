import { readRegularFile } from '../../fs-read';
import { writeFileAtomic } from '../../fs-atomic';
import type { NamedTensor } from '../core/weights';

/*
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N bytes of JSON
 * {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}, then the tensors' bytes,
 * offsets counted from the end of the header. The header is padded with spaces to a multiple of 8 so the data
 * starts aligned, as the reference implementation does.
 */

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export function encodeSafetensors(tensors: readonly NamedTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt', ...metadata } };
  let offset = 0;
  for (const t of tensors) {
    if (t.name === '__metadata__' || t.name in header) throw new Error(`duplicate or reserved tensor name ${t.name}`);
    if (t.shape.reduce((a, b) => a * b, 1) !== t.data.length) throw new Error(`${t.name}: shape does not match data`);
    header[t.name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  const text = new TextEncoder().encode(JSON.stringify(header));
  const json = new Uint8Array(Math.ceil(text.length / 8) * 8).fill(0x20);
  json.set(text);

  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const t of tensors) {
    // Float32Array is host-endian; every platform Node ships for is little-endian, as safetensors requires.
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/** Writes the tensors (PyTorch names and layout, see torch-layout.ts) atomically; returns the file size. */
export async function writeSafetensors(
  path: string,
  tensors: readonly NamedTensor[],
  metadata: Record<string, string> = {},
): Promise<number> {
  const bytes = encodeSafetensors(tensors, metadata);
  await writeFileAtomic(path, bytes);
  return bytes.length;
}

export interface SafetensorsFile {
  tensors: NamedTensor[];
  metadata: Record<string, string>;
}

/** Reads a safetensors file of F32 tensors, in data order, checking that the offsets tile the data exactly. */
export function decodeSafetensors(file: Uint8Array): SafetensorsFile {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (file.length < 8) throw new Error('not a safetensors file (too short)');
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > file.length) throw new Error('not a safetensors file (header runs past the end)');
  const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  const { __metadata__: metadata = {}, ...entries } = header as { __metadata__?: Record<string, string> };
  const dataStart = 8 + headerLength;
  const sorted = Object.entries(entries as Record<string, HeaderEntry>).sort(
    ([, a], [, b]) => a.data_offsets[0] - b.data_offsets[0],
  );
  let expected = 0;
  const tensors = sorted.map(([name, e]) => {
    const [begin, end] = e.data_offsets;
    const numel = e.shape.reduce((a, b) => a * b, 1);
    if (e.dtype !== 'F32') throw new Error(`${name} is ${e.dtype}; only F32 is read`);
    if (begin !== expected || end - begin !== numel * 4) {
      throw new Error(`${name}: bad data_offsets [${begin}, ${end}]`);
    }
    expected = end;
    const data = new Float32Array(file.slice(dataStart + begin, dataStart + end).buffer);
    return { name, shape: [...e.shape], data };
  });
  if (dataStart + expected !== file.length) throw new Error('safetensors data does not match its header');
  return { tensors, metadata };
}

export async function readSafetensors(path: string): Promise<SafetensorsFile> {
  return decodeSafetensors(new Uint8Array(await readRegularFile(path)));
}
