/**
 * WebGPU's own errors, as Dawn raised them here (webgpu 0.6.2 on SwiftShader), turned into reasons. Dawn itself is
 * not loaded: these are its error classes' names and its messages, copied from a real device's 'uncapturederror'.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../../electron/shared/describe-reason';
import { uncapturedReason } from '../../../electron/training/engines/webgpu/dawn';

class GPUValidationError {
  constructor(readonly message: string) {}
}
class GPUOutOfMemoryError {
  constructor(readonly message: string) {}
}

describe("WebGPU's uncaptured errors", () => {
  it("reads a buffer over the size limit (a batch too large for the GPU) as out of memory, with Dawn's first line", () => {
    const tooBig = new GPUValidationError(
      'Buffer size (1099511627776) exceeds the max buffer size limit (268435456).\nvalidation:\n' +
        'Buffer size (1099511627776) exceeds the max buffer size limit (268435456).\n' +
        ' - While calling [Device].CreateBuffer([BufferDescriptor ""]).',
    );
    const reason = uncapturedReason(tooBig);
    expect(reason).toEqual({
      code: 'webgpu-out-of-memory',
      detail: 'Buffer size (1099511627776) exceeds the max buffer size limit (268435456).',
    });
    expect(describeReason(reason)).toBe(
      'the GPU ran out of memory (Buffer size (1099511627776) exceeds the max buffer size limit (268435456).): ' +
        'lower the batch size',
    );
    expect(uncapturedReason(new GPUOutOfMemoryError('Allocation failed'))).toEqual({
      code: 'webgpu-out-of-memory',
      detail: 'Allocation failed',
    });
  });

  it('keeps any other error as one, so the run fails instead of training on invalid buffers', () => {
    expect(uncapturedReason(new GPUValidationError('Buffer usages must not be 0.\nvalidation:\n...'))).toEqual({
      code: 'webgpu-error',
      detail: 'Buffer usages must not be 0.',
    });
  });
});
