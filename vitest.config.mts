import { defineConfig } from 'vitest/config';

/**
 * Two tiers. `node` (npm test): everything Node runs, from the kernels to real training, the CLI, the worker
 * processes, the history on a real disk and Dawn's WebGPU on SwiftShader. `browser` (npm run test:browser): the app's
 * page and the GPU page in Debian's Chromium, driven by Playwright, which need the chromium package. `npm run
 * test:all` and CI run both.
 */
const BROWSER = ['test/**/*.browser.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/training/built-entries.setup.ts'],
    // Training tests run real epochs on a 2-core machine: generous limits, no more workers than cores.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    // expect.poll waits for a condition; its default of 1 s is a bet on the machine's speed that a busy CI loses.
    expect: { poll: { timeout: 30_000 } },
    projects: [
      { extends: true, test: { name: 'node', include: ['test/**/*.test.ts'], exclude: BROWSER } },
      { extends: true, test: { name: 'browser', include: BROWSER } },
    ],
  },
});
