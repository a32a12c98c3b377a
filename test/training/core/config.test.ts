import { describe, expect, it } from 'vitest';
import { ConfigError, REFERENCE_CONFIG, SETTING_NAMES, validateConfig } from '../../../electron/training/core/config';

describe('validateConfig', () => {
  it('fills in the reference defaults', () => {
    expect(validateConfig({})).toEqual({ device: 'cpu', epochs: 5, batchSize: 64, lr: 0.001, momentum: 0.9, seed: 42 });
    expect(REFERENCE_CONFIG).toMatchObject({ epochs: 5, batchSize: 64, lr: 0.001, momentum: 0.9 });
  });

  it('keeps valid values and optional fields', () => {
    const c = validateConfig({
      device: 'gpu',
      epochs: 2,
      batchSize: 32,
      lr: 0.01,
      momentum: 0,
      seed: 7,
      limit: 100,
      testLimit: 50,
      dataDir: '/x',
    });
    expect(c).toEqual({
      device: 'gpu',
      epochs: 2,
      batchSize: 32,
      lr: 0.01,
      momentum: 0,
      seed: 7,
      limit: 100,
      testLimit: 50,
      dataDir: '/x',
    });
  });

  const bad: [string, unknown, RegExp][] = [
    ['zero epochs', { epochs: 0 }, /epochs must be a whole number from 1/],
    ['negative epochs', { epochs: -3 }, /epochs/],
    ['fractional epochs', { epochs: 1.5 }, /epochs/],
    ['zero batch size', { batchSize: 0 }, /batch size must be/],
    ['negative batch size', { batchSize: -64 }, /batch size/],
    ['batch size as string', { batchSize: '64' }, /batch size.*"64"/],
    ['zero lr', { lr: 0 }, /learning rate must be a positive finite number, got 0/],
    ['negative lr', { lr: -0.1 }, /learning rate/],
    ['NaN lr', { lr: NaN }, /learning rate.*NaN/],
    ['infinite lr', { lr: Infinity }, /learning rate.*Infinity/],
    ['momentum 1', { momentum: 1 }, /momentum must be at least 0 and below 1, got 1/],
    ['negative momentum', { momentum: -0.1 }, /momentum/],
    ['bad device', { device: 'tpu' }, /device must be "cpu" or "gpu", got "tpu"/],
    ['bad seed', { seed: -1 }, /seed/],
    ['bad limit', { limit: 0 }, /limit must be a positive whole number/],
    ['unknown key', { epochz: 5 }, /unknown setting "epochz"/],
    ['empty data dir', { dataDir: '' }, /dataDir/],
  ];
  it.each(bad)('rejects %s with a clear message', (_name, input, message) => {
    expect(() => validateConfig(input)).toThrow(ConfigError);
    expect(() => validateConfig(input)).toThrow(message);
  });

  it('reports every problem at once', () => {
    expect(() => validateConfig({ epochs: 0, lr: -1 })).toThrow(/epochs.*; learning rate/);
  });

  it('rejects non-objects', () => {
    for (const v of [null, 5, 'x', [], undefined]) expect(() => validateConfig(v)).toThrow(/must be an object/);
  });

  it('names each setting as the caller spells it (the CLI: its flags)', () => {
    const flags = { ...SETTING_NAMES, testLimit: '--test-limit', batchSize: '--batch-size' };
    expect(() => validateConfig({ testLimit: 0, batchSize: 0 }, flags)).toThrow(
      'invalid training settings: --batch-size must be a whole number from 1 to 60000, got 0; --test-limit must be a positive whole number, got 0',
    );
  });

  it('keeps every message short, whatever the value or the keys', () => {
    const message = (input: unknown) => {
      try {
        validateConfig(input);
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(message({ device: 'x'.repeat(5e7) })).toBe(
      `invalid training settings: device must be "cpu" or "gpu", got "${'x'.repeat(40)}"... (50,000,000 characters)`,
    );
    const keys = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`${'k'.repeat(1000)}${i}`, 1]));
    expect(message(keys).length).toBeLessThan(300);
    expect(message(keys)).toMatch(/unknown settings "k{40}"\.\.\., .* and 9997 more$/);
  });
});
