/**
 * The app always starts: whatever history.json holds (any JSON shape, depth or size), whatever lock a process left
 * behind, a folder that takes no writes, and a writer that stalls past the lock's stale time, the store opens
 * without a throw or a long wait, shows the rows it can, says what is wrong, and never writes over rows it did not see.
 */
import { execFile, fork } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { lock } from 'proper-lockfile';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatHistory, salvageRows } from '../../electron/services/history-file';
import { LOCK_STALE_MS } from '../../electron/services/history-folder';
import { HistoryStore, INTERRUPTED } from '../../electron/services/history-store';
import { makeModel, makeRecord } from './fixtures';
import { describeRunEnd } from '../../electron/shared/describe-reason';

const id = (n: number, device = 'cpu') => `20250102-030405678-${device}-${n.toString(16).padStart(6, '0')}`;
const [A, B, C] = [id(1), id(2), id(3)];
const NOW = new Date('2025-03-04T05:06:07.089Z');
const STAMP = '2025-03-04T05-06-07-089Z';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'athanor-start-'));
});
afterEach(async () => {
  await chmod(dir, 0o700).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const open = () => HistoryStore.open(dir, { now: () => NOW });
const file = () => join(dir, 'history.json');
const onDisk = async () => (JSON.parse(await readFile(file(), 'utf8')).records as { id: string }[]).map((r) => r.id);
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('a damaged file is recovered in one pass', () => {
  it('1.2 MB of row-start lines with nothing in them: every one is a damaged row, none a guess', () => {
    const lines = 400_000;
    const { rows, damaged } = salvageRows(`{"version":1,"records":[${'\n {'.repeat(lines)}`);
    // Each line opens a row the next line cuts short; the last one is cut by the end of the file and dropped.
    expect(damaged).toHaveLength(lines - 1);
    expect(rows.every((r) => r === undefined)).toBe(true);
    expect(damaged[0]).toEqual({ row: 1, reason: 'damaged: not a complete JSON object', value: '{\n ' });
  });

  it("the rows on either side of 100,000 damaged lines at the rows' own indent are kept", async () => {
    const full = formatHistory([makeRecord(A), makeRecord(B), makeRecord(C)]);
    const at = full.indexOf(`\n  {\n   "id": "${B}"`);
    await writeFile(file(), `${full.slice(0, at)}${'\n  { "id": '.repeat(100_000)}${full.slice(at)}`);
    const store = await open();
    expect(store.state().records.map((r) => r.id)).toEqual([A, B, C]);
    expect(store.state().notice).toContain(
      'its 3 complete rows were recovered (row 2: damaged: not a complete JSON object; ' +
        'row 3: damaged: not a complete JSON object; row 4: damaged: not a complete JSON object; and 99997 more)',
    );
    expect(await onDisk()).toEqual([A, B, C]);
  });

  it('a one-line file cut short after 100,000 rows gives back all of them', () => {
    const row = JSON.stringify({ n: 1 });
    const { rows, damaged } = salvageRows(`{"version":1,"records":[${`${row},`.repeat(100_000)}{"n":`);
    expect(rows).toHaveLength(100_000);
    expect(damaged).toEqual([]);
  });
});

describe('any JSON: the store opens, shows the good rows and can write', () => {
  const good = () => JSON.parse(JSON.stringify(makeRecord(A))) as Record<string, unknown>;
  const cases: [string, () => string, string[], RegExp][] = [
    ['null', () => 'null', [], /not a history file this version can read/],
    ['a number', () => '1e400', [], /not a history file/],
    ['a string', () => JSON.stringify('x'.repeat(1_000_000)), [], /not a history file/],
    ['a list', () => JSON.stringify([makeRecord(A)]), [], /not a history file/],
    [
      'records that are an object',
      () => JSON.stringify({ version: 1, records: { 0: makeRecord(A) } }),
      [],
      /not a history file/,
    ],
    ['a file 100,000 lists deep', () => nested(100_000), [], /not a history file/],
    [
      'a row 100,000 lists deep',
      () => `{"version":1,"records":[${JSON.stringify(good())},${nested(100_000)}]}`,
      [A],
      /row 2: the row must be an object, got a list of 1/,
    ],
    [
      'a good row with an extra key 100,000 lists deep',
      () =>
        JSON.stringify({ version: 1, records: [good(), { ...good(), id: B, extra: 0 }] }).replace(
          '"extra":0',
          `"extra":${nested(100_000)}`,
        ),
      [A],
      /row 2: the row must be nested at most 64 levels deep/,
    ],
    [
      '100,000 nulls',
      () => JSON.stringify({ version: 1, records: [good(), ...Array(100_000).fill(null)] }),
      [A],
      /100000 of the 100001 rows/,
    ],
    [
      'a proto key',
      () => `{"version":1,"records":[${JSON.stringify(good()).replace('{', '{"__proto__":{"status":"done"},')}]}`,
      [A],
      /^$/,
    ],
  ];

  it.each(cases)('%s', async (_name, text, ids, notice) => {
    await writeFile(file(), text());
    const store = await open();
    expect(store.state().records.map((r) => r.id)).toEqual(ids);
    expect(store.state().notice ?? '').toMatch(notice);
    await store.put(makeRecord(C));
    expect(await onDisk()).toEqual([...ids, C]);
    // Nothing the user had is gone: what could not be shown is kept beside the history.
    const kept = (await readdir(dir)).filter((f) => /^history\.(damaged|set-aside)-/.test(f));
    expect(kept).toHaveLength(ids.length === 1 && notice.source === '^$' ? 0 : 1);
  });

  it('a row nested too deep to write one by one is kept by keeping the whole original file', async () => {
    const text = `{"version":1,"records":[${JSON.stringify(good())},${nested(100_000)}]}`;
    await writeFile(file(), text);
    await open();
    expect(await readFile(join(dir, `history.set-aside-${STAMP}.json`), 'utf8')).toBe(text);
  });
});

describe('locks left by processes that are gone', () => {
  const lockPath = () => `${file()}.lock`;
  const leave: [string, () => Promise<void>, string][] = [
    ['a file', () => writeFile(lockPath(), '12345'), 'a file, not a lock folder'],
    [
      'a folder dated in the future',
      async () => {
        await mkdir(lockPath());
        const later = new Date(Date.now() + 3_600_000);
        await utimes(lockPath(), later, later);
      },
      'dated in the future, .*',
    ],
    [
      'an old folder with a file in it',
      async () => {
        await mkdir(lockPath());
        await writeFile(join(lockPath(), 'pid'), '12345');
        const old = new Date(Date.now() - 3_600_000);
        await utimes(lockPath(), old, old);
      },
      'with files in it',
    ],
  ];

  it.each(leave)(
    '%s: moved aside with a notice, and the start repairs and writes at once',
    async (_name, make, why) => {
      await writeFile(file(), formatHistory([makeRecord(A), makeRecord(B, { status: 'running' })]));
      await make();
      const store = await open();
      const aside = join(dir, `history.json.dead-lock-${STAMP}.lock`);
      expect(store.state().notice).toMatch(
        new RegExp(`^A lock on the history left by a process that is gone \\((.*, )?${why}\\) `),
      );
      expect(store.state().notice).toContain(`was set aside as ${aside}.`);
      // The repair the start makes under the lock happened: no wait for a lock that would never go.
      expect(store.get(B)?.reason).toEqual(INTERRUPTED);
      expect(describeRunEnd(store.get(B)!)?.words).toBe('the app closed before this run finished');
      expect((await stat(aside)).isFile() || (await stat(aside)).isDirectory()).toBe(true);
      await store.put(makeRecord(C));
      expect(await onDisk()).toEqual([A, B, C]);
      await expect(stat(lockPath())).rejects.toThrow(/ENOENT/);
    },
  );

  it('a lock a live process holds: the rows show at once, and the repairs wait behind the window', async () => {
    await writeFile(file(), formatHistory([makeRecord(A), makeRecord(B, { status: 'running' })]));
    const release = await lock(file(), { realpath: false, stale: LOCK_STALE_MS });
    // open() resolves while the lock is still held: it did not wait for it.
    const store = await open();
    expect(store.state().records.map((r) => [r.id, r.status])).toEqual([
      [A, 'done'],
      [B, 'failed'],
    ]);
    expect(store.state().notice).toBeNull();
    expect(JSON.parse(await readFile(file(), 'utf8')).records[1].status).toBe('running'); // not written yet
    await release();
    await store.idle();
    expect(store.get(B)?.status).toBe('failed');
    expect(JSON.parse(await readFile(file(), 'utf8')).records[1].reason).toEqual({ code: 'run-interrupted' });
  });
});

describe('a folder that takes no writes', () => {
  /** Opens the store and puts row C in a process that the folder's permissions stop (not root). */
  async function openElsewhere(): Promise<{ ids: string[]; statuses: string[]; notice: string; put: string }> {
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'history-open.ts'), dir, C],
      { ...asUser, cwd: join(__dirname, '../..') },
    );
    return JSON.parse(stdout);
  }

  it('read-only with a dead lock file in it: the lock cannot be moved, and the start says so at once', async () => {
    await writeFile(file(), formatHistory([makeRecord(A)]));
    await writeFile(`${file()}.lock`, '12345');
    await mkdir(join(dir, 'weights'));
    await chmod(dir, 0o555);
    const shown = await openElsewhere();
    expect(shown.ids).toEqual([A]);
    expect(shown.notice).toBe(
      `The run history cannot be changed (cannot write ${file()}.lock: it is a lock left by a ` +
        'process that is gone (a file, not a lock folder), and it cannot be moved aside: permission denied); the runs in ' +
        'it are shown, and new runs are not saved to it until it can.',
    );
    expect(shown.put).toMatch(/cannot be moved aside: permission denied$/);
  });

  it('read-only: the rows are shown, the notice says why nothing is saved, and a put fails with the reason', async () => {
    await writeFile(file(), formatHistory([makeRecord(A), makeRecord(B, { status: 'running' })]));
    await mkdir(join(dir, 'weights'));
    await chmod(join(dir, 'weights'), 0o555);
    await chmod(dir, 0o555);
    // Root passes every permission check: the store runs as another user there.
    const shown = await openElsewhere();
    expect(shown.ids).toEqual([A, B]);
    // Shown as the repair would have written it, had it been able to: the app that ran it is gone.
    expect(shown.statuses).toEqual(['done', 'failed']);
    expect(shown.notice).toBe(
      `The run history cannot be changed (cannot write ${dir}: permission denied); the runs in it ` +
        'are shown, and new runs are not saved to it until it can.',
    );
    expect(shown.put).toBe(`cannot write ${dir}: permission denied`);
    await chmod(dir, 0o700);
    expect(await onDisk()).toEqual([A, B]);
  });
});

