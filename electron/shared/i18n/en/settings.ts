/** English words: the settings form and the training controls under it. */
export const settings = {
  title: 'Settings',
  referenceDefaults: 'Reference defaults',
  /** The form's number fields, one a setting the form asks for (settings-form.ts: the type asks for each). */
  fields: {
    epochs: 'Epochs',
    batchSize: 'Batch size',
    lr: 'Learning rate',
    momentum: 'Momentum',
    seed: 'Seed',
    limit: 'Images (quick run)',
  },
  placeholders: { limit: 'all' },
  /** What a field accepts, shown under it when it holds something else: the field already names the setting. */
  accepts: {
    whole: 'Whole number from {{min}} to {{max}}',
    lr: 'A number above 0',
    momentum: 'At least 0 and below 1',
    images: 'Whole number from 1 to {{max}} (empty: all)',
    imagesOfSource: 'Whole number from 1 to {{max}}: the data source has {{images}} training images (empty: all)',
  },
  gpuEngine: 'GPU engine',
  auto: 'Auto',
  engineUnavailable: '{{engine}} (unavailable)',
  autoHint: 'Auto: CUDA where it loads, else WebGPU, else WebGL',
  dataSource: 'Data source',
  bundled: 'Bundled MNIST',
  images: '{{train}} training · {{test}} test images',
  chooseFolder: 'Choose folder…',
  folderRefused: 'That folder cannot be used as a data source',
  controls: {
    label: 'Training',
    trainCpu: 'Train on CPU',
    trainGpu: 'Train on GPU',
    compare: 'Compare: CPU, then GPU',
    compareTitle: 'Train on the CPU, then on the GPU, with the same settings',
    gpuUnavailable: 'GPU unavailable:',
    fixSettings: 'Fix the settings above to start a run.',
    busy: 'A run is in progress: new runs wait in the queue.',
  },
} as const;
