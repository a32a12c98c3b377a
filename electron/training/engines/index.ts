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
  /** The GPU engine asked for: in Node only CUDA (or Auto, meaning CUDA) can run; WebGPU and WebGL are refused. */
  gpuEngine?: GpuEngineChoice;
  /** An installed app: native load errors advise reinstalling the app rather than npm commands. */
  packaged?: boolean;
};

/**
 * Picks the engine for a run. `threads` sizes both CPU engines: TensorFlow's thread pools for the native ones,
 * XNNPACK's for wasm. CPU: native if it loads and trains a step, else wasm with the reason recorded. GPU: native GPU or a
 * clear error; a GPU request never quietly trains on the CPU.
 */
export async function initEngine(device: Device, options: EngineOptions = {}): Promise<EngineInfo> {
  if (device === 'gpu' && (options.gpuEngine === 'webgpu' || options.gpuEngine === 'webgl')) {
    // The mirror of the GPU page's chooser (engines/browser.ts), which refuses CUDA.
    throw new EngineUnavailableError({ code: 'browser-engine-in-node', engine: options.gpuEngine });
  }
  if (device === 'gpu') return initNative('gpu', options);
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
