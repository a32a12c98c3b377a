/**
 * The one place reasons become English: the Devices panel, the CLI and notices call describeReason. A translation
 * replaces this file's words and nothing else.
 */
import { gpuEngineHelp, nativeInstallAdvice } from './install-advice';
import type { NativePackage, Peer, Reason, RunEndReason } from './reasons';

const BROWSER_API = { webgpu: 'WebGPU', webgl: 'WebGL' } as const;
/** The API Dawn runs WebGPU on, by Node's platform name. */
const DAWN_API: Readonly<Record<string, string>> = { linux: 'Vulkan', win32: 'Direct3D 12', darwin: 'Metal' };

/**
 * One reason as a sentence fragment (no capital, no full stop unless the help line it quotes has one), e.g.
 * "@tensorflow/tfjs-node is not installed: run "npm install" ...". Reasons carry every fact their words depend on
 * (the package, whether Athanor is installed, the platform), so the words need no context from the caller.
 */
export function describeReason(reason: Reason): string {
  switch (reason.code) {
    case 'native-not-installed':
      return reason.packaged
        ? `${reason.pkg} is not installed in this copy of Athanor (it was built without it; the official releases include it)`
        : `${reason.pkg} is not installed: ${nativeInstallAdvice(reason.pkg, false, false)}`;
    case 'native-binding-missing':
      return `${reason.pkg} is installed without its native binding (tfjs_binding.node): this copy is broken; ${reinstall(reason.pkg, reason.packaged)}`;
    case 'native-glibc-too-old':
      return `${reason.pkg}'s libtensorflow needs ${reason.glibc} or newer; this system's C library is older`;
    case 'native-library-missing':
      return isCudaLibrary(reason.library)
        ? `${reason.library} not found: install CUDA 11.2 and cuDNN 8.1 (TensorFlow 2.9.1's GPU build needs exactly these)`
        : `${reason.library} not found: ${reason.pkg}'s libtensorflow is missing or incomplete, so this copy is broken; ${reinstall(reason.pkg, reason.packaged)}`;
    case 'native-dll-missing':
      if (reason.pkg === '@tensorflow/tfjs-node-gpu') {
        return (
          `a DLL that ${reason.pkg} needs was not found: install CUDA 11.2 and cuDNN 8.1 (and put their bin folders on PATH)` +
          (reason.packaged ? ', or reinstall Athanor' : `, or ${reinstall(reason.pkg, false)}`)
        );
      }
      return (
        `a DLL that ${reason.pkg} needs was not found (tensorflow.dll beside tfjs_binding.node, or Microsoft's Visual C++ ` +
        `runtime): ${reinstall(reason.pkg, reason.packaged)}; if that does not help, install the Microsoft Visual C++ Redistributable (x64)`
      );
    case 'native-load-failed':
      return `${reason.pkg} failed to load: ${reason.detail}`;
    case 'native-other-loaded':
      return `${reason.other} is already loaded in this process; ${reason.pkg} needs a process of its own`;
    case 'native-no-backend':
      return `${reason.pkg} loaded but registered no 'tensorflow' backend here; its @tensorflow/tfjs-core must be version ${reason.tfjsVersion}`;
    case 'native-backend-not-started':
      return `${reason.pkg} loaded but its 'tensorflow' backend did not start`;
    case 'native-cannot-train':
      return `${reason.pkg} loaded but cannot train: ${reason.detail}`;
    case 'cuda-no-gpu':
      return 'TensorFlow found no usable NVIDIA GPU: check the NVIDIA driver (nvidia-smi), CUDA 11.2 and cuDNN 8.1';
    case 'native-copy-broken':
      return (
        `the native CPU engine (tfjs-node) in this ${reason.packaged ? 'copy of Athanor' : 'checkout'} is broken ` +
        `(${reason.missing.join(', ')} missing): ${nativeInstallAdvice('@tensorflow/tfjs-node', true, reason.packaged)}`
      );
    case 'fallback-asked':
      return 'the fallback engine was asked for';
    case 'wasm-not-started':
      return 'the wasm engine failed to start';
    case 'browser-engine-in-node':
      return reason.engine === 'webgl'
        ? "WebGL trains in the app's GPU page, not in a Node process; here the GPU engines are CUDA and WebGPU"
        : `${BROWSER_API[reason.engine]} trains in the app's GPU page, not in a Node process; here the GPU engine is CUDA (tfjs-node-gpu)`;
    case 'cuda-in-page':
      return 'the CUDA engine runs in a utility process, not in the GPU page';
    case 'webgpu-missing':
      return 'WebGPU is not available in this browser (no navigator.gpu)';
    case 'webgpu-request-failed':
      return `WebGPU's adapter request failed: ${reason.detail}`;
    case 'webgpu-no-adapter':
      return reason.linux
        ? "WebGPU found no adapter: it needs Vulkan, which this Linux desktop's driver or Chromium does not offer"
        : "WebGPU found no adapter: the graphics driver may be too old or on Chromium's blocklist; update it";
    case 'webgpu-off-linux':
      return 'WebGPU is off on this Linux desktop (ATHANOR_WEBGPU_VULKAN=0); WebGL will be used';
    case 'webgl-no-page':
      return 'WebGL needs a page (no document here)';
    case 'webgl-unavailable':
      return 'WebGL 2 is not available: the graphics driver is missing, too old or blocklisted';
    case 'webgl-no-float':
      return `WebGL on ${reason.adapter} cannot render to 32-bit float textures`;
    case 'software-adapter':
      return (
        `${reason.api}'s only adapter is ${reason.adapter}, a software renderer that runs on the CPU, not a GPU: ` +
        'install or update the graphics driver'
      );
    case 'backend-not-started':
      return `the ${reason.api} backend did not start${reason.detail ?? ''}`;
    case 'dawn-not-installed':
      return reason.packaged
        ? 'WebGPU outside the GPU page needs Dawn (the webgpu package), which this copy of Athanor does not include'
        : 'WebGPU from a terminal needs Dawn, the optional webgpu package, which is not installed: run "npm install" with internet access';
    case 'dawn-load-failed':
      return `Dawn (the webgpu package) failed to load: ${reason.detail}`;
    case 'vulkan-loader-missing':
      return (
        'WebGPU found no adapter: Dawn needs the Vulkan loader (libvulkan.so.1), which is not installed ' +
        '(Debian and Ubuntu: apt install libvulkan1), and a Vulkan driver for the GPU'
      );
    case 'dawn-no-adapter':
      return `WebGPU found no adapter: Dawn needs a ${DAWN_API[reason.platform] ?? 'Vulkan'} driver for the GPU; install or update the graphics driver`;
    case 'webgpu-device-lost':
      return `the GPU device was lost during the run (${reason.detail}): the driver reset or the GPU went away; try again`;
    case 'webgpu-out-of-memory':
      return `the GPU ran out of memory (${reason.detail}): lower the batch size`;
    case 'webgpu-error':
      return `WebGPU reported an error during the run, so its results cannot be trusted: ${reason.detail}`;
    case 'probe-timeout':
      return `${PEER[reason.peer]} did not answer within ${reason.seconds} s while checking the engine`;
    case 'probe-bad-message':
      return `${PEER[reason.peer]} sent a message Athanor cannot use (${reason.detail})`;
    case 'probe-ended':
      return describeReason(reason.exit);
    case 'no-reason':
      return 'no reason given';
    case 'page-no-answer':
      return 'the GPU page did not answer';
    case 'sweep-busy':
      return 'a sweep is already running: wait for it to finish, or cancel it';
    case 'sweep-process-ended':
      return `the process timing the sweep ended before it finished: ${describeReason(reason.exit)}`;
    case 'macos-no-cuda':
      return 'the CUDA engine needs an NVIDIA GPU with CUDA, which macOS does not have';
    case 'nvidia-smi-missing':
      return 'no NVIDIA GPU found (nvidia-smi is not installed)';
    case 'nvidia-smi-timeout':
      return `no NVIDIA GPU found (nvidia-smi did not answer within ${reason.seconds} s)`;
    case 'nvidia-smi-denied':
      return 'no NVIDIA GPU found (nvidia-smi could not be run (permission denied))';
    case 'nvidia-smi-failed':
      return `no NVIDIA GPU found (nvidia-smi failed: ${reason.said})`;
    case 'nvidia-smi-listed-none':
      return `no NVIDIA GPU found (nvidia-smi listed none${reason.said ? `; it said: ${reason.said}` : ''})`;
    case 'not-checked':
      return reason.engine === 'cuda'
        ? 'the CUDA engine was not checked'
        : `${BROWSER_API[reason.engine]} was not checked`;
    case 'no-gpu-engine':
      return 'no GPU engine can run here: WebGPU, WebGL and CUDA each say why under Devices';
    case 'error':
      return reason.message;
    case 'words':
      return reason.text;
    case 'cpu-fallback':
      return `on the fallback engine (${reason.engine}, slower) because ${describeReason(reason.cause)}`;
    case 'fallback-failed':
      return `${describeReason(reason.native)}; and the wasm fallback failed too: ${reason.detail}`;
    case 'engine-check-failed':
      return `the engine check failed (${describeReason(reason.cause)}); a run will try the fallback engine`;
    case 'cuda-help': {
      const help = gpuEngineHelp(reason.situation, reason);
      // The catch-all advice is generic: the error itself goes beside it.
      return reason.situation === 'no-gpu-visible' ? `${help} (${describeReason(reason.cause)})` : help;
    }
    case 'gpu-page-failed':
      // The page's own ends already say "the GPU page ...".
      return PAGE_ENDS.has(reason.cause.code)
        ? describeReason(reason.cause)
        : `the GPU page failed: ${describeReason(reason.cause)}`;
    // Each engine's words name it (WebGPU, WebGL, Dawn, the CUDA package): a label before them would say it twice.
    case 'webgpu-and-webgl-failed':
      return `neither WebGPU nor WebGL can train here: ${describeReason(reason.webgpu)}; ${describeReason(reason.webgl)}`;
    case 'webgl-instead':
      return `on WebGL, because WebGPU is not available: ${describeReason(reason.webgpu)}`;
    case 'cuda-and-webgpu-failed':
      return `neither CUDA nor WebGPU can train here: ${describeReason(reason.cuda)}; ${describeReason(reason.webgpu)}`;
    default:
      return describeRunEndReason(reason);
  }
}

