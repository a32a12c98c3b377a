import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../electron/shared/i18n';
import {
  DEFAULT_FIELDS,
  formFields,
  validateSettings,
  type SettingsFields,
} from '../../renderer/src/lib/settings-form';
import { REFERENCE_CONFIG } from '../../electron/training/core/config';
import { validateArg } from '../../electron/shared/validate';
import { MAX_TRAIN_IMAGES, SETTINGS } from '../../electron/shared/schema/settings';

const withField = (key: keyof SettingsFields, value: string): SettingsFields => ({ ...DEFAULT_FIELDS, [key]: value });

describe('the form fields', () => {
  it('are the number settings in their order, with their labels, and the quick run last with "all" when empty', () => {
    expect(formFields()).toEqual([
      { key: 'epochs', label: 'Epochs', placeholder: undefined },
      { key: 'batchSize', label: 'Batch size', placeholder: undefined },
      { key: 'lr', label: 'Learning rate', placeholder: undefined },
      { key: 'momentum', label: 'Momentum', placeholder: undefined },
      { key: 'seed', label: 'Seed', placeholder: undefined },
      { key: 'limit', label: 'Images (quick run)', placeholder: 'all' },
    ]);
  });

  it("label the fields with the schema's own English words, which the command line keeps", () => {
    const schemaWords = formFields().map((f) => {
      const spec = SETTINGS[f.key];
      return [spec.label, 'placeholder' in spec ? spec.placeholder : undefined];
    });
    expect(formFields().map((f) => [f.label, f.placeholder])).toEqual(schemaWords);
  });
});

describe('the form in Chinese', () => {
  beforeEach(() => setLanguage('zh-CN'));
  afterEach(() => setLanguage('en'));

  it('labels the fields and says what each accepts in Chinese, the bounds in the zh-CN locale', () => {
    expect(formFields().map((f) => f.label)).toEqual([
      '轮数',
      '批大小',
      '学习率',
      '动量',
      '随机种子',
      '图像数（快速训练）',
    ]);
    expect(formFields().at(-1)?.placeholder).toBe('全部');
    const bad = validateSettings({ ...DEFAULT_FIELDS, epochs: '0', lr: '0', momentum: '1', limit: '2501' }, 2500);
    expect(bad.ok ? {} : bad.errors).toEqual({
      epochs: '须为 1 到 1,000 之间的整数',
      lr: '须为大于 0 的数',
      momentum: '须不小于 0 且小于 1',
      limit: '须为 1 到 2,500 之间的整数：该数据源只有 2,500 张训练图像（留空：全部）',
    });
  });
});

