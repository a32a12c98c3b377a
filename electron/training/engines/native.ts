/**
 * The native TensorFlow engines: @tensorflow/tfjs-node (CPU) and @tensorflow/tfjs-node-gpu (CUDA). Neither can load
 * on the machines that test Athanor (no libtensorflow download), so `requireFn` is the seam the tests fake.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Device } from '../config';
import type { EngineInfo } from '../protocol';
import { EngineUnavailableError } from './errors';

export const NATIVE_PACKAGES = { cpu: '@tensorflow/tfjs-node', gpu: '@tensorflow/tfjs-node-gpu' } as const;

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

