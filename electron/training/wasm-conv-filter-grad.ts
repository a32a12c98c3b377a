import {
  backend_util,
  getKernel,
  registerKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/**
 * tfjs-backend-wasm registers no `Conv2DBackpropFilter`, so it cannot train a conv net. The filter gradient is a
 * correlation of the input with the output gradient, which wasm's own Transpose and Conv2D kernels compute:
 *
 *   dW[kh, kw, ci, co] = sum over b, oh, ow of x[b, oh*s + kh - pad, ow*s + kw - pad, ci] * dy[b, oh, ow, co]
 *
 * Treating x's channels as the batch and its batch as channels (x -> [Ci, H, W, N]) and dy as the filter
 * (dy -> [OH, OW, N, Co]) turns that sum into one Conv2D whose dilation is the forward stride.
 */
const backpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports NHWC only');

  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const [kh, kw, ci, co] = filterShape;
  const { top, bottom, left, right } = info.padInfo;

  const run = (name: string, ins: Record<string, TensorInfo>, a: NamedAttrMap): TensorInfo =>
    getKernel(name, 'wasm')!.kernelFunc({ inputs: ins, backend, attrs: a }) as TensorInfo;
  const free = (t: TensorInfo) => backend.disposeData(t.dataId);

  const xT = run('Transpose', { x }, { perm: [3, 1, 2, 0] });
  const dyT = run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  const corr = run('Conv2D', { x: xT, filter: dyT }, {
    strides: [1, 1],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    dataFormat: 'NHWC',
    dilations: [info.strideHeight, info.strideWidth],
    dimRoundingMode: undefined as unknown as string,
  });
  free(xT);
  free(dyT);
  // With padding or a stride the correlation can reach past the kernel's extent; keep the kernel's window.
  let window = corr;
  if (corr.shape[1] !== kh || corr.shape[2] !== kw) {
    window = run('Slice', { x: corr }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] });
    free(corr);
  }
  const dW = run('Transpose', { x: window }, { perm: [1, 2, 0, 3] });
  free(window);
  return dW;
};

export const wasmConv2DBackpropFilter: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: backpropFilter,
};

let registered = false;
/** Adds the kernel to the wasm backend once per process; a later tfjs that ships its own keeps its own. */
export function registerWasmConvFilterGrad(): void {
  if (registered || getKernel('Conv2DBackpropFilter', 'wasm') !== undefined) return;
  registerKernel(wasmConv2DBackpropFilter);
  registered = true;
}
