import type { Device, SettingNames, TrainConfig } from '../core/config';
import type { NamedTensor } from '../core/weights';
import type { Reason } from '../../shared/reasons';

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
  /**
   * Set when the run is not on the engine it would prefer (the CPU's wasm fallback, Auto's WebGL): why. History rows
   * from older versions held words here; they are read as a 'words' reason.
   */
  fallbackReason?: Reason;
  /**
   * In words: wasm, whether SIMD and threads are in use ("SIMD, 2 threads"); native, the libtensorflow and its
   * threads ("libtensorflow 2.21.0, 2 threads").
   */
  features?: string;
  /** Native engines: the C library's own version (the binding's TF_Version), which the package version does not say. */
  libtensorflow?: string;
  /** CPU engines: the threads a kernel may use (TensorFlow's intra-op pool; XNNPACK's threads for wasm). */
  threads?: number;
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
  /**
   * Misclassified test images, most confident first (softmax probability of the wrong prediction, descending),
   * at most `MAX_MISTAKES`. `index` is the image's position in the evaluated test split. Absent in rows written
   * before mistakes were recorded.
   */
  mistakes?: Mistake[];
}

/** One misclassified test image. */
export interface Mistake {
  index: number;
  label: number;
  predicted: number;
  /** Softmax probability the model gave `predicted`, 0..1. */
  probability: number;
}

/** The most mistakes a run keeps: all of a well-trained run's (~200 of 10,000), a bounded share of a poor one's. */
export const MAX_MISTAKES = 500;

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
  /**
   * GPU page only, for tests and benchmarks on machines without a GPU (never set by the UI): accept a software
   * adapter (SwiftShader, llvmpipe, ...) and label every result from it "software GPU (testing only)".
   */
  allowSoftwareAdapter?: boolean;
  wasmDir?: string;
  /** MNIST folder when the config names none (the packaged app's resources). */
  defaultDataDir?: string;
  /** Skip the native engine (benchmarks, tests). */
  preferFallback?: boolean;
  /**
   * Threads for the CPU engines: TensorFlow's intra- and inter-op pools for the native engine, XNNPACK's for wasm
   * (1 asks for its single-thread build). Default every core this process may use (defaultThreads in engines/wasm).
   */
  threads?: number;
  /** An installed app (not a development checkout): a native engine's load error then advises reinstalling the app. */
  packaged?: boolean;
  /**
   * How the worker's messages name the settings, so they say what the user typed: the CLI's flags (`--test-limit`);
   * config's SETTING_NAMES where unset.
   */
  settingNames?: Partial<SettingNames>;
}

/** One MNIST split as bytes (0-255, 784 a image): a quarter of the float pixels' size, for the GPU page's IPC. */
export interface MnistBytesSplit {
  pixels: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/** The data main hands the GPU page, which cannot read files (sandboxed, no Node). */
export interface MnistBytes {
  train: MnistBytesSplit;
  test: MnistBytesSplit;
}

/** An engine's state as a probe found it: ready with what it would train on, or why not. */
export type EngineState = { ok: true; engine: EngineInfo } | { ok: false; reason: Reason; adapter?: GpuAdapter };

/** What the GPU page found: WebGPU's adapter and WebGL's renderer, each ready or refused with the reason. */
export interface BrowserEngineProbe {
  webgpu: EngineState;
  webgl: EngineState;
}

export type ParentMessage =
  | {
    type: 'start';
    config: TrainConfig;
    options?: WorkerOptions;
    /** The GPU page's data, loaded by main; a Node worker loads its own. */
    data?: MnistBytes;
    /** Set with `data`: how long main took to load it, ms. */
    dataLoadMs?: number;
  }
  | { type: 'probe'; device: TrainConfig['device']; options?: WorkerOptions }
  | { type: 'cancel' };

/**
 * What a worker or GPU page sends its parent. Main checks each one as it arrives (shared/validate-message.ts, field by
 * field): a change here is a change there.
 */
export type WorkerMessage =
  | { type: 'ready'; engine: EngineInfo; timings: Pick<Timings, 'engineStartMs'> }
  | { type: 'progress'; progress: Progress }
  | { type: 'loss-window'; window: LossWindow }
  | { type: 'epoch'; summary: EpochSummary }
  | { type: 'done'; result: RunResult; model: TrainedModel | null }
  | {
    type: 'probe-result';
    device: TrainConfig['device'];
    ok: boolean;
    engine?: EngineInfo;
    reason?: Reason;
    /** The GPU page's answer: both browser engines. */
    browserEngines?: BrowserEngineProbe;
  }
  /** `reason`: an engine that cannot run says why as a code, for whoever shows it (the message is its English). */
  | { type: 'error'; message: string; code?: string; reason?: Reason };

export const PROGRESS_INTERVAL_MS = 250;
