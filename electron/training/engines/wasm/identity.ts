import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { overrideWasmKernel, type WasmBackend } from './kernel-call';

/**
 * wasm's Identity copies its input. Backprop passes gradients through it (the gradients of Add, of the bias add
 * among them): three copies of conv1's [64, 26, 26, 32] activations a step, 1.4 ms on this 2-core machine. Tensors
 * are immutable and the backend counts references to its data, so the output can share the input's data, as the
 * cpu and webgl backends' Identity does.
 */
function shareData(original: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string') return original(args);
    (args.backend as WasmBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}

export function registerWasmIdentity(): void {
  overrideWasmKernel('Identity', shareData);
}
