/**
 * The history never blanks and never loses a row: bad rows are set aside with their reasons, damaged files give up
 * their complete rows, ids stay unique, two processes writing one file both keep their rows, and anything in the
 * folder that cannot be read is moved aside while the store opens.
 */
import { constants as buffers } from 'node:buffer';
import { execFileSync, fork } from 'node:child_process';
import { lstatSync, symlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatHistory } from '../../electron/services/history-file';
import { HistoryStore } from '../../electron/services/history-store';
import { writeFileAtomic, WriteFileError, type FileData } from '../../electron/fs-atomic';
import { makeModel, makeRecord } from './fixtures';

const id = (n: number, device = 'cpu') => `20250102-030405678-${device}-${n.toString(16).padStart(6, '0')}`;
const A = id(1);
const B = id(2);
const C = id(3);
const NOW = new Date('2025-03-04T05:06:07.089Z');
const STAMP = '2025-03-04T05-06-07-089Z';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'athanor-history-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = () => HistoryStore.open(dir, { now: () => NOW });
const file = () => join(dir, 'history.json');
const onDisk = async () => JSON.parse(await readFile(file(), 'utf8')).records as { id: string }[];

describe('bad rows', () => {
  it('the issue\'s example: a secondsPerEpoch of "12.5" is set aside with a notice, the good row is shown', async () => {
    const bad = { ...makeRecord(B), secondsPerEpoch: '12.5' };
    await writeFile(file(), JSON.stringify({ version: 1, records: [makeRecord(A), bad] }));
    const store = await open();
    const side = join(dir, `history.set-aside-${STAMP}.json`);
    expect(store.state()).toEqual({
      records: [makeRecord(A)],
      notice:
        '1 of the 2 rows of the run history could not be read (row 2: secondsPerEpoch must be a number of at ' +
        `least 0, got "12.5"); they were kept in ${side}; the other rows are shown.`,
    });
    // The bad row is kept as it was, with its reason; the history file holds the good row only.
    expect(JSON.parse(await readFile(side, 'utf8'))).toEqual({
      rows: [{ row: 2, reason: 'secondsPerEpoch must be a number of at least 0, got "12.5"', value: bad }],
    });
    expect(await onDisk()).toEqual([makeRecord(A)]);
    expect((await open()).state().notice).toBeNull();
  });

  it('a second set-aside in the same second gets a name of its own instead of replacing the first', async () => {
    for (const v of ['12.5', 'x']) {
      await writeFile(file(), JSON.stringify({ version: 1, records: [{ ...makeRecord(B), secondsPerEpoch: v }] }));
      await open();
    }
    const sides = (await readdir(dir)).filter((f) => f.startsWith('history.set-aside-')).sort();
    expect(sides).toEqual([`history.set-aside-${STAMP}-2.json`, `history.set-aside-${STAMP}.json`]);
  });
});

describe('damaged files', () => {
  it('salvages the complete rows of a truncated file and keeps the original', async () => {
    const full = formatHistory([makeRecord(A), makeRecord(B), makeRecord(C)]);
    const cut = full.slice(0, full.indexOf(`"${C}"`) + 20);
    await writeFile(file(), cut);
    const store = await open();
    expect(store.state().records).toEqual([makeRecord(A), makeRecord(B)]);
    const kept = join(dir, `history.damaged-${STAMP}.json`);
    expect(store.state().notice).toMatch(
      new RegExp(
        `^The run history could not be read \\(it is not valid JSON: .*\\); ` +
          `the original was kept as ${kept}; its 2 complete rows were recovered\\.$`,
      ),
    );
    expect(await readFile(kept, 'utf8')).toBe(cut);
    expect((await onDisk()).map((r) => r.id)).toEqual([A, B]);
  });

  it('cut anywhere, a file gives back exactly the rows that were complete', async () => {
    const full = formatHistory([makeRecord(A), makeRecord(B), makeRecord(C)]);
    // Where each row's closing brace ends (the store writes rows at an indent of two spaces).
    const ends = [A, B, C].map((r) => full.indexOf('\n  }', full.indexOf(`"${r}"`)) + 4);
    for (const at of [10, 40, ends[0] - 1, ends[0], ends[1] + 5, ends[2] - 1, full.length - 3]) {
      await writeFile(file(), full.slice(0, at));
      const complete = ends.filter((end) => end <= at).length;
      expect(
        (await open()).state().records.map((r) => r.id),
        `cut at ${at} of ${full.length}`,
      ).toEqual([A, B, C].slice(0, complete));
    }
  });

  it('keeps the rows on both sides of damage in the middle of the file', async () => {
    const full = formatHistory([makeRecord(A), makeRecord(B), makeRecord(C)]);
    const damaged = full.replace(`"id": "${B}"`, `"id": "${B}`); // a lost quote: row 2 no longer parses
    await writeFile(file(), damaged);
    const store = await open();
    expect(store.state().records.map((r) => r.id)).toEqual([A, C]);
    expect(store.state().notice).toContain(
      'its 2 complete rows were recovered (row 2: damaged: not a complete JSON object)',
    );
  });
});

