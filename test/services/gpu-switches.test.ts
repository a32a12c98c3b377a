import { describe, expect, it } from 'vitest';
import { webGpuSwitches } from '../../electron/services/gpu-switches';
import { describeReason } from '../../electron/shared/describe-reason';

describe('Chromium switches for WebGPU', () => {
  it('adds nothing on Windows and macOS, where WebGPU ships on', () => {
    expect(webGpuSwitches('win32', {})).toEqual({ switches: [], note: null });
    expect(webGpuSwitches('darwin', {})).toEqual({ switches: [], note: null });
  });

  it('on Linux turns on WebGPU and Vulkan but keeps Vulkan out of window presentation', () => {
    expect(webGpuSwitches('linux', {}).switches).toEqual([
      ['enable-unsafe-webgpu'],
      ['enable-features', 'Vulkan'],
      ['disable-vulkan-surface'],
    ]);
  });

  it('ATHANOR_WEBGPU_VULKAN=0 leaves a misbehaving Linux desktop alone, and says WebGL will be used', () => {
    const off = webGpuSwitches('linux', { ATHANOR_WEBGPU_VULKAN: '0' });
    expect(off).toEqual({ switches: [], note: { code: 'webgpu-off-linux' } });
    expect(describeReason(off.note!)).toBe(
      'WebGPU is off on this Linux desktop (ATHANOR_WEBGPU_VULKAN=0); WebGL will be used',
    );
  });
});
