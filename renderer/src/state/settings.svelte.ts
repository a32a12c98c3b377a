import type { DatasetChoice, GpuEngineChoice } from '../../../electron/shared/ipc-contract';
import { t } from '../../../electron/shared/i18n';
import { api } from '../lib/api';
import { errorMessage } from '../lib/format';
import { MAX_TRAIN_IMAGES } from '../../../electron/shared/schema/settings';
import { DEFAULT_FIELDS, validateSettings, type FieldErrors, type SettingsFields } from '../lib/settings-form';
import { notices } from './notices.svelte';

const DATA_FOLDER_TOPIC = 'data-folder';

class SettingsForm {
  fields = $state<SettingsFields>({ ...DEFAULT_FIELDS });
  /** A folder the user picked; the bundled MNIST when null. */
  dataset = $state.raw<DatasetChoice | null>(null);
  choosing = $state(false);
  /** Which engine a GPU run uses: 'auto' is CUDA where it loads, else WebGPU, else WebGL. */
  gpuEngine = $state<GpuEngineChoice>('auto');

  /** Checked against the chosen data source: a quick run cannot ask for more images than it holds. */
  result = $derived(validateSettings(this.fields, this.dataset?.trainCount ?? MAX_TRAIN_IMAGES));
  valid = $derived(this.result.ok);

  /**
   * Each bad field's problem in the current language. Not a `$derived` of this module: it would keep the words of
   * the language it was first read in, and a switch of language builds the form again to read them anew.
   */
  wordedErrors(): FieldErrors {
    const result = validateSettings(this.fields, this.dataset?.trainCount ?? MAX_TRAIN_IMAGES);
    return result.ok ? {} : result.errors;
  }

  /** The request body for a run, or null while the form has errors. */
  request = $derived.by(() => {
    if (!this.result.ok) return null;
    const request = { ...this.result.settings, gpuEngine: this.gpuEngine };
    return this.dataset ? { ...request, dataDir: this.dataset.dir } : request;
  });

  reset(): void {
    this.fields = { ...DEFAULT_FIELDS };
    this.gpuEngine = 'auto';
  }

  async chooseFolder(): Promise<void> {
    this.choosing = true;
    try {
      const choice = await api.chooseDataset();
      if (choice) {
        this.dataset = choice;
        notices.clear(DATA_FOLDER_TOPIC); // an earlier folder's refusal no longer applies
      }
    } catch (err) {
      notices.push('error', () => t('settings.folderRefused'), errorMessage(err), DATA_FOLDER_TOPIC);
    } finally {
      this.choosing = false;
    }
  }

  useBundled(): void {
    this.dataset = null;
    notices.clear(DATA_FOLDER_TOPIC);
  }
}

export const settings = new SettingsForm();
