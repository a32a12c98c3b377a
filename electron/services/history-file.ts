/**
 * Reading history.json's text into rows the app can show, whatever state the file is in: every row checked field
 * by field (shared/schema/rows.ts), bad rows set apart with their reason, the complete rows of a truncated or
 * damaged file salvaged, and ids made unique. Pure functions of text: the store does the file moves.
 */
import { checkRecord, RowProblem } from '../shared/schema/rows';
import type { RunRecord } from '../shared/ipc-contract';
import { t } from '../shared/i18n';
import { HISTORY_VERSION, parseRowsSliced, type Pause } from './history-slices';

/** A row that could not be used, kept as it was read (a parsed value, or the raw text of a damaged stretch). */
export interface RejectedRow {
  /** 1-based position in the file's list of rows. */
  row: number;
  reason: string;
  value: unknown;
}

export interface ParsedHistory {
  records: RunRecord[];
  rejected: RejectedRow[];
  /** Set when the file as a whole was not valid: why, in a few words. Its complete rows are in `records`. */
  damage: string | null;
  /** Rows whose duplicate id was replaced by a fresh one, as [old id, new id]. */
  renamed: [string, string][];
  /** Exact copies of an earlier row, dropped. */
  copies: number;
  /**
   * The format version of a history file another version of Athanor wrote (an object with a numeric `version` that
   * is not HISTORY_VERSION): its rows are not read, and it must not be set aside or written over.
   */
  otherVersion?: number;
}

/**
 * Parses the text of a history file. Never throws: a file that is not JSON, or not a history file, gives every
 * complete row that could be cut out of it (`damage` says what was wrong), and each row that fails the check is in
 * `rejected` rather than in `records`. `freshId(id, taken)` names the second of two different rows sharing an id.
 * A file in the store's own layout is read a row at a time, calling `pause` between rows (history-slices.ts).
 */
export async function parseHistory(
  text: string,
  freshId: (id: string, taken: Set<string>) => string,
  pause: Pause = async () => undefined,
): Promise<ParsedHistory> {
  let rows = await parseRowsSliced(text, pause);
  let damage: string | null = null;
  const rejected: RejectedRow[] = [];
  if (!rows) {
    try {
      const parsed = JSON.parse(text) as { version?: unknown; records?: unknown } | null;
      if (
        typeof parsed === 'object' &&
        parsed !== null &&
        typeof parsed.version === 'number' &&
        parsed.version !== HISTORY_VERSION
      ) {
        return { records: [], rejected: [], damage: null, renamed: [], copies: 0, otherVersion: parsed.version };
      }
      if (parsed?.version !== HISTORY_VERSION || !Array.isArray(parsed.records)) {
        return {
          records: [],
          rejected: [],
          damage: t('history.store.notHistory'),
          renamed: [],
          copies: 0,
        };
      }
      rows = parsed.records;
    } catch (err) {
      // V8's message quotes the text: a damaged file's control characters and stray bytes stay out of the notice.
      const said = (err as Error).message.replace(/[^\x20-\x7e\u00a0-\u024f]+/gu, '?').slice(0, 160);
      damage = t('history.store.notJson', { said });
      const salvaged = salvageRows(text);
      rows = salvaged.rows;
      rejected.push(...salvaged.damaged);
    }
  }
  const records: RunRecord[] = [];
  for (const [i, value] of rows.entries()) {
    if (value === undefined) continue; // a damaged stretch, already in `rejected`
    try {
      records.push(checkRecord(value));
    } catch (err) {
      if (!(err instanceof RowProblem)) throw err;
      rejected.push({ row: i + 1, reason: err.message, value });
    }
    await pause();
  }
  rejected.sort((a, b) => a.row - b.row);
  return { ...uniqueIds(records, freshId), rejected, damage };
}

export function formatHistory(records: readonly RunRecord[]): string {
  return JSON.stringify({ version: HISTORY_VERSION, records }, null, 1);
}