describe('duplicate ids', () => {
  it('a different row with a taken id gets a fresh one; deleting one of the two leaves the other', async () => {
    const first = makeRecord(A, { hasWeights: true });
    const second = makeRecord(A, { device: 'gpu', hardware: 'NVIDIA A100', hasWeights: true });
    await (await open()).saveWeights(A, makeModel(1));
    await writeFile(file(), JSON.stringify({ version: 1, records: [first, second, makeRecord(B), makeRecord(B)] }));
    const store = await open();
    const rows = store.state().records;
    expect(rows).toHaveLength(3); // the exact copy of B is dropped
    expect(rows[0]).toEqual(first);
    expect(rows[1].id).toMatch(/^20250102-030405678-cpu-[0-9a-f]{6}$/);
    expect(rows[1].id).not.toBe(A);
    // The weights file is named by id: it stays with the first row.
    expect(rows[1]).toEqual({ ...second, id: rows[1].id, hasWeights: false });
    expect(store.state().notice).toContain(
      `Two different runs in the history had the id ${A}; the second is now ${rows[1].id}`,
    );
    expect(store.state().notice).toContain('1 exact copies of history rows were removed.');

    const after = await store.delete(A);
    expect(after.records.map((r) => r.id)).toEqual([rows[1].id, B]);
    expect((await onDisk()).map((r) => r.id)).toEqual([rows[1].id, B]);
  });
});

