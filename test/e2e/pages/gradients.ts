/**
 * Bundled into a blank page by gpu-gradients.browser.test.ts: the network's gradients on one batch, on each GPU
 * backend Chromium offers, with the engines' own start-up (so Athanor's kernels are registered as in a run).
 */
import { initWebGl } from '../../../electron/training/engines/webgl';
import { initWebGpu } from '../../../electron/training/engines/webgpu';
import { batchGradients } from './batch-gradients';

async function gradients(backend: 'webgpu' | 'webgl', pixels: number[], labels: number[], seed: number) {
  if (backend === 'webgpu') await initWebGpu('linux', { allowSoftwareAdapter: true });
  else await initWebGl({ allowSoftwareAdapter: true });
  return batchGradients(pixels, labels, seed);
}

(globalThis as unknown as { athanorGradients: typeof gradients }).athanorGradients = gradients;
