import { checkRecord } from '../../../electron/shared/schema/rows';
import type { ExportFormat, RunRecord } from '../../../electron/shared/ipc-contract';
import { api } from '../lib/api';
import { errorMessage } from '../lib/format';
import { notices } from './notices.svelte';

const newestFirst = (a: RunRecord, b: RunRecord) => Date.parse(b.startedAt) - Date.parse(a.startedAt);

/**
 * The rows the table can draw, newest first and one per id (the table is keyed by id). Main checks rows when it
 * reads them; this is the same check at the last step, so one bad row is named instead of taking the table down.
 */
function showableRows(rows: readonly unknown[]): { records: RunRecord[]; problems: string[] } {
  const records: RunRecord[] = [];
  const problems: string[] = [];
  // Built and read within this one call: nothing reacts to it, so a plain Set.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  const ids = new Set<string>();
  rows.forEach((row, i) => {
    try {
      const record = checkRecord(row);
      if (ids.has(record.id)) throw new Error(`a second row with the id ${record.id}`);
      ids.add(record.id);
      records.push(record);
    } catch (err) {
      problems.push(`row ${i + 1}: ${errorMessage(err)}`);
    }
  });
  return { records: records.sort(newestFirst), problems };
}

class History {
  records = $state.raw<RunRecord[]>([]);
  /** What main said about the history folder (rows or files set aside), and rows this table cannot show. */
  notice = $state<string | null>(null);
  loaded = $state(false);
  error = $state<string | null>(null);
  /** Rows ticked for the loss-curve overlay, in the order they were ticked. */
  selected = $state<string[]>([]);

  selectedRecords = $derived(this.records.filter((r) => this.selected.includes(r.id)));

  /** Rows a finished event brought while a refresh was on its way: newer than that refresh's copy of them. */
  private arrived = new Map<string, RunRecord>();
  private refreshing = 0;

  async refresh(): Promise<void> {
    this.refreshing += 1;
    try {
      const state = await api.listHistory();
      const notice = [state.notice, this.show(state.records)].filter(Boolean).join(' ');
      // A run that ended while the list was read (one that fails at once) keeps its end, not the listed 'running'.
      if (this.arrived.size > 0) {
        this.records = [...this.arrived.values(), ...this.records.filter((r) => !this.arrived.has(r.id))].sort(newestFirst);
      }
      if (notice) this.notice = notice;
      this.error = null;
    } catch (err) {
      this.error = `History could not be read: ${errorMessage(err)}`;
    } finally {
      this.refreshing -= 1;
      if (this.refreshing === 0) this.arrived.clear();
      this.loaded = true;
    }
  }

  upsert(record: RunRecord): void {
    try {
      const checked = checkRecord(record);
      this.records = [checked, ...this.records.filter((r) => r.id !== record.id)].sort(newestFirst);
      if (this.refreshing > 0) this.arrived.set(checked.id, checked);
    } catch (err) {
      notices.push('error', 'A finished run could not be shown in the history', errorMessage(err));
    }
  }

  /** Replaces the rows with the showable ones; returns a sentence naming the rows left out, if any. */
  private show(rows: readonly unknown[]): string | null {
    const { records, problems } = showableRows(rows);
    this.records = records;
    if (problems.length === 0) return null;
    return `${problems.length} of ${rows.length} history rows cannot be shown (${problems.slice(0, 3).join('; ')}).`;
  }

  toggle(id: string): void {
    this.selected = this.selected.includes(id) ? this.selected.filter((s) => s !== id) : [...this.selected, id];
  }

  async remove(id: string): Promise<void> {
    try {
      const state = await api.deleteRun({ id });
      notices.clear(`delete:${id}`);
      const problems = this.show(state.records);
      if (problems) this.notice = problems;
      this.selected = this.selected.filter((s) => s !== id);
    } catch (err) {
      notices.push('error', 'The run could not be deleted', errorMessage(err), `delete:${id}`);
    }
  }

  async exportCsv(): Promise<void> {
    try {
      const result = await api.exportHistoryCsv();
      // A success replaces an earlier failure's notice (same topic); a cancelled dialog leaves it.
      if (result.saved) notices.push('success', 'History exported', result.path, 'csv');
    } catch (err) {
      notices.push('error', 'CSV export failed', errorMessage(err), 'csv');
    }
  }

  /** The run the menu's Export weights... means: the last ticked row with weights, else the newest done run. */
  exportCandidate(): RunRecord | null {
    const ticked = this.selectedRecords.filter((r) => r.hasWeights);
    if (ticked.length > 0) {
      const lastTicked = this.selected.filter((id) => ticked.some((r) => r.id === id)).at(-1);
      return ticked.find((r) => r.id === lastTicked) ?? null;
    }
    return this.records.find((r) => r.status === 'done' && r.hasWeights) ?? null;
  }
}

export const history = new History();

export type ExportOutcome = { ok: true; path: string; bytes: number } | { ok: false; reason: string } | null;

/** Exports one run's weights; null when the user cancelled the save dialog. The caller shows the outcome. */
export async function exportWeights(id: string, format: ExportFormat): Promise<ExportOutcome> {
  try {
    const result = await api.exportWeights({ id, format });
    if (!result.saved) return null;
    return { ok: true, path: result.path, bytes: result.bytes };
  } catch (err) {
    return { ok: false, reason: errorMessage(err) };
  }
}
