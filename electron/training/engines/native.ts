/**
 * The native TensorFlow engines: @tensorflow/tfjs-node (CPU) and @tensorflow/tfjs-node-gpu (CUDA). The tests load the
 * real tfjs-node, built by scripts/build-tfjs-node.sh; `requireFn` is the seam they fake for what no machine here
 * has (a CUDA GPU, a broken install).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Device } from '../core/config';
import type { EngineInfo } from '../../shared/schema/engine';
import { NATIVE_PACKAGES as PACKAGES, type NativePackage, type Reason } from '../../shared/reasons';
import { EngineUnavailableError, messageOf } from './errors';
import { registerNativeTrainingKernels } from './native-kernels';
import { patchLegacyUtil } from './node-compat';
import { checkTrainingStep } from './training-check';
import { isThreadCount } from './wasm/thread-count';

const NATIVE_PACKAGES = { cpu: PACKAGES[0], gpu: PACKAGES[1] } as const;

/** The seam to the native packages: tests swap in fakes, since nothing here can load libtensorflow. */
export type NativeRequire = (id: string) => unknown;

// A native addon loads through Node's own require at run time; a bundler must not try to inline it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeRequire: NativeRequire = (id) => require(id);

/**
 * A native package's load error as a reason (describe-reason words it). `packaged`: the user installed Athanor with
 * an installer and cannot run npm, so a missing package means a build made without it and a broken one means
 * "reinstall Athanor"; in a development checkout the fix is an npm command. The loader's message is read here, once,
 * where it is raised: what it names (a library, a C library version) becomes data.
 */
