import { describe, expect, it } from 'vitest';
import { setLanguage } from '../../../../electron/shared/i18n';
import { ConfigError } from '../../../../electron/training/core/config';
import { FusedStep, largestBatch } from '../../../../electron/training/engines/webgpu/fused/fused-step';

/** A device with these limits that fails the test if the step gets as far as making a buffer. */
function deviceWith(bytes: number): GPUDevice {
  return {
    limits: { maxBufferSize: bytes, maxStorageBufferBindingSize: bytes },
    createBuffer: () => {
      throw new Error('reached createBuffer');
    },
  } as unknown as GPUDevice;
}

describe("the fused step refuses a batch its GPU's buffers cannot hold, before making any", () => {
  it('knows the largest batch from the adapter limits: dz2 holds 25,600 bytes an image', () => {
    expect(largestBatch({ maxBufferSize: 128 * 2 ** 20, maxStorageBufferBindingSize: 128 * 2 ** 20 })).toBe(5242);
    expect(largestBatch({ maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 })).toBe(41943);
    // The smaller of the two limits decides.
    expect(largestBatch({ maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 128 * 2 ** 20 })).toBe(5242);
  });

  it('says so with the batch and the largest that fits, in the language the run speaks', () => {
    const options = { maxBatch: 5243, lr: 0.001, momentum: 0.9 };
    const make = () => new FusedStep(deviceWith(128 * 2 ** 20), options);
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(
      "batch size 5243 is more than this GPU's buffers hold for Athanor's fused step: use 5242 or less, or tfjs's kernels (--gpu-step tfjs)",
    );
    setLanguage('zh-CN');
    try {
      expect(make).toThrow(
        '批大小 5243 超出了这块 GPU 的缓冲区为 Athanor 融合训练步所能容纳的上限：请用 5242 或更小的值',
      );
    } finally {
      setLanguage('en');
    }
    // One that fits goes on to make its buffers (GPUBufferUsage is Dawn's global, absent here: stood in for).
    const globals = globalThis as { GPUBufferUsage?: unknown };
    globals.GPUBufferUsage = { STORAGE: 0x80, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40 };
    try {
      expect(() => new FusedStep(deviceWith(128 * 2 ** 20), { ...options, maxBatch: 5242 })).toThrow(
        'reached createBuffer',
      );
    } finally {
      delete globals.GPUBufferUsage;
    }
  });
});