const reinstall = (pkg: NativePackage, packaged: boolean): string => nativeInstallAdvice(pkg, true, packaged);

/** CUDA's and cuDNN's own libraries, which TensorFlow's GPU build needs at exactly 11.2 and 8.1. */
export function isCudaLibrary(library: string): boolean {
  return /cud|cublas|cufft|curand|cusolver|cusparse/i.test(library);
}

// ---- How a run ends ----

const PEER: Record<Peer, string> = { worker: 'the training process', page: 'the GPU page' };
const BUSY: Record<Peer, string> = { worker: 'this worker', page: 'this GPU page' };
const OUT_OF_PLACE = {
  'sweep-in-run': 'it belongs to a sweep, not a run',
  'run-in-sweep': 'it belongs to a run, not a sweep',
  'before-ready': 'it came before the engine was ready',
} as const;

/** The words of a reason that ends a run (reasons.ts's RUN_END_SCHEMAS). */
function describeRunEndReason(reason: RunEndReason): string {
  switch (reason.code) {
    case 'worker-exited':
      return `the training process exited unexpectedly with code ${reason.exitCode}`;
    case 'worker-killed':
      return `the training process was killed by ${reason.signal}${reason.signal === 'SIGKILL' ? ' (out of memory, or killed by the system)' : ''}`;
    case 'page-crashed':
      return `the GPU page's process ended (${reason.why}${reason.exitCode === undefined ? '' : `, exit code ${reason.exitCode}`})`;
    case 'page-hung':
      return `the GPU page stopped responding for ${reason.seconds} s`;
    case 'page-closed':
      return 'the GPU page was closed';
    case 'page-load-failed':
      return `the GPU page did not load: ${reason.detail}`;
    case 'run-cancelled':
      return `cancelled after ${reason.step} of ${reason.totalSteps} batches`;
    case 'run-cancelled-before-start':
      return 'cancelled before it started';
    case 'run-stopped':
      return 'the training process was stopped';
    case 'run-interrupted':
      return 'the app closed before this run finished';
    case 'loss-exploded': {
      const what =
        reason.loss === 'NaN'
          ? 'became NaN'
          : reason.loss === 'Infinity'
            ? 'became infinite'
            : `reached ${reason.loss.toPrecision(3)}, more than 10 x ln 10 = ${reason.limit.toFixed(1)}`;
      return `training diverged: the loss ${what} at epoch ${reason.epoch}, batch ${reason.batch}: try a lower learning rate`;
    }
    case 'loss-stuck':
      return (
        `training is not learning: the mean loss of batches ${reason.fromBatch}-${reason.toBatch} of epoch ${reason.epoch} is ` +
        `${reason.meanLoss.toFixed(3)}, still chance level (ln 10 = ${reason.chance.toFixed(3)}) and no lower than ` +
        `${reason.batchesBefore} batches before: try another learning rate`
      );
    case 'out-of-memory': {
      const advice =
        reason.max !== undefined && reason.batch > reason.max
          ? `use a batch size of ${reason.max} or less`
          : `lower the batch size (now ${reason.batch})`;
      return `the ${reason.engine} engine ran out of memory at a batch of ${reason.batch} images ("${reason.detail}"): ${advice}`;
    }
    case 'run-bad-message':
      return `${PEER[reason.peer]} sent a message Athanor cannot use (${reason.detail}), so the run was stopped`;
    case 'run-message-unusable':
      return `${PEER[reason.peer]}'s "${reason.type}" message could not be used (${reason.detail}), so the run was stopped`;
    case 'run-message-out-of-place':
      return `${PEER[reason.peer]}'s "${reason.type}" message could not be used (${OUT_OF_PLACE[reason.where]}), so the run was stopped`;
    case 'run-probe-answer':
      return `${PEER[reason.peer]} answered a probe during a run`;
    case 'worker-busy':
      return `${BUSY[reason.peer]} is already busy`;
    case 'page-cpu-run':
      return 'the GPU page trains GPU runs only';
    case 'page-no-data':
      return 'the GPU page was started without data';
    case 'weights-in-memory':
      return `the trained weights could not be stored (${reason.detail}): export them before closing Athanor`;
    case 'weights-not-stored':
      return `the trained weights could not be stored: ${reason.detail}`;
  }
}

