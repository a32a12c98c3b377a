/**
 * What to tell a user whose CUDA engine (tfjs-node-gpu, TensorFlow 2.9.1 for CUDA 11.2 and cuDNN 8.1) does not
 * load: one actionable line per situation. Device detection uses it; the WebGPU and WebGL engines need none of it.
 */
import { nativeInstallAdvice } from '../training/engines/native-advice';

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
  platform: NodeJS.Platform;
  packaged: boolean;
  arch?: string;
}

const RESTART = ', then restart Athanor.';

/** What the user must do, in one line; every line ends in an action the user can take. */
export function gpuEngineHelp(situation: GpuSituation, { platform, packaged, arch = 'x64' }: HelpContext): string {
  const win = platform === 'win32';
  const libPath = win ? 'their bin folders are on PATH' : 'the system finds their libraries (ldconfig, see Install in the README)';
  if (platform === 'darwin') {
    return 'GPU training needs an NVIDIA GPU with CUDA, which macOS does not support: on a Mac, Athanor trains on the CPU.';
  }
  if ((platform !== 'linux' && !win) || arch !== 'x64' || situation === 'unsupported-platform') {
    return 'GPU training needs a 64-bit x86 Linux or Windows PC with an NVIDIA GPU: tfjs-node-gpu has no build for this system.';
  }
  switch (situation) {
    case 'engine-missing':
      return packaged
        ? 'This copy of Athanor was built without the CUDA engine (tfjs-node-gpu), as standard builds are: WebGPU and WebGL train on the GPU without it; for CUDA, use a CUDA build (see the README\'s Build section).'
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

/** Maps a GPU engine load error (engines/native.ts's explanation or the raw message) to the situation the help names. */
export function classifyGpuEngineError(message: string): GpuSituation {
  if (/not installed|cannot find module|MODULE_NOT_FOUND/i.test(message)) return 'engine-missing';
  // Library names only: engines/native.ts's advice itself mentions "CUDA 11.2 and cuDNN 8.1" whatever is missing.
  if (/libcudnn|cudnn64_/i.test(message)) return 'cudnn-missing';
  if (/lib(cudart|cublas|cufft|curand|cusolver|cusparse)|(cudart|cublas|cufft|curand|cusolver|cusparse)64_/i.test(message)) {
    return 'cuda-missing';
  }
  if (/driver version is insufficient|CUDA driver version/i.test(message)) return 'driver-too-old';
  return 'no-gpu-visible';
}
