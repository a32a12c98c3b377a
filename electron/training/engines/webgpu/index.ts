/**
 * The WebGPU engine: @tensorflow/tfjs-backend-webgpu in Chromium (Direct3D 12 on Windows, Metal on macOS, Vulkan on
 * Linux), for any GPU with its ordinary driver. Runs in the GPU page only: it needs `navigator.gpu`.
 */
import * as tf from '@tensorflow/tfjs-core';
// Registers the 'webgpu' backend. It has no version export; package.json pins it to tfjs-core's version.
import '@tensorflow/tfjs-backend-webgpu';
import type { EngineInfo, GpuAdapter } from '../../process/protocol';
import { describeWebGpuAdapter, type WebGpuAdapterInfoLike } from '../adapter';
import type { Reason } from '../../../shared/reasons';
import { EngineUnavailableError } from '../errors';
import { refuseSoftwareAdapter, type BrowserEngineOptions } from '../software';
import { startBackend } from '../start-backend';
import { registerWebGpuTrainingKernels } from './kernels';

interface GpuAdapterLike {
  info?: WebGpuAdapterInfoLike;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<WebGpuAdapterInfoLike>;
}
interface NavigatorGpu {
  gpu?: {
    requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapterLike | null>;
  };
}

/**
 * The adapter tfjs will train on: the one Chromium gives for `powerPreference: 'high-performance'` (tfjs asks with
 * the same option, so on a laptop with two GPUs both pick the discrete one). Resolves to the reason when there is none.
 */
export async function findWebGpuAdapter(platform: string): Promise<{ adapter: GpuAdapter } | { reason: Reason }> {
  const gpu = (globalThis.navigator as unknown as NavigatorGpu | undefined)?.gpu;
  if (!gpu) return { reason: { code: 'webgpu-missing' } };
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    return { reason: { code: 'webgpu-request-failed', detail: (err as Error).message } };
  }
  if (!adapter) {
    return { reason: { code: 'webgpu-no-adapter', linux: /linux/i.test(platform) } };
  }
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
  return { adapter: describeWebGpuAdapter(info, platform, adapter.isFallbackAdapter === true) };
}

/** Starts the WebGPU backend on the high-performance adapter; a software adapter only with `allowSoftwareAdapter`. */
export async function initWebGpu(platform: string, options: BrowserEngineOptions = {}): Promise<EngineInfo> {
  const found = await findWebGpuAdapter(platform);
  if ('reason' in found) throw new EngineUnavailableError(found.reason);
  refuseSoftwareAdapter('WebGPU', found.adapter, options);
  registerWebGpuTrainingKernels();
  await startBackend('webgpu', 'WebGPU', ' (no device from the adapter)');
  return { engine: 'webgpu', device: 'gpu', backend: 'webgpu', version: tf.version_core, adapter: found.adapter };
}
