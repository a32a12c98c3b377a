/**
 * The one IPC contract: every channel between main, preload and renderer, with its argument, result and event
 * payload types. The renderer imports this file with `import type` only; main validates every argument with
 * `validate.ts` before acting on it.
 */
import type { Device, GpuEngineChoice, TrainConfig } from '../training/core/config';
import type { ChannelArgs, TrainRequest } from './schema/ipc';
import type {
  EngineInfo,
  EpochSummary,
  Evaluation,
  GpuAdapter,
  LossWindow,
  Mistake,
  Progress,
  RunStatus,
  Timings,
} from '../training/process/protocol';
import type { Reason } from './reasons';
import type { Language } from './i18n';
import type { AgreementResult } from './schema/agreement';
import type { SweepRecord, SweepSide } from './schema/sweep-record';
import type { SweepPoint } from './schema/sweep';

export type {
  TrainConfig,
  Device,
  EngineInfo,
  EpochSummary,
  Evaluation,
  GpuAdapter,
  GpuEngineChoice,
  LossWindow,
  Mistake,
  Progress,
  RunStatus,
  Timings,
};

// Types only: the preload imports this file's channel lists, and must not bundle the schemas behind these types.
export type { ExportFormat, TrainRequest } from './schema/ipc';
export type { AgreementProblem, AgreementResult } from './schema/agreement';

/** The network's input: 28x28 pixels, row-major. */
export const IMAGE_PIXELS = 784;
/** The most test images one `model:test-images` call returns. */
export const MAX_TEST_IMAGES = 64;

/** The language the app speaks (`chosen` null: the system's, `system`), as main decided it. */
export interface LanguageState {
  language: Language;
  chosen: Language | null;
  system: Language;
}

export interface CpuInfo {
  model: string;
  cores: number;
  memoryGiB: number;
}

export interface GpuInfo {
  name: string;
  memoryMiB: number;
  driver: string;
  cuda: string | null;
}

export interface EngineStatus {
  device: Device;
  /** Whether a run on this device can start. CPU is always trainable (on the fallback engine if need be). */
  available: boolean;
  /** The engine a run would use, when available. */
  engine: EngineInfo | null;
  /** Why the device cannot train, or why the CPU is on the fallback engine: describe-reason words it. */
  reason: Reason | null;
  /** WebGPU and WebGL: the adapter the browser offers, also when it is refused (a software one, say). */
  adapter?: GpuAdapter | null;
}

/** Each GPU engine's own state; `engines.gpu` is the one "Auto" picks. */
export interface GpuEngineStatuses {
  cuda: EngineStatus;
  webgpu: EngineStatus;
  webgl: EngineStatus;
}

export interface DevicesReport {
  cpu: CpuInfo;
  gpus: GpuInfo[];
  /** Set when nvidia-smi was absent or failed, e.g. { code: 'nvidia-smi-missing' }. */
  gpuDetectionNote: Reason | null;
  engines: { cpu: EngineStatus; gpu: EngineStatus };
  gpuEngines: GpuEngineStatuses;
  /** The GPUs Chromium reports (WebGPU's adapter, WebGL's renderer), of any vendor. */
  adapters: GpuAdapter[];
}

/** One point of a run's curve, for charts and the history overlay. */
export interface CurvePoint {
  step: number;
  loss: number;
  /** Training-loop time at `step`, ms, warm-up excluded (Progress.elapsedMs). Absent in rows from older versions. */
  ms?: number;
}

/** A history row: one run, whatever its outcome. */
export interface RunRecord {
  id: string;
  startedAt: string; // ISO time
  status: RunStatus | 'running';
  device: Device;
  hardware: string; // CPU model or GPU name
  engine: EngineInfo | null;
  settings: TrainRequest;
  trainImages: number;
  timings: Timings | null;
  secondsPerEpoch: number | null;
  imagesPerSecond: number | null;
  finalLoss: number | null;
  accuracy: number | null;
  evaluation: Evaluation | null;
  epochs: EpochSummary[];
  lossWindows: LossWindow[];
  /** The fine curve, downsampled to at most 1,000 points. */
  curve: CurvePoint[];
  /** How a run ended in words, as versions before run ends were codes wrote it; null in rows written since. */
  message: string | null;
  /**
   * How a run that did not finish ended (cancelled, diverged, failed), as a code with its data, worded where it is
   * shown (describeRunEnd). Rows from older versions may have only `message`.
   */
  reason?: Reason;
  /** Whether trained weights are stored for this run (only 'done' runs keep weights). */
  hasWeights: boolean;
  /**
   * Set, with the reason, on a row the history could not write to disk (a full disk, an unreadable history.json):
   * it is shown, and its weights can be exported, until the app closes. Never written to disk.
   */
  unsaved?: string;
}

export interface QueueState {
  running: { id: string; device: Device } | null;
  queued: { id: string; device: Device }[];
}

/** Events main sends to the renderer while runs go on. */
export type TrainingEvent =
  | { kind: 'queued'; id: string; device: Device; queue: QueueState }
  | { kind: 'started'; id: string; device: Device; queue: QueueState }
  | { kind: 'engine'; id: string; engine: EngineInfo }
  | { kind: 'progress'; id: string; progress: Progress }
  | { kind: 'loss-window'; id: string; window: LossWindow }
  | { kind: 'epoch'; id: string; summary: EpochSummary }
  | { kind: 'finished'; id: string; record: RunRecord; queue: QueueState };

