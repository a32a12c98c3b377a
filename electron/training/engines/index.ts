/** The one place that picks an engine for a run in a Node process (CLI, worker); the GPU page picks its own. */
import type { Device, GpuEngineChoice } from '../core/config';
import type { EngineInfo } from '../../shared/schema/engine';
import { reasonOf, type Reason } from '../../shared/reasons';
import { EngineUnavailableError, messageOf } from './errors';
import { initNative, type NativeRequire } from './native';
import { initWasm, type WasmOptions } from './wasm';

export type { EngineInfo };
export { EngineUnavailableError } from './errors';
export { initNative, nativeLoadReason, setNativeThreads, type NativeRequire } from './native';
export { defaultThreads, initWasm, type WasmOptions } from './wasm';

export type EngineOptions = WasmOptions & {
  requireFn?: NativeRequire;
  preferFallback?: boolean;
  /**
   * The GPU engine asked for. In Node: CUDA, WebGPU through Dawn, or Auto (CUDA where it loads, else WebGPU, as the
   * app chooses); WebGL, which needs a page, is refused.
   */
  gpuEngine?: GpuEngineChoice;
  /** An installed app: native load errors advise reinstalling the app rather than npm commands. */
  packaged?: boolean;
  /** Tests and benchmarks on machines without a GPU: WebGPU may train on a software adapter (see WorkerOptions). */
  allowSoftwareAdapter?: boolean;
  /** Node's name for the platform, for WebGPU's API and advice; this process's by default. */
  platform?: string;
};

/**
 * Picks the engine for a run. `threads` sizes both CPU engines: TensorFlow's thread pools for the native ones,
 * XNNPACK's for wasm. CPU: native if it loads and trains a step, else wasm with the reason recorded. GPU: the engine
 * `gpuEngine` names, or Auto's choice, or a clear error; a GPU request never quietly trains on the CPU.
 */
export async function initEngine(device: Device, options: EngineOptions = {}): Promise<EngineInfo> {
  if (device === 'gpu') return initGpuEngine(options);
  if (options.preferFallback) {
    return { ...(await initWasm(options)), fallbackReason: { code: 'fallback-asked' } };
  }
  try {
    return await initNative('cpu', options);
  } catch (err) {
    if (!(err instanceof EngineUnavailableError)) throw err;
    return { ...(await initWasm(options)), fallbackReason: err.reason };
  }
}

/** The GPU engines a Node process has: CUDA (tfjs-node-gpu) and WebGPU (Dawn), each loaded only when chosen. */
async function initGpuEngine(options: EngineOptions): Promise<EngineInfo> {
  const choice = options.gpuEngine ?? 'auto';
  // The mirror of the GPU page's chooser (engines/browser.ts), which refuses CUDA.
  if (choice === 'webgl') throw new EngineUnavailableError({ code: 'browser-engine-in-node', engine: 'webgl' });
  if (choice === 'cuda') return initNative('gpu', options);
  if (choice === 'webgpu') return initNodeWebGpu(options);
  let cuda: Reason;
  try {
    return await initNative('gpu', options);
  } catch (err) {
    if (!(err instanceof EngineUnavailableError)) throw err;
    cuda = err.reason;
  }
  try {
    // As in the app, Auto on a machine without CUDA is WebGPU by design, not a fallback: no fallbackReason.
    return await initNodeWebGpu(options);
  } catch (err) {
    if (!(err instanceof EngineUnavailableError)) throw err;
    throw new EngineUnavailableError({ code: 'cuda-and-webgpu-failed', cuda, webgpu: err.reason });
  }
}

/** Dawn's engine, once a WebGPU run has loaded it. */
let dawn: typeof import('./webgpu/dawn') | null = null;

/** Dawn and tfjs's WebGPU backend load only for a WebGPU run: a CPU run never pays for them. */
async function initNodeWebGpu(options: EngineOptions): Promise<EngineInfo> {
  dawn ??= await import('./webgpu/dawn');
  return dawn.initDawnWebGpu(options.platform ?? process.platform, options);
}

/**
 * A fault of the GPU device this process trains on that tfjs does not throw (WebGPU's lost device, an allocation
 * it could not make), as a reason; null when there is none or no GPU engine started.
 */
export function engineFault(): Reason | null {
  return dawn?.dawnFault() ?? null;
}

export type EngineProbe = { ok: true; engine: EngineInfo } | { ok: false; reason: Reason };

/**
 * Whether a run on `device` could start, without training: the engine it would get, or why none. For the CPU a
 * working answer is the native engine, or the wasm fallback (proven to start) with the native engine's failure
 * as its `fallbackReason`. It loads the engine into this process, and a GPU probe rules out a later CPU native
 * load: run it in a process of its own.
 */
export async function probeEngine(device: Device, options: EngineOptions = {}): Promise<EngineProbe> {
  if (device === 'gpu' || options.preferFallback) {
    try {
      return { ok: true, engine: await initEngine(device, options) };
    } catch (err) {
      return { ok: false, reason: reasonOf(err) };
    }
  }
  let nativeReason: Reason;
  try {
    return { ok: true, engine: await initNative('cpu', options) };
  } catch (err) {
    nativeReason = reasonOf(err);
  }
  try {
    return { ok: true, engine: { ...(await initWasm(options)), fallbackReason: nativeReason } };
  } catch (err) {
    return { ok: false, reason: { code: 'fallback-failed', native: nativeReason, detail: messageOf(err) } };
  }
}
