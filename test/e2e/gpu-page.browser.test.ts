/**
 * The GPU engines in the GPU page, in Chromium on its software adapter (SwiftShader: this machine has no GPU). The
 * testing option lets the page train on it; without it the adapter is refused. Each run is a few steps: SwiftShader
 * takes seconds a step.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeReason } from '../../electron/shared/describe-reason';
import { loadMnist } from '../../electron/training/core/dataset';
import { initWasm } from '../../electron/training/engines/wasm';
import { exportWeights } from '../../electron/training/export';
import { withPageData } from '../../electron/training/process/page-run';
import type { RunResult, TrainedModel, WorkerOptions } from '../../electron/training/process/protocol';
import { RunFailure, startRun, type RunCallbacks } from '../../electron/training/process/run-worker';
import { train } from '../../electron/training/core/train';
import { REFERENCE_CONFIG, type TrainConfig } from '../../electron/training/core/config';
import { relativeError } from '../training/engines/numeric';
import { buildRenderer } from './harness/build-renderer';
import { launchGpuChromium } from './harness/gpu-chromium';
import { openGpuPage, type GpuPageTransport } from './harness/gpu-page';
import { serveFolder } from './harness/serve';

const TESTING: WorkerOptions = { allowSoftwareAdapter: true };
const CONFIG: TrainConfig = {
  ...REFERENCE_CONFIG,
  device: 'gpu',
  gpuEngine: 'webgpu',
  epochs: 1,
  batchSize: 64,
  lr: 0.1,
  momentum: 0.9,
  seed: 7,
  limit: 256,
  testLimit: 100,
};

let browser: Browser;
let server: { url: string; close: () => Promise<void> };
const outDir = mkdtempSync(join(tmpdir(), 'athanor-gpu-page-'));
const pages: GpuPageTransport[] = [];

beforeAll(async () => {
  await buildRenderer(outDir);
  server = await serveFolder(outDir);
  browser = await launchGpuChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(outDir, { recursive: true, force: true });
});

async function page(): Promise<GpuPageTransport> {
  const p = await openGpuPage(browser, server.url);
  pages.push(p);
  return p;
}

async function runOnPage(config: TrainConfig, options: WorkerOptions, callbacks: RunCallbacks = {}) {
  const transport = await page();
  const handle = startRun(() => withPageData(transport), config, callbacks, options);
  return { transport, handle };
}

/**
 * The same run on the CPU in this process, the reference the GPU runs must match: on the wasm engine, whose
 * gradients equal tfjs's CPU backend's, each within 1e-4 of its tensor's largest value on real MNIST (test/training/engines/wasm/conv-filter-grad.test.ts), and which takes milliseconds a step
 * where the CPU backend takes seconds.
 */
async function runOnCpu(config: TrainConfig): Promise<{ result: RunResult; model: TrainedModel | null }> {
  const engine = await initWasm();
  const data = await loadMnist({ limit: config.limit, testLimit: config.testLimit });
  return train({ config: { ...config, device: 'cpu' }, data, engine });
}

