import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { messageOf } from '../errors';
import { makeWasmTempFolder } from './temp-folders';

const nodeRequire = createRequire(import.meta.url);
const OUT = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd';

/**
 * Starts the wasm backend on its threaded SIMD build, which tfjs-backend-wasm 4.22 switches off in Node
 * (tfjs#3830) although Node 20 runs it. Three gaps, each bridged only while the backend starts:
 *
 * 1. WASM_HAS_MULTITHREAD_SUPPORT is hard-wired to false under Node: set it.
 * 2. tfjs hands Emscripten its pthread worker and main script as Blob URLs, which worker_threads cannot load:
 *    URL.createObjectURL answers with a real file instead, a copy of the worker script whose own prelude points
 *    the worker's Blob URL at the package's threaded module file.
 * 3. The C++ side caps XNNPACK's pool at half the logical cores (it assumes hyper-threading), so 1 on a 2-core
 *    machine: os.cpus() reports two entries per requested thread while the module initialises.
 *
 * Returns why, leaving the flag off again, if the threaded build did not start; the caller then starts the plain
 * SIMD build. The module file must be readable from worker threads, which have no asar support: in a packaged app
 * it is the asarUnpack'ed copy beside `wasmDir` (`<tfjs-backend-wasm>/wasm-out/`, see app-paths.ts).
 *
 * Measured on this 2-core machine (bench/wasm-kernels.ts, alternating runs): 55.7-57.7 ms a step with 2 threads
 * against 74.1-75.1 ms with one. The gain needs a core that nothing else is using.
 */
export async function startThreadedWasm(
  threads: number,
  setThreadsCount: (n: number) => void,
  wasmDir?: string,
): Promise<{ started: true } | { started: false; reason: string }> {
  // A worker that cannot load its script crashes the process (Emscripten rethrows it), so check up front.
  let workerFile: string;
  try {
    workerFile = writeWorkerScript(threadedModuleFile(wasmDir));
  } catch (err) {
    return { started: false, reason: messageOf(err) };
  }
  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  URL.createObjectURL = () => workerFile;
  const real = cpus();
  os.cpus = () => Array.from({ length: Math.max(real.length, 2 * threads) }, (_, i) => real[i % real.length]);
  let reason = 'the wasm backend did not start';
  try {
    if (await tf.setBackend('wasm')) {
      releaseWorkers();
      return { started: true };
    }
  } catch (err) {
    reason = messageOf(err);
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setThreadsCount(1);
  return { started: false, reason };
}

/** The threaded build's Emscripten script: beside `wasmDir` (the app's unpacked copy) or the package's own. */
export function threadedModuleFile(wasmDir?: string): string {
  return wasmDir ? path.join(wasmDir, '..', 'wasm-out', `${path.basename(OUT)}.js`) : nodeRequire.resolve(`${OUT}.js`);
}

/**
 * Emscripten refs the worker of every running pthread, and XNNPACK's pool threads run for good: without this the
 * process could never exit on its own. Node ends unref'd workers at exit.
 */
function releaseWorkers(): void {
  const pthreads = (
    tf.backend() as unknown as { wasm: { PThread?: { runningWorkers: Worker[]; unusedWorkers: Worker[] } } }
  ).wasm.PThread;
  for (const worker of [...(pthreads?.runningWorkers ?? []), ...(pthreads?.unusedWorkers ?? [])]) worker.unref();
}

/**
 * The pthread worker as a file worker_threads can run. It goes into a folder made fresh for this process by mkdtemp
 * (a new name, mode 0700 on POSIX: no other user can enter it, so nothing can be planted or swapped in it) and
 * removed when the process ends (temp-folders.ts).
 * A fixed shared path (`$TMPDIR/athanor-wasm/`, as before) let a second user on the
 * machine lock everyone else out of the threaded build and let any local user plant a link there, making Athanor
 * overwrite a file of the planter's choosing, or race the file to run code in another user's process. The file is
 * created exclusively (never through something already there) and read back before Emscripten runs it.
 */
function writeWorkerScript(mainScript: string): string {
  if (!existsSync(mainScript)) throw new Error(`${mainScript} is missing`);
  // Its worker's source: beside it where a copy carries both (the GPU kit), else the package's (the packaged app
  // unpacks only the module file; its require reads the rest from the asar).
  const beside = mainScript.replace(/\.js$/, '.worker.js');
  const { wasmWorkerContents } = nodeRequire(existsSync(beside) ? beside : `${OUT}.worker.js`) as {
    wasmWorkerContents: string;
  };
  // tfjs escapes the newlines inside the script's string literals the same way before making its Blob.
  const source =
    `URL.createObjectURL = () => ${JSON.stringify(mainScript)};\nURL.revokeObjectURL = () => {};\n` +
    wasmWorkerContents.replace(/\n/g, '\\n');
  workerScript ??= { dir: makeWasmTempFolder(), written: false };
  const file = path.join(workerScript.dir, `threaded-simd-worker-${tf.version_core}.cjs`);
  if (!workerScript.written) {
    writeFileSync(file, source, { flag: 'wx', mode: 0o600 });
    workerScript.written = true;
  }
  if (readFileSync(file, 'utf8') !== source) throw new Error(`${file} changed after it was written`);
  return file;
}

let workerScript: { dir: string; written: boolean } | undefined;
