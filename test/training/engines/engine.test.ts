import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EngineUnavailableError,
  initEngine,
  initNative,
  probeEngine,
  nativeLoadReason,
  setNativeThreads,
  type NativeRequire,
} from '../../../electron/training/engines';
import { describeReason } from '../../../electron/shared/describe-reason';
import type { NativePackage, Reason } from '../../../electron/shared/reasons';

/** A reason in the words a user sees. */
const said = (reason: Reason | undefined): string | undefined => (reason ? describeReason(reason) : undefined);
const explainNativeLoadError = (pkg: NativePackage, err: unknown, packaged?: boolean) =>
  describeReason(nativeLoadReason(pkg, err, packaged));

const CPU = '@tensorflow/tfjs-node';
const GPU = '@tensorflow/tfjs-node-gpu';
const REBUILD =
  `delete node_modules/${CPU}, then run "npm install" with internet access (it downloads libtensorflow), ` +
  'or on Linux x64 "npm run build:tfjs-node" (it builds the engine from pip\'s tensorflow-cpu)';

/** The error Node throws for a package that is not there. */
function moduleNotFound(id: string): Error {
  return Object.assign(new Error(`Cannot find module '${id}'\nRequire stack:\n- /app/out/main/worker.js`), {
    code: 'MODULE_NOT_FOUND',
    requireStack: ['/app/out/main/worker.js'],
  });
}

/** The error Node throws when the native binding, or a library it links, cannot be loaded. */
function dlopenFailed(message: string): Error {
  return Object.assign(new Error(message), { code: 'ERR_DLOPEN_FAILED' });
}

/**
 * A stand-in for tfjs-node(-gpu), for what no machine here has (a CUDA GPU, a broken install); the real tfjs-node is
 * tested in native.test.ts. Loading it registers a 'tensorflow' backend (the cpu backend in disguise, with the flag
 * and the binding's TF_Version the real one has) and exposes `backend()`, as the real package does.
 */
function fakeNative(isUsingGpuDevice: boolean) {
  return () => {
    // The disguised backend runs the cpu backend's kernels, so the training step initNative takes works.
    for (const kernel of tf.getKernelsForBackend('cpu')) {
      if (!tf.getKernel(kernel.kernelName, 'tensorflow')) tf.registerKernel({ ...kernel, backendName: 'tensorflow' });
    }
    tf.registerBackend('tensorflow', () =>
      Object.assign(new MathBackendCPU(), { isUsingGpuDevice, binding: { TF_Version: '2.9.1' } }),
    );
    return { backend: () => tf.backend() };
  };
}

/** A require that knows only `modules` (each loaded once, as Node caches them) and their package.json. */
function fakeRequire(modules: Record<string, () => unknown>): NativeRequire {
  const cache = new Map<string, unknown>();
  return (id) => {
    const pkg = id.replace(/\/package\.json$/, '');
    if (!(pkg in modules)) throw moduleNotFound(id);
    if (id !== pkg) return { name: pkg, version: '4.22.0' };
    if (!cache.has(pkg)) cache.set(pkg, modules[pkg]());
    return cache.get(pkg);
  };
}
const failing =
  (err: Error): NativeRequire =>
  () => {
    throw err;
  };

beforeEach(async () => {
  await tf.setBackend('cpu');
});
afterEach(async () => {
  if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
  await tf.setBackend('cpu');
});

describe('CPU engine', () => {
  it('uses tfjs-node when it loads', async () => {
    const engine = await initEngine('cpu', { requireFn: fakeRequire({ [CPU]: fakeNative(false) }) });
    expect(engine).toEqual({
      engine: 'tfjs-node',
      device: 'cpu',
      backend: 'tensorflow',
      version: '4.22.0',
      libtensorflow: '2.9.1',
      features: 'libtensorflow 2.9.1',
    });
    expect(tf.getBackend()).toBe('tensorflow');
  });

  it('falls back to wasm, saying why, when tfjs-node is not installed', async () => {
    const engine = await initEngine('cpu', { requireFn: fakeRequire({}) });
    expect(engine.engine).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(said(engine.fallbackReason)).toContain(`${CPU} is not installed`);
    expect(engine.features).toMatch(/SIMD/);
  });

  it('falls back to wasm when libtensorflow is missing', async () => {
    const engine = await initEngine('cpu', {
      requireFn: failing(dlopenFailed('libtensorflow.so.2: cannot open shared object file: No such file or directory')),
    });
    expect(engine.engine).toBe('wasm');
    expect(said(engine.fallbackReason)).toBe(
      `libtensorflow.so.2 not found: ${CPU}'s libtensorflow is missing or incomplete, so this copy is broken; ${REBUILD}`,
    );
  });

  it("tells an installed app's user to reinstall Athanor, not to run npm", async () => {
    const engine = await initEngine('cpu', {
      packaged: true,
      requireFn: failing(dlopenFailed('libtensorflow.so.2: cannot open shared object file: No such file or directory')),
    });
    expect(said(engine.fallbackReason)).toBe(
      `libtensorflow.so.2 not found: ${CPU}'s libtensorflow is missing or incomplete, so this copy is broken; reinstall Athanor`,
    );
  });

  it('records that the fallback was asked for', async () => {
    const engine = await initEngine('cpu', {
      preferFallback: true,
      requireFn: fakeRequire({ [CPU]: fakeNative(false) }),
    });
    expect(engine).toMatchObject({ engine: 'wasm', fallbackReason: { code: 'fallback-asked' } });
    expect(said(engine.fallbackReason)).toBe('the fallback engine was asked for');
  });
});

