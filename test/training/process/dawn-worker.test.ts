/**
 * The training worker on WebGPU through Dawn, for real: the bundled worker, forked as the CLI forks it, trains on
 * Chromium's SwiftShader Vulkan driver. The environment that points Dawn at it is set for this file's process only
 * (vi.stubEnv), and the forked workers inherit it; the product never sets it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { validateConfig } from '../../../electron/training/core/config';
import { describeReason } from '../../../electron/shared/describe-reason';
import { startRun } from '../../../electron/training/process/run-worker';
import { forkWorker as forkSource } from '../../../electron/training/process/worker-transport';
import { probeEngine } from '../../../electron/training/process/probe-engine';
import { BUILT, ROOT } from '../cli/helpers';

const forkWorker = () => forkSource(BUILT.worker);
const CHROMIUM = '/usr/lib/chromium';
const run =
  (existsSync(join(CHROMIUM, 'vk_swiftshader_icd.json')) && existsSync(join(ROOT, 'node_modules/webgpu'))) ||
  process.env.CI === 'true';
const SKIP_NOTE = run ? '' : ' (skipped: needs Chromium at /usr/lib/chromium and the webgpu package)';
const TESTING = { allowSoftwareAdapter: true };
const SWIFTSHADER = { vendor: 'google', name: 'SwiftShader driver 5.0.0', api: 'Vulkan', software: true };

describe.runIf(run)(`training worker on WebGPU through Dawn${SKIP_NOTE}`, () => {
  beforeAll(() => {
    vi.stubEnv('VK_ICD_FILENAMES', join(CHROMIUM, 'vk_swiftshader_icd.json'));
    vi.stubEnv('LD_LIBRARY_PATH', CHROMIUM);
  });
  afterAll(() => vi.unstubAllEnvs());

  it('trains on the adapter it names, and sends back weights', async () => {
    const config = validateConfig({
      device: 'gpu',
      gpuEngine: 'webgpu',
      epochs: 1,
      batchSize: 8,
      limit: 16,
      testLimit: 16,
    });
    const { result, model } = await startRun(forkWorker, config, {}, TESTING).outcome;
    expect(result.status).toBe('done');
    expect(result.engine).toMatchObject({
      engine: 'webgpu',
      device: 'gpu',
      backend: 'webgpu',
      version: '4.22.0',
      features: 'Dawn in Node, webgpu 0.6.2',
      adapter: SWIFTSHADER,
    });
    expect(result.engine.fallbackReason).toBeUndefined();
    expect(result.engine.step).toBe('fused'); // the WebGPU engine's default
    expect(result.finalLoss).toBeGreaterThan(1.5); // two batches of a fresh network: about ln 10
    expect(result.finalLoss).toBeLessThan(3);
    expect(result.evaluation!.count).toBe(16);
    expect(model!.weights[0].data).toBeInstanceOf(Float32Array);
    expect(model!.weights[0].data.length).toBe(288);
  }, 180_000);

  it('probes WebGPU by name: the software adapter only with the testing option; "gpu" alone is still CUDA', async () => {
    const target = { device: 'gpu', gpuEngine: 'webgpu' } as const;
    const allowed = await probeEngine(forkWorker, target, TESTING);
    expect(allowed).toMatchObject({ ok: true, engine: { engine: 'webgpu', adapter: SWIFTSHADER } });
    const refused = await probeEngine(forkWorker, target);
    expect(refused.ok).toBe(false);
    expect(refused.reason).toEqual({ code: 'software-adapter', api: 'WebGPU', adapter: 'SwiftShader driver 5.0.0' });
    // The app's Devices panel asks for 'gpu' to fill its CUDA row: that never answers with Dawn.
    const cuda = await probeEngine(forkWorker, 'gpu', TESTING);
    expect(cuda.ok).toBe(false);
    expect(describeReason(cuda.reason!)).toMatch(/^@tensorflow\/tfjs-node-gpu /);
  }, 120_000);
});
