import { resolve } from 'node:path';
import { build } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export const ROOT = resolve(__dirname, '../../..');

/** Production build of the renderer's two pages, as the app ships it (minified, CSS extracted, relative asset paths). */
export async function buildRenderer(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: resolve(ROOT, 'renderer'),
    base: './',
    logLevel: 'warn',
    plugins: [svelte({ configFile: false })],
    build: {
      outDir,
      emptyOutDir: true,
      reportCompressedSize: false,
      // Both pages, as electron.vite.config.ts builds them: the app and the GPU engines' page.
      rollupOptions: { input: { index: resolve(ROOT, 'renderer/index.html'), gpu: resolve(ROOT, 'renderer/gpu.html') } },
    },
  });
}