export type SaveResult = { saved: true; path: string; bytes: number } | { saved: false; reason: 'cancelled' };

export interface HistoryState {
  records: RunRecord[];
  /** Set once when a corrupt history file was set aside at start, naming where it went. */
  notice: string | null;
}

export interface DatasetChoice {
  dir: string;
  trainCount: number;
  testCount: number;
  /** What in `dir` will train, relative to it: "idx files in MNIST/raw", "mnist.npz (Keras)" (describeSource). */
  source: string;
}

/** One drawn image for `model:predict`: 784 values normalised as the reference does, (x/255 - 0.5) / 0.5. */
export type PredictRequest = ChannelArgs['model:predict'];

export interface Prediction {
  /** Softmax of the logits: 10 values summing to 1, index = digit. */
  probabilities: number[];
}

/** A test image of the run's dataset with the run's prediction for it. */
export interface TestImage {
  /** Position in the test split (the order of the idx file). */
  index: number;
  label: number;
  /** 784 grey levels 0..255 as stored in the idx file (0 = background). */
  pixels: number[];
  predicted: number;
  probability: number;
}

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  packaged: boolean;
}

// --- Batch-size sweeps (the Scaling view) ---

export type { SweepRecord, SweepSide, SweepPoint };

/** A sweep main would not start, with why (describe-reason words it). */
export type SweepStartResult = { started: true; id: string } | { started: false; reason: Reason };

export interface SweepList {
  /** Newest first. */
  sweeps: SweepRecord[];
  /** Set when sweeps.json could not be read whole: what was set aside or kept as it was. */
  notice: string | null;
}

/** Events main sends while a sweep goes on; `finished` carries the sweep as it was kept. */
export type SweepEvent =
  | { kind: 'waiting'; id: string; request: SweepRecord['request']; devices: Device[] }
  | { kind: 'started'; id: string; request: SweepRecord['request']; devices: Device[] }
  | { kind: 'engine'; id: string; device: Device; engine: EngineInfo }
  | { kind: 'point'; id: string; device: Device; point: SweepPoint }
  | { kind: 'side'; id: string; side: SweepSide }
  | { kind: 'finished'; id: string; record: SweepRecord; unsaved: string | null };

// --- end of sweeps ---

/** invoke channels: argument types (inferred from main's check of them, schema/ipc.ts) and result types. */
export interface InvokeChannels {
  'app:info': { arg: ChannelArgs['app:info']; result: AppInfo };
  'app:language': { arg: ChannelArgs['app:language']; result: LanguageState };
  'devices:get': { arg: ChannelArgs['devices:get']; result: DevicesReport };
  'training:start': { arg: ChannelArgs['training:start']; result: { id: string; queue: QueueState } };
  'training:compare': { arg: ChannelArgs['training:compare']; result: { ids: string[]; queue: QueueState } };
  'training:cancel': { arg: ChannelArgs['training:cancel']; result: { cancelled: boolean } };
  'training:queue': { arg: ChannelArgs['training:queue']; result: QueueState };
  'history:list': { arg: ChannelArgs['history:list']; result: HistoryState };
  'history:delete': { arg: ChannelArgs['history:delete']; result: HistoryState };
  'history:export-csv': { arg: ChannelArgs['history:export-csv']; result: SaveResult };
  'weights:export': { arg: ChannelArgs['weights:export']; result: SaveResult };
  'dataset:choose': { arg: ChannelArgs['dataset:choose']; result: DatasetChoice | null };
  'model:predict': { arg: ChannelArgs['model:predict']; result: Prediction };
  'model:test-images': { arg: ChannelArgs['model:test-images']; result: TestImage[] };
  // Issue 16: agreement and report.
  'history:agreement': { arg: ChannelArgs['history:agreement']; result: AgreementResult };
  'report:export': { arg: ChannelArgs['report:export']; result: SaveResult };
  // Sweeps
  'sweep:start': { arg: ChannelArgs['sweep:start']; result: SweepStartResult };
  'sweep:cancel': { arg: ChannelArgs['sweep:cancel']; result: { cancelled: boolean } };
  'sweep:list': { arg: ChannelArgs['sweep:list']; result: SweepList };
}

export type InvokeChannel = keyof InvokeChannels;

/** Channels main pushes on. 'menu:export-weights' asks the renderer which run to export (the selected one). */
export interface EventChannels {
  'training:event': TrainingEvent;
  'menu:export-weights': void;
  'menu:about': void;
  /** The language changed (the Language menu): the page speaks it from now on. */
  'app:language': LanguageState;
  // Sweeps
  'sweep:event': SweepEvent;
}

export type EventChannel = keyof EventChannels;

export const INVOKE_CHANNELS: readonly InvokeChannel[] = [
  'app:info',
  'app:language',
  'devices:get',
  'training:start',
  'training:compare',
  'training:cancel',
  'training:queue',
  'history:list',
  'history:delete',
  'history:export-csv',
  'weights:export',
  'dataset:choose',
  'model:predict',
  'model:test-images',
  // Issue 16: agreement and report.
  'history:agreement',
  'report:export',
  // Sweeps
  'sweep:start',
  'sweep:cancel',
  'sweep:list',
];
export const EVENT_CHANNELS: readonly EventChannel[] = [
  'training:event',
  'menu:export-weights',
  'menu:about',
  'app:language',
  // Sweeps
  'sweep:event',
];
