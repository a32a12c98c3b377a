import type { ExportFormat, RunRecord } from '../../../electron/shared/ipc-contract';
import { api } from '../lib/api';
import { errorMessage } from '../lib/format';
import { notices } from './notices.svelte';

const newestFirst = (a: RunRecord, b: RunRecord) => Date.parse(b.startedAt) - Date.parse(a.startedAt);

class History {
  records = $state.raw<RunRecord[]>([]);
  /** Set when a corrupt history file was set aside at start. */
  notice = $state<string | null>(null);
  loaded = $state(false);
  error = $state<string | null>(null);
  /** Rows ticked for the loss-curve overlay, in the order they were ticked. */
  selected = $state<string[]>([]);

  selectedRecords = $derived(this.records.filter((r) => this.selected.includes(r.id)));

  async refresh(): Promise<void> {
    try {
      const state = await api.listHistory();
      this.records = state.records.slice().sort(newestFirst);
      if (state.notice) this.notice = state.notice;
      this.error = null;
    } catch (err) {
      this.error = `History could not be read: ${errorMessage(err)}`;
    } finally {
      this.loaded = true;
    }
  }

  upsert(record: RunRecord): void {
    const others = this.records.filter((r) => r.id !== record.id);
    this.records = [record, ...others].sort(newestFirst);
  }

  toggle(id: string): void {
    this.selected = this.selected.includes(id) ? this.selected.filter((s) => s !== id) : [...this.selected, id];
  }

  async remove(id: string): Promise<void> {
    try {
      const state = await api.deleteRun({ id });
      this.records = state.records.slice().sort(newestFirst);
      this.selected = this.selected.filter((s) => s !== id);
    } catch (err) {
      notices.push('error', 'The run could not be deleted', errorMessage(err));
    }
  }

  async exportCsv(): Promise<void> {
    try {
      const result = await api.exportHistoryCsv();
      if (result.saved) notices.push('success', 'History exported', result.path);
    } catch (err) {
      notices.push('error', 'CSV export failed', errorMessage(err));
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
