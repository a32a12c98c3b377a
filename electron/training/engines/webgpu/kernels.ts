import '@tensorflow/tfjs-backend-webgpu';
import { registerWebGpuConvFilterGrad } from './conv-filter-grad';

/**
 * Kernels that make the webgpu backend train the network faster: for now the filter gradient (conv-filter-grad.ts).
 * Call before the backend runs its first kernel; calling again does nothing.
 */
export function registerWebGpuTrainingKernels(): void {
  registerWebGpuConvFilterGrad();
}
