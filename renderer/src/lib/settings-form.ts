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

/** The same limits as electron/training/config.ts (a test keeps the two in step). */
export const FORM_LIMITS = { maxEpochs: 1000, maxBatchSize: 60000, maxSeed: 2 ** 32 - 1 } as const;

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

export function validateSettings(fields: SettingsFields): SettingsResult {
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
    const n = parse(fields.limit);
    if (n === null || !Number.isInteger(n) || n < 1) errors.limit = 'Whole number, at least 1 (empty: all)';
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
