/**
 * The history table as CSV (RFC 4180: CRLF lines, fields quoted when they hold a comma, quote or line break). The
 * header row is in the user's language; the cells stay machine-readable in every language: numbers as JavaScript
 * writes them (a '.' decimal mark, which zh-CN uses too, and no grouping, whose commas would split cells), times in
 * ISO 8601, statuses and devices as their codes.
 */
import type { RunRecord } from '../shared/ipc-contract';
import { language, t } from '../shared/i18n';
import type { history } from '../shared/i18n/en/history';
import { SHOWN_SETTINGS } from '../shared/schema/settings';
import { timedTraining } from '../shared/timed';
import { describeRunEnd } from '../shared/describe-reason';

type Cell = string | number | null | undefined;
/** A column's name in the catalogue (history.csv), which is its English header. */
export type CsvColumn = keyof typeof history.csv;

const COLUMNS: readonly [CsvColumn, (r: RunRecord) => Cell][] = [
  ['id', (r) => r.id],
  ['started_at', (r) => r.startedAt],
  ['status', (r) => r.status],
  ['device', (r) => r.device],
  ['hardware', (r) => r.hardware],
  ['engine', (r) => (r.engine ? `${r.engine.engine} ${r.engine.version}` : null)],
  // The settings that have a column, from the settings table: a new setting with a column needs nothing here.
  ...SHOWN_SETTINGS.flatMap(({ key, column }): [CsvColumn, (r: RunRecord) => Cell][] =>
    column ? [[column as CsvColumn, (r) => (r.settings as Record<string, Cell>)[key]]] : [],
  ),
  ['train_images', (r) => r.trainImages],
  // A run that timed no batch (only the warm-up) has no times or rate: empty cells, as the CLI says n/a.
  ['training_s', (r) => (timedTraining(r) ? r.timings!.trainingMs / 1000 : null)],
  ['s_per_epoch', (r) => (timedTraining(r) ? r.secondsPerEpoch : null)],
  ['images_per_s', (r) => (timedTraining(r) ? r.imagesPerSecond : null)],
  ['final_loss', (r) => r.finalLoss],
  ['test_accuracy', (r) => r.accuracy],
  // Why a run ended, in the words the app shows (a CSV is read by people): old rows' words as they were.
  ['message', (r) => describeRunEnd(r)?.words ?? null],
];

/** The columns' names in the order the CSV has them (a test checks each has a header in every language). */
export const CSV_COLUMNS: readonly CsvColumn[] = COLUMNS.map(([name]) => name);

/**
 * The CSV text, its header in the current language. A Chinese one starts with a byte order mark: without it Excel
 * on a Chinese Windows reads UTF-8 as GBK and garbles the header. The English one is as it always was.
 */
export function toCsv(records: readonly RunRecord[]): string {
  const lines = [COLUMNS.map(([name]) => cell(t(`history.csv.${name}`))).join(',')];
  for (const r of records) lines.push(COLUMNS.map(([, get]) => cell(get(r))).join(','));
  return `${language() === 'en' ? '' : '\uFEFF'}${lines.join('\r\n')}\r\n`;
}

function cell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  // A text cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection): make it plain text.
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
