import { describe, expect, it } from 'vitest';
import { describeWebGlRenderer, describeWebGpuAdapter, webGpuApi } from '../../../electron/training/engines/adapter';
import { adapterLabel, adapterName } from '../../../electron/shared/adapter-label';

describe("WebGL's unmasked renderer, as Chromium's ANGLE reports it", () => {
  it.each([
    [
      'ANGLE (NVIDIA, NVIDIA GeForce RTX 4070 (0x00002786) Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'NVIDIA',
      'NVIDIA GeForce RTX 4070',
      'D3D11',
      false,
    ],
    ['ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)', 'Apple', 'Apple M2', 'Metal', false],
    [
      'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)',
      'Intel',
      'Mesa Intel(R) UHD Graphics 620 (KBL GT2)',
      'OpenGL',
      false,
    ],
    [
      'ANGLE (AMD, AMD Radeon RX 7900 XTX (radeonsi, navi31, LLVM 17.0.6, DRM 3.57, 6.8.0), OpenGL 4.6)',
      'AMD',
      'AMD Radeon RX 7900 XTX (radeonsi, navi31, LLVM 17.0.6, DRM 3.57, 6.8.0)',
      'OpenGL',
      false,
    ],
    [
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      'Google',
      'SwiftShader Device (Subzero)',
      'Vulkan',
      true,
    ],
    [
      'ANGLE (Mesa, llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5)',
      'Mesa',
      'llvmpipe (LLVM 15.0.6, 256 bits)',
      'OpenGL',
      true,
    ],
    [
      'ANGLE (Microsoft, Microsoft Basic Render Driver (0x0000008C) Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'Microsoft',
      'Microsoft Basic Render Driver',
      'D3D11',
      true,
    ],
  ])('%s', (renderer, vendor, name, api, software) => {
    expect(describeWebGlRenderer('Google Inc.', renderer)).toEqual({ vendor, name, api, software });
  });

  it('a renderer string without ANGLE is kept whole, on OpenGL', () => {
    expect(describeWebGlRenderer('NVIDIA Corporation', 'NVIDIA GeForce GTX 1080/PCIe/SSE2')).toEqual({
      vendor: 'NVIDIA Corporation',
      name: 'NVIDIA GeForce GTX 1080/PCIe/SSE2',
      api: 'OpenGL',
      software: false,
    });
  });
});

describe("WebGPU's adapter info", () => {
  it('takes the best name offered and marks isFallbackAdapter as software', () => {
    // What Chromium 156 reports here for its SwiftShader adapter (recorded with --enable-unsafe-webgpu).
    expect(
      describeWebGpuAdapter(
        { vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: true },
        'linux',
      ),
    ).toEqual({ vendor: 'google', name: 'SwiftShader', api: 'Vulkan', software: true });
    expect(
      describeWebGpuAdapter(
        { vendor: 'nvidia', architecture: 'lovelace', description: 'NVIDIA GeForce RTX 4070' },
        'win32',
      ),
    ).toEqual({ vendor: 'nvidia', name: 'NVIDIA GeForce RTX 4070', api: 'D3D12', software: false });
    expect(describeWebGpuAdapter({ vendor: 'apple', architecture: 'metal-3' }, 'darwin')).toEqual({
      vendor: 'apple',
      name: 'metal-3',
      api: 'Metal',
      software: false,
    });
    expect(describeWebGpuAdapter({ vendor: 'mesa', description: 'lavapipe' }, 'linux').software).toBe(true);
    expect(describeWebGpuAdapter({ vendor: 'intel' }, 'linux', true).software).toBe(true);
    expect(describeWebGpuAdapter({}, 'linux')).toMatchObject({ vendor: 'unknown vendor', name: 'unknown vendor' });
  });

  it("prefers the API Chromium reports (developer features) over the platform's default", () => {
    expect(webGpuApi({ backend: 'vulkan' }, 'win32')).toBe('Vulkan');
    expect(webGpuApi({ backend: 'd3d11' }, 'win32')).toBe('D3D11');
    expect(webGpuApi({}, 'linux')).toBe('Vulkan');
  });

  it('labels an adapter with its API, and a software one as testing only', () => {
    expect(adapterLabel({ vendor: 'amd', name: 'AMD Radeon RX 6800', api: 'Vulkan', software: false })).toBe(
      'AMD Radeon RX 6800 (Vulkan)',
    );
    expect(adapterLabel({ vendor: 'google', name: 'SwiftShader', api: 'Vulkan', software: true })).toBe(
      'SwiftShader (Vulkan), software GPU (testing only)',
    );
    // What a browser left out: the name falls back to the vendor, then to "unknown adapter"; no API, no brackets.
    expect(adapterLabel({ vendor: 'intel', name: '', api: '', software: false })).toBe('intel');
    expect(adapterLabel({ vendor: '', name: '', api: 'Metal', software: false })).toBe('unknown adapter (Metal)');
    expect(adapterName({ vendor: 'apple', name: '', api: 'Metal', software: false })).toBe('apple');
  });
});
