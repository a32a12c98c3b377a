/**
 * Decompression with a byte cap set by the data's own header: a compressed file that would unpack to more than its
 * header (or the format) allows is refused as soon as it passes that size, never inflated in full (a gzip or zip
 * bomb costs at most one chunk past the cap).
 */
import { Readable } from 'node:stream';
import { createGunzip, createInflateRaw } from 'node:zlib';
import { t } from '../../shared/i18n';
import { DatasetError } from './errors';
import { DATA_NAMES } from './names';

/**
 * Looks at the first bytes of the unpacked content and returns how many bytes the whole content may have, or
 * undefined until it has seen enough. Throws DatasetError for a header that is wrong in itself.
 */
export type CapFromHeader = (head: Uint8Array) => number | undefined;

/** Collects unpacked chunks; throws DatasetError the moment the total passes the cap the header set. */
export class CappedBytes {
  private chunks: Uint8Array[] = [];
  private total = 0;
  private cap: number | undefined;

  constructor(
    private readonly what: string,
    private readonly capFor: CapFromHeader,
    private readonly hardCap: number,
  ) {}

  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.total += chunk.length;
    if (this.cap === undefined) this.cap = this.capFor(this.bytes());
    const cap = this.cap ?? this.hardCap;
    if (this.total > cap) {
      const what = this.what;
      throw new DatasetError(
        t(this.cap === undefined ? 'dataset.capped.overFormat' : 'dataset.capped.overHeader', { what, cap }),
      );
    }
  }

  bytes(): Uint8Array {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? new Uint8Array(0);
  }
}

/** Gunzips `bytes` through a stream of 64 KiB chunks into a CappedBytes. */
export function gunzipCapped(
  file: string,
  bytes: Uint8Array,
  capFor: CapFromHeader,
  hardCap: number,
): Promise<Uint8Array> {
  return unpackCapped(file, 'gzip', bytes, capFor, hardCap);
}

/**
 * Unpacks gzip (RFC 1952) or raw deflate (RFC 1951, as in zip entries) with Node's zlib, 64 KiB of output at a
 * time, into a CappedBytes. `what` starts every message ("file", "file (x_train)").
 */
export async function unpackCapped(
  what: string,
  format: 'gzip' | 'deflate',
  bytes: Uint8Array,
  capFor: CapFromHeader,
  hardCap: number,
): Promise<Uint8Array> {
  const sink = new CappedBytes(what, capFor, hardCap);
  const inflate =
    format === 'gzip' ? createGunzip({ chunkSize: 64 * 1024 }) : createInflateRaw({ chunkSize: 64 * 1024 });
  const stream = Readable.from([bytes]).pipe(inflate);
  try {
    for await (const chunk of stream) sink.push(chunk as Buffer);
  } catch (err) {
    if (err instanceof DatasetError) throw err;
    const words = { what, gzip: DATA_NAMES.gzip, error: (err as Error).message };
    throw new DatasetError(
      t(format === 'gzip' ? 'dataset.capped.corruptGzip' : 'dataset.capped.corruptDeflate', words),
    );
  } finally {
    inflate.destroy();
  }
  return sink.bytes();
}
