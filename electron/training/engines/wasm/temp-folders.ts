/**
 * The private temp folders the threaded wasm build needs (threads.ts writes its pthread worker script into one),
 * named after the process that made them: `$TMPDIR/athanor-wasm-<pid>-XXXXXX`. A worker removes its own at exit,
 * but a worker that is killed (the parent stops every worker once it has answered, and a kill runs no exit hook)
 * cannot; so the parent removes a worker's folders when it has gone, and each new folder's maker first removes any
 * left by processes that no longer exist. No dependency on tfjs: the parent imports this without loading an engine.
 */
import { lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PREFIX = 'athanor-wasm-';
/** `athanor-wasm-<pid>-` and mkdtemp's six characters. */
const NAME = /^athanor-wasm-(\d+)-[A-Za-z0-9]{6}$/;

/**
 * A new folder only this user may enter (mkdtemp: a fresh name, mode 0700 on POSIX), named after this process,
 * removed when the process exits normally. Before making it, removes what dead processes left (removeWasmTempFolders).
 * Returns its absolute path. Throws what mkdtemp throws (a temp folder that is missing or takes no writes).
 */
export function makeWasmTempFolder(tmp = os.tmpdir()): string {
  removeWasmTempFolders({ tmp });
  const dir = mkdtempSync(path.join(tmp, `${PREFIX}${process.pid}-`));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Removes `$TMPDIR/athanor-wasm-<pid>-*` folders of this user: those of `pid` when given (a worker that has exited),
 * else those of every pid that is no longer running. Never follows a link, never touches another user's folder or
 * one of a live process, and never throws (a folder that cannot be removed is left for the next time). Returns the
 * names removed.
 */
export function removeWasmTempFolders(options: { pid?: number; tmp?: string } = {}): string[] {
  const tmp = options.tmp ?? os.tmpdir();
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(tmp).filter((n) => n.startsWith(PREFIX));
  } catch {
    return removed;
  }
  for (const name of names) {
    const owner = Number(NAME.exec(name)?.[1]);
    if (!Number.isSafeInteger(owner) || owner === process.pid) continue;
    if (options.pid !== undefined ? owner !== options.pid : isRunning(owner)) continue;
    try {
      const info = lstatSync(path.join(tmp, name));
      if (!info.isDirectory() || (process.getuid && info.uid !== process.getuid())) continue;
      rmSync(path.join(tmp, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Gone already, or not ours to remove: the next sweep looks again.
    }
  }
  return removed;
}

/** Whether a process with this id exists (EPERM: it does, as another user's). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
