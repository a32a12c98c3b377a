/**
 * The GPU page's entry: the WebGPU and WebGL engines train here, in a hidden window main opens for each run.
 * `window.athanorGpu` comes from electron/preload/gpu.ts (or from the test harness); the rest is the training core.
 */
import { servePage, type PagePort } from '../../electron/training/process/page-worker';

const port = (window as unknown as { athanorGpu?: PagePort }).athanorGpu;
if (!port) throw new Error('the GPU page has no port to main (window.athanorGpu is missing)');
servePage(port);
