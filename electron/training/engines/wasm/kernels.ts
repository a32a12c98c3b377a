import { registerWasmBiasGradSum } from './bias-grad-sum';
import { registerWasmConvFilterGrad } from './conv-filter-grad';
import { registerWasmConvInputGrad } from './conv-input-grad';
import { registerWasmIdentity } from './identity';
import { registerWasmMatMul } from './matmul';
import { registerWasmMaxPoolGrad } from './max-pool-grad';

/** wasm's own kernels that `registerWasmTrainingKernels` replaces; bench/wasm-kernels.ts times the originals. */
export const REPLACED_WASM_KERNELS = [
  'Conv2DBackpropInput',
  'MaxPoolGrad',
  'BatchMatMul',
  '_FusedMatMul',
  'Sum',
  'Identity',
] as const;

/**
 * Everything the wasm engine needs to train the network at a usable speed: the missing filter gradient and faster
 * stand-ins for five of its own kernels that backprop leans on (see each file for the numbers). Call before the backend starts.
 */
export function registerWasmTrainingKernels(): void {
  registerWasmConvFilterGrad();
  registerWasmConvInputGrad();
  registerWasmMaxPoolGrad();
  registerWasmMatMul();
  registerWasmBiasGradSum();
  registerWasmIdentity();
}
