import * as v from 'valibot';
import { t } from '../../../electron/shared/i18n';
import type { TrainRequest } from '../../../electron/shared/ipc-contract';
import {
  MAX_TRAIN_IMAGES,
  REFERENCE_CONFIG,
  REQUIRED_KEYS,
  SETTINGS,
  type SettingKey,
} from '../../../electron/shared/schema/settings';
import { formatInteger } from './format';

/** The settings the form asks for: each number setting a run needs (one with a default), and the quick run's images. */
type FormKey = {
  [K in SettingKey]: (typeof SETTINGS)[K] extends { whole: boolean; default: number } ? K : never;
}[SettingKey];
const FORM_KEYS = REQUIRED_KEYS.filter((key): key is FormKey => 'whole' in SETTINGS[key]);
/** The form's settings that take any number in a range, not a whole one: each has its words in the catalogue. */
type RealKey = { [K in FormKey]: (typeof SETTINGS)[K] extends { whole: false } ? K : never }[FormKey];

/** The form's fields as typed: strings, so a half-typed value is never silently coerced. `limit`: empty for all. */
export type SettingsFields = Record<FormKey | 'limit', string>;

/**
 * The form's number fields in the settings' order, each with its label and placeholder in the UI's language: every
 * setting the form asks for must have a label in the catalogue (the typecheck says so), so a new one shows without
 * touching the form. The schema's labels are the CLI's.
 */
export function formFields(): { key: keyof SettingsFields; label: string; placeholder?: string }[] {
  return [...FORM_KEYS, 'limit' as const].map((key) => {
    const placeholder = 'placeholder' in SETTINGS[key] ? t('settings.placeholders.limit') : undefined;
    return { key, label: t(`settings.fields.${key}`), placeholder };
  });
}

export type Settings = Omit<TrainRequest, 'device' | 'dataDir'>;
export type FieldErrors = Partial<Record<keyof SettingsFields, string>>;
export type SettingsResult = { ok: true; settings: Settings } | { ok: false; errors: FieldErrors };

/** The reference tutorial's values. */
export const DEFAULT_FIELDS: Readonly<SettingsFields> = Object.freeze({
  ...(Object.fromEntries(FORM_KEYS.map((key) => [key, String(REFERENCE_CONFIG[key])])) as Record<FormKey, string>),
  limit: '',
});

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
    return t('settings.accepts.whole', { min: formatInteger(min), max: formatInteger(max) });
  }
  return n;
}

/** A number the setting's own schema accepts, or what the setting accepts in words for the form. */
function realIn(text: string, key: RealKey): number | string {
  const n = parse(text);
  return n !== null && v.is(SETTINGS[key].schema, n) ? n : t(`settings.accepts.${key}`);
}

/**
 * The form's fields as a run's settings, or each bad field's problem in words for under that field.
 * @param trainImages training images in the chosen data source: a quick run can ask for at most these (and at most
 *   SETTINGS.limit.max, main's bound), since loading the data refuses more.
 */
export function validateSettings(fields: SettingsFields, trainImages: number = MAX_TRAIN_IMAGES): SettingsResult {
  const errors: FieldErrors = {};
  const values: Partial<Record<FormKey, number>> = {};
  for (const key of FORM_KEYS) {
    const spec = SETTINGS[key];
    const value = spec.whole ? wholeInRange(fields[key], spec.min, spec.max) : realIn(fields[key], key as RealKey);
    if (typeof value === 'string') errors[key] = value;
    else values[key] = value;
  }

  let limit: number | undefined;
  if (fields.limit.trim() !== '') {
    const max = Math.min(SETTINGS.limit.max, trainImages);
    const n = parse(fields.limit);
    if (n === null || !Number.isInteger(n) || n < 1 || n > max) errors.limit = imagesProblem(max, trainImages);
    else limit = n;
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const settings = values as Settings;
  if (limit !== undefined) settings.limit = limit;
  return { ok: true, settings };
}

function imagesProblem(max: number, trainImages: number): string {
  // Say where a bound below main's comes from: the user chose that folder, and may not know its size.
  return max === trainImages && max < SETTINGS.limit.max
    ? t('settings.accepts.imagesOfSource', { max: formatInteger(max), images: formatInteger(trainImages) })
    : t('settings.accepts.images', { max: formatInteger(max) });
}
