/**
 * The history's data folder as files: the lock that lets two processes share history.json, and setting aside
 * whatever in the folder cannot be read, so the app always starts and nothing is deleted.
 */
import * as fs from 'node:fs';
import { lstat, readdir, readlink, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { lock } from 'proper-lockfile';
import { isFolder, isRunning, reasonFor, writeFileAtomic, WriteFileError } from '../fs-atomic';
import { FolderError, makeFolders } from '../fs-folders';
import { specialKind } from '../fs-read';
import { t } from '../shared/i18n';
import type { RejectedRow } from './history-file';

export { FolderError } from '../fs-folders';

/** How long a lock may go without its holder touching it before another process takes it over (a crash). */
export const LOCK_STALE_MS = 10_000;
/** How long a write waits for a lock another process holds: long enough for a dead holder's lock to go stale. */
const LOCK_WAIT_MS = LOCK_STALE_MS + 5_000;

/** How many dead locks in a row one acquisition moves aside before it treats the next as busy (never a loop). */
const DEAD_LOCKS_MOVED = 10;

/** The lock is held by another process (or was left by one that died less than LOCK_STALE_MS ago). */
export class LockBusyError extends Error {
  override name = 'LockBusyError';
}

/**
 * The lock was taken over by another process while this one held it: this one stalled (a suspended laptop,
 * SIGSTOP, a frozen event loop) for longer than LOCK_STALE_MS, and the other judged it dead. Whatever this one
 * read under the lock may be out of date, so nothing it prepared may be written.
 */
export class LockLostError extends Error {
  override name = 'LockLostError';
}

export interface HeldLock {
  /** Throws LockLostError unless the lock is still this holder's: call it right before a write the lock guards. */
  check(): Promise<void>;
}

interface LockOptions {
  /** How long to wait for another holder (ms); LockBusyError after that. */
  waitMs?: number;
  /** The clock for the name a dead lock is moved aside to. */
  now: () => Date;
  /** Told about a lock left by a dead process that was moved aside: where it went, and why it was judged dead. */
  onDeadLock?: (movedTo: string, why: string) => void;
}

/**
 * Holds `<file>.lock` (a directory, made atomically by mkdir: proper-lockfile) while `work` runs, and hands `work`
 * a check that the lock is still its own. Another live holder is waited for (LockBusyError after `waitMs`); an empty
 * lock folder untouched for LOCK_STALE_MS is a crashed holder's and is taken over. What proper-lockfile would wait
 * on for ever is moved aside at once: a file, a folder dated in the future, an old folder with files in it. A folder
 * that takes no lock (read-only, full, missing) fails at once with a WriteFileError, never after a long wait.
 */
export async function withFileLock<T>(
  file: string,
  work: (held: HeldLock) => Promise<T>,
  options: LockOptions,
): Promise<T> {
  const lockPath = `${file}.lock`;
  const deadline = Date.now() + (options.waitMs ?? LOCK_WAIT_MS);
  // Every mtime proper-lockfile gives our lock folder goes through this fs: a folder with another mtime is not ours.
  const ours = new Set<number>();
  const lockFs = {
    ...fs,
    utimes: (path: string, atime: Date, mtime: Date, done: (err: Error | null) => void) => {
      ours.add(mtime.getTime()).add(Math.floor(mtime.getTime() / 1000) * 1000); // a file system of whole seconds
      fs.utimes(path, atime, mtime, done);
    },
  };
  let compromised = false;
  let moved = 0;
  let release: () => Promise<void>;
  for (let attempt = 0; ; attempt++) {
    try {
      release = await lock(file, {
        realpath: false,
        stale: LOCK_STALE_MS,
        fs: lockFs,
        onCompromised: () => (compromised = true),
      });
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ELOCKED' && code !== 'ENOTDIR' && code !== 'ENOTEMPTY' && code !== 'EEXIST') {
        throw new WriteFileError(dirname(file), code, reasonFor(code, err), { cause: err });
      }
      // ENOTDIR is also what a history folder that is not a folder gives: no lock can ever be made there.
      if (code === 'ENOTDIR' && !(await isFolder(dirname(file)))) {
        throw new WriteFileError(dirname(file), code, t('history.store.notAFolder'), { cause: err });
      }
      const dead = await deadLock(lockPath);
      if (dead && moved < DEAD_LOCKS_MOVED) {
        let movedTo: string;
        try {
          movedTo = await moveAside(lockPath, 'dead-lock', options.now());
        } catch (moveErr) {
          const moveCode = (moveErr as NodeJS.ErrnoException).code;
          if (moveCode === 'ENOENT') continue; // another process cleared it first
          throw new WriteFileError(
            lockPath,
            moveCode,
            t('history.store.deadLockStuck', { why: dead, reason: reasonFor(moveCode, moveErr) }),
            { cause: moveErr },
          );
        }
        options.onDeadLock?.(movedTo, dead);
        moved++;
        continue;
      }
      if (Date.now() >= deadline) {
        throw new LockBusyError(t('history.store.locked', { path: lockPath }));
      }
      await new Promise((done) => setTimeout(done, Math.min(5 * 1.5 ** attempt, 200)));
    }
  }
  const held: HeldLock = {
    async check() {
      const info = await stat(lockPath).catch(() => null);
      if (compromised || !info || !ours.has(info.mtime.getTime())) {
        compromised = true;
        throw new LockLostError(t('history.store.lockLost', { path: lockPath }));
      }
    },
  };
  try {
    return await work(held);
  } finally {
    // A lock that is no longer ours is another process's now: removing it would let a third one in beside it.
    if (
      await held.check().then(
        () => true,
        () => false,
      )
    )
      await release().catch(() => undefined);
  }
}

