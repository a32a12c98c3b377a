import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../electron/training/core/config';
import { describeReason } from '../../../electron/shared/describe-reason';
import {
  checkBatchFits,
  outOfMemoryReason,
  isOutOfMemory,
  maxBatchSizeFor,
} from '../../../electron/training/core/limits';

const wasm = { engine: 'wasm' } as const;
const native = { engine: 'tfjs-node' } as const;

describe('engine limits', () => {
  it('knows the wasm engine holds batches up to 3584 (measured), and no limit for engines not measured', () => {
    expect(maxBatchSizeFor(wasm)).toBe(3584);
    expect(maxBatchSizeFor(native)).toBeUndefined();
  });

  it('refuses before training a batch the engine cannot hold, with the largest that fits', () => {
    expect(() => checkBatchFits(8192, wasm)).toThrow(ConfigError);
    expect(() => checkBatchFits(8192, wasm)).toThrow(
      'batch size 8192 is more than the wasm engine can hold: use 3584 or less',
    );
    expect(() => checkBatchFits(4096, wasm)).toThrow(/use 3584 or less/);
    expect(() => checkBatchFits(3584, wasm)).not.toThrow();
    expect(() => checkBatchFits(60000, native)).not.toThrow();
  });

  it("recognises each engine's out-of-memory words", () => {
    for (const text of [
      'memory access out of bounds',
      'Aborted(). Build with -sASSERTIONS for more info.',
      'Aborted(OOM)',
      'Cannot enlarge memory arrays',
      'Array buffer allocation failed',
      'OOM when allocating tensor with shape[8192,26,26,32]',
      'ResourceExhaustedError: OOM',
      'WebGL: GL_OUT_OF_MEMORY',
      'Out of memory',
    ]) {
      expect(isOutOfMemory(new Error(text)), text).toBe(true);
    }
    expect(isOutOfMemory(new RangeError('Array buffer allocation failed'))).toBe(true);
    for (const text of ['dataset not found', 'Room for improvement', 'boom'])
      expect(isOutOfMemory(new Error(text)), text).toBe(false);
  });

  it('names an out-of-memory mid-run as such, with what to lower', () => {
    const wasmOom = outOfMemoryReason(new Error('memory access out of bounds'), 8192, wasm);
    expect(wasmOom).toEqual({
      code: 'out-of-memory',
      engine: 'wasm',
      batch: 8192,
      max: 3584,
      detail: 'memory access out of bounds',
    });
    expect(describeReason(wasmOom)).toBe(
      'the wasm engine ran out of memory at a batch of 8192 images ("memory access out of bounds"): use a batch size of 3584 or less',
    );
    const nativeOom = outOfMemoryReason(new Error('OOM when allocating tensor\n  at a\n  at b'), 30000, native);
    expect(nativeOom).toEqual({
      code: 'out-of-memory',
      engine: 'tfjs-node',
      batch: 30000,
      detail: 'OOM when allocating tensor',
    });
    expect(describeReason(nativeOom)).toBe(
      'the tfjs-node engine ran out of memory at a batch of 30000 images ("OOM when allocating tensor"): lower the batch size (now 30000)',
    );
  });
});
