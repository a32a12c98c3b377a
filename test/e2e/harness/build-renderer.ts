import { resolve } from 'node:path';
import { build } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export const ROOT = resolve(__dirname, '../../..');

/** Production build of the renderer, as the app ships it (minified, CSS extracted, relative asset paths). */
export async function buildRenderer(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: resolve(ROOT, 'renderer'),
    base: './',
    logLevel: 'warn',
    plugins: [svelte({ configFile: false })],
    build: { outDir, emptyOutDir: true, reportCompressedSize: false },
  });
}
