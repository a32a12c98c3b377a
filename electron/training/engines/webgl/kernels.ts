import '@tensorflow/tfjs-backend-webgl';
import { registerWebGlConvFilterGrad } from './conv-filter-grad';

/**
 * Kernels that make the webgl backend train the network faster: for now the filter gradient (conv-filter-grad.ts).
 * Call before the backend runs its first kernel; calling again does nothing.
 */
export function registerWebGlTrainingKernels(): void {
  registerWebGlConvFilterGrad();
}