describe("a writer stalled past the lock's stale time", () => {
  it('SIGSTOPped under the lock while another process writes 12 rows: on SIGCONT it keeps all 12 and adds its own', async () => {
    const store = await open();
    await store.put(makeRecord(A));
    const theirs = id(0x999, 'gpu');
    const child = fork(join(__dirname, 'history-writer.ts'), [dir, theirs], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, HISTORY_WRITER_PAUSE: '1' },
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const said = (what: string) =>
      new Promise<void>((resolve) => {
        const hear = (m: unknown) => m === what && (child.off('message', hear), resolve());
        child.on('message', hear);
      });
    const ready = said('ready');
    await ready;
    const writing = said('writing');
    child.send('go');
    await writing; // the child holds the lock, has read the one row on disk and is about to write it with its own
    process.kill(child.pid!, 'SIGSTOP');
    // What a minute's suspend looks like to everyone else: the stopped holder's lock untouched for a minute.
    const old = new Date(Date.now() - 60_000);
    await utimes(`${file()}.lock`, old, old);
    const mine = Array.from({ length: 12 }, (_, i) => id(0x100 + i));
    for (const row of mine) await store.put(makeRecord(row));
    expect(await onDisk()).toEqual([A, ...mine]);
    child.send('continue');
    process.kill(child.pid!, 'SIGCONT');
    expect(await exited).toBe(0);
    expect(await onDisk()).toEqual([A, ...mine, theirs]);
  });
});

describe('what killed writes leave behind', () => {
  it('weights no row names are removed once abandoned; named, recent and foreign files stay', async () => {
    const store = await open();
    for (const r of [A, B, C]) await store.saveWeights(r, makeModel(1));
    await store.put(makeRecord(A, { hasWeights: true }));
    const weights = join(dir, 'weights');
    await writeFile(join(weights, 'notes.txt'), 'mine');
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const f of [`${A}.bin`, `${A}.json`, `${B}.bin`, `${B}.json`, 'notes.txt'])
      await utimes(join(weights, f), hourAgo, hourAgo);
    const reopened = await open();
    expect(reopened.state().records.map((r) => [r.id, r.hasWeights])).toEqual([[A, true]]);
    // B: a save killed before its row, an hour ago. C: written moments ago, perhaps by a live process about to add its row.
    expect((await readdir(weights)).sort()).toEqual([`${A}.bin`, `${A}.json`, `${C}.bin`, `${C}.json`, 'notes.txt']);
  });
});
