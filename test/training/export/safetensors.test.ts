import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, readSafetensors, writeSafetensors } from '../../../electron/training/export/safetensors';
import { toTorch } from '../../../electron/training/export/torch-layout';
import { initialWeights } from '../../../electron/training/core/model';
import { sameBits, tempDir } from './fixtures';

describe('.safetensors writer and reader', () => {
  const tmp = tempDir();
  afterAll(tmp.remove);
  const torch = toTorch(initialWeights(9));
  const path = join(tmp.dir, 'mnist_cnn.safetensors');

  it('round-trips every tensor bit-exactly, with names, shapes and metadata', async () => {
    await writeSafetensors(path, torch, { source: 'athanor' });
    const { tensors, metadata } = await readSafetensors(path);
    expect(tensors.map((t) => `${t.name} [${t.shape}]`)).toEqual(torch.map((t) => `${t.name} [${t.shape}]`));
    tensors.forEach((t, i) => expect(sameBits(t.data, torch[i].data), t.name).toBe(true));
    expect(metadata).toEqual({ format: 'pt', source: 'athanor' });
  });

  it('follows the format: u64 header length, space-padded JSON, data tiled by data_offsets', async () => {
    await writeSafetensors(path, torch);
    const file = readFileSync(path);
    const n = Number(file.readBigUInt64LE(0));
    expect((8 + n) % 8).toBe(0);
    const headerText = file.subarray(8, 8 + n).toString('utf8');
    expect(headerText.trimEnd().length).toBeGreaterThan(n - 8); // at most 7 spaces of padding
    expect(headerText.slice(headerText.trimEnd().length)).toMatch(/^ *$/);
    const header = JSON.parse(headerText);
    expect(header.__metadata__).toEqual({ format: 'pt' });
    expect(header['fc1.weight']).toEqual({ dtype: 'F32', shape: [128, 1600], data_offsets: [75_264, 894_464] });
    expect(file.length).toBe(8 + n + 225_034 * 4);
    // Spot-check one value straight from the bytes: fc2.bias[3], little-endian.
    const [begin] = header['fc2.bias'].data_offsets;
    expect(file.readFloatLE(8 + n + begin + 12)).toBe(torch[7].data[3]);
  });

  it('rejects a file whose header does not match its data', async () => {
    await writeSafetensors(path, torch);
    const file = readFileSync(path);
    const truncated = join(tmp.dir, 'truncated.safetensors');
    writeFileSync(truncated, file.subarray(0, file.length - 4));
    await expect(readSafetensors(truncated)).rejects.toThrow(/bad data_offsets|does not match/);
    expect(() => decodeSafetensors(new Uint8Array(4))).toThrow(/too short/);
  });
});
