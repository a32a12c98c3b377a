import { describe, expect, it } from 'vitest';
import { IpcValidationError, validateArg } from '../../electron/shared/validate';

const ID = '20250102-030405678-cpu-1a2b3c';

function rejects(channel: Parameters<typeof validateArg>[0], arg: unknown, message: RegExp): void {
  expect(() => validateArg(channel, arg)).toThrow(IpcValidationError);
  expect(() => validateArg(channel, arg)).toThrow(message);
}

describe('model channels', () => {
  it('model:predict takes a run id and exactly 784 numbers in [-1, 1], and returns a copy', () => {
    const pixels = Array.from({ length: 784 }, (_, i) => (i % 3) - 1);
    const out = validateArg('model:predict', { id: ID, pixels });
    expect(out).toEqual({ id: ID, pixels });
    expect(out.pixels).not.toBe(pixels);
    rejects(
      'model:predict',
      { id: ID, pixels: pixels.slice(1) },
      /pixels must be an array of 784 numbers, got 783 values/,
    );
    rejects(
      'model:predict',
      { id: ID, pixels: 'x'.repeat(10_000) },
      /pixels must be an array of 784 numbers, got "x{40}"\.\.\. \(10,000 characters\)/,
    );
    for (const [bad, shown] of [
      [1.5, '1.5'],
      [Number.NaN, 'NaN'],
      ['0', '"0"'],
      [null, 'null'],
      [-Infinity, '-Infinity'],
    ] as const) {
      const arg = { id: ID, pixels: pixels.map((v, i) => (i === 400 ? bad : v)) };
      rejects(
        'model:predict',
        arg,
        new RegExp(
          `pixels\\[400\\] must be a number from -1 to 1, got ${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
        ),
      );
    }
    rejects('model:predict', { id: '../x', pixels }, /id must be a run id/);
    rejects('model:predict', { id: ID, pixels, extra: 1 }, /unknown key "extra"/);
  });

  it('model:test-images takes 1 to 64 distinct whole indices', () => {
    expect(validateArg('model:test-images', { id: ID, indices: [0, 9999, 17] })).toEqual({
      id: ID,
      indices: [0, 9999, 17],
    });
    rejects(
      'model:test-images',
      { id: ID, indices: [] },
      /indices must be an array of 1 to 64 test image numbers, got 0/,
    );
    rejects('model:test-images', { id: ID, indices: Array.from({ length: 65 }, (_, i) => i) }, /got 65/);
    rejects(
      'model:test-images',
      { id: ID, indices: [1, 2.5] },
      /indices\[1\] must be a whole number from 0 to 59999, got 2.5/,
    );
    rejects('model:test-images', { id: ID, indices: [-1] }, /indices\[0\] must be a whole number/);
    rejects('model:test-images', { id: ID, indices: [60_000] }, /indices\[0\] must be a whole number/);
    rejects('model:test-images', { id: ID, indices: [3, 3] }, /indices must not repeat/);
    rejects('model:test-images', { id: ID }, /indices must be an array/);
  });
});
