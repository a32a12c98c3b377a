import type { DatasetChoice } from '../../../electron/shared/ipc-contract';
import { api } from '../lib/api';
import { errorMessage } from '../lib/format';
import { DEFAULT_FIELDS, validateSettings, type SettingsFields } from '../lib/settings-form';
import { notices } from './notices.svelte';

class SettingsForm {
  fields = $state<SettingsFields>({ ...DEFAULT_FIELDS });
  /** A folder the user picked; the bundled MNIST when null. */
  dataset = $state.raw<DatasetChoice | null>(null);
  choosing = $state(false);

  result = $derived(validateSettings(this.fields));
  errors = $derived(this.result.ok ? {} : this.result.errors);
  valid = $derived(this.result.ok);

  /** The request body for a run, or null while the form has errors. */
  request = $derived.by(() => {
    if (!this.result.ok) return null;
    return this.dataset ? { ...this.result.settings, dataDir: this.dataset.dir } : this.result.settings;
  });

  reset(): void {
    this.fields = { ...DEFAULT_FIELDS };
  }

  async chooseFolder(): Promise<void> {
    this.choosing = true;
    try {
      const choice = await api.chooseDataset();
      if (choice) this.dataset = choice;
    } catch (err) {
      notices.push('error', 'That folder cannot be used as a data source', errorMessage(err));
    } finally {
      this.choosing = false;
    }
  }

  useBundled(): void {
    this.dataset = null;
  }
}

export const settings = new SettingsForm();
