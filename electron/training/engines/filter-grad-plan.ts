import { backend_util, type TensorInfo } from '@tensorflow/tfjs-core';

/** Conv2DBackpropFilter's attributes, as tfjs-core's conv2d gradient passes them. */
export interface FilterGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * How the filter gradient's reduction is cut up. The gradient of a conv's filter is
 *
 *   dW[kh, kw, ci, co] = sum over b, oh, ow of x[b, oh + kh - padTop, ow + kw - padLeft, ci] * dy[b, oh, ow, co]
 *
 * (stride 1; the correlation of the input with the output gradient, as in tfjs's Conv2DDerFilterProgram). tfjs
 * gives each of the kh*kw*ci*co weights one thread that runs the whole sum: 288 threads of 43,264 products for conv1
 * at batch 64. Here the `rows` (b, oh) of the sum are cut into `splits` runs of `rowsPerSplit`; pass 1 writes one
 * partial sum per split and weight ([splits, kh*kw*ci*co]), pass 2 adds each weight's partials.
 */
export interface FilterGradPlan {
  info: backend_util.Conv2DInfo;
  /** kh*kw*ci*co: the number of weights, one partial sum each per split. */
  weights: number;
  /** batch * outHeight. */
  rows: number;
  rowsPerSplit: number;
  splits: number;
}

/**
 * Products a thread should at least sum, in units of output pixels (inner-loop turns): shorter threads spend more
 * on finding their place than on the sum, and pass 2 gets longer. 256 keeps conv1 at 10 rows of 26 pixels.
 */
const MIN_PIXELS_PER_THREAD = 256;

/**
 * The plan for one call, or null when the call is not one these kernels handle (NCHW, a stride other than 1, a
 * dtype other than float32, an empty tensor): the caller then runs tfjs's own kernel. Any padding is handled.
 * `threads` is how many pass-1 threads (times weights per thread) to aim for: enough to fill a large GPU, each
 * still summing whole rows, at least MIN_PIXELS_PER_THREAD pixels.
 */
export function planFilterGrad(
  x: TensorInfo,
  dy: TensorInfo,
  attrs: FilterGradAttrs,
  threads: number,
): FilterGradPlan | null {
  if (attrs.dataFormat !== 'NHWC' || x.dtype !== 'float32' || dy.dtype !== 'float32') return null;
  if (x.shape.length !== 4 || x.shape.some((d) => d === 0) || dy.shape.some((d) => d === 0)) return null;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  if (info.strideHeight !== 1 || info.strideWidth !== 1) return null;
  const weights = info.filterHeight * info.filterWidth * info.inChannels * info.outChannels;
  const rows = info.batchSize * info.outHeight;
  const wanted = Math.min(rows, Math.max(1, Math.ceil(threads / weights)));
  const rowsPerSplit = Math.max(Math.ceil(rows / wanted), Math.ceil(MIN_PIXELS_PER_THREAD / info.outWidth));
  return { info, weights, rows, rowsPerSplit: Math.min(rowsPerSplit, rows), splits: Math.ceil(rows / rowsPerSplit) };
}
