/**
 * Where a job trains, for runs (run-manager.ts) and sweeps (sweep-manager.ts) alike: the CPU engines and CUDA in a
 * worker process, WebGPU and WebGL in a GPU page.
 */
import type { GpuEngineChoice } from '../shared/ipc-contract';
import type { SpawnWorker } from '../training/process/worker-transport';

export interface Transports {
  /** A worker process: CPU jobs and CUDA jobs (Electron's utilityProcess in the app). */
  spawn: SpawnWorker;
  /** A GPU page for WebGPU and WebGL jobs; without it, GPU jobs go to `spawn`, that is to CUDA. */
  spawnPage?: SpawnWorker;
  /** Whether the CUDA engine loads here (device detection's answer): "Auto" then trains on it, else on the page. */
  cudaReady?: () => Promise<boolean>;
}

export interface JobTarget {
  device: 'cpu' | 'gpu';
  gpuEngine?: GpuEngineChoice;
}

/** Whether `target` is "Auto" on a machine with a GPU page: CUDA if it loads, else the page, so it must ask. */
export function needsCudaDetection(options: Transports, target: JobTarget): boolean {
  return (
    target.device === 'gpu' && !!options.spawnPage && !!options.cudaReady && (target.gpuEngine ?? 'auto') === 'auto'
  );
}

/**
 * Where a job (a run or a sweep) for `target` goes: CPU and CUDA to a worker process, WebGPU and WebGL to a GPU page
 * (`cuda`: CUDA loads here, device detection's word for "Auto").
 */
export function chooseTransport(options: Transports, target: JobTarget, cuda: boolean): SpawnWorker {
  const { spawn, spawnPage } = options;
  if (target.device === 'cpu' || !spawnPage) return spawn;
  const choice = target.gpuEngine ?? 'auto';
  return choice === 'cuda' || (choice === 'auto' && cuda) ? spawn : spawnPage;
}
