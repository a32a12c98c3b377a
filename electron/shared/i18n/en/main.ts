/** English words: what main says that belongs to no panel (the report's save dialog, the model's refusals). */
export const main = {
  report: {
    saveTitle: 'Export report',
    filter: 'HTML page',
    notSaved: 'the report was not saved: {{why}}',
  },
  /** What the app is missing at start (main's error box lists them). */
  resources: {
    mnist: 'MNIST data ({{name}})',
    wasm: 'the fallback CPU engine (wasm)',
    worker: 'the training worker',
    gpuPage: 'the GPU page (WebGPU and WebGL engines)',
  },
  model: {
    notInHistory: 'run {{id}} is not in the history',
    noWeights: 'run {{id}} has no stored weights: only runs that finished keep them',
    noSuchImage: "test image {{index}} does not exist: the run's test set has {{count}} images",
  },
} as const;
