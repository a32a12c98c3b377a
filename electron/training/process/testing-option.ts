/**
 * The testing option, read the same way by the app's main process and the CLI: ATHANOR_ALLOW_SOFTWARE_GPU=1 lets
 * WebGPU and WebGL train on a software adapter (SwiftShader, llvmpipe, ...) for tests and benchmarks on machines
 * without a GPU (WorkerOptions.allowSoftwareAdapter). Nothing in the UI sets it.
 */
export function softwareGpuAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.ATHANOR_ALLOW_SOFTWARE_GPU === '1';
}
