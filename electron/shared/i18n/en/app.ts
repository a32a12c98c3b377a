/** English words: the app's shell (top bar, history banner), the About box, notices, and main's refusals. */
export const app = {
  tagline: 'MNIST CNN · CPU vs GPU',
  about: 'About',
  historyBanner: 'Run history:',
  dismiss: 'Dismiss',
  dismissNotice: 'Dismiss',
  // The About box.
  aboutTitle: 'About {{name}}',
  aboutText:
    "Trains the PyTorch tutorial's small MNIST CNN ({{parameters}} parameters) with TensorFlow.js on your CPU and your GPU (NVIDIA, AMD, Intel or Apple, through WebGPU, WebGL or CUDA), times both and exports the weights.",
  version: 'Version',
  development: '{{version}} (development)',
  platform: 'Platform',
  cpuEngine: 'CPU engine',
  gpuEngine: 'GPU engine',
  gpuUnavailable: 'unavailable: {{reason}}',
  unknownReason: 'unknown reason',
  close: 'Close',
  // lib/api.ts: main's refusals, without the channel names a user cannot act on.
  refused: 'Athanor refused the request: {{detail}}',
  notOwnPage: "Athanor refused the request: it did not come from Athanor's own page",
  unknownRequest: 'this version of Athanor does not know that request',
  theRequest: 'the request',
} as const;
