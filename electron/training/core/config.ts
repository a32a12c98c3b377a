/**
 * Hyperparameters of one run, as the settings schema (shared/schema/settings.ts) declares them: this file is the
 * training core's entry to it, checking a config from any source and filling in the defaults.
 */
import * as v from 'valibot';
import { describeKey, describeValue as show } from '../../shared/describe-value';
import { t } from '../../shared/i18n';
import {
  ConfigSchema,
  GPU_ENGINE_CHOICES,
  SETTING_KEYS,
  SETTING_NAMES,
  SETTINGS,
  type SettingKey,
  type SettingNames,
  type TrainConfig,
} from '../../shared/schema/settings';

export {
  GPU_ENGINE_CHOICES,
  REFERENCE_CONFIG,
  SETTING_NAMES,
  SETTINGS,
  type Device,
  type GpuEngineChoice,
  type SettingNames,
  type TrainConfig,
} from '../../shared/schema/settings';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Checks a config from any source (CLI flags, IPC payload, worker message) and fills in the reference defaults.
 * Every problem is reported at once, in words, before anything starts; each names the setting (as `names` spells
 * it) and a short description of the value, so a message stays short whatever was sent. `typed`: the text each
 * value was read from (the command line's flags), quoted in a message when the number differs from it, as
 * "0.99999999999999999" does from the 1 it reads as. Throws ConfigError.
 */
export function validateConfig(
  input: unknown,
  names: Readonly<SettingNames> = SETTING_NAMES,
  typed: Readonly<Partial<Record<SettingKey, string>>> = {},
): TrainConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError(t('dataset.config.notObject'));
  }
  const problems: string[] = [];
  const unknown = Object.keys(input).filter((key) => !Object.hasOwn(SETTINGS, key));
  if (unknown.length > 0) {
    const more = unknown.length > 3 ? t('dataset.config.more', { n: unknown.length - 3 }) : '';
    const keys = unknown.slice(0, 3).map(describeKey).join(t('dataset.listSeparator'));
    problems.push(t(unknown.length > 1 ? 'dataset.config.unknownMany' : 'dataset.config.unknownOne', { keys, more }));
  }
  // One problem a setting: its first failed step says it all, since each setting's words cover its whole range.
  const parsed = v.safeParse(ConfigSchema, input, { abortPipeEarly: true });
  for (const issue of parsed.issues ?? []) {
    const key = issue.path?.[0].key as SettingKey;
    const text = typed[key];
    const got =
      text === undefined || text === String(issue.input)
        ? show(issue.input)
        : t('dataset.config.readAs', { text, value: show(issue.input) });
    // A name the caller gave (the CLI's flags) is the caller's; the schema's own is worded in the language spoken.
    const name = names[key] === SETTING_NAMES[key] ? t(`dataset.config.names.${key}`) : names[key];
    problems.push(t('dataset.config.problem', { name, must: mustWords(key), got }));
  }
  if (problems.length > 0 || !parsed.success)
    throw new ConfigError(
      t('dataset.config.invalid', { problems: problems.join(t('dataset.config.problemSeparator')) }),
    );
  // A setting sent as undefined is absent, as in JSON: the copy holds only what was set or defaulted.
  const config = parsed.output;
  for (const key of SETTING_KEYS_OPTIONAL) if (config[key] === undefined) delete config[key];
  return config;
}

const SETTING_KEYS_OPTIONAL = SETTING_KEYS.filter((key) => !('default' in SETTINGS[key]));

/** What `key` must be, in words (the schema's `must`, in the language spoken): whole numbers' from their bounds. */
function mustWords(key: SettingKey): string {
  const spec = SETTINGS[key];
  if ('whole' in spec && spec.whole) {
    // limit's `max` is the app's bound on a request, not the schema's: its words, like its check, say only positive.
    if (spec.max !== undefined && key !== 'limit')
      return t('dataset.config.must.range', { min: spec.min, max: spec.max });
    return spec.min === 1 ? t('dataset.config.must.positive') : t('dataset.config.must.atLeast', { min: spec.min });
  }
  if (key === 'gpuEngine') {
    const choices = GPU_ENGINE_CHOICES.map((c) => `"${c}"`).join(t('dataset.listSeparator'));
    return t('dataset.config.must.gpuEngine', { choices });
  }
  return t(`dataset.config.must.${key as 'device' | 'lr' | 'momentum' | 'dataDir'}`);
}
