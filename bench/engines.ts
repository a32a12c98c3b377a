/**
 * `npm run bench:engines`: ms per batch of 64 for every engine this machine has, in one run, each with its device
 * or adapter, and each GPU engine's speed-up over the CPU engine. CPU (native tfjs-node, else the wasm fallback) and
 * CUDA (tfjs-node-gpu, where it loads) train in worker processes as in the app, and so does WebGPU through Dawn (as
 * the CLI trains on it); WebGPU and WebGL also in the GPU page in Chromium, as the app trains on them (headless works
 * on a Linux GPU machine with the flags in engines-chromium.ts). Each figure is the
 * training loop's own clock (warm-up batch excluded) over a short real run, as the app times runs.
 *
 * Without a GPU, Chromium offers only its software adapter (SwiftShader): the GPU engines then run on it, labelled
 * "software", and their figures say nothing about a GPU. Options: --batches N (CPU and CUDA, default 50),
 * --gpu-batches N (WebGPU/WebGL, default 50, or 3 on a software adapter), --chromium PATH (or CHROMIUM_PATH),
 * --data DIR (MNIST elsewhere than the bundled copy), --wasm-dir DIR (the wasm engine's .wasm files elsewhere than
 * its package: the GPU kit's copy), --kit (the GPU kit's run script says it: what the kit leaves out is said so).
 */
import { existsSync } from 'node:fs';
import { forkWorker } from '../electron/training/process/worker-transport';
import { probeEngine } from '../electron/training/process/probe-engine';
import type { WorkerOptions } from '../electron/training/process/protocol';
import { describeReason } from '../electron/shared/describe-reason';
import { label, runConfig, timeRun, type Row } from './engine-runs';

const arg = (name: string) => process.argv.find((_, i) => process.argv[i - 1] === name);
const BATCHES = Number(arg('--batches') ?? 50);
const GPU_BATCHES = arg('--gpu-batches');
const DATA = arg('--data');
const WASM_DIR = arg('--wasm-dir');
/** Run from the GPU kit (scripts/make-gpu-kit.mjs), which carries neither tfjs-node-gpu nor Chromium. */
const KIT = process.argv.includes('--kit');

/** The Chromium the tests use (test/e2e/harness/browser.ts), or the one asked for; null where there is none. */
async function chromiumPath(): Promise<string | null> {
  const asked = arg('--chromium') ?? process.env.CHROMIUM_PATH;
  if (asked) return asked;
  try {
    const { CHROMIUM } = await import('../test/e2e/harness/browser');
    return existsSync(CHROMIUM) ? CHROMIUM : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const skipped: string[] = [];
  const over = DATA ? { dataDir: DATA } : {};
  const cpuOptions: WorkerOptions = WASM_DIR ? { wasmDir: WASM_DIR } : {};
  rows.push(await timeRun(() => forkWorker(), runConfig('cpu', BATCHES, over), cpuOptions));
  if (KIT) {
    skipped.push('CUDA: not in the kit (tfjs-node-gpu and its libtensorflow are over a GB); a checkout times it');
  } else {
    const cuda = await probeEngine(() => forkWorker(), 'gpu');
    if (cuda.ok)
      rows.push(await timeRun(() => forkWorker(), runConfig('gpu', BATCHES, { ...over, gpuEngine: 'cuda' })));
    else skipped.push(`CUDA: ${cuda.reason ? describeReason(cuda.reason) : 'no answer'}`);
  }

  // WebGPU through Dawn in a worker, as the CLI trains on it (the kit's GPU figure; the app uses Chromium's instead).
  const testing: WorkerOptions = { allowSoftwareAdapter: true };
  const dawn = await probeEngine(() => forkWorker(), { device: 'gpu', gpuEngine: 'webgpu' }, testing);
  if (dawn.ok && dawn.engine) {
    const batches = Number(GPU_BATCHES ?? (dawn.engine.adapter?.software ? 3 : BATCHES));
    rows.push(
      await timeRun(() => forkWorker(), runConfig('gpu', batches, { ...over, gpuEngine: 'webgpu' }), {
        ...testing,
        ...cpuOptions,
      }),
    );
  } else {
    skipped.push(`WebGPU through Dawn: ${dawn.reason ? describeReason(dawn.reason) : 'no answer'}`);
  }

  const executable = KIT ? null : await chromiumPath();
  let chromiumEngines: typeof import('./engines-chromium') | null = null;
  if (executable) chromiumEngines = await import('./engines-chromium').catch(() => null);
  if (executable && chromiumEngines) {
    const timed = await chromiumEngines.timeChromiumEngines({
      executable,
      batches: Number(GPU_BATCHES ?? BATCHES),
      softwareBatches: Number(GPU_BATCHES ?? 3),
    });
    rows.push(...timed.rows);
    skipped.push(...timed.skipped);
  } else {
    skipped.push(
      `WebGPU and WebGL in Chromium: ${KIT ? 'not in the kit' : 'no Chromium here (or no playwright-core)'}`,
    );
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
