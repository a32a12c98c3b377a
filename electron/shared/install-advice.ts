/**
 * Advice for a missing or broken native engine, and for a CUDA engine that does not load: free of Node and tfjs, so
 * main, the CLI and the renderer word reasons with it (describe-reason.ts). The words are the catalogue's
 * (reasons namespace), in the language of the process: the CLI's stays English.
 */
import { t } from './i18n';

/** The tfjs version Athanor runs, which a native package must match (a test checks it against tfjs-core's own). */
export const TFJS_VERSION = '4.22.0';

/**
 * How to get a native package that works, for a development checkout (`packaged`: an installed app, whose user
 * reinstalls it). Only commands that cannot leave things worse: not `npm rebuild`, whose install script wipes deps/
 * and downloads libtensorflow again unless it finds the version file it expects (an offline rebuild breaks a working
 * copy); not a bare `npm install <pkg>`, which turns the exact pin into a range (tfjs-node) or adds a hard
 * dependency whose failed download breaks every later install (tfjs-node-gpu). tfjs-node is an exact optional
 * dependency already, so `npm install` retries it; on Linux x64 scripts/build-tfjs-node.sh builds it without
 * Google's download. tfjs-node-gpu is added optional and exact, at the tfjs version Athanor runs.
 * `broken`: the package is there but lacks its files, so it goes first (npm would keep the broken copy).
 */
export function nativeInstallAdvice(pkg: string, broken: boolean, packaged: boolean): string {
  if (packaged) return t('reasons.reinstall');
  if (pkg === '@tensorflow/tfjs-node-gpu') {
    const params = { pkg, version: TFJS_VERSION };
    return broken ? t('reasons.installGpuBroken', params) : t('reasons.installGpu', params);
  }
  return broken ? t('reasons.installCpuBroken', { pkg }) : t('reasons.installCpu');
}

/** One sentence per reason the Devices panel can give for a disabled Train on GPU. */
export type GpuSituation =
  | 'unsupported-platform'
  | 'engine-missing'
  | 'no-nvidia-gpu'
  | 'driver-too-old'
  | 'cuda-missing'
  | 'cudnn-missing'
  | 'no-gpu-visible';

export interface HelpContext {
  /** A Node platform name: 'linux', 'win32', 'darwin', ... */
  platform: string;
  packaged: boolean;
  arch?: string;
}

/** What the user must do, in one line; every line ends in an action the user can take. */
export function gpuEngineHelp(situation: GpuSituation, { platform, packaged, arch = 'x64' }: HelpContext): string {
  const win = platform === 'win32';
  const libraries = win ? t('reasons.help.librariesWindows') : t('reasons.help.librariesLinux');
  if (platform === 'darwin') return t('reasons.help.mac');
  if ((platform !== 'linux' && !win) || arch !== 'x64' || situation === 'unsupported-platform') {
    return t('reasons.help.unsupported');
  }
  switch (situation) {
    case 'engine-missing':
      return packaged
        ? t('reasons.help.engineMissingPackaged')
        : t('reasons.help.engineMissing', { advice: nativeInstallAdvice('@tensorflow/tfjs-node-gpu', false, false) });
    case 'no-nvidia-gpu':
      return t('reasons.help.noNvidiaGpu');
    case 'driver-too-old':
      return t('reasons.help.driverTooOld');
    case 'cuda-missing':
      return t('reasons.help.cudaMissing', { file: win ? 'cudart64_110.dll' : 'libcudart.so.11.0', libraries });
    case 'cudnn-missing':
      return t('reasons.help.cudnnMissing', { file: win ? 'cudnn64_8.dll' : 'libcudnn.so.8', libraries });
    case 'no-gpu-visible':
      return t('reasons.help.noGpuVisible');
  }
}
