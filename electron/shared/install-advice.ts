/**
 * Advice for a missing or broken native engine, and for a CUDA engine that does not load: free of Node and tfjs, so
 * main, the CLI and the renderer word reasons with it (describe-reason.ts).
 */

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
  if (packaged) return 'reinstall Athanor';
  const remove = broken ? `delete node_modules/${pkg}, then ` : '';
  if (pkg === '@tensorflow/tfjs-node-gpu') {
    return `${remove}run "npm install --save-optional --save-exact ${pkg}@${TFJS_VERSION}" with internet access (it downloads libtensorflow for CUDA)`;
  }
  return `${remove}run "npm install" with internet access (it downloads libtensorflow), or on Linux x64 "npm run build:tfjs-node" (it builds the engine from pip's tensorflow-cpu)`;
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

const RESTART = ', then restart Athanor.';

/** What the user must do, in one line; every line ends in an action the user can take. */
export function gpuEngineHelp(situation: GpuSituation, { platform, packaged, arch = 'x64' }: HelpContext): string {
  const win = platform === 'win32';
  const libPath = win
    ? 'their bin folders are on PATH'
    : 'the system finds their libraries (ldconfig, see Install in the README)';
  if (platform === 'darwin') {
    return 'GPU training needs an NVIDIA GPU with CUDA, which macOS does not support: on a Mac, Athanor trains on the CPU.';
  }
  if ((platform !== 'linux' && !win) || arch !== 'x64' || situation === 'unsupported-platform') {
    return 'GPU training needs a 64-bit x86 Linux or Windows PC with an NVIDIA GPU: tfjs-node-gpu has no build for this system.';
  }
  switch (situation) {
    case 'engine-missing':
      return packaged
        ? "This copy of Athanor was built without the CUDA engine (tfjs-node-gpu), as standard builds are: WebGPU and WebGL train on the GPU without it; for CUDA, use a CUDA build (see the README's Build section)."
        : `tfjs-node-gpu is not installed: ${nativeInstallAdvice('@tensorflow/tfjs-node-gpu', false, false)}${RESTART}`;
    case 'no-nvidia-gpu':
      return `No NVIDIA GPU found: GPU training needs an NVIDIA graphics card with the NVIDIA driver installed (nvidia-smi must work)${RESTART}`;
    case 'driver-too-old':
      return `The NVIDIA driver is too old for CUDA 11.2: install driver 460 or newer${RESTART}`;
    case 'cuda-missing':
      return `CUDA 11.2 was not found (${win ? 'cudart64_110.dll' : 'libcudart.so.11.0'}): install CUDA 11.2 and cuDNN 8.1 so that ${libPath}${RESTART}`;
    case 'cudnn-missing':
      return `cuDNN 8.1 was not found (${win ? 'cudnn64_8.dll' : 'libcudnn.so.8'}): install cuDNN 8.1 for CUDA 11.2 so that ${libPath}${RESTART}`;
    case 'no-gpu-visible':
      return `TensorFlow could not use the NVIDIA GPU: check that nvidia-smi works and that CUDA 11.2 and cuDNN 8.1 are installed${RESTART}`;
  }
}
