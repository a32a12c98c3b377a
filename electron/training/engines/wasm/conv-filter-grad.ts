import {
  backend_util,
  getKernel,
  registerKernel,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { FilterGradAttrs } from '../filter-grad-plan';
import { WasmCalls, type WasmBackend } from './kernel-call';

/**
 * tfjs-backend-wasm registers no `Conv2DBackpropFilter`, so it cannot train a conv net. The filter gradient is a
 * correlation of the input with the output gradient,
 *
 *   dW[kh, kw, ci, co] = sum over b, oh, ow of x[b, oh*s + kh - pad, ow*s + kw - pad, ci] * dy[b, oh, ow, co],
 *
 * built here from wasm's own (XNNPACK) kernels in one of two ways; see each for when it wins.
 */
const backpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs as unknown as FilterGradAttrs;
  if (a.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports NHWC only');
  const k = new WasmCalls(backend as WasmBackend);
  // Timed with fresh tensors every call, as in training (XNNPACK caches operators per tensor): for conv1 (one input
  // channel) patches took about 5 ms against 8.5; at 2 channels they tie; from 4 the correlation wins (15 against
  // 31 ms at 32 channels).
  return a.filterShape[2] === 1 ? viaPatches(k, x, dy, a) : viaCorrelation(k, x, dy, a);
};

/**
 * Treats x's channels as the batch and its batch as channels (x -> [Ci, H, W, N]) and dy as the filter
 * (dy -> [OH, OW, N, Co]): one Conv2D whose dilation is the forward stride. With few input channels that conv has a
 * batch of one and a huge filter, which XNNPACK runs slowly.
 */
function viaCorrelation(k: WasmCalls, x: TensorInfo, dy: TensorInfo, a: FilterGradAttrs): TensorInfo {
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    a.filterShape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    'channelsLast',
  );
  const [kh, kw, ci, co] = a.filterShape;
  const { top, bottom, left, right } = info.padInfo;
  const xT = k.transpose(x, [3, 1, 2, 0]);
  const dyT = k.transpose(dy, [1, 2, 0, 3]);
  const corr = k.run(
    'Conv2D',
    { x: xT, filter: dyT },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [info.strideHeight, info.strideWidth],
    },
  );
  k.free(xT, dyT);
  // With padding or a stride the correlation can reach past the kernel's extent; keep the kernel's window.
  let window = corr;
  if (corr.shape[1] !== kh || corr.shape[2] !== kw) {
    window = k.run('Slice', { x: corr }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] });
    k.free(corr);
  }
  const dW = k.transpose(window, [1, 2, 0, 3]);
  k.free(window);
  return dW;
}

/**
 * im2col and one matrix product: a depthwise conv with one-hot filters copies each kh x kw patch into channels
 * (exactly: every output is one input times 1 plus zeros), then dW^T = dy^T . patches. Cheap while Ci * kh * kw is
 * small; the depthwise step grows with its square. Infinite inputs would spread NaN (inf * 0) across the patch.
 */
function viaPatches(k: WasmCalls, x: TensorInfo, dy: TensorInfo, a: FilterGradAttrs): TensorInfo {
  const [kh, kw, ci, co] = a.filterShape;
  const taps = kh * kw;
  const oneHot = k.backend.makeOutput([kh, kw, ci, taps], 'float32');
  const values = k.f32(oneHot);
  values.fill(0);
  for (let t = 0; t < taps; t++) for (let c = 0; c < ci; c++) values[(t * ci + c) * taps + t] = 1;
  // Channel c * taps + t of the result is x under tap t of channel c.
  const patches = k.run(
    'DepthwiseConv2dNative',
    { x, filter: oneHot },
    {
      strides: a.strides,
      pad: a.pad,
      dilations: [1, 1],
      ...(a.dimRoundingMode ? { dimRoundingMode: a.dimRoundingMode } : {}),
    },
  );
  k.free(oneHot);
  const rows = dy.shape[0] * dy.shape[1] * dy.shape[2];
  const cols = k.reshape(patches, [rows, ci * taps]);
  // XNNPACK packs the right operand afresh for every new tensor: keep the small one (cols) on that side.
  const dy2 = k.reshape(dy, [rows, co]);
  const dyT = k.transpose(dy2, [1, 0]);
  const product = k.run('BatchMatMul', { a: dyT, b: cols }, { transposeA: false, transposeB: false });
  k.free(patches, cols, dy2, dyT);
  const byChannel = k.reshape(product, [co, ci, kh, kw]);
  const dW = k.transpose(byChannel, [2, 3, 1, 0]);
  k.free(product, byChannel);
  return dW;
}

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
