import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore, INTERRUPTED, toCsv } from '../../electron/services/history-store';
import { makeModel, makeRecord } from './fixtures';
import { describeRunEnd } from '../../electron/shared/describe-reason';

const A = '20250102-030405678-cpu-000001';
const B = '20250102-030406000-gpu-000002';
const NOW = new Date('2025-03-04T05:06:07.089Z');
/** Above Linux's largest pid (2^22), so no process has it. */
const NO_SUCH_PID = 4_194_305;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'athanor-history-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = () => HistoryStore.open(dir, { now: () => NOW });

describe('HistoryStore', () => {
  it('starts empty and round-trips rows across a reopen, in insertion order, replacing by id', async () => {
    const store = await open();
    expect(store.state()).toEqual({ records: [], notice: null });
    await store.put(makeRecord(A, { status: 'running', finalLoss: null }));
    await store.put(makeRecord(B, { device: 'gpu', hardware: 'NVIDIA A100-SXM4-40GB' }));
    await store.put(makeRecord(A, { finalLoss: 0.05 }));
    const again = await open();
    expect(again.state().records.map((r) => [r.id, r.status, r.finalLoss])).toEqual([
      [A, 'done', 0.05],
      [B, 'done', 0.081],
    ]);
    expect(again.state().records[1]).toEqual(makeRecord(B, { device: 'gpu', hardware: 'NVIDIA A100-SXM4-40GB' }));
    expect(again.state().notice).toBeNull();
  });

  it('reads a row an earlier version wrote (its end in words, no reason) and shows its words, and keeps it so', async () => {
    const old = { ...makeRecord(B), status: 'cancelled', message: 'cancelled after 9 of 300 batches' };
    delete (old as { reason?: unknown }).reason;
    await writeFile(join(dir, 'history.json'), JSON.stringify({ version: 1, records: [old] }));
    const store = await open();
    expect(store.state().notice).toBeNull();
    const row = store.get(B)!;
    expect(row.reason).toBeUndefined();
    expect(describeRunEnd(row)).toEqual({ words: 'cancelled after 9 of 300 batches', saysStatus: true });
    await store.put(makeRecord(A));
    const again = (await open()).get(B)!;
    expect(again).toMatchObject({ status: 'cancelled', message: 'cancelled after 9 of 300 batches' });
  });

  it('keeps concurrent writes in order: the file ends with the last state', async () => {
    const store = await open();
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.put(makeRecord(A, { finalLoss: i }))));
    const onDisk = JSON.parse(await readFile(store.file, 'utf8'));
    expect(onDisk.records).toHaveLength(1);
    expect(onDisk.records[0].finalLoss).toBe(19);
  });

  it('sets a file that is not JSON aside with a notice and carries on empty', async () => {
    await writeFile(join(dir, 'history.json'), '{"version":1,"records":[{"id":');
    const store = await open();
    const aside = join(dir, 'history.damaged-2025-03-04T05-06-07-089Z.json');
    expect(store.state().records).toEqual([]);
    expect(store.state().notice).toMatch(
      new RegExp(
        `^The run history could not be read \\(it is not valid JSON: .*\\); the original was kept as ${aside}; the history starts empty\\.$`,
      ),
    );
    expect(await readFile(aside, 'utf8')).toBe('{"version":1,"records":[{"id":');
    await store.put(makeRecord(A));
    expect((await open()).state()).toEqual({ records: [makeRecord(A)], notice: null });
  });

  it('sets aside a file of the wrong shape, and keeps the readable rows of a partly damaged one', async () => {
    await writeFile(join(dir, 'history.json'), JSON.stringify([makeRecord(A)]));
    expect((await open()).state().notice).toMatch(/not a history file this version can read.*starts empty/);

    const bad = { ...makeRecord(B), id: '../../escape' };
    await writeFile(join(dir, 'history.json'), JSON.stringify({ version: 1, records: [makeRecord(A), bad, 7] }));
    const store = await open();
    expect(store.state().records.map((r) => r.id)).toEqual([A]);
    expect(store.state().notice).toMatch(
      /^2 of the 3 rows of the run history could not be read \(row 2: id must be a run id .*; row 3: the row must be an object, got 7\); they were kept in .*history\.set-aside-.*\.json; the other rows are shown\.$/,
    );
    expect((await readdir(dir)).filter((f) => f.startsWith('history.set-aside-'))).toHaveLength(1);
    expect((await open()).state()).toEqual({ records: [makeRecord(A)], notice: null });
  });

  it('a row left "running" by a crash mid-run comes back as failed, with the reason, and stays so', async () => {
    const first = await open();
    await first.put(makeRecord(A));
    await first.put(makeRecord(B, { status: 'running', timings: null, finalLoss: null }));
    // The app dies here: the row was written when the run started and never replaced.
    const store = await open();
    const row = store.get(B)!;
    expect(row.status).toBe('failed');
    expect(row.reason).toEqual(INTERRUPTED);
    expect(INTERRUPTED).toEqual({ code: 'run-interrupted' });
    expect(describeRunEnd(row)?.words).toBe('the app closed before this run finished');
    expect(store.get(A)!.status).toBe('done');
    const onDisk = JSON.parse(await readFile(store.file, 'utf8'));
    expect(onDisk.records[1].status).toBe('failed');
  });

  it('a crash in the middle of a write leaves the previous file and a temp file that is cleaned up, but not a live write', async () => {
    const store = await open();
    await store.put(makeRecord(A));
    // A writer that is gone (no such pid), and one whose pid runs but whose file is an hour old: both abandoned.
    await writeFile(join(dir, `.history.json.${NO_SUCH_PID}-deadbeef.tmp`), '{"version":1,"records":[{"id"');
    await writeFile(join(dir, 'weights', `.${A}.bin.1-cafe.tmp`), 'partial');
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(join(dir, 'weights', `.${A}.bin.1-cafe.tmp`), hourAgo, hourAgo);
    // A write in flight in another live process (here: this one) is left alone.
    await writeFile(join(dir, `.history.json.${process.pid}-0123abcd.tmp`), '{"version":1,"rec');
    const reopened = await open();
    expect(reopened.state()).toEqual({ records: [makeRecord(A)], notice: null });
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([
      `.history.json.${process.pid}-0123abcd.tmp`,
    ]);
    expect(await readdir(join(dir, 'weights'))).toEqual([]);
  });

  it('stores weights bit-exactly and deletes them with the row', async () => {
    const store = await open();
    const model = makeModel(7);
    await store.saveWeights(A, model);
    await store.put(makeRecord(A, { hasWeights: true }));
    await store.put(makeRecord(B));
    const back = await (await open()).loadWeights(A);
    expect(back.topology).toEqual(model.topology);
    expect(back.weights.map((w) => [w.name, w.shape])).toEqual(model.weights.map((w) => [w.name, w.shape]));
    back.weights.forEach((w, i) => {
      expect(w.data).toBeInstanceOf(Float32Array);
      expect(
        Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength).equals(
          Buffer.from(model.weights[i].data.buffer),
        ),
      ).toBe(true);
    });
    expect((await readdir(join(dir, 'weights'))).sort()).toEqual([`${A}.bin`, `${A}.json`]);

    const state = await store.delete(A);
    expect(state.records.map((r) => r.id)).toEqual([B]);
    expect(await readdir(join(dir, 'weights'))).toEqual([]);
    expect((await open()).state().records.map((r) => r.id)).toEqual([B]);
    await expect(store.loadWeights(A)).rejects.toThrow(`the weights of run ${A} could not be read`);
  });

  it('refuses ids that are not run ids as file names, and wrong weights', async () => {
    const store = await open();
    await expect(store.saveWeights('../x', makeModel())).rejects.toThrow('not a run id: "../x"');
    await expect(store.saveWeights(A, { weights: makeModel().weights.slice(1), topology: {} })).rejects.toThrow(
      /expected 8 weight tensors/,
    );
  });
});

