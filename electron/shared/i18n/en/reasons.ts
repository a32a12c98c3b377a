/**
 * English words: reasons (describe-reason.ts) and the install advice they quote (install-advice.ts). Each is a
 * sentence fragment: no capital, no full stop unless the help line it quotes has one.
 */
export const reasons = {
  // Native engines (tfjs-node, tfjs-node-gpu).
  nativeNotInstalledPackaged:
    '{{pkg}} is not installed in this copy of Athanor (it was built without it; the official releases include it)',
  nativeNotInstalled: '{{pkg}} is not installed: {{advice}}',
  nativeBindingMissing:
    '{{pkg}} is installed without its native binding (tfjs_binding.node): this copy is broken; {{advice}}',
  nativeGlibcTooOld: "{{pkg}}'s libtensorflow needs {{glibc}} or newer; this system's C library is older",
  cudaLibraryMissing:
    "{{library}} not found: install CUDA 11.2 and cuDNN 8.1 (TensorFlow 2.9.1's GPU build needs exactly these)",
  nativeLibraryMissing:
    "{{library}} not found: {{pkg}}'s libtensorflow is missing or incomplete, so this copy is broken; {{advice}}",
  cudaDllMissing:
    'a DLL that {{pkg}} needs was not found: install CUDA 11.2 and cuDNN 8.1 (and put their bin folders on PATH), or {{advice}}',
  nativeDllMissing:
    "a DLL that {{pkg}} needs was not found (tensorflow.dll beside tfjs_binding.node, or Microsoft's Visual C++ runtime): {{advice}}; if that does not help, install the Microsoft Visual C++ Redistributable (x64)",
  nativeLoadFailed: '{{pkg}} failed to load: {{detail}}',
  nativeOtherLoaded: '{{other}} is already loaded in this process; {{pkg}} needs a process of its own',
  nativeNoBackend:
    "{{pkg}} loaded but registered no 'tensorflow' backend here; its @tensorflow/tfjs-core must be version {{version}}",
  nativeBackendNotStarted: "{{pkg}} loaded but its 'tensorflow' backend did not start",
  nativeCannotTrain: '{{pkg}} loaded but cannot train: {{detail}}',
  cudaNoGpu: 'TensorFlow found no usable NVIDIA GPU: check the NVIDIA driver (nvidia-smi), CUDA 11.2 and cuDNN 8.1',
  nativeCopyBrokenPackaged:
    'the native CPU engine (tfjs-node) in this copy of Athanor is broken ({{missing}} missing): {{advice}}',
  nativeCopyBroken: 'the native CPU engine (tfjs-node) in this checkout is broken ({{missing}} missing): {{advice}}',
  fallbackAsked: 'the fallback engine was asked for',
  wasmNotStarted: 'the wasm engine failed to start',
  webglInNode: "WebGL trains in the app's GPU page, not in a Node process; here the GPU engines are CUDA and WebGPU",
  browserEngineInNode:
    "{{api}} trains in the app's GPU page, not in a Node process; here the GPU engine is CUDA (tfjs-node-gpu)",
  cudaInPage: 'the CUDA engine runs in a utility process, not in the GPU page',
  // The browser engines, in the GPU page.
  webgpuMissing: 'WebGPU is not available in this browser (no navigator.gpu)',
  webgpuRequestFailed: "WebGPU's adapter request failed: {{detail}}",
  webgpuNoAdapterLinux:
    "WebGPU found no adapter: it needs Vulkan, which this Linux desktop's driver or Chromium does not offer",
  webgpuNoAdapter: "WebGPU found no adapter: the graphics driver may be too old or on Chromium's blocklist; update it",
  webgpuOffLinux: 'WebGPU is off on this Linux desktop (ATHANOR_WEBGPU_VULKAN=0); WebGL will be used',
  webglNoPage: 'WebGL needs a page (no document here)',
  webglUnavailable: 'WebGL 2 is not available: the graphics driver is missing, too old or blocklisted',
  webglNoFloat: 'WebGL on {{adapter}} cannot render to 32-bit float textures',
  softwareAdapter:
    "{{api}}'s only adapter is {{adapter}}, a software renderer that runs on the CPU, not a GPU: install or update the graphics driver",
  backendNotStarted: 'the {{api}} backend did not start{{detail}}',
  // WebGPU in a Node process, through Dawn.
  dawnNotInstalledPackaged:
    'WebGPU outside the GPU page needs Dawn (the webgpu package), which this copy of Athanor does not include',
  dawnNotInstalled:
    'WebGPU from a terminal needs Dawn, the optional webgpu package, which is not installed: run "npm install" with internet access',
  dawnLoadFailed: 'Dawn (the webgpu package) failed to load: {{detail}}',
  vulkanLoaderMissing:
    'WebGPU found no adapter: Dawn needs the Vulkan loader (libvulkan.so.1), which is not installed (Debian and Ubuntu: apt install libvulkan1), and a Vulkan driver for the GPU',
  dawnNoAdapter:
    'WebGPU found no adapter: Dawn needs a {{api}} driver for the GPU; install or update the graphics driver',
  webgpuDeviceLost:
    'the GPU device was lost during the run ({{detail}}): the driver reset or the GPU went away; try again',
  webgpuOutOfMemory: 'the GPU ran out of memory ({{detail}}): lower the batch size',
  webgpuError: 'WebGPU reported an error during the run, so its results cannot be trusted: {{detail}}',
  // Probes, sweeps and the GPU list.
  probeTimeout: '{{peer}} did not answer within {{seconds}} s while checking the engine',
  probeBadMessage: '{{peer}} sent a message Athanor cannot use ({{detail}})',
  noReason: 'no reason given',
  pageNoAnswer: 'the GPU page did not answer',
  sweepBusy: 'a sweep is already running: wait for it to finish, or cancel it',
  sweepProcessEnded: 'the process timing the sweep ended before it finished: {{cause}}',
  macosNoCuda: 'the CUDA engine needs an NVIDIA GPU with CUDA, which macOS does not have',
  nvidiaSmiMissing: 'no NVIDIA GPU found (nvidia-smi is not installed)',
  nvidiaSmiTimeout: 'no NVIDIA GPU found (nvidia-smi did not answer within {{seconds}} s)',
  nvidiaSmiDenied: 'no NVIDIA GPU found (nvidia-smi could not be run (permission denied))',
  nvidiaSmiFailed: 'no NVIDIA GPU found (nvidia-smi failed: {{said}})',
  nvidiaSmiListedNone: 'no NVIDIA GPU found (nvidia-smi listed none)',
  nvidiaSmiListedNoneSaid: 'no NVIDIA GPU found (nvidia-smi listed none; it said: {{said}})',
  cudaNotChecked: 'the CUDA engine was not checked',
  notChecked: '{{api}} was not checked',
  noGpuEngine: 'no GPU engine can run here: WebGPU, WebGL and CUDA each say why under Devices',
  // Reasons made of reasons.
  cpuFallback: 'on the fallback engine ({{engine}}, slower) because {{cause}}',
  fallbackFailed: '{{native}}; and the wasm fallback failed too: {{detail}}',
  engineCheckFailed: 'the engine check failed ({{cause}}); a run will try the fallback engine',
  helpWithCause: '{{help}} ({{cause}})',
  gpuPageFailed: 'the GPU page failed: {{cause}}',
  webgpuAndWebglFailed: 'neither WebGPU nor WebGL can train here: {{webgpu}}; {{webgl}}',
  webglInstead: 'on WebGL, because WebGPU is not available: {{webgpu}}',
  cudaAndWebgpuFailed: 'neither CUDA nor WebGPU can train here: {{cuda}}; {{webgpu}}',
  // How a run ends.
  workerExited: 'the training process exited unexpectedly with code {{exitCode}}',
  workerKilled: 'the training process was killed by {{signal}}',
  workerKilledHard: 'the training process was killed by {{signal}} (out of memory, or killed by the system)',
  pageCrashed: "the GPU page's process ended ({{why}})",
  pageCrashedCode: "the GPU page's process ended ({{why}}, exit code {{exitCode}})",
  pageHung: 'the GPU page stopped responding for {{seconds}} s',
  pageClosed: 'the GPU page was closed',
  pageLoadFailed: 'the GPU page did not load: {{detail}}',
  runCancelled: 'cancelled after {{step}} of {{totalSteps}} batches',
  runCancelledBeforeStart: 'cancelled before it started',
  runStopped: 'the training process was stopped',
  runInterrupted: 'the app closed before this run finished',
  lossNaN: 'training diverged: the loss became NaN at epoch {{epoch}}, batch {{batch}}: try a lower learning rate',
  lossInfinite:
    'training diverged: the loss became infinite at epoch {{epoch}}, batch {{batch}}: try a lower learning rate',
  lossExploded:
    'training diverged: the loss reached {{loss}}, more than 10 x ln 10 = {{limit}} at epoch {{epoch}}, batch {{batch}}: try a lower learning rate',
  lossStuck:
    'training is not learning: the mean loss of batches {{fromBatch}}-{{toBatch}} of epoch {{epoch}} is {{meanLoss}}, still chance level (ln 10 = {{chance}}) and no lower than {{batchesBefore}} batches before: try another learning rate',
  outOfMemoryOverMax:
    'the {{engine}} engine ran out of memory at a batch of {{batch}} images ("{{detail}}"): use a batch size of {{max}} or less',
  outOfMemory:
    'the {{engine}} engine ran out of memory at a batch of {{batch}} images ("{{detail}}"): lower the batch size (now {{batch}})',
  runBadMessage: '{{peer}} sent a message Athanor cannot use ({{detail}}), so the run was stopped',
  runMessageUnusable: '{{peer}}\'s "{{type}}" message could not be used ({{detail}}), so the run was stopped',
  runProbeAnswer: '{{peer}} answered a probe during a run',
  workerBusy: '{{busy}} is already busy',
  pageCpuRun: 'the GPU page trains GPU runs only',
  pageNoData: 'the GPU page was started without data',
  weightsInMemory: 'the trained weights could not be stored ({{detail}}): export them before closing Athanor',
  weightsNotStored: 'the trained weights could not be stored: {{detail}}',
  /** Who sent or failed to send: the subject of the probe and run messages above. */
  peer: { worker: 'the training process', page: 'the GPU page' },
  busy: { worker: 'this worker', page: 'this GPU page' },
  outOfPlace: {
    'sweep-in-run': 'it belongs to a sweep, not a run',
    'run-in-sweep': 'it belongs to a run, not a sweep',
    'before-ready': 'it came before the engine was ready',
  },
  /** Joins a list of file names. */
  listSeparator: ', ',
  // install-advice.ts: how to get a native engine that works.
  reinstall: 'reinstall Athanor',
  installGpu:
    'run "npm install --save-optional --save-exact {{pkg}}@{{version}}" with internet access (it downloads libtensorflow for CUDA)',
  installGpuBroken:
    'delete node_modules/{{pkg}}, then run "npm install --save-optional --save-exact {{pkg}}@{{version}}" with internet access (it downloads libtensorflow for CUDA)',
  installCpu:
    'run "npm install" with internet access (it downloads libtensorflow), or on Linux x64 "npm run build:tfjs-node" (it builds the engine from pip\'s tensorflow-cpu)',
  installCpuBroken:
    'delete node_modules/{{pkg}}, then run "npm install" with internet access (it downloads libtensorflow), or on Linux x64 "npm run build:tfjs-node" (it builds the engine from pip\'s tensorflow-cpu)',
  /** gpuEngineHelp: one line a situation, each ending in an action the user can take. */
  help: {
    mac: 'GPU training needs an NVIDIA GPU with CUDA, which macOS does not support: on a Mac, Athanor trains on the CPU.',
    unsupported:
      'GPU training needs a 64-bit x86 Linux or Windows PC with an NVIDIA GPU: tfjs-node-gpu has no build for this system.',
    engineMissingPackaged:
      "This copy of Athanor was built without the CUDA engine (tfjs-node-gpu), as standard builds are: WebGPU and WebGL train on the GPU without it; for CUDA, use a CUDA build (see the README's Build section).",
    engineMissing: 'tfjs-node-gpu is not installed: {{advice}}, then restart Athanor.',
    noNvidiaGpu:
      'No NVIDIA GPU found: GPU training needs an NVIDIA graphics card with the NVIDIA driver installed (nvidia-smi must work), then restart Athanor.',
    driverTooOld: 'The NVIDIA driver is too old for CUDA 11.2: install driver 460 or newer, then restart Athanor.',
    cudaMissing:
      'CUDA 11.2 was not found ({{file}}): install CUDA 11.2 and cuDNN 8.1 so that {{libraries}}, then restart Athanor.',
    cudnnMissing:
      'cuDNN 8.1 was not found ({{file}}): install cuDNN 8.1 for CUDA 11.2 so that {{libraries}}, then restart Athanor.',
    noGpuVisible:
      'TensorFlow could not use the NVIDIA GPU: check that nvidia-smi works and that CUDA 11.2 and cuDNN 8.1 are installed, then restart Athanor.',
    librariesWindows: 'their bin folders are on PATH',
    librariesLinux: 'the system finds their libraries (ldconfig, see Install in the README)',
  },
} as const;
