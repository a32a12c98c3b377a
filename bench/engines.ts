/**
 * `npm run bench:engines`: ms per batch of 64 for every engine this machine has, in one run, each with its device
 * or adapter, and each GPU engine's speed-up over the CPU engine. CPU (native tfjs-node, else the wasm fallback) and
 * CUDA (tfjs-node-gpu, where it loads) train in worker processes as in the app; WebGPU and WebGL in the GPU page in
 * Chromium (headless works on a Linux GPU machine with the flags below). Each figure is the training loop's own
 * clock (warm-up batch excluded) over a short real run, as the app times runs.
 *
 * Without a GPU, Chromium offers only its software adapter (SwiftShader): the GPU engines then run on it, labelled
 * "software", and their figures say nothing about a GPU. Options: --batches N (CPU and CUDA, default 50),
 * --gpu-batches N (WebGPU/WebGL, default 50, or 3 on a software adapter), --chromium PATH (or CHROMIUM_PATH).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REFERENCE_CONFIG, type TrainConfig } from '../electron/training/core/config';
import { withPageData } from '../electron/training/process/page-run';
import type { EngineInfo, RunResult, WorkerOptions } from '../electron/training/process/protocol';
import { forkWorker, probeEngine, startRun, type SpawnWorker } from '../electron/training/process/run-worker';
import { adapterLabel } from '../electron/shared/adapter-label';
import { describeReason } from '../electron/shared/describe-reason';
import { engineLabel } from '../renderer/src/lib/format';
import { CHROMIUM as DEFAULT_CHROMIUM } from '../test/e2e/harness/browser';
import { bundleForBrowser, GPU_CHROMIUM_ARGS } from '../test/e2e/harness/gpu-chromium';
import { spawnGpuPage } from '../test/e2e/harness/gpu-page';
import { serveFolder } from '../test/e2e/harness/serve';

const arg = (name: string) => process.argv.find((_, i) => process.argv[i - 1] === name);
const BATCHES = Number(arg('--batches') ?? 50);
const CHROMIUM = arg('--chromium') ?? DEFAULT_CHROMIUM;
/**
 * Two launches, each engine timed on the first where it starts on a hardware adapter (else where it starts at all):
 * first what a headless Linux GPU machine needs (Vulkan for Dawn as the app's gpu-switches.ts turns on, ANGLE on
 * Vulkan so WebGL leaves SwiftShader, the blocklist ignored), then Chromium's defaults, under which WebGL runs on
 * SwiftShader when the first set finds no GPU.
 */
const FLAG_SETS = [
  [
    ...GPU_CHROMIUM_ARGS,
    '--enable-features=Vulkan',
    '--use-angle=vulkan',
    '--ignore-gpu-blocklist',
    '--disable-vulkan-surface',
  ],
  GPU_CHROMIUM_ARGS,
];

interface Row {
  engine: EngineInfo;
  msPerBatch: number;
  batches: number;
}

/** The app's name for the engine (format.ts), then where it ran: the adapter, or the CPU with its threads. */
function label(engine: EngineInfo): string {
  const where = engine.adapter
    ? adapterLabel(engine.adapter)
    : engine.device === 'cpu'
      ? `CPU${engine.features ? `, ${engine.features}` : ''}`
      : 'NVIDIA GPU';
  return `${engineLabel({ ...engine, adapter: undefined })} on ${where}`;
}

async function timeRun(spawn: SpawnWorker, config: TrainConfig, options: WorkerOptions = {}): Promise<Row> {
  const { result } = (await startRun(spawn, config, {}, options).outcome) as { result: RunResult };
  const batches = result.batchesPerEpoch * result.epochs.length - 1;
  return { engine: result.engine, msPerBatch: result.timings.trainingMs / batches, batches };
}

