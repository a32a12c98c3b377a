import { checkWeights, type NamedTensor } from '../core/weights';

/**
 * Each TF.js tensor, its PyTorch counterpart, and how to get from one to the other: view the TF data with `tfView`,
 * permute its axes by `perm`, and the result is the PyTorch tensor in row-major order. Conv kernels go from
 * [kh, kw, in, out] to OIHW. fc1 is viewed as [h, w, c, out] over pool2's 5x5x64 map, so the same permutation
 * makes it [out, c, h, w], i.e. [out, in] with PyTorch's channel-major flatten (`x.view(-1, 64 * 5 * 5)` on NCHW).
 */
interface LayoutEntry {
  tf: string;
  torch: string;
  tfView: readonly number[];
  perm: readonly number[];
  shape: readonly number[];
}

const LAYOUT: readonly LayoutEntry[] = [
  { tf: 'conv1/kernel', torch: 'conv1.weight', tfView: [3, 3, 1, 32], perm: [3, 2, 0, 1], shape: [32, 1, 3, 3] },
  { tf: 'conv1/bias', torch: 'conv1.bias', tfView: [32], perm: [0], shape: [32] },
  { tf: 'conv2/kernel', torch: 'conv2.weight', tfView: [3, 3, 32, 64], perm: [3, 2, 0, 1], shape: [64, 32, 3, 3] },
  { tf: 'conv2/bias', torch: 'conv2.bias', tfView: [64], perm: [0], shape: [64] },
  { tf: 'fc1/kernel', torch: 'fc1.weight', tfView: [5, 5, 64, 128], perm: [3, 2, 0, 1], shape: [128, 1600] },
  { tf: 'fc1/bias', torch: 'fc1.bias', tfView: [128], perm: [0], shape: [128] },
  { tf: 'fc2/kernel', torch: 'fc2.weight', tfView: [128, 10], perm: [1, 0], shape: [10, 128] },
  { tf: 'fc2/bias', torch: 'fc2.bias', tfView: [10], perm: [0], shape: [10] },
];

/** The state_dict names and shapes of the reference `Net`, in its parameter order. */
export const TORCH_SPECS: ReadonlyArray<{ name: string; shape: readonly number[] }> = LAYOUT.map((l) => ({
  name: l.torch,
  shape: l.shape,
}));

/** Row-major transpose: out[i_perm[0], i_perm[1], ...] = data[i_0, i_1, ...]. */
function permute(data: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const out = new Float32Array(data.length);
  const outShape = perm.map((p) => shape[p]);
  // Stride in `data` of each output axis, so the output is walked in order with a running source index.
  const srcStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const strides = perm.map((p) => srcStrides[p]);
  const index = new Array<number>(outShape.length).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = data[src];
    for (let axis = outShape.length - 1; axis >= 0; axis--) {
      src += strides[axis];
      if (++index[axis] < outShape[axis]) break;
      src -= strides[axis] * outShape[axis];
      index[axis] = 0;
    }
  }
  return out;
}

function inverse(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/** TF.js layout (weights.ts) to the reference `Net`'s state_dict, in its order. */
export function toTorch(weights: readonly NamedTensor[]): NamedTensor[] {
  checkWeights(weights);
  return LAYOUT.map((l, i) => ({
    name: l.torch,
    shape: [...l.shape],
    data: permute(weights[i].data, l.tfView, l.perm),
  }));
}

/** A state_dict of the reference `Net` (any order) back to TF.js layout. */
export function fromTorch(tensors: readonly NamedTensor[]): NamedTensor[] {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const weights = LAYOUT.map((l) => {
    const t = byName.get(l.torch);
    if (!t) throw new Error(`state_dict has no ${l.torch}`);
    if (t.shape.join() !== l.shape.join()) throw new Error(`${l.torch} should be [${l.shape}], got [${t.shape}]`);
    const torchView = l.perm.map((p) => l.tfView[p]);
    const tfShape = l.tf === 'fc1/kernel' ? [1600, 128] : [...l.tfView];
    return { name: l.tf, shape: tfShape, data: permute(t.data, torchView, inverse(l.perm)) };
  });
  checkWeights(weights);
  return weights;
}

/** Valid 3x3 convolution of a [c, hw, hw] map with OIHW weights, then ReLU. */
function conv3x3Relu(x: Float64Array, c: number, hw: number, w: Float32Array, b: Float32Array, out: number) {
  const o = hw - 2;
  const y = new Float64Array(out * o * o);
  for (let f = 0; f < out; f++) {
    for (let i = 0; i < o; i++) {
      for (let j = 0; j < o; j++) {
        let s = b[f];
        for (let ch = 0; ch < c; ch++) {
          for (let ki = 0; ki < 3; ki++) {
            const wAt = ((f * c + ch) * 3 + ki) * 3;
            const xAt = (ch * hw + i + ki) * hw + j;
            for (let kj = 0; kj < 3; kj++) s += w[wAt + kj] * x[xAt + kj];
          }
        }
        y[(f * o + i) * o + j] = s > 0 ? s : 0;
      }
    }
  }
  return y;
}

function maxPool2(x: Float64Array, c: number, hw: number): Float64Array {
  const o = Math.floor(hw / 2);
  const y = new Float64Array(c * o * o);
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < o; i++) {
      for (let j = 0; j < o; j++) {
        const at = (ch * hw + 2 * i) * hw + 2 * j;
        y[(ch * o + i) * o + j] = Math.max(x[at], x[at + 1], x[at + hw], x[at + hw + 1]);
      }
    }
  }
  return y;
}

function linear(x: Float64Array, w: Float32Array, b: Float32Array, out: number, relu: boolean): Float64Array {
  const y = new Float64Array(out);
  for (let o = 0; o < out; o++) {
    let s = b[o];
    for (let i = 0; i < x.length; i++) s += w[o * x.length + i] * x[i];
    y[o] = relu && s < 0 ? 0 : s;
  }
  return y;
}

/**
 * The reference `Net.forward` over NCHW images in plain TypeScript, reading PyTorch-layout weights. It shares no
 * code with TF.js, so agreement between the two proves the exported layout (in particular fc1's flatten order).
 * Accumulates in float64: the result is the exact answer within float32 rounding of the weights and inputs.
 */
export function forwardNchw(torchWeights: readonly NamedTensor[], images: Float32Array, n: number): Float32Array {
  const w = new Map(torchWeights.map((t) => [t.name, t.data]));
  const get = (name: string): Float32Array => {
    const data = w.get(name);
    if (!data) throw new Error(`missing ${name}`);
    return data;
  };
  if (images.length !== n * 784) throw new Error(`expected ${n * 784} pixels, got ${images.length}`);
  const logits = new Float32Array(n * 10);
  for (let k = 0; k < n; k++) {
    let x: Float64Array = Float64Array.from(images.subarray(k * 784, (k + 1) * 784));
    x = maxPool2(conv3x3Relu(x, 1, 28, get('conv1.weight'), get('conv1.bias'), 32), 32, 26);
    x = maxPool2(conv3x3Relu(x, 32, 13, get('conv2.weight'), get('conv2.bias'), 64), 64, 11);
    x = linear(x, get('fc1.weight'), get('fc1.bias'), 128, true);
    logits.set(linear(x, get('fc2.weight'), get('fc2.bias'), 10, false), k * 10);
  }
  return logits;
}
