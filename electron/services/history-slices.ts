/**
 * history.json row by row, so that a large history (hundreds of MB) never holds the main process for long: the
 * store's own layout is split at its row lines and each row is parsed, checked and written on its own, with a
 * pause for the event loop whenever SLICE_MS of work has gone by. A file in any other layout is parsed whole
 * (parseHistory): only hand-made or damaged files, rare and small, take that path.
 */
import type { RunRecord } from '../shared/ipc-contract';

/** The history file's format version. */
export const HISTORY_VERSION = 1;

/** The longest stretch of work between two pauses, in ms: well under a frame of a busy UI. */
const SLICE_MS = 20;

/** A pause to call between pieces of work: it yields to the event loop once SLICE_MS has gone by since the last. */
export type Pause = () => Promise<void>;

export function slicer(): Pause {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < SLICE_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}

// The store's layout, as JSON.stringify({ version, records }, null, 1) writes it: rows at an indent of two spaces.
const HEAD = `{\n "version": ${HISTORY_VERSION},\n "records": [\n`;
const TAIL = '\n ]\n}';
const EMPTY = `{\n "version": ${HISTORY_VERSION},\n "records": []\n}`;
/** Between two rows. Nothing inside a row can be this: its own lines are indented deeper, and JSON text has no raw newline. */
const BETWEEN = ',\n  {';

/**
 * The rows of a file in the store's own layout, parsed one by one; null for any other text (parse it whole). The
 * pieces cut at BETWEEN are each one JSON value exactly when the whole file is valid JSON, so nothing is guessed.
 */
export async function parseRowsSliced(text: string, pause: Pause): Promise<unknown[] | null> {
  if (text === EMPTY) return [];
  if (!text.startsWith(HEAD) || !text.endsWith(TAIL)) return null;
  const end = text.length - TAIL.length;
  const rows: unknown[] = [];
  for (let from = HEAD.length; from < end;) {
    const cut = text.indexOf(BETWEEN, from);
    const to = cut < 0 || cut > end ? end : cut;
    try {
      rows.push(JSON.parse(text.slice(from, to)));
    } catch {
      return null;
    }
    from = to + 1; // past the comma: the next piece starts with the newline and indent before its brace
    if (to === end) break;
    await pause();
  }
  return rows;
}

/** Each row's text in the file, by row: rows are never changed in place (a change is a new object), so it stays true. */
const rowTexts = new WeakMap<RunRecord, string>();

/**
 * The text of history.json for `records`, in pieces to write one after another: byte for byte what formatHistory
 * gives, but each row is serialized on its own (and only once: unchanged rows reuse their text), with pauses.
 */
export async function formatHistorySliced(records: readonly RunRecord[], pause: Pause): Promise<string[]> {
  if (records.length === 0) return [EMPTY];
  const pieces = [HEAD];
  for (const [i, record] of records.entries()) {
    let text = rowTexts.get(record);
    if (text === undefined) {
      text = `  ${JSON.stringify(record, null, 1).replaceAll('\n', '\n  ')}`;
      rowTexts.set(record, text);
      await pause();
    }
    pieces.push(i === 0 ? text : `,\n${text}`);
  }
  pieces.push(TAIL);
  return pieces;
}
