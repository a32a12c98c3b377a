import os from 'node:os';

/**
 * Threads for a CPU run on this machine: every core the OS gives this process (os.availableParallelism, which
 * honours CPU affinity). ATHANOR_THREADS=N overrides it (a whole number from 1), for the native engine's TensorFlow
 * pools and the wasm engine's XNNPACK alike; ATHANOR_WASM_THREADS, its older name, still works. Free of tfjs.
 */
export function defaultThreads(env: NodeJS.ProcessEnv = process.env): number {
  for (const name of ['ATHANOR_THREADS', 'ATHANOR_WASM_THREADS']) {
    const asked = Number(env[name]);
    if (env[name] !== undefined && Number.isInteger(asked) && asked >= 1) return asked;
  }
  return os.availableParallelism();
}
