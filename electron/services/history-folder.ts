/**
 * The history's data folder as files: the lock that lets two processes share history.json, and setting aside
 * whatever in the folder cannot be read, so the app always starts and nothing is deleted.
 */
import { lstat, mkdir, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { lock } from 'proper-lockfile';
import { writeFileAtomic } from '../fs-atomic';
import { WEIGHT_SPECS } from '../training/weights';
import type { RejectedRow } from './history-file';

/** How long a lock may go without its holder touching it before another process takes it over (a crash). */
export const LOCK_STALE_MS = 10_000;

/**
 * Holds `<file>.lock` (a directory, created atomically by mkdir) while `work` runs. Another holder is waited for
 * with backoff for longer than LOCK_STALE_MS, so a lock left by a crashed process is taken over, not fatal.
 */
export async function withFileLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  const release = await lock(file, {
    realpath: false,
    stale: LOCK_STALE_MS,
    retries: { retries: 200, factor: 1.3, minTimeout: 5, maxTimeout: 100 },
    // The default throws from a timer and would end the app. A lock lost mid-write (its holder stalled past the
    // stale time) means at worst the race this lock exists to prevent; the write itself is still atomic.
    onCompromised: () => undefined,
  });
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
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
    if (!(await exists(candidate))) return candidate;
  }
}

/** Moves `path` (a file or a folder) to a free name beside it and returns that name. */
export async function moveAside(path: string, label: string, at: Date): Promise<string> {
  const target = await freeName(path, label, at);
  await rename(path, target);
  return target;
}

/** Keeps the rows that failed their check, with the reasons, in a side file; returns its path. */
export async function writeRejected(file: string, rows: RejectedRow[], at: Date): Promise<string> {
  const target = await freeName(file, 'set-aside', at);
  await writeFileAtomic(target, JSON.stringify({ rows }, null, 1));
  return target;
}

/** Makes `dir` and `dir/weights` folders, moving aside anything else in their place; returns what was moved. */
export async function prepareFolder(dir: string, at: Date): Promise<string[]> {
  const moved: string[] = [];
  for (const path of [dir, join(dir, 'weights')]) {
    const info = await lstat(path).catch(() => undefined);
    if (info && !info.isDirectory()) moved.push(await moveAside(path, 'not-a-folder', at));
    await mkdir(path, { recursive: true });
  }
  await removeLeftoverTempFiles(dir);
  return moved;
}

/**
 * A temp file from writeFileAtomic survives only a crash mid-write; the real file is intact beside it. One whose
 * writer (the pid in its name) still runs may be another process's write in flight, so it stays unless it is old.
 */
async function removeLeftoverTempFiles(dir: string): Promise<void> {
  for (const sub of ['', 'weights']) {
    const folder = join(dir, sub);
    for (const name of await readdir(folder)) {
      const temp = /^\..*\.(\d+)-[0-9a-f]+\.tmp$/.exec(name);
      if (!temp) continue;
      const path = join(folder, name);
      const age = Date.now() - ((await stat(path).catch(() => undefined))?.mtimeMs ?? 0);
      if (!isRunning(Number(temp[1])) || age > ABANDONED_TEMP_MS) await unlink(path).catch(ignoreMissing);
    }
  }
}

/** No write takes this long: a temp file this old was abandoned, whatever its pid says (pids are reused). */
const ABANDONED_TEMP_MS = 10 * 60_000;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The store's weights index (`<id>.json` beside the raw float32 `<id>.bin`). */
export interface WeightsIndex {
  version: 1;
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
  topology: object;
}

/**
 * Why a run's stored weights cannot be loaded, or null when they can: the index must list the network's tensors
 * in order and back to back, and the .bin must hold exactly their float32 values. Reads only the small index.
 */
export async function weightsProblem(jsonPath: string, binPath: string): Promise<string | null> {
  let index: WeightsIndex;
  try {
    index = JSON.parse(await readFile(jsonPath, 'utf8')) as WeightsIndex;
  } catch (err) {
    return `${basename(jsonPath)}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (err as Error).message}`;
  }
  let offset = 0;
  const tensors = Array.isArray(index?.tensors) ? index.tensors : [];
  const fits = tensors.length === WEIGHT_SPECS.length && WEIGHT_SPECS.every((spec, i) => {
    const t = tensors[i];
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const ok = t?.name === spec.name && Array.isArray(t.shape) && t.shape.join() === spec.shape.join() &&
      t.offset === offset && t.length === size;
    offset += size;
    return ok;
  });
  if (!fits || typeof index.topology !== 'object' || index.topology === null) {
    return `${basename(jsonPath)}: not the index of this network's weights`;
  }
  const bin = await stat(binPath).catch(() => undefined);
  if (!bin?.isFile()) return `${basename(binPath)}: missing`;
  if (bin.size !== offset * 4) return `${basename(binPath)}: ${bin.size} bytes, expected ${offset * 4}`;
  return null;
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(() => true, () => false);
}

export function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}