describe('two writers', () => {
  it('two store instances: A then C from one, B from the other, and B is kept', async () => {
    const one = await open();
    const two = await open();
    await one.put(makeRecord(A));
    await two.put(makeRecord(B));
    await one.put(makeRecord(C));
    expect((await onDisk()).map((r) => r.id)).toEqual([A, B, C]);
    expect(one.state().records.map((r) => r.id)).toEqual([A, B, C]);
    // A delete in one is not undone by the other's next write.
    await two.delete(A);
    await one.put(makeRecord(C, { finalLoss: 0.05 }));
    expect((await onDisk()).map((r) => r.id)).toEqual([B, C]);
  });

  it('two real processes writing 15 rows each at the same time lose none', async () => {
    const mine = Array.from({ length: 15 }, (_, i) => id(0x100 + i));
    const theirs = Array.from({ length: 15 }, (_, i) => id(0x200 + i, 'gpu'));
    const store = await open();
    const child = fork(join(__dirname, 'history-writer.ts'), [dir, ...theirs], { execArgv: ['--import', 'tsx'] });
    const childDone = new Promise<number>((resolve, reject) => {
      child.on('exit', (code) => (code === 0 ? resolve(code) : reject(new Error(`writer exited with ${code}`))));
    });
    // Both open before either writes, then write at once: each has a stale picture of the file at every step.
    await new Promise((resolve) => child.once('message', resolve));
    child.send('go');
    for (const row of mine) await store.put(makeRecord(row));
    await childDone;
    const ids = (await onDisk()).map((r) => r.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids)).toEqual(new Set([...mine, ...theirs]));
  });

  it('waits for a lock another process holds, and takes over a stale one', async () => {
    const store = await open();
    const release = await lock(file(), { realpath: false });
    let written = false;
    const put = store.put(makeRecord(A)).then(() => (written = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(written).toBe(false);
    await release();
    await put;
    expect((await onDisk()).map((r) => r.id)).toEqual([A]);

    // A crashed process's lock: a lock folder untouched for a minute.
    await mkdir(`${file()}.lock`);
    const old = new Date(Date.now() - 60_000);
    await utimes(`${file()}.lock`, old, old);
    await store.put(makeRecord(B));
    expect((await onDisk()).map((r) => r.id)).toEqual([A, B]);
    await expect(stat(`${file()}.lock`)).rejects.toThrow(/ENOENT/);
  });
});

describe('a read that fails is not an empty history', () => {
  const failing = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });
  const rows = [A, B, C].map((r) => makeRecord(r));
  // What the real file system does once the fault passes; the seam stands in for faults root cannot make here.
  const reads = (faults: string[]) => {
    const queue = [...faults];
    return (path: string) => (queue.length > 0 ? Promise.reject(failing(queue.shift()!)) : readFile(path, 'utf8'));
  };

  it.each(['EMFILE', 'EBUSY', 'EPERM'])('%s that passes: retried, every row shown, nothing set aside', async (code) => {
    await writeFile(file(), formatHistory(rows));
    const store = await HistoryStore.open(dir, { now: () => NOW, readText: reads([code, code]) });
    expect(store.state().records.map((r) => r.id)).toEqual([A, B, C]);
    expect(store.state().notice).toBeNull();
    expect((await readdir(dir)).sort()).toEqual(['history.json', 'weights']);
  });

  it('one that does not pass: the file stays as it is, writes are refused, and nothing shorter replaces it', async () => {
    await writeFile(file(), formatHistory(rows));
    const before = await readFile(file(), 'utf8');
    const denied = Array(100).fill('EACCES');
    const store = await HistoryStore.open(dir, { now: () => NOW, readText: reads(denied) });
    expect(store.state().records).toEqual([]);
    expect(store.state().notice).toBe(
      `The run history ${file()} could not be read (permission denied), even after 6 tries; ` +
        'it is left as it is, and runs are not added to it until it can be read.',
    );
    await expect(store.put(makeRecord(id(4)))).rejects.toThrow(/could not be read \(permission denied\)/);
    expect(await readFile(file(), 'utf8')).toBe(before);
    expect((await readdir(dir)).sort()).toEqual(['history.json', 'weights']);
  });

  it('a file too large for one string (over 512 MB) is read once, kept as it is, and never set aside', async () => {
    await writeFile(file(), formatHistory(rows));
    let reads = 0;
    const tooLong = async () => {
      reads++;
      throw Object.assign(new Error('Cannot create a string longer than 0x1fffffe8 characters'), {
        code: 'ERR_STRING_TOO_LONG',
      });
    };
    const store = await HistoryStore.open(dir, { now: () => NOW, readText: tooLong });
    expect(reads).toBe(1); // no retry makes it smaller
    expect(store.state().notice).toBe(
      `The run history ${file()} could not be read (it is too large to read at once); ` +
        'it is left as it is, and runs are not added to it until it can be read.',
    );
    await expect(store.put(makeRecord(id(4)))).rejects.toThrow(/too large to read at once/);
    expect((await readdir(dir)).sort()).toEqual(['history.json', 'weights']);
    expect((await onDisk()).map((r) => r.id)).toEqual([A, B, C]);
  });

  it('once it can be read again, the next write keeps every row', async () => {
    await writeFile(file(), formatHistory(rows));
    const store = await HistoryStore.open(dir, { now: () => NOW, readText: reads(Array(6).fill('EMFILE')) });
    expect(store.state().records).toEqual([]);
    await store.put(makeRecord(id(4)));
    expect((await onDisk()).map((r) => r.id)).toEqual([A, B, C, id(4)]);
    expect(store.state().records).toHaveLength(4);
  });
});

