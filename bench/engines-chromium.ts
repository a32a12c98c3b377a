/**
 * The Chromium half of `npm run bench:engines`: WebGPU and WebGL in the app's GPU page, in headless Chromium. Its own
 * module, loaded only where it can run: the GPU kit (scripts/make-gpu-kit.mjs) carries neither Chromium nor
 * Playwright and times WebGPU through Dawn instead.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { withPageData } from '../electron/training/process/page-run';
import { probeEngine } from '../electron/training/process/probe-engine';
import { describeReason } from '../electron/shared/describe-reason';
import { bundleForBrowser, GPU_CHROMIUM_ARGS } from '../test/e2e/harness/gpu-chromium';
import { spawnGpuPage } from '../test/e2e/harness/gpu-page';
import { serveFolder } from '../test/e2e/harness/serve';
import { runConfig, timeRun, type Row } from './engine-runs';

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

export interface ChromiumOptions {
  /** The Chromium binary. */
  executable: string;
  /** Timed batches on a hardware adapter; `softwareBatches` on a software one. */
  batches: number;
  softwareBatches: number;
}

/** Times WebGPU and WebGL in the GPU page; `skipped` says why an engine was not timed. */
export async function timeChromiumEngines(options: ChromiumOptions): Promise<{ rows: Row[]; skipped: string[] }> {
  const rows: Row[] = [];
  const skipped: string[] = [];
  const CHROMIUM = options.executable;
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
        const batches = chosen.software ? options.softwareBatches : options.batches;
        rows.push(
          await timeRun(
            () => withPageData(spawnGpuPage(browser, server!.url)),
            runConfig('gpu', batches, { gpuEngine }),
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

  return { rows, skipped };
}
