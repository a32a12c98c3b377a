/**
 * Which fix a CUDA engine that does not load needs (tfjs-node-gpu: TensorFlow 2.9.1 for CUDA 11.2 and cuDNN 8.1),
 * read from the load failure's code: install-advice's gpuEngineHelp words each situation.
 */
import { isCudaLibrary } from '../shared/describe-reason';
import type { GpuSituation } from '../shared/install-advice';
import type { Reason } from '../shared/reasons';

export type { GpuSituation };

/** The situation a GPU engine probe's reason puts the user in; 'no-gpu-visible' when the code says no more. */
export function classifyGpuEngineError(reason: Reason): GpuSituation {
  switch (reason.code) {
    case 'native-not-installed':
      return 'engine-missing';
    case 'native-library-missing':
      if (/cudnn/i.test(reason.library)) return 'cudnn-missing';
      return isCudaLibrary(reason.library) ? 'cuda-missing' : 'no-gpu-visible';
    case 'native-load-failed':
      return reason.driverTooOld ? 'driver-too-old' : 'no-gpu-visible';
    default:
      return 'no-gpu-visible';
  }
}