describe('a finished run that cannot be saved says so, and keeps its weights while the app is open', () => {
  it('a full disk: the row is listed with why, its weights load from memory, and both go to disk once it can', async () => {
    await writeFile(file(), formatHistory([makeRecord(A), makeRecord(B)]));
    const before = await readFile(file(), 'utf8');
    let full = true;
    // The seam for a full disk (fs-atomic's own tests write through a real full write); the real writer otherwise.
    const writeFile_ = async (path: string, data: FileData) => {
      if (full) throw new WriteFileError(path, 'ENOSPC', 'disk full');
      await writeFileAtomic(path, data);
    };
    const store = await HistoryStore.open(dir, { now: () => NOW, writeFile: writeFile_ });
    const done = { ...makeRecord(C), hasWeights: true };
    const model = makeModel(3);
    expect(await store.saveWeights(C, model)).toBe(`cannot write ${join(dir, 'weights', `${C}.bin`)}: disk full`);
    await expect(store.put(done)).rejects.toThrow(/disk full/);
    expect(await readFile(file(), 'utf8')).toBe(before);
    const shown = store.state();
    expect(shown.records.map((r) => r.id)).toEqual([A, B, C]);
    expect(shown.records[2].unsaved).toBe(`cannot write ${file()}: disk full`);
    expect(shown.notice).toBe(
      `A run of ${done.startedAt} (done) could not be saved to the history: cannot write ${file()}: ` +
        'disk full. It is listed until Athanor closes; export its weights to keep them.',
    );
    expect(store.get(C)?.hasWeights).toBe(true);
    expect(await store.loadWeights(C)).toBe(model);

    full = false;
    await store.put(makeRecord(id(4)));
    expect((await onDisk()).map((r) => r.id)).toEqual([A, B, C, id(4)]);
    expect(store.state().records.every((r) => r.unsaved === undefined)).toBe(true);
    expect(JSON.stringify(await onDisk())).not.toContain('unsaved');
  });
});

