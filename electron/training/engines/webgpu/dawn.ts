/**
 * The WebGPU engine in a Node process (the CLI's worker): tfjs's WebGPU backend on Dawn, Chromium's WebGPU library,
 * through npm's `webgpu` package (an optional dependency). Dawn runs on Vulkan on Linux, D3D12 on Windows and
 * Metal on macOS, as Chromium's does; the app's GPU page (webgpu/index.ts) gets the same Dawn from Chromium instead.
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
// Registers the webgpu kernels. In Node its main file (tf-backend-webgpu.node.js) registers no backend, since there is
// no navigator.gpu when it loads: initDawnWebGpu registers one on the adapter it found.
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { EngineInfo, GpuAdapter } from '../../../shared/schema/engine';
import type { Reason } from '../../../shared/reasons';
import { describeWebGpuAdapter, type WebGpuAdapterInfoLike } from '../adapter';
import { EngineUnavailableError, messageOf } from '../errors';
import { refuseSoftwareAdapter, type BrowserEngineOptions } from '../software';
import { startBackend } from '../start-backend';
import { registerWebGpuTrainingKernels } from './kernels';

export interface DawnOptions extends BrowserEngineOptions {
  /** An installed app, which is built without Dawn: its missing package is not an npm problem. */
  packaged?: boolean;
}

/** The first fault of the device a run trains on (lost, out of memory), as a reason; null while there is none. */
let fault: Reason | null = null;

/** Why the WebGPU device failed mid-run, if it did: the worker reports this instead of what tfjs then threw. */
export function dawnFault(): Reason | null {
  return fault;
}

/**
 * Loads Dawn and asks for the high-performance adapter (tfjs asks the same way). Throws EngineUnavailableError when
 * the package is missing or does not load; resolves to the reason when Dawn finds no adapter.
 */
async function requestAdapter(
  platform: string,
  options: DawnOptions,
): Promise<{ adapter: GPUAdapter } | { reason: Reason }> {
  let dawn: typeof import('webgpu');
  try {
    dawn = await import('webgpu');
  } catch (err) {
    const missing = /Cannot find (package|module) 'webgpu'/.test(messageOf(err));
    throw new EngineUnavailableError(
      missing
        ? { code: 'dawn-not-installed', packaged: options.packaged === true }
        : { code: 'dawn-load-failed', detail: messageOf(err).split('\n', 1)[0] },
    );
  }
  // tfjs's backend names GPUBufferUsage, GPUMapMode and the rest as globals, and checks navigator.gpu, as a browser
  // has them. Node 21+ has a navigator without gpu; Node 20 has none.
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  const global = globalThis as { navigator?: object };
  global.navigator ??= {};
  Object.defineProperty(global.navigator, 'gpu', { value: gpu, configurable: true });
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    return { reason: { code: 'webgpu-request-failed', detail: messageOf(err).split('\n', 1)[0] } };
  }
  if (adapter) return { adapter };
  if (platform === 'linux' && !vulkanLoaderFound()) return { reason: { code: 'vulkan-loader-missing' } };
  return { reason: { code: 'dawn-no-adapter', platform } };
}

/** The adapter as the GPU page describes its own (engines/adapter.ts): Dawn's info says isFallbackAdapter too. */
function describeAdapter(adapter: GPUAdapter, platform: string): GpuAdapter {
  const info = adapter.info as WebGpuAdapterInfoLike;
  return describeWebGpuAdapter(info, platform, (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true);
}

/**
 * Starts tfjs's WebGPU backend on Dawn's high-performance adapter, with Athanor's training kernels; a software
 * adapter (SwiftShader, llvmpipe, lavapipe, WARP, isFallbackAdapter) only with `allowSoftwareAdapter`. Throws
 * EngineUnavailableError with the reason: Dawn missing or broken, no adapter (on Linux: no Vulkan loader), the
 * software adapter refused, or no device.
 */
export async function initDawnWebGpu(platform: string, options: DawnOptions = {}): Promise<EngineInfo> {
  const found = await requestAdapter(platform, options);
  if ('reason' in found) throw new EngineUnavailableError(found.reason);
  const { adapter } = found;
  const described = describeAdapter(adapter, platform);
  refuseSoftwareAdapter('WebGPU', described, options);
  registerWebGpuTrainingKernels();
  // The backend is made here, not in tfjs's factory: tfjs prints a factory's failure with its stack on stderr, which
  // is the user's terminal; here it becomes the reason alone.
  let backend: WebGPUBackend;
  try {
    backend = new WebGPUBackend(await requestDevice(adapter), adapter.info);
  } catch (err) {
    throw new EngineUnavailableError({ code: 'backend-not-started', api: 'WebGPU', detail: `: ${messageOf(err)}` });
  }
  if (tf.findBackendFactory('webgpu') !== null) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => backend);
  await startBackend('webgpu', 'WebGPU', ' (no device from the adapter)');
  return {
    engine: 'webgpu',
    device: 'gpu',
    backend: 'webgpu',
    version: tf.version_core,
    features: `Dawn in Node, webgpu ${dawnVersion()}`,
    adapter: described,
  };
}

/** A device with the limits tfjs's own factory asks for: the adapter's, not WebGPU's smaller defaults. */
async function requestDevice(adapter: GPUAdapter): Promise<GPUDevice> {
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    },
  });
  watchDevice(device);
  return device;
}

/**
 * WebGPU reports a lost device and an allocation it could not make asynchronously, never as a throw: tfjs would
 * go on with invalid buffers and read zeros. The first such fault is kept for the worker to report (dawnFault).
 */
function watchDevice(device: GPUDevice): void {
  void device.lost.then((info) => {
    if (info.reason !== 'destroyed') fault ??= { code: 'webgpu-device-lost', detail: info.message };
  });
  device.addEventListener('uncapturederror', (event) => {
    fault ??= uncapturedReason((event as GPUUncapturedErrorEvent).error);
  });
}

/**
 * An error WebGPU raised on its own, as a reason. A buffer over the device's size limits (a batch too large for this
 * GPU) fails validation rather than allocation, and wants the same remedy as running out of memory.
 */
export function uncapturedReason(error: { constructor: { name: string }; message: string }): Reason {
  const detail = error.message.split('\n', 1)[0];
  const tooBig = /exceeds the max (buffer size|storage buffer binding size)/i.test(detail);
  return error.constructor.name === 'GPUOutOfMemoryError' || tooBig
    ? { code: 'webgpu-out-of-memory', detail }
    : { code: 'webgpu-error', detail };
}

/**
 * Whether the Vulkan loader can be loaded: without it Dawn finds no adapter on Linux and says why only on stderr.
 * Node's dlopen loads a library by its plain name as Dawn does, then refuses it as not an addon, which is a yes.
 */
function vulkanLoaderFound(): boolean {
  try {
    process.dlopen({ exports: {} } as NodeJS.Module, 'libvulkan.so.1');
    return true;
  } catch (err) {
    return !/cannot open shared object file/i.test(messageOf(err));
  }
}

function dawnVersion(): string {
  try {
    return (createRequire(import.meta.url)('webgpu/package.json') as { version: string }).version;
  } catch {
    return 'unknown version';
  }
}
