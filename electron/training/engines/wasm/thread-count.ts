import os from 'node:os';

/**
 * XNNPACK threads for this machine: every core the OS gives this process (os.availableParallelism, which honours
 * CPU affinity), so a user without the native engine gets the whole CPU. ATHANOR_WASM_THREADS=N overrides it (a
 * whole number from 1). Its own module, free of tfjs.
 */
export function defaultWasmThreads(env: NodeJS.ProcessEnv = process.env): number {
  const asked = Number(env.ATHANOR_WASM_THREADS);
  return Number.isInteger(asked) && asked >= 1 ? asked : os.availableParallelism();
}