describe('unreadable things in the folder', () => {
  it('a folder named history.json is moved aside and the store opens empty', async () => {
    await mkdir(file());
    const store = await open();
    expect(store.state().records).toEqual([]);
    expect(store.state().notice).toBe(
      `The run history could not be read (it is a folder); it was set aside as ${join(dir, `history.unreadable-${STAMP}.json`)}; the history starts empty.`,
    );
    await store.put(makeRecord(A));
    expect((await onDisk()).map((r) => r.id)).toEqual([A]);
  });

  it('a file where the weights folder should be, and the folder itself being a file, are moved aside', async () => {
    await writeFile(join(dir, 'weights'), 'not a folder');
    const store = await open();
    expect(store.state().notice).toBe(
      `${join(dir, `weights.not-a-folder-${STAMP}`)} was in the way of the history folder and was set aside.`,
    );
    await store.saveWeights(A, makeModel(1));
    expect((await stat(join(dir, 'weights', `${A}.bin`))).size).toBe(225_034 * 4);

    const asFile = join(dir, 'inner');
    await writeFile(asFile, 'x');
    const inner = await HistoryStore.open(asFile, { now: () => NOW });
    expect(inner.state().notice).toContain(`${join(dir, `inner.not-a-folder-${STAMP}`)} was in the way`);
  });

  it('a link to a folder is the folder: its rows are read and written there, and both links stay links', async () => {
    const real = join(dir, 'synced');
    await mkdir(join(real, 'weights-elsewhere'), { recursive: true });
    await writeFile(join(real, 'history.json'), formatHistory([makeRecord(A), makeRecord(B), makeRecord(C)]));
    const linked = join(dir, 'linked');
    symlinkSync(real, linked);
    symlinkSync(join(real, 'weights-elsewhere'), join(real, 'weights'));
    const store = await HistoryStore.open(linked, { now: () => NOW });
    expect(store.state()).toEqual({ records: [makeRecord(A), makeRecord(B), makeRecord(C)], notice: null });
    await store.saveWeights(id(4), makeModel(1));
    await store.put(makeRecord(id(4), { hasWeights: true }));
    expect(lstatSync(linked).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(real, 'weights')).isSymbolicLink()).toBe(true);
    expect(await readdir(join(real, 'weights-elsewhere'))).toEqual([`${id(4)}.bin`, `${id(4)}.json`]);
    expect(JSON.parse(await readFile(join(real, 'history.json'), 'utf8')).records).toHaveLength(4);
  });

  const notFolders: [string, (path: string) => void, RegExp][] = [
    ['a named pipe', (path) => execFileSync('mkfifo', [path]), /is a named pipe, not a folder; it is left as it is/],
    ['a link to a device', (path) => symlinkSync('/dev/null', path), /is a device, not a folder; it is left as it is/],
    [
      'a link to nothing',
      (path) => symlinkSync('/nowhere/history', path),
      /is a link to \/nowhere\/history, which does not exist; it is left as it is/,
    ],
  ];
  it.each(notFolders)(
    "%s in the folder's place, or the weights folder's, is never moved or changed",
    async (_name, make, why) => {
      const place = join(dir, 'history');
      make(place);
      const before = lstatSync(place);
      const store = await HistoryStore.open(place, { now: () => NOW });
      expect(store.state().notice).toMatch(
        new RegExp(`^The history folder ${place} could not be made ready: ${place} ${why.source}\\.`),
      );
      expect(lstatSync(place).ino).toBe(before.ino);
      expect((await readdir(dir)).sort()).toEqual(['history']);
      // Refused at once with the reason, not after the lock's 30 s wait for "another Athanor process".
      await expect(store.put(makeRecord(A))).rejects.toThrow(
        new RegExp(`^cannot write ${place}: (it is not a folder|directory does not exist)$`),
      );

      make(join(dir, 'weights'));
      const inner = await open();
      expect(inner.state().notice).toMatch(why);
      expect(lstatSync(join(dir, 'weights')).isDirectory()).toBe(false);
    },
  );

  it.runIf(process.platform === 'linux')(
    "a folder under /proc, where Node's recursive mkdir spins for ever, is said at once",
    async () => {
      const store = await HistoryStore.open('/proc/athanor-history', { now: () => NOW });
      expect(store.state().notice).toMatch(
        /^The history folder \/proc\/athanor-history could not be made ready: \/proc takes no new folders \(a virtual file system such as \/proc\)\./,
      );
    },
  );

  it('a folder that cannot be made is said in words, and the store still opens', async () => {
    await writeFile(join(dir, 'file'), 'x');
    const under = join(dir, 'file', 'history');
    const store = await HistoryStore.open(under, { now: () => NOW });
    expect(store.state().notice).toMatch(
      new RegExp(
        `^The history folder ${under} could not be made ready: ${under}: a parent ` + 'of it is not a directory\\. ',
      ),
    );
    expect(store.state().records).toEqual([]);
  });

  it('weights that cannot be loaded are set aside and the row loses its Export, not its place', async () => {
    const first = await open();
    await first.saveWeights(A, makeModel(1));
    await first.saveWeights(B, makeModel(2));
    await first.saveWeights(C, makeModel(3));
    for (const r of [A, B, C]) await first.put(makeRecord(r, { hasWeights: true }));
    await writeFile(join(dir, 'weights', `${A}.bin`), 'short');
    await writeFile(join(dir, 'weights', `${B}.json`), '{"version":1,');
    const store = await open();
    expect(store.state().records.map((r) => [r.id, r.hasWeights])).toEqual([
      [A, false],
      [B, false],
      [C, true],
    ]);
    expect(store.state().notice).toMatch(
      new RegExp(
        `^The stored weights of 2 runs could not be read \\(${A}: ${A}\\.bin: 5 bytes, expected 900136; ${B}: ${B}\\.json: .*\\); they were set aside in ${join(dir, 'weights')} and cannot be exported\\.$`,
      ),
    );
    expect((await readdir(join(dir, 'weights'))).sort()).toEqual([
      `${A}.unreadable-${STAMP}.bin`,
      `${A}.unreadable-${STAMP}.json`,
      `${B}.unreadable-${STAMP}.bin`,
      `${B}.unreadable-${STAMP}.json`,
      `${C}.bin`,
      `${C}.json`,
    ]);
    expect((await store.loadWeights(C)).weights).toHaveLength(8);
    expect((await open()).state().notice).toBeNull();
  });
});

