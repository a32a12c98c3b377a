import { describe, expect, it } from 'vitest';
import { classifyGpuEngineError, type GpuSituation } from '../../electron/services/cuda-help';
import { gpuEngineHelp } from '../../electron/shared/install-advice';
import { nativeLoadReason } from '../../electron/training/engines';

describe('CUDA engine help for the Devices panel', () => {
  const situations: GpuSituation[] = [
    'engine-missing',
    'no-nvidia-gpu',
    'driver-too-old',
    'cuda-missing',
    'cudnn-missing',
    'no-gpu-visible',
  ];

  it('gives one distinct, actionable line per situation', () => {
    for (const platform of ['linux', 'win32'] as const) {
      const lines = situations.map((s) => gpuEngineHelp(s, { platform, packaged: true }));
      expect(new Set(lines).size).toBe(situations.length);
      for (const line of lines) expect(line).toMatch(/^\S[^\n]+\.$/);
    }
    expect(gpuEngineHelp('cuda-missing', { platform: 'linux', packaged: true })).toMatch(
      /libcudart\.so\.11\.0.*CUDA 11\.2/,
    );
    expect(gpuEngineHelp('cuda-missing', { platform: 'win32', packaged: true })).toMatch(/cudart64_110\.dll.*PATH/);
    expect(gpuEngineHelp('cudnn-missing', { platform: 'linux', packaged: false })).toMatch(
      /libcudnn\.so\.8.*cuDNN 8\.1/,
    );
  });

  it('tells an installed app apart from a development checkout when the engine is missing', () => {
    expect(gpuEngineHelp('engine-missing', { platform: 'linux', packaged: false })).toMatch(
      /npm install --save-optional --save-exact @tensorflow\/tfjs-node-gpu@4\.22\.0"/,
    );
    expect(gpuEngineHelp('engine-missing', { platform: 'win32', packaged: true })).not.toMatch(/npm/);
  });

  it('says GPU training is not available on macOS or on ARM, whatever else is wrong', () => {
    for (const situation of situations) {
      expect(gpuEngineHelp(situation, { platform: 'darwin', packaged: true })).toMatch(/macOS/);
      expect(gpuEngineHelp(situation, { platform: 'linux', packaged: true, arch: 'arm64' })).toMatch(/x86/);
    }
  });

  it("classifies the engine's own load errors", () => {
    const pkg = '@tensorflow/tfjs-node-gpu';
    const error = (message: string, code?: string) =>
      nativeLoadReason(pkg, Object.assign(new Error(message), { code }));
    expect(classifyGpuEngineError(error(`Cannot find module '${pkg}'`, 'MODULE_NOT_FOUND'))).toBe('engine-missing');
    expect(
      classifyGpuEngineError(error('libcudart.so.11.0: cannot open shared object file: No such file or directory')),
    ).toBe('cuda-missing');
    expect(
      classifyGpuEngineError(error('libcudnn.so.8: cannot open shared object file: No such file or directory')),
    ).toBe('cudnn-missing');
    expect(classifyGpuEngineError(error('cublas64_11.dll could not be found'))).toBe('cuda-missing');
    expect(classifyGpuEngineError({ code: 'cuda-no-gpu' })).toBe('no-gpu-visible');
    expect(classifyGpuEngineError(error('CUDA driver version is insufficient for CUDA runtime version'))).toBe(
      'driver-too-old',
    );
    expect(classifyGpuEngineError(error('The specified module could not be found.'))).toBe('no-gpu-visible');
  });
});
