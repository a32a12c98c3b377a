import { backend_util } from '@tensorflow/tfjs-core';
import { seeded } from './numeric';

export type Shape4 = [number, number, number, number];
/** One Conv2DBackpropFilter call: the forward conv's input and filter shapes, stride and padding. */
export interface FilterGradCase {
  xShape: Shape4;
  filterShape: Shape4;
  stride: number;
  pad: 'valid' | 'same';
}

export { seeded } from './numeric';

/** A case with a stride of its own a dimension, [height, width], as tfjs's conv2d takes it. */
export type AnyStrideCase = Omit<FilterGradCase, 'stride'> & { stride: number | [number, number] };

/** The case's inputs: x, and dy shaped as the forward conv's output. */
export function caseInputs(c: AnyStrideCase): { x: Float32Array; dy: Float32Array; dyShape: Shape4 } {
  const { outShape } = backend_util.computeConv2DInfo(c.xShape, c.filterShape, c.stride, 1, c.pad);
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  return { x: seeded(size(c.xShape), 1), dy: seeded(size(outShape), 3), dyShape: outShape };
}

/**
 * dW[kh, kw, ci, co] = sum over b, oh, ow of x[b, oh*s + kh - padTop, ow*s + kw - padLeft, ci] * dy[b, oh, ow, co],
 * summed in float64: the value float32 kernels should come near, whatever order they add in.
 */
export function referenceFilterGrad(c: AnyStrideCase): Float64Array {
  const info = backend_util.computeConv2DInfo(c.xShape, c.filterShape, c.stride, 1, c.pad);
  const { x, dy } = caseInputs(c);
  const [, H, W, ci] = c.xShape;
  const [kh, kw, , co] = c.filterShape;
  const dW = new Float64Array(kh * kw * ci * co);
  for (let b = 0; b < info.batchSize; b++) {
    for (let oh = 0; oh < info.outHeight; oh++) {
      for (let ow = 0; ow < info.outWidth; ow++) {
        const dyAt = ((b * info.outHeight + oh) * info.outWidth + ow) * co;
        for (let r = 0; r < kh; r++) {
          const xr = oh * info.strideHeight + r - info.padInfo.top;
          if (xr < 0 || xr >= H) continue;
          for (let s = 0; s < kw; s++) {
            const xc = ow * info.strideWidth + s - info.padInfo.left;
            if (xc < 0 || xc >= W) continue;
            const xAt = ((b * H + xr) * W + xc) * ci;
            for (let i = 0; i < ci; i++) {
              const xv = x[xAt + i];
              const wAt = ((r * kw + s) * ci + i) * co;
              for (let o = 0; o < co; o++) dW[wAt + o] += xv * dy[dyAt + o];
            }
          }
        }
      }
    }
  }
  return dW;
}
