import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/training/built-entries.setup.ts'],
    // Training tests run real epochs on a 2-core machine: generous limits, no more workers than cores.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    // expect.poll waits for a condition; its default of 1 s is a bet on the machine's speed that a busy CI loses.
    expect: { poll: { timeout: 30_000 } },
  },
});
