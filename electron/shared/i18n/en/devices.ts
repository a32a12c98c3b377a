/** English words: the Devices panel, the GPU's state as the run controls give it, and adapter labels. */
export const devices = {
  title: 'Devices',
  detecting: 'Detecting…',
  detectAgain: 'Detect again',
  detectingAll: 'Detecting the CPU and the GPU…',
  detectionFailed: 'Device detection failed: {{detail}}',
  cpuSpecs: '{{cores}} cores · {{memory}} GiB memory',
  gibibytes: '{{value}} GiB',
  /** One GPU nvidia-smi listed: its memory, driver and CUDA version. */
  gpuSpecs: '{{memory}} · driver {{driver}} · CUDA {{cuda}}',
  /** The same, numbered, when there are several. */
  gpuSpecsNumbered: '{{index}}: {{name}} · {{memory}} · driver {{driver}} · CUDA {{cuda}}',
  unknownCuda: 'unknown',
  fallbackEngine: 'fallback engine (wasm)',
  native: 'native',
  cannotTrain: 'cannot train',
  gpuEngines: 'GPU engines',
  ready: 'ready',
  usedByAuto: 'used by Auto',
  unavailable: 'unavailable',
  noGpu: 'No GPU found',
  noGpuOnlySoftware: 'No GPU found (only {{adapter}}, a software renderer)',
  noGpuEngine: 'No GPU engine can train here: {{advice}}',
  adviceNotChecked: 'WebGPU and WebGL were not checked: press Detect again.',
  adviceDriver:
    'the driver of {{adapter}} is not usable by WebGPU or WebGL: update the graphics driver, then Detect again.',
  adviceSoftwareOnly:
    'Chromium found only a software renderer (no GPU driver in use): install or update the graphics driver, then Detect again.',
  adviceNoGpu: 'no GPU was found: install the graphics driver, then Detect again.',
  // Why a GPU run cannot start yet, beside the Train buttons.
  checkingGpu: 'checking the GPU…',
  notDetected: 'devices not detected yet',
  gpuEngineUnavailable: 'the GPU engine is not available',
  // adapter-label.ts: an adapter as results, history rows and reports name it.
  softwareAdapter: '{{label}}, software GPU (testing only)',
  softwareGpu: 'software GPU (testing only)',
  unknownAdapter: 'unknown adapter',
} as const;