describe('toCsv', () => {
  it('writes a header and one line per run, by value, with quoting and formula-safe text', () => {
    const csv = toCsv([
      makeRecord(A),
      makeRecord(B, {
        status: 'failed',
        device: 'gpu',
        hardware: 'NVIDIA "Big", GPU',
        engine: null,
        timings: null,
        secondsPerEpoch: null,
        imagesPerSecond: null,
        finalLoss: NaN,
        accuracy: null,
        message: '=cmd|x\nsecond line',
        trainImages: 640,
      }),
    ]);
    const lines = csv.split('\r\n');
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(lines[0]).toBe(
      'id,started_at,status,device,hardware,engine,epochs,batch_size,learning_rate,momentum,seed,' +
        'train_images,training_s,s_per_epoch,images_per_s,final_loss,test_accuracy,message',
    );
    expect(lines[1]).toBe(
      `${A},2025-01-02T03:04:05.678Z,done,cpu,Intel(R) Xeon(R) CPU @ 2.20GHz,wasm 4.22.0,5,64,0.001,0.9,42,` +
        '60000,44,8.8,6818.2,0.081,0.9799,',
    );
    expect(lines[2]).toBe(
      `${B},2025-01-02T03:04:05.678Z,failed,gpu,"NVIDIA ""Big"", GPU",,5,64,0.001,0.9,42,` +
        `640,,,,,,"'=cmd|x\nsecond line"`,
    );
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
  });

  it('leaves the times and the rate empty for a run that timed no batch, as the CLI says n/a', () => {
    // One batch: the warm-up, untimed; main stores 0 img/s and a loop of a few microseconds for it.
    const oneBatch = makeRecord(A, {
      timings: { ...makeRecord(A).timings!, trainingMs: 0 },
      secondsPerEpoch: 0.00037,
      imagesPerSecond: 0,
      trainImages: 64,
    });
    const [, line] = toCsv([oneBatch]).split('\r\n');
    const cells = line.split(',');
    expect(cells.slice(11, 15)).toEqual(['64', '', '', '']);
    expect(cells[15]).toBe('0.081'); // the loss was measured: it stays
  });

  it("words a coded end as the app shows it, and an older row's stored words as they were", () => {
    const coded = makeRecord(A, {
      status: 'cancelled',
      message: null,
      reason: { code: 'run-cancelled', step: 9, totalSteps: 300 },
    });
    const old = makeRecord(B, { status: 'failed', message: 'the training process exited unexpectedly with code 134' });
    const lines = toCsv([coded, old]).split('\r\n');
    expect(lines[1].split(',').at(-1)).toBe('cancelled after 9 of 300 batches');
    expect(lines[2].split(',').at(-1)).toBe('the training process exited unexpectedly with code 134');
  });

  it('is just the header for an empty history', () => {
    expect(toCsv([]).split('\r\n')).toEqual([expect.stringMatching(/^id,started_at,/), '']);
  });
});
