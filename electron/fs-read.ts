/**
 * Reading a file the user's folders may hold anything in place of: only a regular file is read. A named pipe with no
 * writer would never answer and a device such as /dev/zero would never end, so a read that meets one (a symlink
 * included) fails at once with a clear error instead of stalling the app.
 */
import { constants as buffers } from 'node:buffer';
import { constants as fs, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { t } from './shared/i18n';

/** What a path that is neither a file nor a folder is, in words: 'a named pipe', 'a socket' or 'a device' (English). */
export function specialKind(info: Pick<Stats, 'isFIFO' | 'isSocket'>): string {
  return t(info.isFIFO() ? 'files.kind.pipe' : info.isSocket() ? 'files.kind.socket' : 'files.kind.device');
}

/** A path that names something other than a regular file or a folder; `message` says what, in words. */
export const NOT_REGULAR_FILE = 'ERR_NOT_REGULAR_FILE';

/**
 * The bytes of `file`, when it is a regular file (a symlink to one included). Anything else fails at once, without a
 * byte read (the file is opened non-blocking and checked before the read): a folder with code EISDIR; a named pipe,
 * a socket or a device with code ERR_NOT_REGULAR_FILE and the message "it is a named pipe, not a file".
 */
export function readRegularFile(file: string): Promise<Buffer> {
  return readChecked(file, Infinity);
}

/**
 * The text of `file` as UTF-8, read as readRegularFile reads it. A file too large for one string (more than
 * buffer.constants.MAX_STRING_LENGTH code units, about 512 MB on 64-bit Node) fails with code ERR_STRING_TOO_LONG;
 * past three times that many bytes (a UTF-16 code unit takes at most 3 bytes of UTF-8) it fails before the read.
 */
export async function readRegularText(file: string): Promise<string> {
  return (await readChecked(file, buffers.MAX_STRING_LENGTH * 3)).toString('utf8');
}

async function readChecked(file: string, maxBytes: number): Promise<Buffer> {
  const handle = await open(file, fs.O_RDONLY | fs.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw Object.assign(new Error(t('files.isFolder', { path: file })), { code: 'EISDIR' });
    if (!info.isFile()) {
      throw Object.assign(new Error(t('files.notAFile', { kind: specialKind(info) })), { code: NOT_REGULAR_FILE });
    }
    if (info.size > maxBytes) {
      throw Object.assign(new Error(t('files.tooLarge', { bytes: info.size })), {
        code: 'ERR_STRING_TOO_LONG',
      });
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