describe("what is not a regular file, or is another version's, is refused at once and left as it is", () => {
  const listing = async () => (await readdir(dir)).sort();
  // Each would stall a plain read: a pipe with no writer never answers, /dev/zero never ends.
  const specials: [string, () => void, RegExp][] = [
    ['a named pipe', () => execFileSync('mkfifo', [file()]), /\(it is a named pipe, not a file\);/],
    ['a symlink to /dev/zero', () => symlinkSync('/dev/zero', file()), /\(it is a device, not a file\);/],
  ];

  it.each(specials)(
    '%s: the store opens with a notice, refuses writes, and moves nothing',
    async (_name, make, why) => {
      make();
      const store = await open();
      expect(store.state().records).toEqual([]);
      expect(store.state().notice).toMatch(why);
      expect(store.state().notice).not.toMatch(/tries/); // refused on the first read, not after 1.55 s of retries
      await expect(store.put(makeRecord(A))).rejects.toThrow(why);
      expect(await listing()).toEqual(['history.json', 'weights']);
      expect(lstatSync(file()).isFile()).toBe(false);
    },
  );

  it('a file larger than one string can hold is refused before a byte is read', async () => {
    // Sparse: about 1.6 GB on paper, nothing on disk; reading it would take seconds and then fail.
    const size = buffers.MAX_STRING_LENGTH * 3 + 1;
    await writeFile(file(), '');
    await truncate(file(), size);
    const store = await open();
    expect(store.state().notice).toBe(
      `The run history ${file()} could not be read (it is too large to read at once); ` +
        'it is left as it is, and runs are not added to it until it can be read.',
    );
    expect((await stat(file())).size).toBe(size);
  });

  it.each([
    [2, 'a newer version of Athanor'],
    [0, 'another version of Athanor'],
  ])('a history of format %i is kept as it is, its rows untouched, and no run overwrites it', async (version, who) => {
    const text = JSON.stringify({ version, records: [{ id: 'whatever', newField: true }] });
    await writeFile(file(), text);
    const store = await open();
    expect(store.state().records).toEqual([]);
    expect(store.state().notice).toBe(
      `The run history ${file()} was written by ${who} (history format ${version}; this version ` +
        'reads format 1); it is left as it is, and runs are not added to it. Open it with that version, or move the file ' +
        'away to start a new history here.',
    );
    await expect(store.put(makeRecord(A, { status: 'done' }))).rejects.toThrow(/written by/);
    expect(store.state().records.map((r) => [r.id, r.unsaved !== undefined])).toEqual([[A, true]]); // listed, not lost
    // The run's notice points at the start's reason rather than saying it again in other words.
    const later = store.state().notice!.slice(store.state().notice!.indexOf('A run of'));
    expect(later).toMatch(/^A run of .* could not be saved to the history, for the reason above\. /);
    expect(store.state().notice!.match(/written by/g)).toHaveLength(1);
    expect(await readFile(file(), 'utf8')).toBe(text);
    expect(await listing()).toEqual(['history.json', 'weights']);
  });

  it('a weights index that is a named pipe is set aside at the start instead of stalling it', async () => {
    const first = await open();
    await first.saveWeights(A, makeModel(1));
    await first.put(makeRecord(A, { hasWeights: true }));
    await rm(join(dir, 'weights', `${A}.json`));
    execFileSync('mkfifo', [join(dir, 'weights', `${A}.json`)]);
    const store = await open();
    expect(store.state().records.map((r) => [r.id, r.hasWeights])).toEqual([[A, false]]);
    expect(store.state().notice).toContain(`${A}.json: it is a named pipe, not a file`);
  });
});

