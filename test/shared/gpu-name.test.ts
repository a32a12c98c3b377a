import { describe, expect, it } from 'vitest';
import { gpuName } from '../../electron/shared/adapter-label';

const radeon = { vendor: 'amd', name: 'AMD Radeon RX 6800', api: 'D3D12', software: false };
const swiftshader = { vendor: 'google', name: 'SwiftShader Device (Subzero)', api: 'Vulkan', software: true };
const h200 = { name: 'NVIDIA H200' };

describe("the GPU's name, worked out in one place", () => {
  it('names the adapter an engine trains on, even beside an NVIDIA GPU', () => {
    expect(gpuName({ gpus: [h200], adapters: [radeon] }, { adapter: radeon })).toBe('AMD Radeon RX 6800');
    // A run on a software adapter (the testing option) is on that adapter: its name is the truth.
    expect(gpuName({ gpus: [], adapters: [swiftshader] }, { adapter: swiftshader })).toBe(
      'SwiftShader Device (Subzero)',
    );
    expect(gpuName({ gpus: [] }, { adapter: { ...radeon, name: '', vendor: 'amd' } })).toBe('amd');
  });

  it("without an adapter: the first NVIDIA GPU (CUDA's), else the first hardware adapter, else none", () => {
    expect(gpuName({ gpus: [h200, { name: 'NVIDIA A100' }], adapters: [radeon] }, {})).toBe('NVIDIA H200');
    expect(gpuName({ gpus: [], adapters: [swiftshader, radeon] }, null)).toBe('AMD Radeon RX 6800');
    expect(gpuName({ gpus: [], adapters: [swiftshader] })).toBeNull();
    expect(gpuName({ gpus: [] })).toBeNull();
  });
});
