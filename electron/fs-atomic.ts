import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, lstat, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** An error from writeFileAtomic: the message names the path; `code` keeps the errno code (ENOENT, ENOSPC...). */
export class WriteFileError extends Error {
  override name = 'WriteFileError';
  constructor(readonly path: string, readonly code: string | undefined, reason: string, options?: { cause?: unknown }) {
    super(`cannot write ${path}: ${reason}`, options);
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'directory does not exist',
  ENOTDIR: 'a parent of it is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EISDIR: 'a directory is in the way',
  ENAMETOOLONG: 'file name too long',
  EREADONLY: 'the file is read-only, or not yours to change: Athanor does not replace it',
};

/** The step that puts the bytes in the temp file: a seam so tests can simulate a full disk. */
export type WriteStep = (handle: FileHandle, data: Uint8Array | string) => Promise<void>;

const writeAll: WriteStep = async (handle, data) => {
  await handle.writeFile(data);
};

/** The temp file writeFileAtomic writes first, beside `path`: a probe at it shows whether the write can happen. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Replaces `path` with `data` so that readers see either the old file or the whole new one, never a torn write:
 * the bytes go to a temp file in the same directory (rename is only atomic within one file system), are fsynced,
 * then renamed over the target. On failure the temp file is removed and the target is left as it was. A target that
 * is read-only or not writable by this user is refused (`code` 'EREADONLY'), not replaced.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  write: WriteStep = writeAll,
): Promise<void> {
  const dir = dirname(path);
  const temp = tempPathFor(path);
  let handle: FileHandle | undefined;
  try {
    // A rename replaces any file in a folder one may write to, even one without write permission or another
    // user's: the write would go through where the file itself says no. Refuse instead (Windows: the read-only flag).
    const existing = await lstat(path).catch(() => null);
    if (existing?.isFile() && !(await writable(path, existing.mode))) {
      throw Object.assign(new Error('read-only'), { code: 'EREADONLY' });
    }
    // 'wx': never follow or clobber something already at the temp name.
    handle = await open(temp, 'wx');
    await write(handle, data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, path);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code;
    let reason = (code && REASONS[code]) ?? (err as Error).message ?? String(err);
    // ENOENT in a folder that exists: one that takes no new files (/proc, /sys), not a missing one.
    if (code === 'ENOENT' && (await stat(dir).then((s) => s.isDirectory(), () => false))) {
      reason = 'the folder does not take new files (a virtual file system such as /proc)';
    }
    throw new WriteFileError(path, code, reason, { cause: err });
  }
  await syncDirectory(dir);
}

/** Whether this process may change the file: a write bit set, and write access for this user (root has it always). */
async function writable(path: string, mode: number): Promise<boolean> {
  if ((mode & 0o222) === 0) return false;
  return access(path, constants.W_OK).then(() => true, () => false);
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
