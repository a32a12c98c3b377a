/**
 * Reading history.json into rows without changing anything: a read that fails for a moment is tried again, and one
 * that keeps failing is an error of its own, so the store never takes an unreadable file for an empty one.
 */
import { randomBytes } from 'node:crypto';
import { reasonFor } from '../fs-atomic';
import { t } from '../shared/i18n';
import { NOT_REGULAR_FILE } from '../fs-read';
import { parseHistory, type ParsedHistory } from './history-file';
import { HISTORY_VERSION, slicer } from './history-slices';

/**
 * history.json exists but could not be read, even after retries: nothing may be written over it (that would replace
 * every row the user has with the few of this session), so every change fails with this until a read succeeds.
 */
export class HistoryUnreadableError extends Error {
  override name = 'HistoryUnreadableError';
  /** `reason` in a few words, for a row that could not be saved: the full message is the notice already shown. */
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

/** Reads history.json's text: the seam the tests use for errors this machine cannot make (EMFILE, a lock). */
export type ReadText = (file: string) => Promise<string>;

/** Error codes of a read that may succeed if tried again a moment later; any other failure is final at once. */
const PASSING = new Set([
  'EMFILE',
  'ENFILE',
  'EBUSY',
  'EAGAIN',
  'EACCES',
  'EPERM',
  'EIO',
  'EINTR',
  'ETIMEDOUT',
  'UNKNOWN',
]);

/** How often, and after how long (ms), a read that failed is tried again: 1.55 s in all. */
const READ_RETRIES_MS = [50, 100, 200, 400, 800];

/**
 * history.json read and parsed, with no change to anything: 'missing' when there is none, 'folder' when a folder
 * is in its place. A read that fails (too many open files, a file another program holds, an antivirus lock) is
 * tried again; one that still fails throws HistoryUnreadableError.
 */
export async function readHistory(
  file: string,
  readText: ReadText,
): Promise<{ text: string; parsed: ParsedHistory } | 'missing' | 'folder'> {
  let failure: NodeJS.ErrnoException | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      // A byte-order mark (a file saved by Notepad) is not part of the JSON.
      const text = (await readText(file)).replace(/^\uFEFF/, '');
      const parsed = await parseHistory(text, freshId, slicer());
      if (parsed.otherVersion !== undefined) throw otherVersion(file, parsed.otherVersion);
      return { text, parsed };
    } catch (err) {
      if (err instanceof HistoryUnreadableError) throw err;
      failure = err as NodeJS.ErrnoException;
      if (failure.code === 'ENOENT') return 'missing';
      if (failure.code === 'EISDIR') return 'folder';
      // Too large for one string (about 512 MB), not a file, or no error from the file system at all (a RangeError
      // from a string too long): no retry changes that.
      if (!PASSING.has(failure.code ?? '') || attempt >= READ_RETRIES_MS.length) break;
      await new Promise((done) => setTimeout(done, READ_RETRIES_MS[attempt]));
    }
  }
  const code = failure?.code;
  const why =
    code === 'EMFILE' || code === 'ENFILE'
      ? t('history.store.tooManyFiles')
      : code === 'EBUSY'
        ? t('history.store.programHolds')
        : code === NOT_REGULAR_FILE
          ? failure!.message
          : code === 'ERR_STRING_TOO_LONG' || failure instanceof RangeError
            ? t('history.store.tooLarge')
            : reasonFor(code, failure);
  throw new HistoryUnreadableError(
    PASSING.has(code ?? '')
      ? t('history.store.unreadableRetried', { file, why, tries: READ_RETRIES_MS.length + 1 })
      : t('history.store.unreadable', { file, why }),
    t('history.store.unreadableReason', { why }),
  );
}

/**
 * A history file in another format version is another Athanor's (a newer one, most likely, after a downgrade):
 * setting it aside would hide every row it has from that version too, so it is left exactly as it is.
 */
function otherVersion(file: string, version: number): HistoryUnreadableError {
  const which = version > HISTORY_VERSION ? t('history.store.newerVersion') : t('history.store.otherVersion');
  return new HistoryUnreadableError(
    t('history.store.writtenByOther', { file, which, version, current: HISTORY_VERSION }),
    t('history.store.writtenByOtherReason', { which, version }),
  );
}

/** The same start time and device, a new random suffix: still a run id, and not one already taken. */
function freshId(id: string, taken: Set<string>): string {
  for (;;) {
    const candidate = `${id.slice(0, -6)}${randomBytes(3).toString('hex')}`;
    if (!taken.has(candidate)) return candidate;
  }
}
