/** The settings table is the one definition: what is derived from it says what the table says. */
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import {
  REFERENCE_CONFIG,
  REQUEST_KEYS,
  REQUIRED_KEYS,
  SETTING_KEYS,
  SETTING_NAMES,
  SETTINGS,
  SHOWN_SETTINGS,
} from '../../../electron/shared/schema/settings';
import { FLAG_NAMES, parseCli, USAGE } from '../../../electron/training/cli/args';

describe('the settings table', () => {
  it('holds defaults its own schemas accept', () => {
    for (const [key, value] of Object.entries(REFERENCE_CONFIG)) {
      expect({ key, ok: v.is(SETTINGS[key as keyof typeof SETTINGS].schema, value) }).toEqual({ key, ok: true });
    }
    expect(REFERENCE_CONFIG).toEqual({ device: 'cpu', epochs: 5, batchSize: 64, lr: 0.001, momentum: 0.9, seed: 42 });
  });

  it("derives the request keys: all but the command line's own, the ones with defaults required", () => {
    expect(REQUEST_KEYS).toEqual([
      'device',
      'gpuEngine',
      'epochs',
      'batchSize',
      'lr',
      'momentum',
      'seed',
      'limit',
      'dataDir',
    ]);
    expect(REQUIRED_KEYS).toEqual(['device', 'epochs', 'batchSize', 'lr', 'momentum', 'seed']);
    expect(SETTING_NAMES.batchSize).toBe('batch size');
  });

  it("gives the summary its phrases and the CSV its columns, in the table's order", () => {
    expect(SHOWN_SETTINGS.map((s) => s.column)).toEqual([
      'epochs',
      'batch_size',
      'learning_rate',
      'momentum',
      'seed',
      undefined,
    ]);
    expect(SHOWN_SETTINGS.map((s) => s.short(12000))).toEqual([
      '12000 ep',
      'batch 12000',
      'lr 12000',
      'mom. 12000',
      'seed 12000',
      'first 12,000 images',
    ]);
  });

  it('gives each flagged setting a --help line with its default, and names it by its flag', () => {
    for (const key of SETTING_KEYS) {
      const spec = SETTINGS[key];
      if (!('cli' in spec)) continue;
      expect(FLAG_NAMES[key]).toBe(`--${spec.cli.flag}`);
      expect(USAGE).toContain(`  --${spec.cli.flag} ${spec.cli.meta}`);
    }
    expect(USAGE).toContain('  --batch-size N       images per batch (default 64)\n');
    expect(USAGE).toContain('  --momentum X         SGD momentum, 0 <= X < 1 (default 0.9)\n');
    expect(FLAG_NAMES.gpuEngine).toBe('--gpu-engine');
  });

  it('parses every number flag into its setting, wholes refusing fractions and rates taking exponents', () => {
    const { config } = parseCli(
      [
        '--epochs',
        '2',
        '--batch-size',
        '8',
        '--lr',
        '1e-2',
        '--momentum',
        '0.5',
        '--seed',
        '3',
        '--limit',
        '100',
        '--test-limit',
        '50',
      ],
      '/tmp',
    );
    expect(config).toEqual({
      device: 'cpu',
      epochs: 2,
      batchSize: 8,
      lr: 0.01,
      momentum: 0.5,
      seed: 3,
      limit: 100,
      testLimit: 50,
    });
    expect(() => parseCli(['--test-limit', '1e2'], '/tmp')).toThrow('--test-limit needs a whole number, got "1e2"');
  });
});