const config = (device: 'cpu' | 'gpu', batches: number, gpuEngine?: TrainConfig['gpuEngine']): TrainConfig => ({
  ...REFERENCE_CONFIG,
  device,
  gpuEngine,
  epochs: 1,
  batchSize: 64,
  lr: 0.001,
  momentum: 0.9,
  seed: 42,
  limit: (batches + 1) * 64,
  testLimit: 1,
});

async function main(): Promise<void> {
  const rows: Row[] = [];
  const skipped: string[] = [];
  rows.push(await timeRun(() => forkWorker(), config('cpu', BATCHES)));
  const cuda = await probeEngine(() => forkWorker(), 'gpu');
  if (cuda.ok) rows.push(await timeRun(() => forkWorker(), config('gpu', BATCHES, 'cuda')));
  else skipped.push(`CUDA: ${cuda.reason ? describeReason(cuda.reason) : 'no answer'}`);

  const dir = mkdtempSync(join(tmpdir(), 'athanor-bench-'));
  let server: Awaited<ReturnType<typeof serveFolder>> | null = null;
  try {
    // The GPU page as one script (esbuild; vite does not run under tsx): gpu.html with its module entry inlined.
    writeFileSync(join(dir, 'gpu.js'), await bundleForBrowser(join(__dirname, '../renderer/gpu/main.ts')));
    writeFileSync(
      join(dir, 'gpu.html'),
      readFileSync(join(__dirname, '../renderer/gpu.html'), 'utf8').replace(
        '<script type="module" src="./gpu/main.ts"></script>',
        '<script src="./gpu.js"></script>',
      ),
    );
    server = await serveFolder(dir);
    const testing = { allowSoftwareAdapter: true };
    const pending = new Map<'webgpu' | 'webgl', string>([
      ['webgpu', 'not probed'],
      ['webgl', 'not probed'],
    ]);
    const best = new Map<'webgpu' | 'webgl', { flags: string[]; software: boolean }>();
    for (const flags of FLAG_SETS) {
      const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: flags });
      try {
        const probe = await probeEngine(() => withPageData(spawnGpuPage(browser, server!.url)), 'gpu', testing);
        for (const gpuEngine of ['webgpu', 'webgl'] as const) {
          const state = probe.browserEngines?.[gpuEngine];
          if (!state?.ok) {
            if (!best.has(gpuEngine))
              pending.set(
                gpuEngine,
                describeReason(state?.reason ?? probe.reason ?? { code: 'error', message: 'no answer' }),
              );
            continue;
          }
          const software = state.engine.adapter?.software === true;
          if (!best.has(gpuEngine) || (best.get(gpuEngine)!.software && !software))
            best.set(gpuEngine, { flags, software });
        }
      } finally {
        await browser.close();
      }
    }
    for (const gpuEngine of ['webgpu', 'webgl'] as const) {
      const chosen = best.get(gpuEngine);
      if (!chosen) {
        skipped.push(`${gpuEngine}: ${pending.get(gpuEngine)}`);
        continue;
      }
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: chosen.flags });
      try {
        const batches = Number(arg('--gpu-batches') ?? (chosen.software ? 3 : BATCHES));
        rows.push(
          await timeRun(
            () => withPageData(spawnGpuPage(browser, server!.url)),
            config('gpu', batches, gpuEngine),
            testing,
          ),
        );
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const cpu = rows[0];
  console.log('ms per batch of 64 (training loop, warm-up excluded), one run:');
  for (const row of rows) {
    const r = cpu.msPerBatch / row.msPerBatch;
    const versus = r >= 1 ? `${r.toFixed(2)}x as fast as the CPU` : `${(1 / r).toFixed(1)}x slower than the CPU`;
    const ratio =
      row === cpu ? '' : `  ${versus}${row.engine.adapter?.software ? ' (software adapter: not a GPU figure)' : ''}`;
    console.log(
      `  ${row.msPerBatch.toFixed(1).padStart(9)} ms  ${label(row.engine)}  [${row.batches} batches]${ratio}`,
    );
  }
  for (const why of skipped) console.log(`  not run: ${why}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
