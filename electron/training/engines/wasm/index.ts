/** The CPU fallback engine: tfjs-backend-wasm with Athanor's training kernels (see kernels.ts). */
import * as tf from '@tensorflow/tfjs-core';
import type { EngineInfo } from '../../process/protocol';
import { EngineUnavailableError } from '../errors';

export { defaultThreads } from './thread-count';

export interface WasmOptions {
  /** Folder holding the backend's .wasm files (the packaged app's unpacked copy); the package's own otherwise. */
  wasmDir?: string;
  /**
   * XNNPACK threads for the wasm engine (default 1; the training worker asks for defaultThreads()). Above 1 the
   * threaded build starts through the shims in threads.ts, or the single-thread build does if that fails, and
   * `features` says so and why. The threaded build's script must be on the real disk (see threadedModuleFile).
   */
  threads?: number;
}

/**
 * Starts the wasm backend. `features` reads e.g. "SIMD, 2 threads", or "SIMD, single thread (the threaded build did
 * not start: <reason>)" when threads were asked for and could not be had. A process starts the backend once: a
 * later call reports the build that runs.
 */
export async function initWasm(options: WasmOptions = {}): Promise<EngineInfo> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const { registerWasmTrainingKernels } = await import('./kernels');
  if (options.wasmDir) {
    const dir = options.wasmDir.endsWith('/') ? options.wasmDir : `${options.wasmDir}/`;
    wasm.setWasmPaths(dir);
  }
  registerWasmTrainingKernels();
  const asked = Math.max(1, Math.floor(options.threads ?? 1));
  let threadsFailure: string | null = null;
  // Looked up without initialising: findBackend and getBackend would start a single-thread backend here.
  const started = tf.engine().registry.wasm !== undefined;
  if (asked > 1 && !started) {
    const { startThreadedWasm } = await import('./threads');
    const outcome = await startThreadedWasm(asked, wasm.setThreadsCount, options.wasmDir);
    if (!outcome.started) threadsFailure = outcome.reason;
  }
  if (tf.engine().backendName !== 'wasm' && !(await tf.setBackend('wasm'))) {
    throw new EngineUnavailableError({ code: 'wasm-not-started' });
  }
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = wasm.getThreadsCount();
  const threading =
    threads > 1
      ? `${threads} threads`
      : threadsFailure
        ? `single thread (the threaded build did not start: ${threadsFailure})`
        : 'single thread';
  return {
    engine: 'wasm',
    device: 'cpu',
    backend: 'wasm',
    version: wasm.version_wasm,
    features: [simd ? 'SIMD' : 'no SIMD', threading].join(', '),
    threads,
    simd: simd === true,
    ...(threads <= 1 && threadsFailure ? { threadsFailure } : {}),
  };
}