/**
 * The complete rows of a history file that is not valid JSON (cut short by a crash or a full disk, or damaged in
 * the middle): each `{...}` in the records list is cut out by bracket matching (strings and escapes respected) and
 * parsed on its own. A stretch that does not parse is returned as text; an unfinished last row is dropped, never
 * guessed at. `rows[i]` is undefined where `damaged` holds row i + 1.
 *
 * Linear in the text: a row of a file the store wrote starts on a line of its own at one indent (`\n  {`), a line
 * that nothing inside a row can be, so those lines cut the text into stretches and a row is matched within its
 * stretch only. Damage costs the rest of its stretch, never a scan to the end of the file for every row.
 */
export function salvageRows(text: string): { rows: unknown[]; damaged: RejectedRow[] } {
  const rows: unknown[] = [];
  const damaged: RejectedRow[] = [];
  const key = /"records"\s*:\s*\[/.exec(text);
  if (!key) return { rows, damaged };
  let i = skipSeparators(text, key.index + key[0].length);
  // The first row's indent, when it stands on a line of its own (the store's format); a one-line file has none.
  const lead = text.slice(text.lastIndexOf('\n', i) + 1, i);
  const starts =
    text[i] === '{' && /^[ \t]*$/.test(lead) && text.lastIndexOf('\n', i) >= 0
      ? new RowStarts(text, `\n${lead}{`)
      : null;
  while (i < text.length && text[i] !== ']') {
    const limit = starts?.after(i) ?? text.length;
    const end = text[i] === '{' ? matchingBrace(text, i, limit) : MISMATCH;
    if (end >= 0) {
      const row = parseOrUndefined(text.slice(i, end + 1));
      if (row !== undefined) {
        rows.push(row);
        i = skipSeparators(text, end + 1);
        continue;
      }
    }
    if (limit === text.length && end === CUT_SHORT) break; // the last row, cut short: dropped, never guessed at
    const stop = limit < text.length ? limit : end >= 0 ? end + 1 : text.length;
    rows.push(undefined);
    damaged.push({ row: rows.length, reason: t('history.store.incompleteRow'), value: text.slice(i, stop) });
    i = skipSeparators(text, stop);
  }
  return { rows, damaged };
}

/** Where rows start (`pattern`: a newline, the rows' indent, a brace), found by searching forward only. */
class RowStarts {
  private found = -1;
  constructor(
    private readonly text: string,
    private readonly pattern: string,
  ) {}

  /**
   * Index of the first row start's `{` after `from`, or the text's length when there is none. `from` only grows
   * between calls, so each search begins past the last one found and all of them together read the text about once.
   */
  after(from: number): number {
    if (this.found > from) return this.found;
    const at = this.text.indexOf(this.pattern, Math.max(0, from - this.pattern.length + 2));
    this.found = at < 0 ? this.text.length : at + this.pattern.length - 1;
    return this.found;
  }
}

function skipSeparators(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text[i] === ',' || /\s/.test(text[i]))) i++;
  return i;
}

const CUT_SHORT = -1;
const MISMATCH = -2;

/**
 * Index of the `}` closing the `{` at `open`, looking no further than `limit`; CUT_SHORT when the limit comes first,
 * MISMATCH when a `]` closes it.
 */
function matchingBrace(text: string, open: number, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < limit; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return c === '}' ? i : MISMATCH;
    }
  }
  return CUT_SHORT;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Two rows with one id would be one row to the table (keyed by id) and to delete: an exact copy is dropped, a
 * different row gets a fresh id. The weights file is named by id, so it stays with the first row.
 */
function uniqueIds(records: RunRecord[], freshId: (id: string, taken: Set<string>) => string) {
  const taken = new Set<string>();
  const first = new Map<string, RunRecord>();
  const unique: RunRecord[] = [];
  const renamed: [string, string][] = [];
  let copies = 0;
  for (const r of records) {
    const earlier = first.get(r.id);
    if (!taken.has(r.id)) {
      taken.add(r.id);
      first.set(r.id, r);
      unique.push(r);
    } else if (!earlier || JSON.stringify(earlier) !== JSON.stringify(r)) {
      // compared only when an id repeats
      const id = freshId(r.id, taken);
      taken.add(id);
      renamed.push([r.id, id]);
      unique.push({ ...r, id, hasWeights: false });
    } else {
      copies++;
    }
  }
  return { records: unique, renamed, copies };
}
