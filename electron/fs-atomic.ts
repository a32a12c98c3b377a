import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { unlinkSync } from 'node:fs';
import { access, lstat, open, readdir, readlink, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { t } from './shared/i18n';

/** An error from writeFileAtomic: the message names the path; `code` keeps the errno code (ENOENT, ENOSPC...). */
export class WriteFileError extends Error {
  override name = 'WriteFileError';
  constructor(
    readonly path: string,
    readonly code: string | undefined,
    /** Why, in words, without the path: what a caller that names the file its own way says after it. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(t('files.cannotWrite', { path, reason }), options);
  }
}

type ErrnoWithWords = keyof typeof import('./shared/i18n/en/files').files.reason;
const HAS_WORDS = new Set<string>([
  'ENOENT',
  'ENOTDIR',
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOSPC',
  'EDQUOT',
  'EISDIR',
  'ENAMETOOLONG',
  'ELOOP',
  'EREADONLY',
] satisfies ErrnoWithWords[]);

/** The words for an errno code in the process's language (`err`'s own message for one without words here). */
export function reasonFor(code: string | undefined, err: unknown): string {
  if (code && HAS_WORDS.has(code)) return t(`files.reason.${code as ErrnoWithWords}`);
  return (err as Error)?.message ?? String(err);
}

/** What writeFileAtomic writes: bytes, text, or text in pieces (written one after another, never joined). */
export type FileData = Uint8Array | string | readonly string[];

/** The step that puts the bytes in the temp file: a seam so tests can simulate a full disk. */
export type WriteStep = (handle: FileHandle, data: FileData) => Promise<void>;

/** Pieces are gathered up to this many characters a write: few system calls, and no one long encode on the thread. */
const PIECES_A_WRITE = 1 << 20;

const writeAll: WriteStep = async (handle, data) => {
  if (typeof data === 'string' || data instanceof Uint8Array) {
    await handle.writeFile(data);
    return;
  }
  let batch: string[] = [];
  let size = 0;
  for (const piece of data) {
    batch.push(piece);
    size += piece.length;
    if (size < PIECES_A_WRITE) continue;
    await handle.write(batch.join(''));
    batch = [];
    size = 0;
  }
  if (batch.length > 0) await handle.write(batch.join(''));
};

/** The temp file writeFileAtomic writes first, beside `path`: a probe at it shows whether the write can happen. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/** Whether a process with this pid runs (EPERM: it does, as another user). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temp files being written now: removed if the process exits before they are renamed (a quit mid-export). */
const inFlight = new Set<string>();
let removeOnExit = false;

function track(temp: string): void {
  if (!removeOnExit) {
    removeOnExit = true;
    process.on('exit', () => {
      for (const t of inFlight) {
        try {
          unlinkSync(t);
        } catch {
          // Already gone, or the folder went: nothing left to tidy.
        }
      }
    });
  }
  inFlight.add(temp);
}

/**
 * Removes the temp files an earlier write of `path` left when its process was killed (nothing runs on SIGKILL):
 * exactly the names tempPathFor gives this target, and only those whose process is gone, so no file of the user's
 * and no write in flight in a live process is touched. Best effort.
 */
async function removeDeadTemps(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = /^(\d+)-[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length))?.[1];
    if (pid && Number(pid) !== process.pid && !isRunning(Number(pid)))
      await unlink(join(dirname(path), name)).catch(() => undefined);
  }
}

export interface AtomicOptions {
  /**
   * Runs after the bytes are on disk and before they replace the target, as late as a check can be: a holder's
   * check that its lock is still its own. What it throws is thrown as it is, and the target is left as it was.
   */
  beforeRename?: () => Promise<void>;
}

/**
 * Replaces `path` with `data` so that readers see either the old file or the whole new one, never a torn write:
 * the bytes go to a temp file in the same directory (rename is only atomic within one file system), are fsynced,
 * then renamed over the target. On failure the temp file is removed and the target is left as it was. A target that
 * is read-only or not writable by this user is refused (`code` 'EREADONLY'), not replaced. A symbolic link is
 * followed: the file it leads to is replaced and the link stays.
 */
export async function writeFileAtomic(
  named: string,
  data: FileData,
  write: WriteStep = writeAll,
  options: AtomicOptions = {},
): Promise<void> {
  // A link the user made (history.json kept in a synced folder, weights/latest.pth pointing at a run) stays a link:
  // the file it leads to is the one replaced. Errors still name the path the caller gave.
  const path = await linkTarget(named);
  const dir = dirname(path);
  const temp = tempPathFor(path);
  let handle: FileHandle | undefined;
  let checking = false;
  try {
    // A rename replaces any file in a folder one may write to, even one without write permission or another
    // user's: the write would go through where the file itself says no. Refuse instead (Windows: the read-only flag).
    if (!(await canReplace(path))) {
      throw Object.assign(new Error('read-only'), { code: 'EREADONLY' });
    }
    await removeDeadTemps(path);
    // 'wx': never follow or clobber something already at the temp name.
    handle = await open(temp, 'wx');
    track(temp);
    await write(handle, data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    checking = true;
    await options.beforeRename?.();
    checking = false;
    await rename(temp, path);
    inFlight.delete(temp);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    inFlight.delete(temp);
    if (checking) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    let reason = reasonFor(code, err);
    // ENOENT in a folder that exists: one that takes no new files (/proc, /sys), not a missing one.
    if (code === 'ENOENT' && (await isFolder(dir))) {
      reason = t('files.noNewFiles');
    }
    throw new WriteFileError(named, code, reason, { cause: err });
  }
  await syncDirectory(dir);
}

/**
 * The file a write to `path` should replace: `path` itself, or, when it is a symbolic link, the file the link leads
 * to (every link in the chain followed; a link to nothing leads to the path it names, made by the write). Throws
 * WriteFileError (ELOOP) for a loop.
 */
export async function linkTarget(path: string): Promise<string> {
  let at = path;
  // At most 40 links, the kernel's own limit (ELOOP).
  for (let hops = 0; hops < 40; hops++) {
    const info = await lstat(at).catch(() => null);
    if (!info?.isSymbolicLink()) return at;
    const next = await readlink(at).catch(() => null);
    if (next === null) return at;
    at = resolve(dirname(at), next);
  }
  throw new WriteFileError(path, 'ELOOP', t('files.reason.ELOOP'));
}

/** Whether `path` is a folder now (a link to one included); false when nothing is there or it cannot be seen. */
export async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

/**
 * Whether writeFileAtomic would replace what is at `path` (or the file a link there leads to): true when nothing is
 * there or it is a file this process may change; false for a read-only file or another user's (writeFileAtomic's
 * EREADONLY). For checks made before work whose result is written there (the command line's --out, before training).
 */
export async function canReplace(path: string): Promise<boolean> {
  const existing = await stat(path).catch(() => null); // through a link: the file it leads to is the one replaced
  return !existing?.isFile() || writable(path, existing.mode);
}

/** Whether this process may change the file: a write bit set, and write access for this user (root has it always). */
async function writable(path: string, mode: number): Promise<boolean> {
  if ((mode & 0o222) === 0) return false;
  return access(path, constants.W_OK).then(
    () => true,
    () => false,
  );
}

/** Makes the rename itself durable. Best effort: some platforms (Windows) cannot open a directory for fsync. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    await handle.sync().finally(() => handle.close());
  } catch {
    // The file is already in place; only durability across a power cut is weaker here.
  }
}