describe("a read-only history is the user's say: shown, never rewritten, moved or split", () => {
  const readOnly = async (text: string) => {
    await writeFile(file(), text, { mode: 0o444 });
    return text;
  };
  const bad = { ...makeRecord(B), secondsPerEpoch: '12.5' };
  const cases: [string, () => string, string[], RegExp | null][] = [
    ['a good file', () => formatHistory([makeRecord(A), makeRecord(B)]), [A, B], null],
    [
      'a file cut short',
      () => formatHistory([makeRecord(A), makeRecord(B)]).slice(0, -40),
      [A],
      /cannot be read \(it is not valid JSON/,
    ],
    [
      'a file with a bad row',
      () => JSON.stringify({ version: 1, records: [makeRecord(A), bad] }),
      [A],
      /row 2: secondsPerEpoch/,
    ],
  ];

  it.each(cases)(
    '%s: the start says it is read-only, and a run is refused, not saved elsewhere',
    async (_name, text, ids, rows) => {
      const before = await readOnly(text());
      const store = await open();
      expect(store.state().records.map((r) => r.id)).toEqual(ids);
      const notice = store.state().notice!;
      expect(notice).toContain(
        `The run history cannot be changed (cannot write ${file()}: the file is read-only, or not ` +
          'yours to change: Athanor does not replace it); the runs in it are shown, and new runs are not saved to it until it can.',
      );
      if (rows) expect(notice).toMatch(rows);
      await expect(store.put(makeRecord(C, { status: 'done' }))).rejects.toThrow(/read-only/);
      await expect(store.put(makeRecord(id(5), { status: 'done' }))).rejects.toThrow(/read-only/);
      expect(await readFile(file(), 'utf8')).toBe(before);
      expect((await readdir(dir)).sort()).toEqual(['history.json', 'weights']); // nothing set aside, no side files
      // Each unsaved run is said once, in a few words; the start's notice is not repeated inside it.
      const all = store.state().notice!;
      const later = all.slice(notice.length);
      expect(later.match(/could not be saved to the history, for the reason above\./g)).toHaveLength(2);
      expect(all.match(/the file is read-only/g)).toHaveLength(1);
    },
  );
});

describe('links and folders that lead nowhere', () => {
  it('a history.json linked into a folder that is not there: the start says so, and a run is refused at once', async () => {
    symlinkSync(join(dir, 'gone', 'history.json'), file());
    const store = await open();
    const why = `cannot write ${file()}: it is a link to ${join(dir, 'gone', 'history.json')}, and ${join(dir, 'gone')} is not a folder`;
    expect(store.state().notice).toBe(
      `The run history cannot be changed (${why}); new runs are not saved to it until it can.`,
    );
    await expect(store.put(makeRecord(A, { status: 'done' }))).rejects.toThrow(why);
    expect(lstatSync(file()).isSymbolicLink()).toBe(true);
  });

  it('a weights folder that is not one: its runs lose Export while it is so, nothing is rewritten, and runs still save', async () => {
    const first = await open();
    await first.saveWeights(A, makeModel(1));
    await first.put(makeRecord(A, { hasWeights: true }));
    const before = await readFile(file(), 'utf8');
    await rename(join(dir, 'weights'), join(dir, 'weights-moved'));
    execFileSync('mkfifo', [join(dir, 'weights')]);
    const store = await open();
    expect(store.state().notice).toBe(
      `The history folder ${dir} could not be made ready: ${join(dir, 'weights')} is a named ` +
        'pipe, not a folder; it is left as it is.',
    );
    expect(store.state().records.map((r) => [r.id, r.hasWeights])).toEqual([[A, false]]);
    expect(await readFile(file(), 'utf8')).toBe(before);
    await store.put(makeRecord(B, { status: 'done' }));
    expect((await onDisk()).map((r) => r.id)).toEqual([A, B]);
    expect((await onDisk())[0]).toMatchObject({ hasWeights: true }); // back once the folder is
    expect(await readdir(join(dir, 'weights-moved'))).toEqual([`${A}.bin`, `${A}.json`]);
  });
});

describe('text a damaged file holds stays out of the notice', () => {
  it('a byte-order mark is not damage, and control characters in a damaged file are not shown', async () => {
    await writeFile(file(), `\uFEFF${formatHistory([makeRecord(A)])}`);
    expect((await open()).state()).toEqual({ records: [makeRecord(A)], notice: null });
    await writeFile(
      file(),
      Buffer.from(`{"version":1,"records":[${JSON.stringify(makeRecord(A))},\u0000\u001b[2J\u0007garbage`, 'utf8'),
    );
    const notice = (await open()).state().notice!;
    expect(notice).toMatch(/its 1 complete row was recovered/);
    expect(notice).not.toMatch(/[\u0000-\u001f\u007f]/);
  });
});

describe('rows the app writes', () => {
  it('a row that would fail the check on the next read is refused when it is put, and nothing is written', async () => {
    const store = await open();
    await store.put(makeRecord(A));
    const bad = makeRecord(B, { secondsPerEpoch: '12.5' as unknown as number });
    await expect(store.put(bad)).rejects.toThrow('secondsPerEpoch must be a number of at least 0, got "12.5"');
    expect((await onDisk()).map((r) => r.id)).toEqual([A]);
    expect(store.state().records.map((r) => r.id)).toEqual([A]);
  });
});
