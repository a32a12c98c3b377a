import type { AppInfo, DevicesReport, EngineStatus, GpuEngineChoice } from '../../../electron/shared/ipc-contract';
import { describeReason } from '../../../electron/shared/describe-reason';
import { api } from '../lib/api';
import { errorMessage } from '../lib/format';
import { settings } from './settings.svelte';

class Devices {
  report = $state.raw<DevicesReport | null>(null);
  app = $state.raw<AppInfo | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);

  /** The engine a GPU run would use with the chosen setting: "Auto"'s pick, or the one the user chose. */
  gpuStatus = $derived(this.statusOf(settings.gpuEngine));

  /** Why a GPU run cannot start, or null when it can. */
  gpuBlocked = $derived.by(() => {
    if (!this.gpuStatus) return this.loading ? 'checking the GPU…' : (this.error ?? 'devices not detected yet');
    const gpu = this.gpuStatus;
    return gpu.available ? null : gpu.reason ? describeReason(gpu.reason) : 'the GPU engine is not available';
  });

  /** The engine a GPU engine choice means, from the last detection: "Auto"'s pick, or that engine; null before one. */
  statusOf(choice: GpuEngineChoice): EngineStatus | null {
    if (!this.report) return null;
    return choice === 'auto' ? this.report.engines.gpu : this.report.gpuEngines[choice];
  }

  async load(refresh = false): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      this.report = await api.getDevices(refresh ? { refresh: true } : undefined);
    } catch (err) {
      this.error = `Device detection failed: ${errorMessage(err)}`;
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
