/**
 * How main, the training workers and the GPU pages talk. What workers and pages send back, and the data in it, is
 * defined once in shared/schema (engine.ts, results.ts, messages.ts), with main's check of it; re-exported here.
 */
import type { SettingNames, TrainConfig } from '../core/config';
import type { MnistBytesSplit } from '../core/pixels';

export type { MnistBytesSplit };
export { PROGRESS_INTERVAL_MS } from '../core/run-clock';
import type { SweepRequest } from '../../shared/schema/sweep';
import type { Language } from '../../shared/i18n';
import type { GpuStep } from '../../shared/schema/engine';

export type { BrowserEngineProbe, EngineInfo, EngineName, EngineState, GpuAdapter } from '../../shared/schema/engine';
export {
  MAX_MISTAKES,
  type EpochSummary,
  type Evaluation,
  type LossWindow,
  type Mistake,
  type Progress,
  type RunResult,
  type RunStatus,
  type Timings,
  type TrainedModel,
} from '../../shared/schema/results';
export type { WorkerMessage } from '../../shared/schema/messages';

/** Where the packaged app keeps what the worker loads; development and tests use the npm packages' copies. */
export interface WorkerOptions {
  /**
   * The GPU page and WebGPU through Dawn, for tests and benchmarks on machines without a GPU (never set by the UI;
   * ATHANOR_ALLOW_SOFTWARE_GPU=1, softwareGpuAllowed): accept a software adapter (SwiftShader, llvmpipe, ...) and
   * label every result from it "software GPU (testing only)".
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
  /**
   * The language of the words the worker makes that reach the user as text (a data set's faults, refused settings):
   * the app's, read at each start; English when unset (the CLI).
   */
  language?: Language;
  /** How the WebGPU engine trains (core/batch-trainer.ts): Athanor's fused step when unset, or tfjs's. */
  gpuStep?: GpuStep;
}

/** The data main hands the GPU page, which cannot read files (sandboxed, no Node). */
export interface MnistBytes {
  train: MnistBytesSplit;
  test: MnistBytesSplit;
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
      /**
       * Time the engine at these batch sizes (core/sweep.ts) instead of training: `config` then says the engine, the
       * optimizer's settings and the images to load (limit: the largest size); the answer is 'sweep-point' messages
       * and 'sweep-done'.
       */
      sweep?: SweepRequest;
    }
  | {
      type: 'probe';
      device: TrainConfig['device'];
      /** Which GPU engine a Node worker checks: CUDA when unset (the Devices panel's CUDA row), or WebGPU (Dawn). */
      gpuEngine?: 'cuda' | 'webgpu';
      options?: WorkerOptions;
    }
  | { type: 'cancel' };
