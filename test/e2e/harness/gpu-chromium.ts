import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { serveFolder } from './serve';

const ROOT = resolve(__dirname, '../../..');

/**
 * Flags that give a headless Chromium both a WebGPU adapter and WebGL 2. On a machine without a GPU (Chromium 156,
 * Debian 12) both land on SwiftShader, Chromium's CPU implementation of Vulkan: WebGPU through Dawn (adapter
 * vendor "google", architecture "swiftshader"), WebGL 2 through ANGLE on Vulkan, with float render targets.
 * `--enable-unsafe-webgpu` is the one flag that matters: without it `requestAdapter()` returns null on Linux.
 * `--use-webgpu-adapter=swiftshader`, `--use-angle=swiftshader`, `--enable-unsafe-swiftshader` and
 * `--enable-features=Vulkan` changed nothing here, and the first two would hide a real GPU, so they are left out.
 * Never `--disable-gpu` (test/e2e/harness/browser.ts has it): it takes WebGL and WebGPU away with the GPU process.
 */
export const GPU_CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--enable-unsafe-webgpu',
];

/** Debian's Chromium, headless, with WebGPU and WebGL 2 (both on SwiftShader where there is no GPU). */
export function launchGpuChromium(): Promise<Browser> {
  return launchChromium(GPU_CHROMIUM_ARGS);
}

/**
 * One browser script (iife, no imports left) from a TypeScript entry file, as the app's page would load it.
 * Throws esbuild's error when the entry does not build, for example when it imports a Node module.
 */
export async function bundleForBrowser(entryFile: string): Promise<string> {
  const out = await build({
    entryPoints: [entryFile],
    absWorkingDir: ROOT,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

export interface BundlePage {
  page: Page;
  /** The page's uncaught errors and console errors so far, for a test to assert there are none. */
  errors: string[];
  /** Closes the page and stops the server; the browser stays open. */
  close(): Promise<void>;
}

/**
 * A page on a blank HTML served from 127.0.0.1 (WebGPU needs a secure context; loopback http is one) with the
 * bundle loaded as a script, run before `openBundlePage` resolves.
 */
export async function openBundlePage(browser: Browser, bundle: string): Promise<BundlePage> {
  const dir = await mkdtemp(join(tmpdir(), 'athanor-gpu-page-'));
  await writeFile(
    join(dir, 'index.html'),
    [
      '<!doctype html><meta charset="utf-8"><title>gpu</title>',
      '<link rel="icon" href="data:,">', // else the favicon's 404 is a console error
      '<script src="bundle.js"></script>',
    ].join(''),
  );
  await writeFile(join(dir, 'bundle.js'), bundle);
  const server = await serveFolder(dir);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  await page.goto(server.url);
  return {
    page,
    errors,
    async close() {
      await page.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// `any`, not `unknown[]`: parameters are contravariant, so `(...args: unknown[])` would reject every typed method.
type Methods = Record<string, (...args: any[]) => unknown>;

/**
 * Calls into an object a bundle put on the page's global object (`globalThis[name]`), typed by the bundle's own
 * `typeof api`: `pageApi<typeof api>(page, 'gpuKernels')('run', ...args)`. Arguments and results cross as JSON-like
 * values (playwright's serialisation: no typed arrays).
 */
export function pageApi<T extends Methods>(page: Page, name: string) {
  return <K extends keyof T & string>(method: K, ...args: Parameters<T[K]>): Promise<Awaited<ReturnType<T[K]>>> =>
    page.evaluate(([n, m, a]) => (globalThis as unknown as Record<string, Methods>)[n][m](...a), [
      name,
      method,
      args,
    ] as const) as Promise<Awaited<ReturnType<T[K]>>>;
}
