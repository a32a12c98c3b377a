import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { WasmCalls, overrideWasmKernel, type WasmBackend } from './kernel-call';

/**
 * wasm's matmul kernels hand only untransposed operands to XNNPACK; a transposed one falls to a naive loop that
 * was ten times slower (12 ms against 1 ms for fc1's gradients). Backprop through a dense layer asks for exactly
 * those transposes, so transpose the operand explicitly first (well under a millisecond) and keep the fast path.
 */
function untranspose(original: KernelFunc): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean };
    const rank = Math.max(a.shape.length, b.shape.length);
    if ((!attrs.transposeA && !attrs.transposeB) || rank > 4) return original(args);
    const k = new WasmCalls(args.backend as WasmBackend);
    const swapLast = (t: TensorInfo) => {
      const perm = t.shape.map((_, i) => i);
      perm.splice(-2, 2, t.shape.length - 1, t.shape.length - 2);
      return k.transpose(t, perm);
    };
    const aa = attrs.transposeA ? swapLast(a) : a;
    const bb = attrs.transposeB ? swapLast(b) : b;
    const out = original({
      ...args,
      inputs: { ...args.inputs, a: aa, b: bb },
      attrs: { ...args.attrs, transposeA: false, transposeB: false },
    }) as TensorInfo;
    if (aa !== a) k.free(aa);
    if (bb !== b) k.free(bb);
    return out;
  };
}

export function registerWasmMatMul(): void {
  overrideWasmKernel('BatchMatMul', untranspose);
  overrideWasmKernel('_FusedMatMul', untranspose);
}
