import { t, type Language } from './i18n';
import type { GpuAdapter } from './schema/engine';

/**
 * The words every result, history row, export and bench line uses for a GPU adapter: "NVIDIA GeForce RTX 4070
 * (Vulkan)", "SwiftShader (Vulkan), software GPU (testing only)". The name falls back to the vendor, then to
 * "unknown adapter"; the API is left out when the browser did not say. A software adapter (SwiftShader, llvmpipe,
 * WARP) always says so: its times say nothing about a GPU. In the process's language, or `lng`'s (a file's
 * metadata is data: it names the adapter the same whatever language the app speaks).
 */
export function adapterLabel(adapter: GpuAdapter, lng?: Language): string {
  const name = adapterName(adapter, lng);
  const label = adapter.api ? `${name} (${adapter.api})` : name;
  return adapter.software ? t('devices.softwareAdapter', { label, lng }) : label;
}

/** The adapter's name for a person: the browser's name, else its vendor, else "unknown adapter"; never empty. */
export function adapterName(adapter: GpuAdapter, lng?: Language): string {
  return adapter.name || adapter.vendor || t('devices.unknownAdapter', { lng });
}

/**
 * The GPU's name for a person, worked out here only (the Devices panel, the live run's line, history rows): the
 * adapter `engine` trains on (WebGPU, WebGL), else the first NVIDIA GPU nvidia-smi listed (the one TensorFlow uses by
 * default, so CUDA's), else the first hardware adapter Chromium reported; null when there is none. A software
 * adapter is a name only when `engine` trains on it. In the process's language, or `lng`'s.
 */
export function gpuName(
  found: { gpus: readonly { name: string }[]; adapters?: readonly GpuAdapter[] },
  engine?: { adapter?: GpuAdapter } | null,
  lng?: Language,
): string | null {
  if (engine?.adapter) return adapterName(engine.adapter, lng);
  const hardware = found.adapters?.find((a) => !a.software);
  return found.gpus[0]?.name ?? (hardware ? adapterName(hardware, lng) : null);
}
