import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { build } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export const ROOT = resolve(__dirname, '../../..');
/** Built renderers, one a version of the sources, shared by the browser test files of this checkout. */
const CACHE = join(ROOT, 'test-results', 'renderer-builds');

/** Production build of the renderer's two pages, as the app ships it (minified, CSS extracted, relative asset paths). */
async function viteBuild(outDir: string): Promise<void> {
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
      rollupOptions: {
        input: { index: resolve(ROOT, 'renderer/index.html'), gpu: resolve(ROOT, 'renderer/gpu.html') },
      },
    },
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/**
 * What the build reads: the renderer, the main-side code its pages import (the IPC contract, the GPU engines), the
 * installed packages (through the lock file), the TypeScript settings and this file's build settings. Any change
 * gives a new build.
 */
async function sourcesHash(): Promise<string> {
  const files = [
    ...(await filesUnder(join(ROOT, 'renderer'))),
    ...(await filesUnder(join(ROOT, 'electron'))),
    join(ROOT, 'package-lock.json'),
    ...(await readdir(ROOT)).filter((name) => /^tsconfig.*\.json$/.test(name)).map((name) => join(ROOT, name)),
    __filename,
  ].sort();
  const hash = createHash('sha256');
  for (const file of files)
    hash
      .update(relative(ROOT, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  return hash.digest('hex').slice(0, 16);
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The build for these sources, made once: the first test file to ask builds it (a few CPU-seconds) while the others
 * wait for it, instead of every browser test file building the same pages again. A lock held by a process that
 * died is taken over.
 */
async function sharedBuild(): Promise<string> {
  const dir = join(CACHE, await sourcesHash());
  const lock = `${dir}.lock`;
  await mkdir(CACHE, { recursive: true });
  for (;;) {
    if (await exists(dir)) return dir;
    try {
      await mkdir(lock);
    } catch {
      const owner = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => ''));
      if (owner && !alive(owner)) await rm(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    try {
      await writeFile(join(lock, 'pid'), String(process.pid));
      const building = `${dir}.${process.pid}`;
      await viteBuild(building);
      await rename(building, dir); // whole or not at all: a reader never sees half a build
      await removeOtherBuilds(dir);
      return dir;
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
}

/** Earlier sources' builds: nothing reads them once the sources have changed. */
async function removeOtherBuilds(current: string): Promise<void> {
  for (const name of await readdir(CACHE)) {
    const path = join(CACHE, name);
    if (path !== current && !path.startsWith(current) && !name.endsWith('.lock'))
      await rm(path, { recursive: true, force: true });
  }
}

/** The renderer's production build, copied into `outDir` (made or emptied): a folder of the caller's own. */
export async function buildRenderer(outDir: string): Promise<void> {
  const built = await sharedBuild();
  await rm(outDir, { recursive: true, force: true });
  await cp(built, outDir, { recursive: true });
}
