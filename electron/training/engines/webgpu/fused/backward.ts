/**
 * The backward kernels and the update. Each gradient is the chain rule of forward.ts, written out: for y = x W + b,
 * dW = x^T dy, db = sum over the batch of dy, dx = dy W^T; relu passes dy where its output is > 0; max-pool sends a
 * window's dy to the window's argmax only; for the 3x3 convolution dW[kh, kw, ci, co] = sum over b, oh, ow of
 * x[b, oh + kh, ow + kw, ci] * dy[b, oh, ow, co] and dx[b, h, w, ci] = sum over kh, kw, co of
 * dy[b, h - kh, w - kw, co] * W[kh, kw, ci, co]. A pooled network's conv dy is nonzero at argmaxes only, so the
 * sums run over the pooled cells (25 or 169 a sample) instead of every output pixel. Independent sums share a
 * dispatch as ranges of `t`, which is what keeps a step at 9 dispatches.
 */
import type { KernelSpec } from './kernel';
import { CONV2_GRAD, PARAMETER_COUNT, PER_SAMPLE } from './layout';

/** fc2's dW [128, 10] and db [10] into g; dh1 [n, 128] = (dl W2^T) where h1 > 0 (fc1's relu). */
export const fc2Grad: KernelSpec = {
  name: 'fc2-grad',
  bindings: [
    ['h1', 'read'],
    ['dl', 'read'],
    ['w', 'read'],
    ['g', 'read_write'],
    ['dh1', 'read_write'],
  ],
  threads: (n) => 1290 + n * 128,
  body: `
  if (t < 1280u) {
    let i = t / 10u;
    let k = t % 10u;
    var acc = 0.0;
    for (var b = 0u; b < u.n; b++) { acc += h1[b * 128u + i] * dl[b * 10u + k]; }
    g[F2K + t] = acc;
  } else if (t < 1290u) {
    let k = t - 1280u;
    var acc = 0.0;
    for (var b = 0u; b < u.n; b++) { acc += dl[b * 10u + k]; }
    g[F2B + k] = acc;
  } else if (t < 1290u + u.n * 128u) {
    let q = t - 1290u;
    let b = q / 128u;
    let i = q % 128u;
    var acc = 0.0;
    if (h1[q] > 0.0) {
      for (var k = 0u; k < 10u; k++) { acc += dl[b * 10u + k] * w[F2K + i * 10u + k]; }
    }
    dh1[q] = acc;
  }`,
};

/**
 * fc1's dW [1600, 128] and db [128] into g; g2 [n, 5, 5, 64] = (dh1 W1^T) where p2 > 0 (conv2's relu, pooled), and
 * the same spread back over conv2's output, dz2 [n, 10, 10, 64]: g2 at each window's argmax, 0 at the other three.
 */
export const fc1Grad: KernelSpec = {
  name: 'fc1-grad',
  bindings: [
    ['p2', 'read'],
    ['dh1', 'read'],
    ['w', 'read'],
    ['a2', 'read'],
    ['g', 'read_write'],
    ['g2', 'read_write'],
    ['dz2', 'read_write'],
  ],
  threads: (n) => 204928 + n * PER_SAMPLE.p2,
  body: `
  if (t < 204800u) {
    let i = t / 128u;
    let j = t % 128u;
    var acc = 0.0;
    for (var b = 0u; b < u.n; b++) { acc += p2[b * 1600u + i] * dh1[b * 128u + j]; }
    g[F1K + t] = acc;
  } else if (t < 204928u) {
    let j = t - 204800u;
    var acc = 0.0;
    for (var b = 0u; b < u.n; b++) { acc += dh1[b * 128u + j]; }
    g[F1B + j] = acc;
  } else if (t < 204928u + u.n * 1600u) {
    let q = t - 204928u;
    let b = q / 1600u;
    let i = q % 1600u;
    var acc = 0.0;
    if (p2[q] > 0.0) {
      for (var j = 0u; j < 128u; j++) { acc += dh1[b * 128u + j] * w[F1K + i * 128u + j]; }
    }
    g2[q] = acc;
    let co = i % 64u;
    let cell = i / 64u;
    for (var s = 0u; s < 4u; s++) {
      let at = (2u * (cell / 5u) + s / 2u) * 10u + 2u * (cell % 5u) + s % 2u;
      dz2[(b * 100u + at) * 64u + co] = select(0.0, acc, a2[q] == s);
    }
  }`,
};

/**
 * conv2's dW and db as partial sums pc2 [chunks, 18496] (CONV2_CHUNK images each; the update adds them), and
 * g1 [n, 13, 13, 32], the gradient at pool1's output where p1 > 0 (conv1's relu, pooled), from the dense dz2: a
 * thread owns 4 input channels of one pixel and takes 4 output channels a load (vec4 dot products).
 */