describe('validateSettings', () => {
  it("accepts the defaults, which are the reference tutorial's", () => {
    const result = validateSettings(DEFAULT_FIELDS);
    expect(result).toEqual({
      ok: true,
      settings: {
        epochs: REFERENCE_CONFIG.epochs,
        batchSize: REFERENCE_CONFIG.batchSize,
        lr: REFERENCE_CONFIG.lr,
        momentum: REFERENCE_CONFIG.momentum,
        seed: REFERENCE_CONFIG.seed,
      },
    });
  });

  it('reads the optional quick-run limit, and leaves it out when empty', () => {
    expect(validateSettings(withField('limit', ' 2000 '))).toMatchObject({ ok: true, settings: { limit: 2000 } });
    const all = validateSettings(withField('limit', '  '));
    expect(all.ok && 'limit' in all.settings).toBe(false);
  });

  it.each([
    ['epochs', '0'],
    ['epochs', '1001'],
    ['epochs', '2.5'],
    ['epochs', ''],
    ['epochs', 'five'],
    ['batchSize', '0'],
    ['batchSize', '60001'],
    ['batchSize', '0x40'],
    ['lr', '0'],
    ['lr', '-0.1'],
    ['lr', 'Infinity'],
    ['lr', ''],
    ['lr', '1e999'],
    ['momentum', '1'],
    ['momentum', '-0.1'],
    ['momentum', '0,9'],
    ['seed', '-1'],
    ['seed', '4294967296'],
    ['seed', '1.5'],
    ['limit', '0'],
    ['limit', '10.5'],
    ['limit', 'abc'],
    ['limit', '60001'],
    ['limit', '1e9'],
  ] as [keyof SettingsFields, string][])('refuses %s = %j with a message on that field', (key, value) => {
    const result = validateSettings(withField(key, value));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.errors)).toEqual([key]);
      expect(result.errors[key]).toMatch(/^(Whole number|A number above 0|At least 0 and below 1)/);
    }
  });

  it('says what each field accepts', () => {
    const result = validateSettings({
      ...DEFAULT_FIELDS,
      epochs: '0',
      batchSize: 'x',
      lr: '0',
      momentum: '1',
      seed: '-1',
      limit: '0',
    });
    expect(result.ok ? {} : result.errors).toEqual({
      epochs: 'Whole number from 1 to 1,000',
      batchSize: 'Whole number from 1 to 60,000',
      lr: 'A number above 0',
      momentum: 'At least 0 and below 1',
      seed: 'Whole number from 0 to 4,294,967,295',
      limit: 'Whole number from 1 to 60,000 (empty: all)',
    });
  });

  it("bounds the quick run's images by the chosen data source, and says so", () => {
    const fields = (limit: string) => ({ ...DEFAULT_FIELDS, limit });
    expect(validateSettings(fields('2500'), 2500)).toMatchObject({ ok: true, settings: { limit: 2500 } });
    expect(validateSettings(fields('2501'), 2500)).toEqual({
      ok: false,
      errors: { limit: 'Whole number from 1 to 2,500: the data source has 2,500 training images (empty: all)' },
    });
    // A source larger than MNIST still stops at main's bound; empty still means all of it.
    expect(validateSettings(fields('60001'), 120_000)).toEqual({
      ok: false,
      errors: { limit: 'Whole number from 1 to 60,000 (empty: all)' },
    });
    expect(validateSettings(fields(''), 120_000).ok).toBe(true);
  });

  it('reports every bad field at once', () => {
    const result = validateSettings({ ...DEFAULT_FIELDS, epochs: '0', momentum: '1', seed: 'x' });
    expect(result.ok ? [] : Object.keys(result.errors).sort()).toEqual(['epochs', 'momentum', 'seed']);
  });

  it('accepts exponent notation and the range edges', () => {
    expect(
      validateSettings({
        ...DEFAULT_FIELDS,
        lr: '1e-3',
        momentum: '0',
        epochs: '1000',
        batchSize: '60000',
        seed: '4294967295',
      }),
    ).toMatchObject({
      ok: true,
      settings: { lr: 0.001, momentum: 0, epochs: 1000, batchSize: 60000, seed: 4294967295 },
    });
  });

  it('takes its bounds from the settings schema main checks with: each largest value passes, one more fails', () => {
    expect(SETTINGS.limit.max).toBe(MAX_TRAIN_IMAGES);
    for (const key of ['epochs', 'batchSize', 'seed', 'limit'] as const) {
      const max = SETTINGS[key].max;
      expect(validateSettings(withField(key, String(max))).ok, `${key} ${max}`).toBe(true);
      expect(validateSettings(withField(key, String(max + 1))).ok, `${key} ${max + 1}`).toBe(false);
    }
  });

  it("agrees with main's check of a run request (training:start) on what is valid", () => {
    const samples: Partial<SettingsFields>[] = [
      { epochs: '1' },
      { epochs: '1000' },
      { epochs: '1001' },
      { batchSize: '60000' },
      { batchSize: '60001' },
      { lr: '1e-9' },
      { lr: '0' },
      { momentum: '0.999' },
      { momentum: '1' },
      { seed: '0' },
      { seed: '4294967295' },
      { seed: '4294967296' },
      { limit: '1' },
      { limit: '0' },
      { limit: '60000' },
      { limit: '60001' },
      { limit: '250000' },
    ];
    for (const sample of samples) {
      const fields = { ...DEFAULT_FIELDS, ...sample };
      const form = validateSettings(fields);
      // Each field as the number it reads as; an empty quick run is left out, as the form sends it.
      const numbers = Object.entries(fields).flatMap(([key, text]) => (text === '' ? [] : [[key, Number(text)]]));
      const raw = { device: 'cpu', ...Object.fromEntries(numbers) };
      let mainAccepts = true;
      try {
        validateArg('training:start', raw);
      } catch {
        mainAccepts = false;
      }
      expect({ sample, ok: form.ok }).toEqual({ sample, ok: mainAccepts });
    }
  });
});
