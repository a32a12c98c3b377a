import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../electron/services/history-store';
import { SweepStore } from '../../electron/services/history-sweeps';
import { makeRecord } from './fixtures';
import { sweepRecord } from './sweep-fixtures';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'athanor-sweeps-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const A = sweepRecord('20261203-120000000-sweep-00000a', '2026-12-03T12:00:00.000Z');
const B = sweepRecord('20261203-130000000-sweep-00000b', '2026-12-03T13:00:00.000Z');

describe('SweepStore', () => {
  it('writes sweeps beside the history and reads them back, newest first', async () => {
    const store = await SweepStore.open(dir);
    expect(store.list()).toEqual({ sweeps: [], notice: null });
    await store.put(A);
    await store.put(B);
    await store.put({ ...A, status: 'cancelled' });
    const again = await SweepStore.open(dir);
    expect(again.list()).toEqual({ sweeps: [B, { ...A, status: 'cancelled' }], notice: null });
    // Written by rename: no temp file is left.
    expect((await readdir(dir)).sort()).toEqual(['sweeps.json']);
  });

  it('keeps a sweep that fails its check in the file, shows the others, and leaves the runs alone', async () => {
    const history = await HistoryStore.open(dir);
    await history.put(makeRecord('20261203-110000000-cpu-000001'));
    const broken = { ...B, sides: [{ ...B.sides[0], points: 'lots' }] };
    await writeFile(join(dir, 'sweeps.json'), JSON.stringify({ version: 1, sweeps: [A, broken] }));
    const store = await SweepStore.open(dir);
    expect(store.list().sweeps).toEqual([A]);
    expect(store.list().notice).toBe(
      `1 saved sweep could not be read (sweep 2: sides[0].points must be a list, got "lots"); it is kept in ${join(dir, 'sweeps.json')} as read, and the others are shown.`,
    );
    await store.put(B);
    const onDisk = JSON.parse(await readFile(join(dir, 'sweeps.json'), 'utf8'));
    expect(onDisk.sweeps).toEqual([broken, A, B]);
    const reopened = await HistoryStore.open(dir);
    expect(reopened.state().records.map((r) => r.id)).toEqual(['20261203-110000000-cpu-000001']);
  });

  it('sets aside a file that is not JSON and starts empty; leaves another version alone', async () => {
    await writeFile(join(dir, 'sweeps.json'), '{"version": 1, "sweeps": [');
    const store = await SweepStore.open(dir);
    expect(store.list().sweeps).toEqual([]);
    expect(store.list().notice).toMatch(
      /^The saved sweeps could not be read \(it is not valid JSON: .*\); the file was kept as .*sweeps\.damaged-.*\.json\.$/,
    );
    expect((await readdir(dir)).filter((f) => f.startsWith('sweeps'))).toHaveLength(1);
    await store.put(A);
    expect((await SweepStore.open(dir)).list().sweeps).toEqual([A]);

    await writeFile(join(dir, 'sweeps.json'), JSON.stringify({ version: 7, sweeps: [] }));
    const newer = await SweepStore.open(dir);
    await expect(newer.put(B)).rejects.toThrow('another version of Athanor (format 7)');
    expect(newer.list().sweeps).toEqual([B]);
    expect(JSON.parse(await readFile(join(dir, 'sweeps.json'), 'utf8'))).toEqual({ version: 7, sweeps: [] });
  });

  it('keeps a sweep listed when the disk refuses it, and writes it with the next change that lands', async () => {
    let full = true;
    const store = await SweepStore.open(dir, {
      writeFile: async (file, data) => {
        if (full) throw new Error('no space left on the disk');
        await writeFile(file, data as string);
      },
    });
    await expect(store.put(A)).rejects.toThrow('no space left on the disk');
    expect(store.list().sweeps).toEqual([A]);
    full = false;
    await store.put(B);
    expect((await SweepStore.open(dir)).list().sweeps).toEqual([B, A]);
  });

  it('refuses to keep a sweep that would not read back', async () => {
    const store = await SweepStore.open(dir);
    await expect(store.put({ ...A, id: 'not-an-id' })).rejects.toThrow(
      /^the sweep cannot be kept: .*id must be a sweep id/,
    );
    expect(store.list().sweeps).toEqual([]);
  });
});
