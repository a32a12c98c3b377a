/**
 * The one place reasons become words: the Devices panel, the CLI and notices call describeReason. The words are the
 * catalogue's (i18n/<language>/reasons.ts), in the language of the process: the app's the user's, the CLI's English.
 */
import { t } from './i18n';
import { gpuEngineHelp, nativeInstallAdvice } from './install-advice';
import type { NativePackage, Reason } from './reasons';
import { describeRunEndReason, peer } from './run-end-words';

const BROWSER_API = { webgpu: 'WebGPU', webgl: 'WebGL' } as const;
/** The API Dawn runs WebGPU on, by Node's platform name. */
const DAWN_API: Readonly<Record<string, string>> = { linux: 'Vulkan', win32: 'Direct3D 12', darwin: 'Metal' };

/**
 * One reason as a sentence fragment (no capital, no full stop unless the help line it quotes has one), e.g.
 * "@tensorflow/tfjs-node is not installed: run "npm install" ...", in the language of the process (i18n's `t`).
 * Reasons carry every fact their words depend on (the package, whether Athanor is installed, the platform), so the
 * words need no context from the caller.
 */
export function describeReason(reason: Reason): string {
  switch (reason.code) {
    case 'native-not-installed':
      return reason.packaged
        ? t('reasons.nativeNotInstalledPackaged', { pkg: reason.pkg })
        : t('reasons.nativeNotInstalled', { pkg: reason.pkg, advice: nativeInstallAdvice(reason.pkg, false, false) });
    case 'native-binding-missing':
      return t('reasons.nativeBindingMissing', { pkg: reason.pkg, advice: reinstall(reason.pkg, reason.packaged) });
    case 'native-glibc-too-old':
      return t('reasons.nativeGlibcTooOld', { pkg: reason.pkg, glibc: reason.glibc });
    case 'native-library-missing':
      return isCudaLibrary(reason.library)
        ? t('reasons.cudaLibraryMissing', { library: reason.library })
        : t('reasons.nativeLibraryMissing', {
            library: reason.library,
            pkg: reason.pkg,
            advice: reinstall(reason.pkg, reason.packaged),
          });
    case 'native-dll-missing':
      return t(reason.pkg === '@tensorflow/tfjs-node-gpu' ? 'reasons.cudaDllMissing' : 'reasons.nativeDllMissing', {
        pkg: reason.pkg,
        advice: reinstall(reason.pkg, reason.packaged),
      });
    case 'native-load-failed':
      return t('reasons.nativeLoadFailed', { pkg: reason.pkg, detail: reason.detail });
    case 'native-other-loaded':
      return t('reasons.nativeOtherLoaded', { pkg: reason.pkg, other: reason.other });
    case 'native-no-backend':
      return t('reasons.nativeNoBackend', { pkg: reason.pkg, version: reason.tfjsVersion });
    case 'native-backend-not-started':
      return t('reasons.nativeBackendNotStarted', { pkg: reason.pkg });
    case 'native-cannot-train':
      return t('reasons.nativeCannotTrain', { pkg: reason.pkg, detail: reason.detail });
    case 'cuda-no-gpu':
      return t('reasons.cudaNoGpu');
    case 'native-copy-broken':
      return t(reason.packaged ? 'reasons.nativeCopyBrokenPackaged' : 'reasons.nativeCopyBroken', {
        missing: reason.missing.join(t('reasons.listSeparator')),
        advice: nativeInstallAdvice('@tensorflow/tfjs-node', true, reason.packaged),
      });
    case 'fallback-asked':
      return t('reasons.fallbackAsked');
    case 'wasm-not-started':
      return t('reasons.wasmNotStarted');
    case 'browser-engine-in-node':
      return reason.engine === 'webgl'
        ? t('reasons.webglInNode')
        : t('reasons.browserEngineInNode', { api: BROWSER_API[reason.engine] });
    case 'cuda-in-page':
      return t('reasons.cudaInPage');
    case 'webgpu-missing':
      return t('reasons.webgpuMissing');
    case 'webgpu-request-failed':
      return t('reasons.webgpuRequestFailed', { detail: reason.detail });
    case 'webgpu-no-adapter':
      return reason.linux ? t('reasons.webgpuNoAdapterLinux') : t('reasons.webgpuNoAdapter');
    case 'webgpu-off-linux':
      return t('reasons.webgpuOffLinux');
    case 'webgl-no-page':
      return t('reasons.webglNoPage');
    case 'webgl-unavailable':
      return t('reasons.webglUnavailable');
    case 'webgl-no-float':
      return t('reasons.webglNoFloat', { adapter: reason.adapter });
    case 'software-adapter':
      return t('reasons.softwareAdapter', { api: reason.api, adapter: reason.adapter });
    case 'backend-not-started':
      // `detail` is tfjs's own error (": ...") or what tfjs was not given, in English either way.
      return t('reasons.backendNotStarted', { api: reason.api, detail: reason.detail ?? '' });
    case 'dawn-not-installed':
      return reason.packaged ? t('reasons.dawnNotInstalledPackaged') : t('reasons.dawnNotInstalled');
    case 'dawn-load-failed':
      return t('reasons.dawnLoadFailed', { detail: reason.detail });
    case 'vulkan-loader-missing':
      return t('reasons.vulkanLoaderMissing');
    case 'dawn-no-adapter':
      return t('reasons.dawnNoAdapter', { api: DAWN_API[reason.platform] ?? 'Vulkan' });
    case 'webgpu-device-lost':
      return t('reasons.webgpuDeviceLost', { detail: reason.detail });
    case 'webgpu-out-of-memory':
      return t('reasons.webgpuOutOfMemory', { detail: reason.detail });
    case 'webgpu-error':
      return t('reasons.webgpuError', { detail: reason.detail });
    case 'probe-timeout':
      return t('reasons.probeTimeout', { peer: peer(reason.peer), seconds: reason.seconds });
    case 'probe-bad-message':
      return t('reasons.probeBadMessage', { peer: peer(reason.peer), detail: reason.detail });
    case 'probe-ended':
      return describeReason(reason.exit);
    case 'no-reason':
      return t('reasons.noReason');
    case 'page-no-answer':
      return t('reasons.pageNoAnswer');
    case 'sweep-busy':
      return t('reasons.sweepBusy');
    case 'sweep-process-ended':
      return t('reasons.sweepProcessEnded', { cause: describeReason(reason.exit) });
    case 'macos-no-cuda':
      return t('reasons.macosNoCuda');
    case 'nvidia-smi-missing':
      return t('reasons.nvidiaSmiMissing');
    case 'nvidia-smi-timeout':
      return t('reasons.nvidiaSmiTimeout', { seconds: reason.seconds });
    case 'nvidia-smi-denied':
      return t('reasons.nvidiaSmiDenied');
    case 'nvidia-smi-failed':
      return t('reasons.nvidiaSmiFailed', { said: reason.said });
    case 'nvidia-smi-listed-none':
      return reason.said
        ? t('reasons.nvidiaSmiListedNoneSaid', { said: reason.said })
        : t('reasons.nvidiaSmiListedNone');
    case 'not-checked':
      return reason.engine === 'cuda'
        ? t('reasons.cudaNotChecked')
        : t('reasons.notChecked', { api: BROWSER_API[reason.engine] });
    case 'no-gpu-engine':
      return t('reasons.noGpuEngine');
    // Words made elsewhere (an exception's message, an old row's text): shown as they came.
    case 'error':
      return reason.message;
    case 'words':
      return reason.text;
    case 'cpu-fallback':
      return t('reasons.cpuFallback', { engine: reason.engine, cause: describeReason(reason.cause) });
    case 'fallback-failed':
      return t('reasons.fallbackFailed', { native: describeReason(reason.native), detail: reason.detail });
    case 'engine-check-failed':
      return t('reasons.engineCheckFailed', { cause: describeReason(reason.cause) });
    case 'cuda-help': {
      const help = gpuEngineHelp(reason.situation, reason);
      // The catch-all advice is generic: the error itself goes beside it.
      return reason.situation === 'no-gpu-visible'
        ? t('reasons.helpWithCause', { help, cause: describeReason(reason.cause) })
        : help;
    }
    case 'gpu-page-failed':
      // The page's own ends already say "the GPU page ...".
      return PAGE_ENDS.has(reason.cause.code)
        ? describeReason(reason.cause)
        : t('reasons.gpuPageFailed', { cause: describeReason(reason.cause) });
    // Each engine's words name it (WebGPU, WebGL, Dawn, the CUDA package): a label before them would say it twice.
    case 'webgpu-and-webgl-failed':
      return t('reasons.webgpuAndWebglFailed', {
        webgpu: describeReason(reason.webgpu),
        webgl: describeReason(reason.webgl),
      });
    case 'webgl-instead':
      return t('reasons.webglInstead', { webgpu: describeReason(reason.webgpu) });
    case 'cuda-and-webgpu-failed':
      return t('reasons.cudaAndWebgpuFailed', {
        cuda: describeReason(reason.cuda),
        webgpu: describeReason(reason.webgpu),
      });
    default:
      return describeRunEndReason(reason);
  }
}

const reinstall = (pkg: NativePackage, packaged: boolean): string => nativeInstallAdvice(pkg, true, packaged);

/** CUDA's and cuDNN's own libraries, which TensorFlow's GPU build needs at exactly 11.2 and 8.1. */
export function isCudaLibrary(library: string): boolean {
  return /cud|cublas|cufft|curand|cusolver|cusparse/i.test(library);
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
