import * as tf from '@tensorflow/tfjs-core';
import type { Device } from './config';
import type { EngineInfo } from './protocol';

export type { EngineInfo };

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
  if (e?.code === 'MODULE_NOT_FOUND') {
    if (message.includes(`'${pkg}'`)) {
      return `${pkg} is not installed (its install downloads libtensorflow, which needs internet: run "npm install ${pkg}")`;
    }
    if (/tfjs_binding\.node/.test(message)) {
      return `${pkg} is installed without its native binding (its install step, which downloads libtensorflow, did not finish): reinstall ${pkg}`;
    }
  }
  const glibc = /version `(GLIBC_[\d.]+)' not found/.exec(message);
  if (glibc) return `${pkg}'s libtensorflow needs ${glibc[1]} or newer; this system's C library is older`;
  const missingLib =
    /(lib[\w.+-]+\.so[\w.]*|[\w.+-]+\.dll)[^\n]*(cannot open shared object|not found|could not be found)/i.exec(message)
    ?? /cannot open shared object file[^\n]*?(lib[\w.+-]+\.so[\w.]*)/i.exec(message)
    ?? /Library not loaded: (?:@rpath\/)?([^\s]+\.dylib)/.exec(message);
  if (missingLib) return missingLibrary(pkg, missingLib[1].split('/').pop()!);
  // Windows names neither the missing DLL nor its dependant in this message.
  if (/The specified module could not be found/i.test(message)) {
    return pkg === NATIVE_PACKAGES.gpu
      ? `a DLL that ${pkg} needs was not found: install CUDA 11.2 and cuDNN 8.1 (and put their bin folders on PATH), or reinstall ${pkg}`
      : `a DLL that ${pkg} needs (tensorflow.dll) was not found: reinstall ${pkg}`;
  }
  return `${pkg} failed to load: ${message.split('\n')[0]}`;
}

function missingLibrary(pkg: string, lib: string): string {
  if (/cud|cublas|cufft|curand|cusolver|cusparse/i.test(lib)) {
    return `${lib} not found: install CUDA 11.2 and cuDNN 8.1 (TensorFlow 2.9.1's GPU build needs exactly these)`;
  }
  return `${lib} not found: ${pkg}'s libtensorflow is missing or incomplete; reinstall ${pkg}`;
}

interface NativeModule {
  backend(): { isUsingGpuDevice?: boolean };
}

/**
 * Which native package each require function has loaded. With the real `require` that is this process's one
 * native package; each fake require in the tests stands for a process of its own.
 */
const loadedNative = new WeakMap<NativeRequire, string>();

/**
 * Loads one native package and makes its backend current. A process loads at most one of the two native
 * packages: they bundle different libtensorflow builds that cannot share a process.
 */
export async function initNative(device: Device, requireFn: NativeRequire = nodeRequire): Promise<EngineInfo> {
  const pkg = NATIVE_PACKAGES[device];
  const other = NATIVE_PACKAGES[device === 'cpu' ? 'gpu' : 'cpu'];
  if (tf.findBackend('tensorflow') && loadedNative.get(requireFn) !== pkg) {
    throw new EngineUnavailableError(`${other} is already loaded in this process; ${pkg} needs a process of its own`);
  }
  let native: NativeModule;
  try {
    native = requireFn(pkg) as NativeModule;
  } catch (err) {
    throw new EngineUnavailableError(explainNativeLoadError(pkg, err));
  }
  loadedNative.set(requireFn, pkg);
  if (!tf.findBackendFactory('tensorflow')) {
    // It registered with another copy of tfjs-core: the package's tfjs version differs from the app's.
    throw new EngineUnavailableError(
      `${pkg} loaded but registered no 'tensorflow' backend here; its @tensorflow/tfjs-core must be version ${tf.version_core}`);
  }
  if (!(await tf.setBackend('tensorflow'))) {
    throw new EngineUnavailableError(`${pkg} loaded but its 'tensorflow' backend did not start`);
  }
  if (device === 'gpu' && native.backend().isUsingGpuDevice !== true) {
    throw new EngineUnavailableError(
      'TensorFlow found no usable NVIDIA GPU: check the NVIDIA driver (nvidia-smi), CUDA 11.2 and cuDNN 8.1');
  }
  const { version } = requireFn(`${pkg}/package.json`) as { version: string };
  return { engine: device === 'cpu' ? 'tfjs-node' : 'tfjs-node-gpu', device, backend: 'tensorflow', version };
}

export interface WasmOptions {
  /** Folder holding the backend's .wasm files (the packaged app's unpacked copy); the package's own otherwise. */
  wasmDir?: string;
  /**
   * XNNPACK threads for the wasm engine (default 1). Above 1 the threaded build starts through the shims in
   * wasm-threads.ts, or the plain build does if that fails; `features` says which ran. The packaged app must then
   * unpack tfjs-backend-wasm's wasm-out/*.js too: worker threads read it from disk.
   */
  threads?: number;
}

export async function initWasm(options: WasmOptions = {}): Promise<EngineInfo> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const { registerWasmTrainingKernels } = await import('./wasm-kernels');
  if (options.wasmDir) {
    const dir = options.wasmDir.endsWith('/') ? options.wasmDir : `${options.wasmDir}/`;
    wasm.setWasmPaths(dir);
  }
  registerWasmTrainingKernels();
  let started = false;
  // A backend that already runs keeps its build; `features` reports what it has.
  if ((options.threads ?? 1) > 1) {
    const { startThreadedWasm } = await import('./wasm-threads');
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

export type EngineOptions = WasmOptions & { requireFn?: NativeRequire; preferFallback?: boolean };

/**
 * Picks the engine for a run. CPU: native if it loads, else wasm with the reason recorded. GPU: native GPU or a
 * clear error; a GPU request never quietly trains on the CPU.
 */
export async function initEngine(device: Device, options: EngineOptions = {}): Promise<EngineInfo> {
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

export type EngineProbe = { ok: true; engine: EngineInfo } | { ok: false; reason: string };

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
      return { ok: false, reason: messageOf(err) };
    }
  }
  let nativeReason: string;
  try {
    return { ok: true, engine: await initNative('cpu', options.requireFn) };
  } catch (err) {
    nativeReason = messageOf(err);
  }
  try {
    return { ok: true, engine: { ...(await initWasm(options)), fallbackReason: nativeReason } };
  } catch (err) {
    return { ok: false, reason: `${nativeReason}; and the wasm fallback failed too: ${messageOf(err)}` };
  }
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
