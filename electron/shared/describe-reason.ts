/**
 * The one place reasons become English: the Devices panel, the CLI and notices call describeReason. A translation
 * replaces this file's words and nothing else.
 */
import { gpuEngineHelp, nativeInstallAdvice } from './install-advice';
import type { NativePackage, Reason } from './reasons';

const BROWSER_API = { webgpu: 'WebGPU', webgl: 'WebGL' } as const;

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
      return `${BROWSER_API[reason.engine]} trains in the app's GPU page, not in a Node process; here the GPU engine is CUDA (tfjs-node-gpu)`;
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
    case 'probe-timeout':
      return `${reason.peer} did not answer within ${reason.seconds} s while checking the engine`;
    case 'probe-bad-message':
      return `${reason.peer} sent a message Athanor cannot use (${reason.detail})`;
    case 'probe-ended':
      return reason.detail;
    case 'no-reason':
      return 'no reason given';
    case 'page-no-answer':
      return 'the GPU page did not answer';
    case 'sweep-busy':
      return 'a sweep is already running: wait for it to finish, or cancel it';
    case 'sweep-process-ended':
      return `the process timing the sweep ended before it finished: ${reason.detail}`;
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
      return `the GPU page failed: ${describeReason(reason.cause)}`;
    case 'webgpu-and-webgl-failed':
      return `${describeReason(reason.webgpu)}; and WebGL: ${describeReason(reason.webgl)}`;
    case 'webgl-instead':
      return `on WebGL, because WebGPU is not available: ${describeReason(reason.webgpu)}`;
  }
}

const reinstall = (pkg: NativePackage, packaged: boolean): string => nativeInstallAdvice(pkg, true, packaged);

/** CUDA's and cuDNN's own libraries, which TensorFlow's GPU build needs at exactly 11.2 and 8.1. */
export function isCudaLibrary(library: string): boolean {
  return /cud|cublas|cufft|curand|cusolver|cusparse/i.test(library);
}
