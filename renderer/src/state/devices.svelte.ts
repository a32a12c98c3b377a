import type { AppInfo, DevicesReport, EngineStatus, GpuEngineChoice } from '../../../electron/shared/ipc-contract';
import { describeReason } from '../../../electron/shared/describe-reason';
import { t } from '../../../electron/shared/i18n';
import { api } from '../lib/api';
import { errorMessage } from '../lib/format';
import { settings } from './settings.svelte';

class Devices {
  report = $state.raw<DevicesReport | null>(null);
  app = $state.raw<AppInfo | null>(null);
  loading = $state(false);
  /** Why the last detection failed, as the error said it; null when it worked. */
  failure = $state<string | null>(null);

  /** The engine a GPU run would use with the chosen setting: "Auto"'s pick, or the one the user chose. */
  gpuStatus = $derived(this.statusOf(settings.gpuEngine));

  // Words are getters, not $derived: a cached $derived would keep the language it was first read in after a switch.

  /** The failed detection in words, or null. */
  get error(): string | null {
    return this.failure === null ? null : t('devices.detectionFailed', { detail: this.failure });
  }

  /** Why a GPU run cannot start, or null when it can. */
  get gpuBlocked(): string | null {
    if (!this.gpuStatus) return this.loading ? t('devices.checkingGpu') : (this.error ?? t('devices.notDetected'));
    const gpu = this.gpuStatus;
    return gpu.available ? null : gpu.reason ? describeReason(gpu.reason) : t('devices.gpuEngineUnavailable');
  }

  /** The engine a GPU engine choice means, from the last detection: "Auto"'s pick, or that engine; null before one. */
  statusOf(choice: GpuEngineChoice): EngineStatus | null {
    if (!this.report) return null;
    return choice === 'auto' ? this.report.engines.gpu : this.report.gpuEngines[choice];
  }

  async load(refresh = false): Promise<void> {
    this.loading = true;
    this.failure = null;
    try {
      this.report = await api.getDevices(refresh ? { refresh: true } : undefined);
    } catch (err) {
      this.failure = errorMessage(err);
    } finally {
      this.loading = false;
    }
  }

  async loadAppInfo(): Promise<void> {
    try {
      this.app = await api.appInfo();
    } catch {
      this.app = null;
    }
  }
}

export const devices = new Devices();
