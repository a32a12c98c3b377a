/**
 * Vitest's global set-up: bundles the CLI and the training worker once, before any test file, so the tests that
 * start them spawn plain JavaScript instead of compiling TypeScript through tsx in every process (about a second of
 * CPU each, in some 60 processes). The bundle is what the app starts too: electron-vite builds the worker the same
 * way, one file with the packages left external. The tsx path `npm run train` takes keeps tests of its own
 * (cli/output.test.ts runs it through npm; process/worker.test.ts checks the entry workerEntry gives without a build).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';

const ROOT = resolve(import.meta.dirname, '../..');

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder holding main.js (the CLI), sweep.js (npm run sweep) and worker.js (the training worker), bundled from this checkout. */
    builtEntries: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Under the checkout, so the packages left external resolve from its node_modules as the sources' imports do.
  await mkdir(join(ROOT, 'test-results'), { recursive: true });
  const dir = await mkdtemp(join(ROOT, 'test-results', 'built-entries-'));
  await build({
    entryPoints: {
      main: join(ROOT, 'electron/training/cli/main.ts'),
      sweep: join(ROOT, 'electron/training/cli/sweep.ts'),
      worker: join(ROOT, 'electron/training/process/worker.ts'),
    },
    outdir: dir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    // The sources use import.meta.url (createRequire) beside __dirname; in CommonJS it is this file's URL.
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
  });
  project.provide('builtEntries', dir);
  return () => rm(dir, { recursive: true, force: true });
}