/**
 * The codes whose words already say how the run ended ("cancelled after 9 of 300 batches", "training diverged: ..."):
 * no status word before them.
 */
const SAYS_STATUS = new Set<Reason['code']>(['run-cancelled', 'run-cancelled-before-start', 'loss-exploded']);
/** The GPU page's own ends, whose words name the page. */
const PAGE_ENDS = new Set<Reason['code']>([
  'page-crashed',
  'page-hung',
  'page-closed',
  'page-load-failed',
  'page-no-answer',
]);

/**
 * Why a run ended, in words, as a history row holds it: its reason's words; a row written before run ends were codes
 * holds only words (`message`), shown as they were. Null when it has neither (a run that finished). `saysStatus`:
 * the words already say how it ended, so the status word ("cancelled") does not go before them.
 */
export function describeRunEnd(run: {
  status: string;
  message: string | null;
  reason?: Reason;
}): { words: string; saysStatus: boolean } | null {
  if (run.reason) return { words: describeReason(run.reason), saysStatus: SAYS_STATUS.has(run.reason.code) };
  if (run.message === null) return null;
  // Old rows' words are all there is: they are shown as those versions showed them, status word and all.
  // Those versions wrote "cancelled after ..." and "training diverged: ...": the status word, or "training" and it.
  const said = run.message.trim().toLowerCase();
  return { words: run.message, saysStatus: said.startsWith(run.status) || said.startsWith(`training ${run.status}`) };
}