/**
 * Why what is at `lockPath` was left by a process that is gone, or null when it may be a live holder's (a folder
 * dated within LOCK_STALE_MS of now) or is gone itself. A live holder re-dates its folder with this machine's clock
 * every LOCK_STALE_MS / 2 and never puts anything in it, so a file, a folder dated in the future and an old folder
 * with files in it were all left behind.
 */
async function deadLock(lockPath: string): Promise<string | null> {
  const info = await lstat(lockPath).catch(() => null);
  if (!info) return null;
  if (!info.isDirectory()) return t('history.store.lockIsFile');
  const now = Date.now();
  if (info.mtimeMs > now + LOCK_STALE_MS) {
    return t('history.store.lockFromFuture', { time: new Date(info.mtimeMs).toISOString() });
  }
  if (info.mtimeMs < now - LOCK_STALE_MS) {
    const entries = await readdir(lockPath).catch(() => []);
    if (entries.length === 0) {
      await rmdir(lockPath).catch(() => undefined); // proper-lockfile's own stale case, raced: take it over next try
      return null;
    }
    return t('history.store.lockAbandoned', { time: new Date(info.mtimeMs).toISOString() });
  }
  return null;
}

/**
 * A name beside `file` that nothing uses yet: `history.json` becomes `history.<label>-<stamp>.json`, then `-2`,
 * `-3`... (rename would silently replace an earlier set-aside file of the same second).
 */
async function freeName(file: string, label: string, at: Date): Promise<string> {
  const dir = dirname(file);
  const ext = extname(file);
  const stem = basename(file, ext);
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  for (let n = 1; ; n++) {
    const candidate = join(dir, `${stem}.${label}-${stamp}${n === 1 ? '' : `-${n}`}${ext}`);
    if (
      !(await lstat(candidate).then(
        () => true,
        () => false,
      ))
    )
      return candidate;
  }
}

/** Moves `path` (a file or a folder) to a free name beside it and returns that name. */
export async function moveAside(path: string, label: string, at: Date): Promise<string> {
  const target = await freeName(path, label, at);
  await rename(path, target);
  return target;
}

/**
 * Keeps the rows that failed their check, with the reasons, in a side file; returns its path. Rows nested too deep
 * for JSON.stringify (it recurses) cannot be written one by one: then the side file is a copy of the whole `original`.
 */
export async function writeRejected(file: string, rows: RejectedRow[], at: Date, original: string): Promise<string> {
  const target = await freeName(file, 'set-aside', at);
  let text: string;
  try {
    text = JSON.stringify({ rows }, null, 1);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    text = original;
  }
  await writeFileAtomic(target, text);
  return target;
}

/**
 * Makes `dir` and `dir/weights` folders (a link to a folder is one), moving aside a file in their place; returns
 * what was moved. Anything else in their place (a device, a named pipe, a socket, a link to nothing) is never moved
 * or changed: that throws FolderError, with what it is in words. So does a folder that cannot be made (FolderError
 * from makeFolders: /proc, permissions).
 */
export async function prepareFolder(dir: string, at: Date): Promise<string[]> {
  const moved: string[] = [];
  for (const path of [dir, join(dir, 'weights')]) {
    const info = await stat(path).catch(() => undefined); // through links: a linked folder is a folder
    if (info?.isFile()) {
      moved.push(await moveAside(path, 'not-a-folder', at));
    } else if (info && !info.isDirectory()) {
      throw new FolderError(path, 'ENOTDIR', t('history.store.specialInPlace', { path, kind: specialKind(info) }));
    } else if (!info && (await lstat(path).catch(() => undefined))?.isSymbolicLink()) {
      const target = await readlink(path).catch(() => '?');
      throw new FolderError(path, 'ENOENT', t('history.store.brokenLink', { path, target }));
    }
    if (!info?.isDirectory()) await makeFolders(path);
  }
  await removeLeftoverTempFiles(dir);
  return moved;
}

/**
 * A temp file from writeFileAtomic survives only a crash mid-write; the real file is intact beside it. One whose
 * writer (the pid in its name) still runs may be another process's write in flight, so it stays unless it is old.
 * Best effort: a folder that cannot be listed or changed keeps them, and the start goes on.
 */
async function removeLeftoverTempFiles(dir: string): Promise<void> {
  for (const sub of ['', 'weights']) {
    const folder = join(dir, sub);
    for (const name of await readdir(folder).catch(() => [])) {
      const temp = /^\..*\.(\d+)-[0-9a-f]+\.tmp$/.exec(name);
      const path = join(folder, name);
      if (temp && (!isRunning(Number(temp[1])) || (await abandoned(path)))) await unlink(path).catch(() => undefined);
    }
  }
}

/** No write takes this long: a file of a write this old was abandoned, whatever its pid says (pids are reused). */
const ABANDONED_MS = 10 * 60_000;

/** Whether `path` was last written more than ABANDONED_MS from now, either way (a clock set back counts too). */
export async function abandoned(path: string): Promise<boolean> {
  const info = await lstat(path).catch(() => null);
  return info !== null && info.isFile() && Math.abs(Date.now() - info.mtimeMs) > ABANDONED_MS;
}

export function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}

/** At most this many problems are named in a notice about a file's unreadable entries. */
const PROBLEMS_SHOWN = 3;

/** "row 2: ...; row 5: ...; row 9: ...; and 4 more": the first problems in a notice, and how many more there are. */
export function listProblems(problems: readonly string[]): string {
  const shown = problems.slice(0, PROBLEMS_SHOWN).join(t('history.store.problemSeparator'));
  return problems.length > PROBLEMS_SHOWN
    ? t('history.store.problemsMore', { shown, more: problems.length - PROBLEMS_SHOWN })
    : shown;
}
