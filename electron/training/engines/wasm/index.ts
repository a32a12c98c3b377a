/** The CPU fallback engine: tfjs-backend-wasm with Athanor's training kernels (see kernels.ts). */
import * as tf from '@tensorflow/tfjs-core';
import type { EngineInfo } from '../../protocol';
import { EngineUnavailableError } from '../errors';

export interface WasmOptions {
  /** Folder holding the backend's .wasm files (the packaged app's unpacked copy); the package's own otherwise. */
  wasmDir?: string;
  /**
   * XNNPACK threads for the wasm engine (default 1). Above 1 the threaded build starts through the shims in
   * threads.ts, or the plain build does if that fails; `features` says which ran. The packaged app must then
   * unpack tfjs-backend-wasm's wasm-out/*.js too: worker threads read it from disk.
   */
  threads?: number;
}

export async function initWasm(options: WasmOptions = {}): Promise<EngineInfo> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const { registerWasmTrainingKernels } = await import('./kernels');
  if (options.wasmDir) {
    const dir = options.wasmDir.endsWith('/') ? options.wasmDir : `${options.wasmDir}/`;
    wasm.setWasmPaths(dir);
  }
  registerWasmTrainingKernels();
  let started = false;
  // A backend that already runs keeps its build; `features` reports what it has.
  if ((options.threads ?? 1) > 1) {
    const { startThreadedWasm } = await import('./threads');
    started = await startThreadedWasm(options.threads!, wasm.setThreadsCount);
  }
  if (!started && !(await tf.setBackend('wasm'))) throw new EngineUnavailableError('the wasm engine failed to start');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = wasm.getThreadsCount();
  return {
    engine: 'wasm',
    device: 'cpu',
    backend: 'wasm',
    version: wasm.version_wasm,
    features: [simd ? 'SIMD' : 'no SIMD', threads > 1 ? `${threads} threads` : 'single thread'].join(', '),
  };
}