export const conv2Grad: KernelSpec = {
  name: 'conv2-grad',
  bindings: [
    ['g2', 'read'],
    ['a2', 'read'],
    ['p1', 'read', 'vec4<f32>'],
    ['w', 'read', 'vec4<f32>'],
    ['dz2', 'read', 'vec4<f32>'],
    ['pc2', 'read_write'],
    ['g1', 'read_write', 'vec4<f32>'],
  ],
  threads: (n, chunks) => chunks * CONV2_GRAD + (n * PER_SAMPLE.p1) / 4,
  body: `
  let partials = u.chunks * ${CONV2_GRAD}u;
  if (t < partials) {
    let c = t / ${CONV2_GRAD}u;
    let r = t % ${CONV2_GRAD}u;
    let first = c * 4u;
    let last = min(first + 4u, u.n);
    var acc = 0.0;
    if (r < 18432u) {
      let co = r % 64u;
      let ci = (r / 64u) % 32u;
      let kh = r / 6144u;
      let kw = (r / 2048u) % 3u;
      for (var b = first; b < last; b++) {
        for (var cell = 0u; cell < 25u; cell++) {
          let q = b * 1600u + cell * 64u + co;
          let d = g2[q];
          if (d != 0.0) {
            let s = a2[q];
            let oh = 2u * (cell / 5u) + s / 2u + kh;
            let ow = 2u * (cell % 5u) + s % 2u + kw;
            let at = b * ${PER_SAMPLE.p1}u + (oh * 13u + ow) * 32u + ci;
            acc += d * p1[at / 4u][at % 4u];
          }
        }
      }
    } else {
      let co = r - 18432u;
      for (var b = first; b < last; b++) {
        for (var cell = 0u; cell < 25u; cell++) { acc += g2[b * 1600u + cell * 64u + co]; }
      }
    }
    pc2[t] = acc;
  } else if (t < partials + u.n * ${PER_SAMPLE.p1 / 4}u) {
    let q = t - partials;
    let c4 = q % 8u;
    let w0 = i32((q / 8u) % 13u);
    let h0 = i32((q / 104u) % 13u);
    let b = q / ${PER_SAMPLE.p1 / 4}u;
    var acc = vec4<f32>(0.0);
    for (var kh = 0; kh < 3; kh++) {
      let oh = h0 - kh;
      if (oh < 0 || oh >= 10) { continue; }
      for (var kw = 0; kw < 3; kw++) {
        let ow = w0 - kw;
        if (ow < 0 || ow >= 10) { continue; }
        let dz = (b * 100u + u32(oh * 10 + ow)) * 16u;
        let row = (C2K + (u32(kh * 3 + kw) * 32u + c4 * 4u) * 64u) / 4u;
        for (var co = 0u; co < 16u; co++) {
          let d = dz2[dz + co];
          acc += vec4<f32>(dot(d, w[row + co]), dot(d, w[row + 16u + co]), dot(d, w[row + 32u + co]),
                           dot(d, w[row + 48u + co]));
        }
      }
    }
    g1[q] = select(vec4<f32>(0.0), acc, p1[q] > vec4<f32>(0.0));
  }`,
};

/** conv1's dW [3, 3, 1, 32] and db [32] as one partial sum a sample, pc1 [n, 320]; the update adds them. */
export const conv1Grad: KernelSpec = {
  name: 'conv1-grad',
  bindings: [
    ['g1', 'read'],
    ['a1', 'read'],
    ['x', 'read'],
    ['pc1', 'read_write'],
  ],
  threads: (n) => n * PER_SAMPLE.conv1Grad,
  body: `
  if (t >= u.n * 320u) { return; }
  let b = t / 320u;
  let r = t % 320u;
  var acc = 0.0;
  if (r < 288u) {
    let co = r % 32u;
    let kh = r / 96u;
    let kw = (r / 32u) % 3u;
    for (var cell = 0u; cell < 169u; cell++) {
      let q = b * ${PER_SAMPLE.p1}u + cell * 32u + co;
      let d = g1[q];
      if (d != 0.0) {
        let s = a1[q];
        let oh = 2u * (cell / 13u) + s / 2u + kh;
        let ow = 2u * (cell % 13u) + s % 2u + kw;
        acc += d * x[b * 784u + oh * 28u + ow];
      }
    }
  } else {
    let co = r - 288u;
    for (var cell = 0u; cell < 169u; cell++) { acc += g1[b * ${PER_SAMPLE.p1}u + cell * 32u + co]; }
  }
  pc1[t] = acc;`,
};

/**
 * Adds up the conv partial sums into g (so g holds the whole gradient after a step), then TF.js's momentum update
 * (tf.train.momentum, no Nesterov): v = momentum * v + g; w = w - lr * v.
 */
export const update: KernelSpec = {
  name: 'update',
  bindings: [
    ['pc1', 'read'],
    ['pc2', 'read'],
    ['g', 'read_write'],
    ['v', 'read_write'],
    ['w', 'read_write'],
  ],
  threads: () => PARAMETER_COUNT,
  body: `
  if (t >= ${PARAMETER_COUNT}u) { return; }
  var grad = 0.0;
  if (t < C2K) {
    for (var b = 0u; b < u.n; b++) { grad += pc1[b * 320u + t]; }
  } else if (t < F1K) {
    for (var c = 0u; c < u.chunks; c++) { grad += pc2[c * ${CONV2_GRAD}u + t - C2K]; }
  } else {
    grad = g[t];
  }
  g[t] = grad;
  let velocity = u.momentum * v[t] + grad;
  v[t] = velocity;
  w[t] = w[t] - u.lr * velocity;`,
};
