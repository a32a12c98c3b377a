/**
 * One image through the trained network in plain TypeScript, from the stored weights: no engine to start, so the
 * app can answer a drawing live in main. The layers are the reference's `Net` (shared/REFERENCE.md) in TF.js layout
 * (weights.ts): valid 3x3 convolutions, 2x2 max-pooling with stride 2, channel-last flatten.
 */
import { IMAGE_SIZE } from '../mnist/errors';
import { checkWeights, type NamedTensor } from './weights';

/**
 * Class probabilities (softmax of the logits) for one 28x28 image.
 * @param weights the network's tensors in WEIGHT_SPECS order (checked).
 * @param pixels 784 values, row-major, already normalised as the reference does: (x/255 - 0.5) / 0.5, in [-1, 1].
 * @returns 10 probabilities summing to 1.
 * @throws when the weights are not the network's or the image is not 784 values.
 */
export function predictDigit(weights: readonly NamedTensor[], pixels: ArrayLike<number>): Float32Array {
  checkWeights(weights);
  if (pixels.length !== IMAGE_SIZE) throw new Error(`an image is ${IMAGE_SIZE} pixels, got ${pixels.length}`);
  const [k1, b1, k2, b2, w3, b3, w4, b4] = weights.map((w) => w.data);
  const c1 = maxPool(conv3x3Relu(Float32Array.from(pixels), 28, 1, k1, b1, 32), 26, 32); // 13x13x32
  const c2 = maxPool(conv3x3Relu(c1, 13, 32, k2, b2, 64), 11, 64); // 5x5x64 = 1600
  const h = dense(c2, w3, b3, 128, true);
  return softmax(dense(h, w4, b4, 10, false));
}

/** Valid 3x3 convolution + ReLU on a square HWC image; kernel [kh, kw, in, out]. */
function conv3x3Relu(
  x: Float32Array,
  side: number,
  cin: number,
  kernel: Float32Array,
  bias: Float32Array,
  cout: number,
): Float32Array {
  const outSide = side - 2;
  const out = new Float32Array(outSide * outSide * cout);
  const acc = new Float32Array(cout);
  for (let y = 0; y < outSide; y++) {
    for (let x0 = 0; x0 < outSide; x0++) {
      acc.set(bias);
      for (let ky = 0; ky < 3; ky++) {
        for (let kx = 0; kx < 3; kx++) {
          const xBase = ((y + ky) * side + x0 + kx) * cin;
          const kBase = (ky * 3 + kx) * cin * cout;
          for (let ci = 0; ci < cin; ci++) {
            const v = x[xBase + ci];
            if (v === 0) continue;
            const row = kBase + ci * cout;
            for (let co = 0; co < cout; co++) acc[co] += v * kernel[row + co];
          }
        }
      }
      const o = (y * outSide + x0) * cout;
      for (let co = 0; co < cout; co++) out[o + co] = acc[co] > 0 ? acc[co] : 0;
    }
  }
  return out;
}

/** 2x2 max-pooling, stride 2, floor (an odd last row and column are dropped, as PyTorch and TF.js 'valid' do). */
function maxPool(x: Float32Array, side: number, channels: number): Float32Array {
  const outSide = Math.floor(side / 2);
  const out = new Float32Array(outSide * outSide * channels);
  for (let y = 0; y < outSide; y++) {
    for (let x0 = 0; x0 < outSide; x0++) {
      for (let c = 0; c < channels; c++) {
        const at = (yy: number, xx: number) => x[(yy * side + xx) * channels + c];
        out[(y * outSide + x0) * channels + c] = Math.max(
          at(2 * y, 2 * x0),
          at(2 * y, 2 * x0 + 1),
          at(2 * y + 1, 2 * x0),
          at(2 * y + 1, 2 * x0 + 1),
        );
      }
    }
  }
  return out;
}

/** x [in] times kernel [in, out] plus bias. */
function dense(x: Float32Array, kernel: Float32Array, bias: Float32Array, units: number, relu: boolean): Float32Array {
  const out = Float32Array.from(bias);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v === 0) continue;
    const row = i * units;
    for (let j = 0; j < units; j++) out[j] += v * kernel[row + j];
  }
  if (relu) for (let j = 0; j < units; j++) if (out[j] < 0) out[j] = 0;
  return out;
}

/** Softmax with the maximum subtracted first, so large logits do not overflow. */
function softmax(logits: Float32Array): Float32Array {
  const max = Math.max(...logits);
  const exps = logits.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / sum);
}