export function nativeLoadReason(pkg: NativePackage, err: unknown, packaged = false): Reason {
  const e = err as { code?: string; message?: string };
  const message = String(e?.message ?? err);
  if (e?.code === 'MODULE_NOT_FOUND' && message.includes(`'${pkg}'`))
    return { code: 'native-not-installed', pkg, packaged };
  // The binding missing: as Node's resolver says it, or as tfjs-node's own check does when node-pre-gyp's path for
  // it holds no file.
  if (
    (e?.code === 'MODULE_NOT_FOUND' && /tfjs_binding\.node/.test(message)) ||
    /native addon module \(tfjs_binding\.node\) can not be found/.test(message)
  ) {
    return { code: 'native-binding-missing', pkg, packaged };
  }
  const glibc = /version `(GLIBC_[\d.]+)' not found/.exec(message);
  if (glibc) return { code: 'native-glibc-too-old', pkg, glibc: glibc[1] };
  const missingLib =
    /(lib[\w.+-]+\.so[\w.]*|[\w.+-]+\.dll)[^\n]*(cannot open shared object|not found|could not be found)/i.exec(
      message,
    ) ??
    /cannot open shared object file[^\n]*?(lib[\w.+-]+\.so[\w.]*)/i.exec(message) ??
    /Library not loaded: (?:@rpath\/)?([^\s]+\.dylib)/.exec(message);
  if (missingLib) return { code: 'native-library-missing', pkg, library: missingLib[1].split('/').pop()!, packaged };
  // Windows names neither the missing DLL nor its dependant in this message.
  if (/The specified module could not be found/i.test(message)) return { code: 'native-dll-missing', pkg, packaged };
  const detail = message.split('\n')[0];
  return /driver version is insufficient|CUDA driver version/i.test(message)
    ? { code: 'native-load-failed', pkg, detail, driverTooOld: true }
    : { code: 'native-load-failed', pkg, detail };
}

interface NativeModule {
  backend(): { isUsingGpuDevice?: boolean; binding?: { TF_Version?: string } };
}

/**
 * TensorFlow's own thread pools: intra-op (the threads one kernel, a convolution, splits across) and inter-op (kernels
 * run side by side). libtensorflow reads both from the environment when its context is made, so they are set before
 * the package loads. A whole number from 1 to MAX_THREADS the user already exported wins; anything else there is replaced, since
 * TensorFlow aborts the process on a negative count ("Check failed: num_threads >= 1") and takes 0 or text for
 * "every core", which the label would then misstate. Returns the intra-op count the engine will use.
 */
export function setNativeThreads(
  threads: number | undefined,
  env: NodeJS.ProcessEnv = process.env,
): number | undefined {
  const asked = threads !== undefined && Number.isInteger(threads) && threads >= 1 ? threads : undefined;
  const valid = (name: string) => isThreadCount(env[name]);
  for (const name of ['TF_NUM_INTRAOP_THREADS', 'TF_NUM_INTEROP_THREADS']) {
    if (valid(name)) continue;
    if (asked !== undefined) env[name] = String(asked);
    else delete env[name];
  }
  return valid('TF_NUM_INTRAOP_THREADS') ? Number(env.TF_NUM_INTRAOP_THREADS) : asked;
}

export interface NativeOptions {
  requireFn?: NativeRequire;
  /** An installed app: load errors advise reinstalling it, not npm commands. */
  packaged?: boolean;
  /** TensorFlow's intra- and inter-op threads (see setNativeThreads); TensorFlow's default (every core) if unset. */
  threads?: number;
}

/**
 * Which native package each require function has loaded. With the real `require` that is this process's one
 * native package; each fake require in the tests stands for a process of its own.
 */
const loadedNative = new WeakMap<NativeRequire, string>();

/**
 * Loads one native package, makes its backend current and proves it trains: one SGD step of the reference network on
 * a tiny batch (checkTrainingStep). A package that loads but cannot train is unavailable, with the reason. A process
 * loads at most one of the two native packages: they bundle different libtensorflow builds that cannot share a
 * process. The result names the libtensorflow it runs on (the binding's TF_Version) and its intra-op threads.
 */
export async function initNative(device: Device, options: NativeOptions = {}): Promise<EngineInfo> {
  const { requireFn = nodeRequire, packaged = false } = options;
  const pkg = NATIVE_PACKAGES[device];
  const other = NATIVE_PACKAGES[device === 'cpu' ? 'gpu' : 'cpu'];
  if (tf.findBackend('tensorflow') && loadedNative.get(requireFn) !== pkg) {
    throw new EngineUnavailableError({ code: 'native-other-loaded', pkg, other });
  }
  patchLegacyUtil();
  const threads = setNativeThreads(options.threads);
  let native: NativeModule;
  try {
    native = requireFn(pkg) as NativeModule;
  } catch (err) {
    throw new EngineUnavailableError(nativeLoadReason(pkg, err, packaged));
  }
  loadedNative.set(requireFn, pkg);
  if (!tf.findBackendFactory('tensorflow')) {
    // It registered with another copy of tfjs-core: the package's tfjs version differs from the app's.
    throw new EngineUnavailableError({ code: 'native-no-backend', pkg, tfjsVersion: tf.version_core });
  }
  if (!(await tf.setBackend('tensorflow'))) {
    throw new EngineUnavailableError({ code: 'native-backend-not-started', pkg });
  }
  if (device === 'gpu' && native.backend().isUsingGpuDevice !== true) {
    throw new EngineUnavailableError({ code: 'cuda-no-gpu' });
  }
  registerNativeTrainingKernels();
  const { version } = requireFn(`${pkg}/package.json`) as { version: string };
  const libtensorflow = native.backend().binding?.TF_Version;
  try {
    checkTrainingStep();
  } catch (err) {
    throw new EngineUnavailableError({ code: 'native-cannot-train', pkg, detail: messageOf(err).split('\n')[0] });
  }
  const engine: EngineInfo = {
    engine: device === 'cpu' ? 'tfjs-node' : 'tfjs-node-gpu',
    device,
    backend: 'tensorflow',
    version,
  };
  const features: string[] = [];
  if (libtensorflow) {
    engine.libtensorflow = libtensorflow;
    features.push(`libtensorflow ${libtensorflow}`);
  }
  if (threads !== undefined) {
    engine.threads = threads;
    features.push(`${threads} thread${threads === 1 ? '' : 's'}`);
  }
  if (features.length > 0) engine.features = features.join(', ');
  return engine;
}
