import type { TrainRequest } from '../../../electron/shared/ipc-contract';

/** The form's fields as typed: strings, so a half-typed value is never silently coerced. */
export interface SettingsFields {
  epochs: string;
  batchSize: string;
  lr: string;
  momentum: string;
  seed: string;
  /** Quick run: train on the first N images; empty for all. */
  limit: string;
}

export type Settings = Omit<TrainRequest, 'device' | 'dataDir'>;
export type FieldErrors = Partial<Record<keyof SettingsFields, string>>;
export type SettingsResult = { ok: true; settings: Settings } | { ok: false; errors: FieldErrors };

/** The reference tutorial's values. */
export const DEFAULT_FIELDS: Readonly<SettingsFields> = Object.freeze({
  epochs: '5',
  batchSize: '64',
  lr: '0.001',
  momentum: '0.9',
  seed: '42',
  limit: '',
});

/**
 * Every bound main puts on a run's settings, so the form refuses on the field what main would refuse after Train:
 * config.ts's LIMITS, and shared/validate.ts's MAX_LIMIT for the quick run's images (tests keep them in step).
 */
export const FORM_LIMITS = { maxEpochs: 1000, maxBatchSize: 60000, maxSeed: 2 ** 32 - 1, maxImages: 60_000 } as const;

/** Training images in the bundled MNIST. */
export const BUNDLED_TRAIN_IMAGES = 60_000;

// Plain decimal or exponent notation only: Number() alone would accept '', ' ', '0x10' and 'Infinity'.
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function parse(text: string): number | null {
  const t = text.trim();
  return NUMBER.test(t) ? Number(t) : null;
}

// Messages sit under their field, which already names the setting: they say only what is accepted.
function wholeInRange(text: string, min: number, max: number): number | string {
  const n = parse(text);
  if (n === null || !Number.isInteger(n) || n < min || n > max) {
    return `Whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`;
  }
  return n;
}

/**
 * The form's fields as a run's settings, or each bad field's problem in words for under that field.
 * @param trainImages training images in the chosen data source: a quick run can ask for at most these (and at most
 *   FORM_LIMITS.maxImages, main's bound), since loading the data refuses more.
 */
export function validateSettings(fields: SettingsFields, trainImages: number = BUNDLED_TRAIN_IMAGES): SettingsResult {
  const errors: FieldErrors = {};
  const epochs = wholeInRange(fields.epochs, 1, FORM_LIMITS.maxEpochs);
  const batchSize = wholeInRange(fields.batchSize, 1, FORM_LIMITS.maxBatchSize);
  const seed = wholeInRange(fields.seed, 0, FORM_LIMITS.maxSeed);
  if (typeof epochs === 'string') errors.epochs = epochs;
  if (typeof batchSize === 'string') errors.batchSize = batchSize;
  if (typeof seed === 'string') errors.seed = seed;

  const lr = parse(fields.lr);
  if (lr === null || !Number.isFinite(lr) || lr <= 0) errors.lr = 'A number above 0';
  const momentum = parse(fields.momentum);
  if (momentum === null || !Number.isFinite(momentum) || momentum < 0 || momentum >= 1) {
    errors.momentum = 'At least 0 and below 1';
  }

  let limit: number | undefined;
  if (fields.limit.trim() !== '') {
    const max = Math.min(FORM_LIMITS.maxImages, trainImages);
    const n = parse(fields.limit);
    if (n === null || !Number.isInteger(n) || n < 1 || n > max) errors.limit = imagesProblem(max, trainImages);
    else limit = n;
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const settings: Settings = {
    epochs: epochs as number,
    batchSize: batchSize as number,
    lr: lr as number,
    momentum: momentum as number,
    seed: seed as number,
  };
  if (limit !== undefined) settings.limit = limit;
  return { ok: true, settings };
}

function imagesProblem(max: number, trainImages: number): string {
  const range = `Whole number from 1 to ${max.toLocaleString('en-US')}`;
  // Say where a bound below main's comes from: the user chose that folder, and may not know its size.
  return max === trainImages && max < FORM_LIMITS.maxImages
    ? `${range}: the data source has ${trainImages.toLocaleString('en-US')} training images (empty: all)`
    : `${range} (empty: all)`;
}
