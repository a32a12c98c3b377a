import { describe, expect, it } from 'vitest';
import { createHandlers, type Services } from '../../electron/services/handlers';
import { IpcValidationError, validateArg } from '../../electron/shared/validate';
import { MAX_SWEEP_SIZES } from '../../electron/shared/schema/sweep';

const GOOD = { batchSizes: [16, 64, 256], timedSteps: 5, warmupSteps: 2, devices: ['cpu', 'gpu'] };

function refusal(channel: 'sweep:start' | 'sweep:cancel' | 'sweep:list', arg: unknown): string {
  try {
    validateArg(channel, arg);
  } catch (err) {
    expect(err).toBeInstanceOf(IpcValidationError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('the sweep channels check what the renderer sends', () => {
  it('sweep:start takes sizes, steps, warm-up, the devices and an optional GPU engine', () => {
    expect(validateArg('sweep:start', GOOD)).toEqual(GOOD);
    expect(validateArg('sweep:start', { ...GOOD, devices: ['gpu'], gpuEngine: 'webgl' })).toEqual({
      ...GOOD,
      devices: ['gpu'],
      gpuEngine: 'webgl',
    });
  });

  it('refuses bad batch sizes, too many, repeats, wrong types and unknown keys, each in words', () => {
    const start = (over: object) => refusal('sweep:start', { ...GOOD, ...over });
    expect(start({ batchSizes: [16, 0] })).toBe(
      'invalid argument for "sweep:start": batchSizes[1] must be a whole number from 1 to 60000, got 0',
    );
    expect(start({ batchSizes: [16, 2.5] })).toMatch(
      /batchSizes\[1\] must be a whole number from 1 to 60000, got 2.5$/,
    );
    expect(start({ batchSizes: [100_000] })).toMatch(/batchSizes\[0\] must be a whole number from 1 to 60000/);
    expect(start({ batchSizes: [] })).toMatch(/batchSizes must name at least one batch size$/);
    const many = Array.from({ length: MAX_SWEEP_SIZES + 1 }, (_, i) => i + 1);
    expect(start({ batchSizes: many })).toMatch(/batchSizes must name at most 16 batch sizes$/);
    expect(start({ batchSizes: [64, 64] })).toMatch(/batchSizes must not repeat a batch size$/);
    expect(start({ batchSizes: '16,64' })).toMatch(/batchSizes must be a list, got "16,64"$/);
    expect(start({ timedSteps: 0 })).toMatch(/timedSteps must be a whole number from 1 to 100, got 0$/);
    expect(start({ warmupSteps: -1 })).toMatch(/warmupSteps must be a whole number from 0 to 100, got -1$/);
    expect(start({ devices: [] })).toMatch(/devices must name the CPU, the GPU or both$/);
    expect(start({ devices: ['cpu', 'cpu'] })).toMatch(/devices must not repeat a device$/);
    expect(start({ devices: ['tpu'] })).toMatch(/devices\[0\] must be one of "cpu", "gpu", got "tpu"$/);
    expect(start({ gpuEngine: 'metal' })).toMatch(/gpuEngine must be one of "auto", "cuda", "webgpu", "webgl"/);
    expect(start({ shell: 'rm -rf /' })).toMatch(/unknown key "shell"$/);
    expect(refusal('sweep:start', null)).toBe('invalid argument for "sweep:start": expects an object, got null');
  });

  it('sweep:cancel takes a sweep id; sweep:list nothing', () => {
    const id = '20261203-120000000-sweep-0a0b0c';
    expect(validateArg('sweep:cancel', { id })).toEqual({ id });
    expect(refusal('sweep:cancel', { id: '20261203-120000000-cpu-0a0b0c' })).toMatch(
      /id must be a sweep id like "20250102-030405678-sweep-1a2b3c", got "20261203-120000000-cpu-0a0b0c"$/,
    );
    expect(validateArg('sweep:list', undefined)).toBeUndefined();
    expect(refusal('sweep:list', { all: true })).toMatch(/expects no argument/);
  });

  it('the handler checks before it starts anything', async () => {
    const started: unknown[] = [];
    const handlers = createHandlers({
      sweeps: {
        manager: {
          start: (r: unknown) => (started.push(r), { started: true, id: 'x' }),
          cancel: () => ({ cancelled: false }),
        },
        store: { list: () => ({ sweeps: [], notice: null }) },
      },
    } as unknown as Services);
    await expect(handlers['sweep:start']({ ...GOOD, batchSizes: [-4] })).rejects.toThrow(
      /batchSizes\[0\] must be a whole number from 1 to 60000, got -4/,
    );
    expect(started).toEqual([]);
    await expect(handlers['sweep:start'](GOOD)).resolves.toEqual({ started: true, id: 'x' });
    expect(started).toEqual([GOOD]);
    await expect(handlers['sweep:list'](undefined)).resolves.toEqual({ sweeps: [], notice: null });
  });
});
