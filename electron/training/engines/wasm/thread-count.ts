import os from 'node:os';

/**
 * Threads for a CPU run on this machine: every core the OS gives this process (os.availableParallelism, which
 * honours CPU affinity). ATHANOR_THREADS=N overrides it (a whole number from 1), for the native engine's TensorFlow
 * pools and the wasm engine's XNNPACK alike; ATHANOR_WASM_THREADS, its older name, still works. Free of tfjs.
 */
export function defaultThreads(env: NodeJS.ProcessEnv = process.env): number {
  for (const name of ['ATHANOR_THREADS', 'ATHANOR_WASM_THREADS']) {
    if (isThreadCount(env[name])) return Number(env[name]);
  }
  return os.availableParallelism();
}

/** The most threads Athanor asks for: more than any CPU has, and well inside what TensorFlow reads (an int32). */
export const MAX_THREADS = 1024;

/** Whether a setting's text is a thread count: digits only, from 1 to MAX_THREADS. */
export function isThreadCount(text: string | undefined): boolean {
  return /^\d+$/.test(text ?? '') && Number(text) >= 1 && Number(text) <= MAX_THREADS;
}
