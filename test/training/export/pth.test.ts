import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unpickleStateDict } from '../../../electron/training/export/pickle';
import { archiveNameFor, decodePth, encodePth, readPth, writePth } from '../../../electron/training/export/pth';
import { toTorch } from '../../../electron/training/export/torch-layout';
import { readStoredZip } from '../../../electron/training/export/zip-store';
import { initialWeights } from '../../../electron/training/core/model';
import { sameBits, tempDir } from './fixtures';

describe('.pth writer and reader', () => {
  const tmp = tempDir();
  afterAll(tmp.remove);
  const torch = toTorch(initialWeights(5));

  it('round-trips every tensor bit-exactly, with names and shapes', async () => {
    const path = join(tmp.dir, 'mnist_cnn.pth');
    const bytes = await writePth(path, torch);
    expect(statSync(path).size).toBe(bytes);
    const back = await readPth(path);
    expect(back.map((t) => `${t.name} [${t.shape}]`)).toEqual(torch.map((t) => `${t.name} [${t.shape}]`));
    back.forEach((t, i) => expect(sameBits(t.data, torch[i].data), t.name).toBe(true));
  });

  it('lays the zip out as torch.save does, each record aligned to 64 bytes', async () => {
    const path = join(tmp.dir, 'mnist_cnn.pth');
    await writePth(path, torch);
    const zip = readStoredZip(readFileSync(path));
    expect([...zip.keys()]).toEqual([
      'mnist_cnn/data.pkl',
      'mnist_cnn/byteorder',
      ...torch.map((_, i) => `mnist_cnn/data/${i}`),
      'mnist_cnn/version',
    ]);
    for (const entry of zip.values()) expect(entry.offset % 64, entry.name).toBe(0);
    const text = (name: string): string => new TextDecoder().decode(zip.get(`mnist_cnn/${name}`)!.data);
    expect(text('version')).toBe('3\n');
    expect(text('byteorder')).toBe('little');
    expect(zip.get('mnist_cnn/data/4')!.data.length).toBe(128 * 1600 * 4);
  });

  it('pickles an OrderedDict of _rebuild_tensor_v2 calls on FloatStorage records', () => {
    const zip = readStoredZip(encodePth(torch));
    const pkl = zip.get('mnist_cnn/data.pkl')!.data;
    expect([...pkl.subarray(0, 2)]).toEqual([0x80, 2]); // PROTO 2, torch.save's default
    expect(pkl[pkl.length - 1]).toBe(0x2e); // STOP
    const latin = Buffer.from(pkl).toString('latin1');
    expect(latin).toContain('ccollections\nOrderedDict\n');
    expect(latin).toContain('ctorch._utils\n_rebuild_tensor_v2\n');
    expect(latin).toContain('ctorch\nFloatStorage\n');
    const fc1 = unpickleStateDict(pkl).get('fc1.weight')!;
    expect(fc1).toEqual({
      storage: { dtype: 'torch.FloatStorage', key: '4', location: 'cpu', numel: 204_800 },
      offset: 0,
      shape: [128, 1600],
      stride: [1600, 1],
    });
  });

  it('names the archive folder after the file', async () => {
    expect(archiveNameFor('/x/mnist_cnn.pth')).toBe('mnist_cnn');
    expect(archiveNameFor('/x/my run (2).pt')).toBe('my_run__2_');
    const path = join(tmp.dir, 'run 7.pt');
    await writePth(path, torch);
    expect([...readStoredZip(readFileSync(path)).keys()][0]).toBe('run_7/data.pkl');
    expect((await readPth(path)).length).toBe(8);
  });

  it('writes the same bytes for the same weights (reproducible exports)', () => {
    expect(Buffer.from(encodePth(torch)).equals(Buffer.from(encodePth(toTorch(initialWeights(5)))))).toBe(true);
  });

  it('refuses a corrupted file instead of returning wrong weights', async () => {
    const path = join(tmp.dir, 'corrupt.pth');
    await writePth(path, torch);
    const bytes = readFileSync(path);
    const fc2 = readStoredZip(bytes).get('corrupt/data/6')!;
    bytes[fc2.offset + 10] ^= 0x40;
    writeFileSync(path, bytes);
    await expect(readPth(path)).rejects.toThrow(/corrupt\/data\/6 fails its CRC check/);
    expect(() => decodePth(new TextEncoder().encode('not a zip at all, just text'))).toThrow(/not a zip file/);
  });
});