describe.each(['webgpu', 'webgl'] as const)(
  '%s in the GPU page on the software adapter (testing option)',
  (gpuEngine) => {
    const config = { ...CONFIG, gpuEngine };
    let gpu: { result: RunResult; model: TrainedModel | null };
    let cpu: { result: RunResult; model: TrainedModel | null };
    const losses: number[] = [];

    beforeAll(async () => {
      const { handle } = await runOnPage(config, TESTING, {
        onProgress: (p) => {
          losses.push(p.loss);
          if (process.env.ATHANOR_VERBOSE) console.log(gpuEngine, p.step, p.loss, p.elapsedMs);
        },
      });
      gpu = await handle.outcome;
      cpu = await runOnCpu(config);
    }, 300_000);

    it('names the engine, the API and the software adapter', () => {
      expect(gpu.result.status).toBe('done');
      expect(gpu.result.engine).toMatchObject({
        engine: gpuEngine,
        device: 'gpu',
        backend: gpuEngine,
        version: '4.22.0',
      });
      expect(gpu.result.engine.adapter).toMatchObject({ software: true, api: 'Vulkan' });
      expect(gpu.result.engine.adapter?.name).toMatch(/SwiftShader/);
    });

    it('trains what the CPU backend trains: the same losses and weights, to float32 tolerance', () => {
      expect(gpu.result.finalLoss).not.toBeNull();
      expect(Math.abs(gpu.result.finalLoss! - cpu.result.finalLoss!)).toBeLessThan(2e-3);
      expect(gpu.model!.weights.map((w) => w.name)).toEqual(cpu.model!.weights.map((w) => w.name));
      gpu.model!.weights.forEach((w, i) =>
        expect(relativeError(w.data, cpu.model!.weights[i].data), w.name).toBeLessThan(1e-3),
      );
      expect(gpu.result.evaluation!.confusion).toEqual(cpu.result.evaluation!.confusion);
    });

    it('lowers the loss in four steps on real images', () => {
      // Untrained, PyTorch's init gives near-uniform logits: every batch's loss is ln 10 = 2.3026 within ~0.005. Four
      // steps at lr 0.1 take it about 0.02 lower (2.283 here, the CPU's figure too): 0.015 is learning, not noise.
      expect(losses.length).toBeGreaterThanOrEqual(2);
      expect(losses[0]).toBeCloseTo(Math.log(10), 2);
      expect(gpu.result.finalLoss!).toBeLessThan(losses[0] - 0.015);
    });

    it("exports a .pth that PyTorch's reference Net loads and that predicts what the engine predicted", async () => {
      const python = ['/usr/bin/python3', 'python3'].find(
        (p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0,
      );
      if (!python && process.env.CI === 'true') throw new Error('CI needs python3-torch');
      if (!python) return console.warn('skipped: no Python with torch');
      const dir = mkdtempSync(join(tmpdir(), 'athanor-gpu-pth-'));
      try {
        const file = join(dir, 'mnist_cnn.pth');
        await exportWeights(file, gpu.model!);
        const images = join(
          await (await import('../../electron/training/core/dataset')).bundledMnistDir(),
          't10k-images-idx3-ubyte',
        );
        const run = spawnSync(
          python,
          [join(__dirname, '../training/export/load_reference.py'), 'pth', file, images, '100'],
          { encoding: 'utf8' },
        );
        expect(run.status, run.stderr).toBe(0);
        const preds = (JSON.parse(run.stdout) as { preds: number[] }).preds;
        const data = await loadMnist({ limit: 1, testLimit: 100 });
        const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
        preds.forEach((p, i) => confusion[data.test.labels[i]][p]++);
        expect(confusion).toEqual(gpu.result.evaluation!.confusion);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);

describe('the GPU page refuses and fails cleanly', () => {
  it.each(['webgpu', 'webgl', 'auto'] as const)(
    '%s: without the testing option a software adapter is refused, with the reason',
    async (gpuEngine) => {
      const { handle } = await runOnPage({ ...CONFIG, gpuEngine }, {});
      const err = await handle.outcome.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RunFailure);
      expect((err as RunFailure).kind).toBe('engine-unavailable');
      expect((err as RunFailure).message).toMatch(/SwiftShader.*software renderer.*not a GPU/);
      if (gpuEngine === 'auto')
        expect((err as RunFailure).message).toMatch(/^neither WebGPU nor WebGL can train here: WebGPU.*; WebGL/s);
    },
  );

  it('a probe reports both engines, their adapters, and why each is refused', async () => {
    const { probeEngine } = await import('../../electron/training/process/probe-engine');
    const transport = await page();
    const transport2 = await page();
    const probe = await probeEngine(() => transport, 'gpu');
    expect(probe.ok).toBe(false);
    expect(probe.browserEngines?.webgpu).toMatchObject({ ok: false, adapter: { software: true, api: 'Vulkan' } });
    expect(probe.browserEngines?.webgl).toMatchObject({ ok: false, adapter: { software: true } });
    expect(probe.reason && describeReason(probe.reason)).toMatch(/software renderer/);
    expect(probe.browserEngines?.webgpu).toMatchObject({ reason: { code: 'software-adapter', api: 'WebGPU' } });
    const allowed = await probeEngine(() => transport2, 'gpu', TESTING);
    expect(allowed.ok).toBe(true);
    expect(allowed.engine).toMatchObject({ engine: 'webgpu', adapter: { software: true } });
    expect(allowed.browserEngines?.webgl).toMatchObject({ ok: true, engine: { engine: 'webgl' } });
  });

  it('cancel stops the run at a batch boundary, long before its end', async () => {
    let handleRef: { cancel(): void } | null = null;
    let cancelledAt = 0;
    // 50 batches: how many run while the cancel crosses to the page depends on the machine's load (9 were seen with
    // both cores busy), so the test asks only that it stops after the report that asked and far before the end.
    // Batches of 16: the count is what matters, and a software GPU's time grows with the images in a batch.
    const { handle } = await runOnPage({ ...CONFIG, gpuEngine: 'webgl', batchSize: 16, limit: 800 }, TESTING, {
      onProgress: (p) => {
        if (!cancelledAt) {
          cancelledAt = p.step;
          handleRef?.cancel();
        }
      },
    });
    handleRef = handle;
    const { result } = await handle.outcome;
    expect(result.status).toBe('cancelled');
    expect(result.reason).toMatchObject({ code: 'run-cancelled', totalSteps: 50 });
    expect(describeReason(result.reason!)).toMatch(/^cancelled after \d+ of 50 batches$/);
    const stoppedAfter = result.reason?.code === 'run-cancelled' ? result.reason.step : NaN;
    expect(stoppedAfter).toBeGreaterThanOrEqual(cancelledAt);
    expect(stoppedAfter).toBeLessThan(50);
  });

  it('a page that crashes mid-run fails the run with the reason', async () => {
    let transportRef: GpuPageTransport | null = null;
    let crashed = false;
    const { transport, handle } = await runOnPage(
      { ...CONFIG, gpuEngine: 'webgl', batchSize: 16, limit: 160 },
      TESTING,
      {
        onProgress: () => {
          if (!crashed) {
            crashed = true;
            void transportRef?.crash();
          }
        },
      },
    );
    transportRef = transport;
    const err = await handle.outcome.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunFailure);
    expect((err as RunFailure).kind).toBe('worker-crashed');
    expect((err as RunFailure).reason).toEqual({ code: 'page-crashed', why: 'crashed' });
    expect((err as RunFailure).message).toMatch(/GPU page's process ended \(crashed\)/);
  });
});
