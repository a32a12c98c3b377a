/** Hyperparameters of one run. Defaults are the reference tutorial's (shared/REFERENCE.md). */
import { describeKey, describeValue as show } from '../../shared/describe-value';

export type Device = 'cpu' | 'gpu';

/**
 * Which engine a GPU run uses. 'auto': CUDA (tfjs-node-gpu) where it loads, else WebGPU, else WebGL. The others
 * ask for one engine and fail with its reason when it cannot run; none of them ever trains on the CPU.
 */
export type GpuEngineChoice = 'auto' | 'cuda' | 'webgpu' | 'webgl';
export const GPU_ENGINE_CHOICES: readonly GpuEngineChoice[] = ['auto', 'cuda', 'webgpu', 'webgl'];

export interface TrainConfig {
  device: Device;
  /** GPU runs only (ignored for the CPU); 'auto' when undefined. */
  gpuEngine?: GpuEngineChoice;
  epochs: number;
  batchSize: number;
  lr: number;
  momentum: number;
  seed: number;
  /** Train on the first `limit` training images only (the whole set when undefined). */
  limit?: number;
  /** Evaluate on the first `testLimit` test images only (all 10,000 when undefined). */
  testLimit?: number;
  /** Folder with MNIST-format idx files; the bundled MNIST when undefined. */
  dataDir?: string;
}

export const REFERENCE_CONFIG: Readonly<TrainConfig> = Object.freeze({
  device: 'cpu',
  epochs: 5,
  batchSize: 64,
  lr: 0.001,
  momentum: 0.9,
  seed: 42,
});

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/**
 * Limits that keep a typo from starting a week-long run. The batch size stops at the training set's size: what an
 * engine can hold differs per engine and is checked, with the largest that fits, before the first batch (limits.ts).
 */
export const LIMITS = { maxEpochs: 1000, maxBatchSize: 60000, maxSeed: 2 ** 32 - 1 } as const;

/** How messages name each setting: words by default, the flag names (`--batch-size`) on the command line. */
export type SettingNames = Record<keyof TrainConfig, string>;

export const SETTING_NAMES: Readonly<SettingNames> = Object.freeze({
  device: 'device', gpuEngine: 'GPU engine', epochs: 'epochs', batchSize: 'batch size', lr: 'learning rate',
  momentum: 'momentum', seed: 'seed', limit: 'limit', testLimit: 'testLimit', dataDir: 'dataDir',
});

/**
 * Checks a config from any source (CLI flags, IPC payload, worker message) and fills in the reference defaults.
 * Every problem is reported at once, in words, before anything starts; each names the setting (as `names` spells
 * it) and a short description of the value, so a message stays short whatever was sent. `typed`: the text each
 * value was read from (the command line's flags), quoted in a message when the number differs from it, as
 * "0.99999999999999999" does from the 1 it reads as.
 */
export function validateConfig(input: unknown, names: Readonly<SettingNames> = SETTING_NAMES,
  typed: Readonly<Partial<Record<keyof TrainConfig, string>>> = {}): TrainConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError('training settings must be an object');
  }
  const raw = input as Record<string, unknown>;
  const problems: string[] = [];
  // SETTING_NAMES has every TrainConfig key (its type says so): the settings this accepts.
  const unknown = Object.keys(raw).filter((key) => !Object.hasOwn(SETTING_NAMES, key));
  if (unknown.length > 0) {
    const more = unknown.length > 3 ? ` and ${unknown.length - 3} more` : '';
    problems.push(`unknown setting${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 3).map(describeKey).join(', ')}${more}`);
  }

  const pick = <T>(key: string, fallback: T): unknown => (raw[key] === undefined ? fallback : raw[key]);
  const got = (key: keyof TrainConfig, value: unknown): string => {
    const text = typed[key];
    return text === undefined || text === String(value) ? show(value) : `"${text}" (read as ${show(value)})`;
  };
  const device = pick('device', REFERENCE_CONFIG.device);
  const epochs = pick('epochs', REFERENCE_CONFIG.epochs);
  const batchSize = pick('batchSize', REFERENCE_CONFIG.batchSize);
  const lr = pick('lr', REFERENCE_CONFIG.lr);
  const momentum = pick('momentum', REFERENCE_CONFIG.momentum);
  const seed = pick('seed', REFERENCE_CONFIG.seed);

  if (device !== 'cpu' && device !== 'gpu') problems.push(`${names.device} must be "cpu" or "gpu", got ${show(device)}`);
  if (raw.gpuEngine !== undefined && !GPU_ENGINE_CHOICES.includes(raw.gpuEngine as GpuEngineChoice)) {
    problems.push(`${names.gpuEngine} must be one of ${GPU_ENGINE_CHOICES.map((c) => `"${c}"`).join(', ')}, got ${show(raw.gpuEngine)}`);
  }
  if (!isInt(epochs) || epochs < 1 || epochs > LIMITS.maxEpochs) {
    problems.push(`${names.epochs} must be a whole number from 1 to ${LIMITS.maxEpochs}, got ${got('epochs', epochs)}`);
  }
  if (!isInt(batchSize) || batchSize < 1 || batchSize > LIMITS.maxBatchSize) {
    problems.push(`${names.batchSize} must be a whole number from 1 to ${LIMITS.maxBatchSize}, got ${got('batchSize', batchSize)}`);
  }
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0) {
    problems.push(`${names.lr} must be a positive finite number, got ${got('lr', lr)}`);
  }
  if (typeof momentum !== 'number' || !Number.isFinite(momentum) || momentum < 0 || momentum >= 1) {
    problems.push(`${names.momentum} must be at least 0 and below 1, got ${got('momentum', momentum)}`);
  }
  if (!isInt(seed) || seed < 0 || seed > LIMITS.maxSeed) {
    problems.push(`${names.seed} must be a whole number from 0 to ${LIMITS.maxSeed}, got ${got('seed', seed)}`);
  }
  for (const key of ['limit', 'testLimit'] as const) {
    const v = raw[key];
    if (v !== undefined && (!isInt(v) || v < 1)) problems.push(`${names[key]} must be a positive whole number, got ${got(key, v)}`);
  }
  if (raw.dataDir !== undefined && (typeof raw.dataDir !== 'string' || raw.dataDir.length === 0)) {
    problems.push(`${names.dataDir} must be a folder path, got ${show(raw.dataDir)}`);
  }
  if (problems.length > 0) throw new ConfigError(`invalid training settings: ${problems.join('; ')}`);

  const config: TrainConfig = {
    device: device as Device,
    epochs: epochs as number,
    batchSize: batchSize as number,
    lr: lr as number,
    momentum: momentum as number,
    seed: seed as number,
  };
  if (raw.gpuEngine !== undefined) config.gpuEngine = raw.gpuEngine as GpuEngineChoice;
  if (raw.limit !== undefined) config.limit = raw.limit as number;
  if (raw.testLimit !== undefined) config.testLimit = raw.testLimit as number;
  if (raw.dataDir !== undefined) config.dataDir = raw.dataDir as string;
  return config;
}
