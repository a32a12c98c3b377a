/** English words: numbers with their units, durations, engines and runs as the whole UI shows them (lib/format.ts). */
export const format = {
  seconds: '{{value}} s',
  minutesSeconds: '{{minutes}} min {{seconds}} s',
  hoursMinutes: '{{hours}} h {{minutes}} min',
  underASecond: '< 1 s',
  /** A figure that exists but measures nothing (no timed batch), as the CLI's summary says it. */
  notMeasured: 'n/a',
  rate: '{{value}} img/s',
  speedup: '{{value}}x',
  /** A run's settings in one phrase each, for its summary. */
  shown: {
    epochs: '{{value}} ep',
    batchSize: 'batch {{value}}',
    lr: 'lr {{value}}',
    momentum: 'mom. {{value}}',
    seed: 'seed {{value}}',
    limit: 'first {{value}} images',
  },
  dataFolder: 'data: {{folder}}',
  wasmFallback: 'wasm (fallback)',
  engineOn: '{{engine}} on {{adapter}}',
  /** How a WebGPU run trained (EngineInfo.step), after its engine: "WebGPU 4.22.0, fused step". */
  step: {
    fused: '{{engine}}, fused step',
    tfjs: "{{engine}}, tfjs's kernels",
  },
  /** A CPU engine's build and threads, from its EngineInfo: "libtensorflow 2.21.0, 2 threads", "SIMD, 2 threads". */
  features: {
    libtensorflow: 'libtensorflow {{version}}',
    threads_one: '{{count}} thread',
    threads_other: '{{count}} threads',
    simd: 'SIMD',
    noSimd: 'no SIMD',
    singleThread: 'single thread',
    singleThreadFailed: 'single thread (the threaded build did not start: {{reason}})',
    separator: ', ',
  },
  testAccuracy: '{{value}} test accuracy',
  status: {
    done: 'done',
    cancelled: 'cancelled',
    diverged: 'diverged',
    failed: 'failed',
    running: 'running',
  },
} as const;
