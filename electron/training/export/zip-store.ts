/**
 * Uncompressed (STORED) zip files, the container PyTorch's serialization uses since 1.6. Record data starts on a
 * 64-byte boundary, as torch's own writer arranges, so a reader can use storages in place (memory-mapped, as
 * `torch.load(mmap=True)` does) without copying them to aligned memory. Checksums: Node's zlib.crc32 (Node 20.15+,
 * the CRC-32 of ISO 3309 that zip's APPNOTE 4.4.7 names).
 */
import { crc32 } from 'node:zlib';

export const ALIGNMENT = 64;
/** torch pads with an extra field of this id ("FB"); zip readers skip extra fields they do not know. */
const PAD_FIELD_ID = 0x4246;
const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const END_SIG = 0x06054b50;
/** 1980-01-01 00:00, the earliest DOS date: a fixed stamp keeps exports byte-for-byte reproducible. */
const DOS_DATE = (1 << 5) | 1;

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

/** A STORED zip of `entries`, each entry's data aligned to 64 bytes from the start of the file. */
export function buildStoredZip(entries: readonly ZipEntry[]): Uint8Array {
  const encoder = new TextEncoder();
  const names = entries.map((e) => encoder.encode(e.name));
  const crcs = entries.map((e) => crc32(e.data));
  const offsets: number[] = [];
  const pads: number[] = [];
  let size = 0;
  entries.forEach((e, i) => {
    offsets.push(size);
    const unpadded = size + 30 + names[i].length + 4;
    pads.push((ALIGNMENT - (unpadded % ALIGNMENT)) % ALIGNMENT);
    size = unpadded + pads[i] + e.data.length;
  });
  const centralStart = size;
  size += names.reduce((n, name) => n + 46 + name.length, 0) + 22;
  if (size > 0xffffffff || entries.length > 0xffff) throw new Error('zip too large (zip64 is not supported)');

  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  // Fields shared by the local and the central header, from "version needed" to "uncompressed size".
  const common = (at: number, i: number): void => {
    view.setUint16(at, 20, true);
    view.setUint16(at + 2, 0, true); // flags
    view.setUint16(at + 4, 0, true); // method: stored
    view.setUint16(at + 6, 0, true); // time
    view.setUint16(at + 8, DOS_DATE, true);
    view.setUint32(at + 10, crcs[i], true);
    view.setUint32(at + 14, entries[i].data.length, true);
    view.setUint32(at + 18, entries[i].data.length, true);
  };
  entries.forEach((e, i) => {
    let at = offsets[i];
    view.setUint32(at, LOCAL_SIG, true);
    common(at + 4, i);
    view.setUint16(at + 26, names[i].length, true);
    view.setUint16(at + 28, 4 + pads[i], true);
    out.set(names[i], at + 30);
    at += 30 + names[i].length;
    view.setUint16(at, PAD_FIELD_ID, true);
    view.setUint16(at + 2, pads[i], true);
    out.set(e.data, at + 4 + pads[i]); // the padding bytes stay zero
  });
  let at = centralStart;
  entries.forEach((_, i) => {
    view.setUint32(at, CENTRAL_SIG, true);
    view.setUint16(at + 4, 20, true); // version made by
    common(at + 6, i);
    view.setUint16(at + 28, names[i].length, true);
    // extra length, comment length, disk number, internal and external attributes stay zero
    view.setUint32(at + 42, offsets[i], true);
    out.set(names[i], at + 46);
    at += 46 + names[i].length;
  });
  view.setUint32(at, END_SIG, true);
  view.setUint16(at + 8, entries.length, true);
  view.setUint16(at + 10, entries.length, true);
  view.setUint32(at + 12, at - centralStart, true);
  view.setUint32(at + 16, centralStart, true);
  return out;
}

/** An entry read back: `offset` is where its data starts in the file, so tests can check the alignment. */
export interface StoredEntry extends ZipEntry {
  offset: number;
}

/** Reads a zip whose entries are all STORED (what torch and buildStoredZip write), checking each CRC. */
export function readStoredZip(file: Uint8Array): Map<string, StoredEntry> {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let end = file.length - 22;
  // The end record sits before an optional comment of up to 64 KiB.
  while (end >= 0 && view.getUint32(end, true) !== END_SIG) end--;
  if (end < 0 || file.length - end > 22 + 0xffff) throw new Error('not a zip file (no end of central directory)');
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  const entries = new Map<string, StoredEntry>();
  for (let i = 0; i < count; i++) {
    if (view.getUint32(at, true) !== CENTRAL_SIG) throw new Error('corrupt zip central directory');
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = decoder.decode(file.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + skip;
    if (method !== 0) throw new Error(`zip entry ${name} is compressed (method ${method}); only stored ones are read`);
    if (view.getUint32(local, true) !== LOCAL_SIG) throw new Error(`corrupt zip local header for ${name}`);
    const offset = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (offset + size > file.length) throw new Error(`zip entry ${name} runs past the end of the file`);
    const data = file.subarray(offset, offset + size);
    if (crc32(data) !== crc) throw new Error(`zip entry ${name} fails its CRC check`);
    entries.set(name, { name, data, offset });
  }
  return entries;
}
