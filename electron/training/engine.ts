import * as tf from '@tensorflow/tfjs-core';
import type { Device } from './config';

/** What a run trained on; every result carries it, so a fallback is never silent. */
export interface EngineInfo {
  /** 'tfjs-node' (native CPU), 'tfjs-node-gpu' (native CUDA) or 'wasm' (fallback CPU). */
  engine: 'tfjs-node' | 'tfjs-node-gpu' | 'wasm';
  device: Device;
  /** tfjs backend name: 'tensorflow' or 'wasm'. */
  backend: string;
  version: string;
  /** Set when the CPU run is not on the native engine: why the native one could not load. */
  fallbackReason?: string;
  /** wasm only: whether SIMD and threads are in use. */
  features?: string;
}

export const NATIVE_PACKAGES = { cpu: '@tensorflow/tfjs-node', gpu: '@tensorflow/tfjs-node-gpu' } as const;

export class EngineUnavailableError extends Error {
  override name = 'EngineUnavailableError';
}

/** The seam to the native packages: tests swap in fakes, since nothing here can load libtensorflow. */
export type NativeRequire = (id: string) => unknown;

const nodeRequire: NativeRequire = (id) => require(id);

/** A native package's load error, in words a user can act on. */
export function explainNativeLoadError(pkg: string, err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = String(e?.message ?? err);
  if (e?.code === 'MODULE_NOT_FOUND' && message.includes(pkg)) {
    return `${pkg} is not installed (its install downloads libtensorflow, which needs internet: run "npm install ${pkg}")`;
  }
  const missingLib = /(lib[\w.+-]+\.so[\w.]*|[\w-]+\.dll)[^\n]*(cannot open shared object|not found|could not be found)/i.exec(message)
    ?? /cannot open shared object file[^\n]*?(lib[\w.+-]+\.so[\w.]*)/i.exec(message);
  if (missingLib) {
    const lib = missingLib[1];
    if (/cud|cublas|cufft|curand|cusolver|cusparse/i.test(lib)) {
      return `${lib} not found: install CUDA 11.2 and cuDNN 8.1 (TensorFlow 2.9.1's GPU build needs exactly these)`;
    }
    return `${lib} not found: ${pkg}'s libtensorflow is missing or incomplete; reinstall ${pkg}`;
  }
  return `${pkg} failed to load: ${message.split('\n')[0]}`;
}

interface NativeModule {
  getBackend(): string;
  backend(): { isUsingGpuDevice?: boolean };
}

/**
 * Loads one native package and makes its backend current. A process loads at most one of the two native
 * packages: they bundle different libtensorflow builds that cannot share a process.
 */
export async function initNative(device: Device, requireFn: NativeRequire = nodeRequire): Promise<EngineInfo> {
  const pkg = NATIVE_PACKAGES[device];
  const other = NATIVE_PACKAGES[device === 'cpu' ? 'gpu' : 'cpu'];
  if (tf.findBackend('tensorflow') && loadedNative !== pkg) {
    throw new EngineUnavailableError(`${other} is already loaded in this process; ${pkg} needs a process of its own`);
  }
  let native: NativeModule;
  try {
    native = requireFn(pkg) as NativeModule;
  } catch (err) {
    throw new EngineUnavailableError(explainNativeLoadError(pkg, err));
  }
  loadedNative = pkg;
  if (!(await tf.setBackend('tensorflow'))) {
    throw new EngineUnavailableError(`${pkg} loaded but its 'tensorflow' backend did not start`);
  }
  if (device === 'gpu') {
    const usingGpu = native.backend().isUsingGpuDevice === true;
    if (!usingGpu) {
      throw new EngineUnavailableError(
        'TensorFlow found no usable NVIDIA GPU: check the NVIDIA driver (nvidia-smi), CUDA 11.2 and cuDNN 8.1');
    }
  }
  const { version } = requireFn(`${pkg}/package.json`) as { version: string };
  return { engine: device === 'cpu' ? 'tfjs-node' : 'tfjs-node-gpu', device, backend: 'tensorflow', version };
}
let loadedNative: string | undefined;

export interface WasmOptions {
  /** Folder holding the backend's .wasm files (the packaged app's unpacked copy); the package's own otherwise. */
  wasmDir?: string;
}

export async function initWasm(options: WasmOptions = {}): Promise<EngineInfo> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const { registerWasmConvFilterGrad } = await import('./wasm-conv-filter-grad');
  if (options.wasmDir) {
    const dir = options.wasmDir.endsWith('/') ? options.wasmDir : `${options.wasmDir}/`;
    wasm.setWasmPaths(dir);
  }
  registerWasmConvFilterGrad();
  if (!(await tf.setBackend('wasm'))) throw new EngineUnavailableError('the wasm engine failed to start');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return {
    engine: 'wasm',
    device: 'cpu',
    backend: 'wasm',
    version: wasm.version_wasm,
    features: [simd ? 'SIMD' : 'no SIMD', threads ? 'threads' : 'single thread'].join(', '),
  };
}

/**
 * Picks the engine for a run. CPU: native if it loads, else wasm with the reason recorded. GPU: native GPU or a
 * clear error; a GPU request never quietly trains on the CPU.
 */
export async function initEngine(
  device: Device,
  options: WasmOptions & { requireFn?: NativeRequire; preferFallback?: boolean } = {},
): Promise<EngineInfo> {
  if (device === 'gpu') return initNative('gpu', options.requireFn);
  if (options.preferFallback) {
    return { ...(await initWasm(options)), fallbackReason: 'the fallback engine was asked for' };
  }
  try {
    return await initNative('cpu', options.requireFn);
  } catch (err) {
    if (!(err instanceof EngineUnavailableError)) throw err;
    return { ...(await initWasm(options)), fallbackReason: err.message };
  }
}
