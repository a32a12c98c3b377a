import '@tensorflow/tfjs-backend-webgpu';
import { registerWebGpuConvFilterGrad } from './conv-filter-grad';

/** webgpu's own kernels that `registerWebGpuTrainingKernels` replaces; bench/gpu-kernels.ts times the originals. */
export const REPLACED_WEBGPU_KERNELS = ['Conv2DBackpropFilter'] as const;

/**
 * Kernels that make the webgpu backend train the network faster: for now the filter gradient (conv-filter-grad.ts).
 * Call before the backend runs its first kernel; calling again does nothing.
 */
export function registerWebGpuTrainingKernels(): void {
  registerWebGpuConvFilterGrad();
}
