/**
 * The forward kernels of the reference network (core/model.ts), NHWC as TF.js lays it out. Formulas: a valid 3x3
 * convolution y[oh, ow, co] = b[co] + sum over kh, kw, ci of x[oh + kh, ow + kw, ci] * W[kh, kw, ci, co] (TF.js
 * conv2d, stride 1); relu; 2x2 max-pool, stride 2, keeping the first maximum of each window in row-major order as
 * TF.js's maxPoolPositions does (its gradient goes there). Relu is monotonic, so pooling the relu'd values equals
 * relu of the pooled pre-activations, and the pooled value is > 0 exactly where relu's gradient passes.
 */
import type { KernelSpec } from './kernel';
import { PER_SAMPLE } from './layout';

/** conv1 + bias + relu + pool1: x [n, 28, 28, 1] -> p1 [n, 13, 13, 32] and a1, each window's argmax (0..3, row-major). */
export const conv1Pool: KernelSpec = {
  name: 'conv1-pool',
  bindings: [
    ['x', 'read'],
    ['w', 'read'],
    ['p1', 'read_write'],
    ['a1', 'read_write'],
  ],
  threads: (n) => n * PER_SAMPLE.p1,
  body: `
  if (t >= u.n * ${PER_SAMPLE.p1}u) { return; }
  let co = t % 32u;
  let pw = (t / 32u) % 13u;
  let ph = (t / 416u) % 13u;
  let b = t / ${PER_SAMPLE.p1}u;
  var best = 0.0;
  var arg = 0u;
  for (var s = 0u; s < 4u; s++) {
    let oh = 2u * ph + s / 2u;
    let ow = 2u * pw + s % 2u;
    var acc = 0.0;
    for (var kh = 0u; kh < 3u; kh++) {
      for (var kw = 0u; kw < 3u; kw++) {
        acc += x[b * 784u + (oh + kh) * 28u + ow + kw] * w[C1K + (kh * 3u + kw) * 32u + co];
      }
    }
    let r = max(acc + w[C1B + co], 0.0);
    if (s == 0u || r > best) { best = r; arg = s; }
  }
  p1[t] = best;
  a1[t] = arg;`,
};

/**
 * conv2 + bias + relu + pool2: p1 [n, 13, 13, 32] -> p2 [n, 5, 5, 64] (conv2's row and column 10 pool nowhere). A
 * thread owns 4 output channels of one pooled cell: per input channel it loads the cell's 4x4 input patch once and
 * the 9 taps' weights as vec4s (W's channels are contiguous), for 144 multiply-adds; p2 and a2 are written as vec4s.
 */
export const conv2Pool: KernelSpec = {
  name: 'conv2-pool',
  bindings: [
    ['p1', 'read'],
    ['w', 'read', 'vec4<f32>'],
    ['p2', 'read_write', 'vec4<f32>'],
    ['a2', 'read_write', 'vec4<u32>'],
  ],
  threads: (n) => n * 400,
  body: `
  if (t >= u.n * 400u) { return; }
  let c4 = t % 16u;
  let cell = (t / 16u) % 25u;
  let b = t / 400u;
  let corner = b * ${PER_SAMPLE.p1}u + (2u * (cell / 5u) * 13u + 2u * (cell % 5u)) * 32u;
  var acc = array<vec4<f32>, 4>(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
  for (var ci = 0u; ci < 32u; ci++) {
    var x: array<f32, 16>;
    for (var r = 0u; r < 4u; r++) {
      for (var c = 0u; c < 4u; c++) { x[r * 4u + c] = p1[corner + (r * 13u + c) * 32u + ci]; }
    }
    for (var kh = 0u; kh < 3u; kh++) {
      for (var kw = 0u; kw < 3u; kw++) {
        let wv = w[(C2K + ((kh * 3u + kw) * 32u + ci) * 64u) / 4u + c4];
        for (var s = 0u; s < 4u; s++) { acc[s] += x[(s / 2u + kh) * 4u + s % 2u + kw] * wv; }
      }
    }
  }
  let bias = w[C2B / 4u + c4];
  var best = max(acc[0] + bias, vec4<f32>(0.0));
  var arg = vec4<u32>(0u);
  for (var s = 1u; s < 4u; s++) {
    let r = max(acc[s] + bias, vec4<f32>(0.0));
    let better = r > best;
    best = select(best, r, better);
    arg = select(arg, vec4<u32>(s), better);
  }
  p2[t] = best;
  a2[t] = arg;`,
};

/** fc1 + bias + relu: h1[b, j] = relu(b1[j] + sum_i p2[b, i] * W1[i, j]), W1 [1600, 128]. */
export const fc1: KernelSpec = {
  name: 'fc1',
  bindings: [
    ['p2', 'read'],
    ['w', 'read'],
    ['h1', 'read_write'],
  ],
  threads: (n) => n * 128,
  body: `
  if (t >= u.n * 128u) { return; }
  let j = t % 128u;
  let b = t / 128u;
  var acc = 0.0;
  for (var i = 0u; i < 1600u; i++) {
    acc += p2[b * 1600u + i] * w[F1K + i * 128u + j];
  }
  h1[t] = max(acc + w[F1B + j], 0.0);`,
};

/**
 * fc2, softmax cross-entropy and its gradient in one workgroup: logits z = h1 W2 + b2, loss_b = logsumexp(z) - z[y_b]
 * (TF.js softmaxCrossEntropy, max subtracted first), the batch's mean loss into losses[slot], and
 * dl[b, k] = (softmax(z)[k] - onehot(y_b)[k]) / n, the mean's gradient. One workgroup so the mean needs no atomics.
 */
export const head: KernelSpec = {
  name: 'head',
  bindings: [
    ['h1', 'read'],
    ['w', 'read'],
    ['labels', 'read'],
    ['dl', 'read_write'],
    ['losses', 'read_write'],
  ],
  threads: () => 256,
  workgroupSize: 256,
  declarations: 'var<workgroup> sums: array<f32, 256>;',
  body: `
  var total = 0.0;
  let n = f32(u.n);
  for (var b = lid; b < u.n; b += 256u) {
    var z: array<f32, 10>;
    var top = -3.4e38;
    for (var k = 0u; k < 10u; k++) {
      var acc = 0.0;
      for (var i = 0u; i < 128u; i++) {
        acc += h1[b * 128u + i] * w[F2K + i * 10u + k];
      }
      z[k] = acc + w[F2B + k];
      top = max(top, z[k]);
    }
    var sum = 0.0;
    for (var k = 0u; k < 10u; k++) { sum += exp(z[k] - top); }
    let y = labels[b];
    total += top + log(sum) - z[y];
    for (var k = 0u; k < 10u; k++) {
      dl[b * 10u + k] = (exp(z[k] - top) / sum - select(0.0, 1.0, k == y)) / n;
    }
  }
  sums[lid] = total;
  workgroupBarrier();
  for (var stride = 128u; stride > 0u; stride >>= 1u) {
    if (lid < stride) { sums[lid] += sums[lid + stride]; }
    workgroupBarrier();
  }
  if (lid == 0u) { losses[u.slot] = sums[0] / n; }`,
};
