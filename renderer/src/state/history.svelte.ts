import type { ExportFormat, RunRecord } from '../../../electron/shared/ipc-contract';
import { t } from '../../../electron/shared/i18n';
import { api } from '../lib/api';
import { errorMessage } from '../lib/format';
import { notices } from './notices.svelte';

const newestFirst = (a: RunRecord, b: RunRecord) => Date.parse(b.startedAt) - Date.parse(a.startedAt);

class History {
  records = $state.raw<RunRecord[]>([]);
  /** What main said about the history folder (rows or files set aside). */
  notice = $state<string | null>(null);
  loaded = $state(false);
  /** Why the history could not be read (main's reason); the table words it in the language shown. */
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
      this.show(state.records);
      const notice = state.notice;
      // A run that ended while the list was read (one that fails at once) keeps its end, not the listed 'running'.
      if (this.arrived.size > 0) {
        this.records = [...this.arrived.values(), ...this.records.filter((r) => !this.arrived.has(r.id))].sort(
          newestFirst,
        );
      }
      if (notice) this.notice = notice;
      this.error = null;
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.refreshing -= 1;
      if (this.refreshing === 0) this.arrived.clear();
      this.loaded = true;
    }
  }

  upsert(record: RunRecord): void {
    this.records = [record, ...this.records.filter((r) => r.id !== record.id)].sort(newestFirst);
    if (this.refreshing > 0) this.arrived.set(record.id, record);
  }

  /**
   * Shows main's rows, newest first. Main checks every row it reads and sends (shared/schema/rows.ts), sets aside
   * bad ones and gives repeated ids fresh ones (history-file.ts): the table draws what it is given.
   */
  private show(rows: readonly RunRecord[]): void {
    this.records = [...rows].sort(newestFirst);
  }

  toggle(id: string): void {
    this.selected = this.selected.includes(id) ? this.selected.filter((s) => s !== id) : [...this.selected, id];
  }

  async remove(id: string): Promise<void> {
    try {
      const state = await api.deleteRun({ id });
      notices.clear(`delete:${id}`);
      this.show(state.records);
      this.selected = this.selected.filter((s) => s !== id);
    } catch (err) {
      notices.push('error', () => t('history.row.deleteFailed'), errorMessage(err), `delete:${id}`);
    }
  }

  async exportCsv(): Promise<void> {
    try {
      const result = await api.exportHistoryCsv();
      // A success replaces an earlier failure's notice (same topic); a cancelled dialog leaves it.
      if (result.saved) notices.push('success', () => t('history.export.csvExported'), result.path, 'csv');
    } catch (err) {
      notices.push('error', () => t('history.export.csvFailed'), errorMessage(err), 'csv');
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
