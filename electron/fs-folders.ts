/**
 * Making a folder and its missing parents where Node's own `mkdir(..., { recursive: true })` cannot be trusted: under
 * /proc (`/proc/foo/w.pth`), where a new folder fails with ENOENT although its parent exists, Node's recursive mkdir
 * retries for ever at full CPU (seen on Node 20.20 and 24.18). Shared by the command line's --out and the history.
 */
import { rmdirSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { reasonFor } from './fs-atomic';
import { t } from './shared/i18n';

/** A folder that could not be made: `message` says which and why, in words (`/proc takes no new folders (...)`). */
export class FolderError extends Error {
  override name = 'FolderError';
  constructor(
    readonly path: string,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Makes `dir` and its missing parents one level at a time. Returns the first folder made, or null when `dir` was
 * there already. On failure, removes what it made and throws FolderError: a parent that exists but takes no folders
 * (a virtual file system such as /proc) is said so; anything else in reasonFor's words.
 */
export async function makeFolders(dir: string): Promise<string | null> {
  const missing: string[] = [];
  for (
    let d = dir;
    !(await stat(d).then(
      () => true,
      () => false,
    ));
    d = dirname(d)
  ) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      await mkdir(d);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue; // made meanwhile by someone else
      if (missing[0] !== d) removeMadeFolders({ madeFolder: dirname(d), madeFrom: missing[0] });
      const why =
        code === 'ENOENT'
          ? t('files.noNewFolders', { parent: dirname(d) })
          : t('files.folderProblem', { path: d, reason: reasonFor(code, err) });
      throw new FolderError(d, code, why);
    }
  }
  return missing[0] ?? null;
}

/**
 * Removes the folders makeFolders made (`madeFolder` up to `madeFrom`), each only while empty: for work that ended
 * without writing there, so a failure leaves nothing it made. Synchronous: safe at process exit.
 */
export function removeMadeFolders(made: { madeFolder: string | null; madeFrom: string | null }): void {
  if (!made.madeFolder || !made.madeFrom) return;
  for (let dir = made.madeFolder; ; dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return; // not empty (someone put something there), or gone
    }
    if (dir === made.madeFrom || dirname(dir) === dir) return;
  }
}