/** The CUDA engine by name: Auto, finding no CUDA, would go on to load Dawn's WebGPU in this process. */
const CUDA = { gpuEngine: 'cuda' } as const;

describe('GPU engine', () => {
  // WebGPU in Node is Dawn's (test/training/cli/dawn.test.ts trains on it); WebGL needs a page.
  it('refuses webgl in Node, naming where it trains', async () => {
    const run = initEngine('gpu', { gpuEngine: 'webgl', requireFn: fakeRequire({ [GPU]: fakeNative(true) }) });
    await expect(run).rejects.toBeInstanceOf(EngineUnavailableError);
    await expect(run).rejects.toThrow(
      "WebGL trains in the app's GPU page, not in a Node process; here the GPU engines are CUDA and WebGPU",
    );
  });

  it('uses tfjs-node-gpu when it loads and TensorFlow sees a GPU', async () => {
    const engine = await initEngine('gpu', { ...CUDA, requireFn: fakeRequire({ [GPU]: fakeNative(true) }) });
    expect(engine).toMatchObject({
      engine: 'tfjs-node-gpu',
      device: 'gpu',
      backend: 'tensorflow',
      version: '4.22.0',
      libtensorflow: '2.9.1',
    });
  });

  it('fails, and never falls back to the CPU, when tfjs-node-gpu is not installed', async () => {
    const run = initEngine('gpu', { ...CUDA, requireFn: fakeRequire({ [CPU]: fakeNative(false) }) });
    await expect(run).rejects.toBeInstanceOf(EngineUnavailableError);
    await expect(run).rejects.toThrow(`${GPU} is not installed`);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('fails when the package loads but TensorFlow finds no usable GPU', async () => {
    const run = initEngine('gpu', { ...CUDA, requireFn: fakeRequire({ [GPU]: fakeNative(false) }) });
    await expect(run).rejects.toBeInstanceOf(EngineUnavailableError);
    await expect(run).rejects.toThrow(/no usable NVIDIA GPU/);
  });

  it.each([
    ['libcudart.so.11.0: cannot open shared object file: No such file or directory', 'libcudart.so.11.0'],
    ['libcudnn.so.8: cannot open shared object file: No such file or directory', 'libcudnn.so.8'],
  ])('tells which CUDA libraries to install when %s', async (message, lib) => {
    const run = initEngine('gpu', { ...CUDA, requireFn: failing(dlopenFailed(message)) });
    await expect(run).rejects.toThrow(`${lib} not found: install CUDA 11.2 and cuDNN 8.1`);
  });

  it('is refused in a process that already loaded tfjs-node', async () => {
    const requireFn = fakeRequire({ [CPU]: fakeNative(false), [GPU]: fakeNative(true) });
    await initNative('cpu', { requireFn });
    await expect(initNative('gpu', { requireFn })).rejects.toThrow(`${CPU} is already loaded in this process`);
    await expect(initNative('cpu', { requireFn })).resolves.toMatchObject({ engine: 'tfjs-node' });
  });

  it('says so when the package registers its backend with another copy of tfjs-core', async () => {
    const run = initNative('gpu', { requireFn: fakeRequire({ [GPU]: () => ({ backend: () => ({}) }) }) });
    await expect(run).rejects.toThrow(`its @tensorflow/tfjs-core must be version ${tf.version_core}`);
  });
});

describe('probeEngine', () => {
  it('reports the native CPU engine when it loads', async () => {
    const probe = await probeEngine('cpu', { requireFn: fakeRequire({ [CPU]: fakeNative(false) }) });
    expect(probe).toEqual({ ok: true, engine: expect.objectContaining({ engine: 'tfjs-node' }) });
  });

  it('reports a working fallback, and why the native CPU engine did not load', async () => {
    const probe = await probeEngine('cpu', { requireFn: fakeRequire({}) });
    expect(probe.ok).toBe(true);
    if (!probe.ok) return;
    expect(probe.engine.engine).toBe('wasm');
    expect(said(probe.engine.fallbackReason)).toContain(`${CPU} is not installed`);
  });

  it.each([
    ['the package is missing', fakeRequire({}), `${GPU} is not installed`],
    ['TensorFlow sees no GPU', fakeRequire({ [GPU]: fakeNative(false) }), 'no usable NVIDIA GPU'],
    [
      'CUDA is missing',
      failing(dlopenFailed('libcudart.so.11.0: cannot open shared object file')),
      'install CUDA 11.2',
    ],
  ])('answers "no" for the GPU, with the reason, when %s', async (_, requireFn, reason) => {
    const probe = await probeEngine('gpu', { ...CUDA, requireFn });
    expect(probe.ok).toBe(false);
    if (probe.ok) return;
    expect(said(probe.reason)).toContain(reason);
    expect(tf.getBackend()).not.toBe('wasm');
  });

  it('answers "yes" for a working GPU', async () => {
    const probe = await probeEngine('gpu', { ...CUDA, requireFn: fakeRequire({ [GPU]: fakeNative(true) }) });
    expect(probe).toEqual({ ok: true, engine: expect.objectContaining({ engine: 'tfjs-node-gpu', device: 'gpu' }) });
  });
});

describe('explainNativeLoadError', () => {
  const binding = (sep: string, root: string) =>
    [root, 'node_modules', '@tensorflow', 'tfjs-node', 'lib', 'napi-v8', 'tfjs_binding.node'].join(sep);

  it("reads the loader's message once, into a code with what it names", () => {
    expect(
      nativeLoadReason(GPU, dlopenFailed('libcudnn.so.8: cannot open shared object file: No such file or directory')),
    ).toEqual({ code: 'native-library-missing', pkg: GPU, library: 'libcudnn.so.8', packaged: false });
    expect(nativeLoadReason(CPU, moduleNotFound(CPU), true)).toEqual({
      code: 'native-not-installed',
      pkg: CPU,
      packaged: true,
    });
    expect(
      nativeLoadReason(GPU, new Error('CUDA driver version is insufficient for CUDA runtime version\nat x')),
    ).toEqual({
      code: 'native-load-failed',
      pkg: GPU,
      detail: 'CUDA driver version is insufficient for CUDA runtime version',
      driverTooOld: true,
    });
  });

  it('says a package is not installed only when the package itself is missing', () => {
    expect(explainNativeLoadError(CPU, moduleNotFound(CPU))).toBe(
      `${CPU} is not installed: ${REBUILD.replace(`delete node_modules/${CPU}, then `, '')}`,
    );
    // Never a bare "npm install <pkg>" (it turns the exact pin into a range) nor "npm rebuild" (offline, it wipes deps/).
    for (const pkg of [CPU, GPU] as const) {
      for (const err of [moduleNotFound(pkg), moduleNotFound(binding('/', '/app'))]) {
        const advice = explainNativeLoadError(pkg, err);
        expect(advice).not.toMatch(/npm rebuild|npm install @/);
        if (pkg === GPU)
          expect(advice).toContain(`"npm install --save-optional --save-exact ${GPU}@${tf.version_core}"`);
      }
    }
    expect(explainNativeLoadError(CPU, moduleNotFound('@mapbox/node-pre-gyp'))).toBe(
      `${CPU} failed to load: Cannot find module '@mapbox/node-pre-gyp'`,
    );
    expect(explainNativeLoadError(CPU, moduleNotFound(GPU))).not.toMatch(/is not installed/);
    expect(explainNativeLoadError(CPU, moduleNotFound(CPU), true)).toBe(
      `${CPU} is not installed in this copy of Athanor (it was built without it; the official releases include it)`,
    );
  });

  it('recognises an install whose native binding never arrived: a broken copy, not a missing one', () => {
    const broken = `${CPU} is installed without its native binding (tfjs_binding.node): this copy is broken; `;
    expect(explainNativeLoadError(CPU, moduleNotFound(binding('/', '/app')))).toBe(broken + REBUILD);
    expect(explainNativeLoadError(CPU, moduleNotFound(binding('/', '/app')), true)).toBe(`${broken}reinstall Athanor`);
    // tfjs-node's own check when node-pre-gyp's folder for the binding is empty.
    const own = new Error(
      `The Node.js native addon module (tfjs_binding.node) can not be found at path: ${binding('/', '/app')}. ` +
        "\nPlease run command 'npm rebuild @tensorflow/tfjs-node --build-addon-from-source' to rebuild the native addon module.",
    );
    expect(explainNativeLoadError(CPU, own, true)).toBe(`${broken}reinstall Athanor`);
  });

  it('names the missing shared library on Linux', () => {
    const err = dlopenFailed('libtensorflow.so.2: cannot open shared object file: No such file or directory');
    expect(explainNativeLoadError(CPU, err)).toBe(
      `libtensorflow.so.2 not found: ${CPU}'s libtensorflow is missing or incomplete, so this copy is broken; ${REBUILD}`,
    );
  });

  it('explains an older C library on Linux instead of blaming it as missing', () => {
    const err = dlopenFailed(
      "/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.29' not found (required by /app/libtensorflow.so.2)",
    );
    expect(explainNativeLoadError(CPU, err)).toBe(
      `${CPU}'s libtensorflow needs GLIBC_2.29 or newer; this system's C library is older`,
    );
  });

  it('reads the Windows message, which names no DLL', () => {
    const err = dlopenFailed(
      `The specified module could not be found.\r\n\\\\?\\${binding('\\', 'C:\\Athanor\\resources')}`,
    );
    const vc = 'if that does not help, install the Microsoft Visual C++ Redistributable (x64)';
    expect(explainNativeLoadError(CPU, err)).toBe(
      `a DLL that ${CPU} needs was not found (tensorflow.dll beside ` +
        `tfjs_binding.node, or Microsoft's Visual C++ runtime): ${REBUILD}; ${vc}`,
    );
    expect(explainNativeLoadError(CPU, err, true)).toBe(
      `a DLL that ${CPU} needs was not found (tensorflow.dll beside ` +
        `tfjs_binding.node, or Microsoft's Visual C++ runtime): reinstall Athanor; ${vc}`,
    );
    expect(explainNativeLoadError(GPU, err)).toMatch(/install CUDA 11\.2 and cuDNN 8\.1/);
    expect(explainNativeLoadError(GPU, err, true)).toMatch(
      /install CUDA 11\.2 and cuDNN 8\.1 .*, or reinstall Athanor$/,
    );
  });

  it('names a DLL when the message does', () => {
    expect(explainNativeLoadError(GPU, new Error('cudart64_110.dll could not be found'))).toBe(
      "cudart64_110.dll not found: install CUDA 11.2 and cuDNN 8.1 (TensorFlow 2.9.1's GPU build needs exactly these)",
    );
    expect(explainNativeLoadError(CPU, new Error('tensorflow.dll could not be found'))).toMatch(
      /^tensorflow\.dll not found/,
    );
  });

  it('names the missing dylib on macOS', () => {
    const err = dlopenFailed(
      `dlopen(${binding('/', '/Applications/Athanor.app/Contents/Resources')}, 0x0001): Library not loaded: ` +
        "@rpath/libtensorflow.2.dylib\n  Referenced from: <5A1B> tfjs_binding.node\n  Reason: tried: '/usr/lib/libtensorflow.2.dylib' (no such file)",
    );
    expect(explainNativeLoadError(CPU, err, true)).toBe(
      `libtensorflow.2.dylib not found: ${CPU}'s libtensorflow is missing or incomplete, so this copy is broken; reinstall Athanor`,
    );
  });

  it('falls back to the first line of anything else', () => {
    expect(explainNativeLoadError(CPU, new Error('Illegal instruction\nat foo'))).toBe(
      `${CPU} failed to load: Illegal instruction`,
    );
    expect(explainNativeLoadError(CPU, 'weird')).toBe(`${CPU} failed to load: weird`);
  });
});

describe('setNativeThreads', () => {
  it("sets TensorFlow's pools before it loads; a user's whole number wins, anything else is replaced", () => {
    const env: NodeJS.ProcessEnv = {};
    expect(setNativeThreads(2, env)).toBe(2);
    expect(env).toEqual({ TF_NUM_INTRAOP_THREADS: '2', TF_NUM_INTEROP_THREADS: '2' });
    expect(setNativeThreads(2, { TF_NUM_INTRAOP_THREADS: '1' })).toBe(1);
    // TensorFlow aborts on a negative count and reads 0 or text as every core: the label would lie, or the run die.
    for (const bad of ['-1', '0', 'abc', '1.5', '', '99999999999']) {
      const e: NodeJS.ProcessEnv = { TF_NUM_INTRAOP_THREADS: bad, TF_NUM_INTEROP_THREADS: bad };
      expect(setNativeThreads(3, e), bad).toBe(3);
      expect(e).toEqual({ TF_NUM_INTRAOP_THREADS: '3', TF_NUM_INTEROP_THREADS: '3' });
      const none: NodeJS.ProcessEnv = { TF_NUM_INTRAOP_THREADS: bad };
      expect(setNativeThreads(undefined, none)).toBeUndefined();
      expect(none).toEqual({});
    }
  });
});
