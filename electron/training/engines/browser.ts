/**
 * The one place that picks an engine in the GPU page: WebGPU or WebGL as asked, and for 'auto' WebGPU, else WebGL
 * with the reason WebGPU could not run. The CUDA engine never runs here (it is a Node addon: a utility process).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GpuEngineChoice } from '../core/config';
import type { BrowserEngineProbe, EngineInfo, EngineState, GpuAdapter } from '../../shared/schema/engine';
import { reasonOf, type Reason } from '../../shared/reasons';
import { EngineUnavailableError } from './errors';
import type { BrowserEngineOptions } from './software';
import { findWebGlRenderer, initWebGl } from './webgl';
import { findWebGpuAdapter, initWebGpu } from './webgpu';

export type { BrowserEngineOptions };

/** The platform as the page sees it, for the WebGPU API name and the advice: 'win32', 'darwin' or 'linux'. */
function pagePlatform(userAgent: string = globalThis.navigator?.userAgent ?? ''): string {
  if (/Windows/i.test(userAgent)) return 'win32';
  if (/Mac OS X|Macintosh/i.test(userAgent)) return 'darwin';
  return 'linux';
}

export async function initBrowserEngine(
  choice: GpuEngineChoice,
  options: BrowserEngineOptions = {},
  platform = pagePlatform(),
): Promise<EngineInfo> {
  switch (choice) {
    case 'webgpu':
      return initWebGpu(platform, options);
    case 'webgl':
      return initWebGl(options);
    case 'cuda':
      throw new EngineUnavailableError({ code: 'cuda-in-page' });
    case 'auto': {
      let webgpuReason: Reason;
      try {
        return await initWebGpu(platform, options);
      } catch (err) {
        if (!(err instanceof EngineUnavailableError)) throw err;
        webgpuReason = err.reason;
      }
      try {
        return { ...(await initWebGl(options)), fallbackReason: webgpuReason };
      } catch (err) {
        if (!(err instanceof EngineUnavailableError)) throw err;
        throw new EngineUnavailableError({ code: 'webgpu-and-webgl-failed', webgpu: webgpuReason, webgl: err.reason });
      }
    }
  }
}

/**
 * Whether each browser engine would run, without training: each one is started (a backend that starts is the only
 * proof), then the page is closed by its owner. The adapter is reported even when it is refused.
 */
export async function probeBrowserEngines(
  options: BrowserEngineOptions = {},
  platform = pagePlatform(),
): Promise<BrowserEngineProbe> {
  type Found = { adapter: GpuAdapter } | { reason: Reason };
  const state = async (start: () => Promise<EngineInfo>, find: () => Promise<Found>): Promise<EngineState> => {
    try {
      return { ok: true, engine: await start() };
    } catch (err) {
      const found = await find().catch(() => null);
      return found && 'adapter' in found
        ? { ok: false, reason: reasonOf(err), adapter: found.adapter }
        : { ok: false, reason: reasonOf(err) };
    }
  };
  const webgpu = await state(
    () => initWebGpu(platform, options),
    () => findWebGpuAdapter(platform),
  );
  const webgl = await state(
    () => initWebGl(options),
    async () => findWebGlRenderer(),
  );
  tf.engine().reset(); // frees both backends' devices; the page is closed next anyway
  return { webgpu, webgl };
}
