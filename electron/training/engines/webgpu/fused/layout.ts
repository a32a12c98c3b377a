/**
 * Where the fused step keeps everything on the GPU: the 8 weight tensors packed into one float32 buffer (and the
 * momentum and gradient buffers in the same order), and the sizes of the activations a sample needs. One buffer for
 * all weights lets one update dispatch touch all of them and keeps every kernel's bindings under WebGPU's default
 * limit of 8 storage buffers a stage.
 */
import { PARAMETER_COUNT, WEIGHT_SPECS } from '../../../core/weights';

/** Offset in floats of each weight tensor in the packed buffer, in WEIGHT_SPECS order (TF.js layout inside each). */
export const OFFSETS: readonly number[] = WEIGHT_SPECS.map((_, i) =>
  WEIGHT_SPECS.slice(0, i).reduce((sum, spec) => sum + size(spec.shape), 0),
);

export { PARAMETER_COUNT };

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** WGSL constants naming each tensor's offset: C1K conv1/kernel, C1B conv1/bias, ..., F2B fc2/bias. */
export const OFFSET_CONSTANTS = ['C1K', 'C1B', 'C2K', 'C2B', 'F1K', 'F1B', 'F2K', 'F2B']
  .map((name, i) => `const ${name} = ${OFFSETS[i]}u;`)
  .join('\n');

/** Floats (or u32s) a sample occupies in each activation buffer; NHWC throughout, as the TF.js model is. */
export const PER_SAMPLE = {
  /** The input image, [28, 28, 1]. */
  x: 28 * 28,
  /** conv1 -> relu -> pool1, [13, 13, 32]; its gradient and the argmax of each 2x2 window have the same shape. */
  p1: 13 * 13 * 32,
  /** conv2 -> relu -> pool2, [5, 5, 64] = fc1's 1,600 inputs flattened (h, w, c). */
  p2: 5 * 5 * 64,
  /** The gradient at conv2's output rows and columns 0-9 (those pool2 reads), [10, 10, 64]. */
  dz2: 10 * 10 * 64,
  /** fc1 after relu, [128]. */
  h1: 128,
  /** d loss / d logits, [10]. */
  logits: 10,
  /** conv1's weight gradient (288 kernel + 32 bias values) as one sample's partial sum. */
  conv1Grad: 320,
} as const;

/** Images whose conv2 weight gradients one partial sum covers: short sums a thread, few partials to add up. */
export const CONV2_CHUNK = 4;
/** conv2's kernel and bias as one range of the packed buffer: 18,432 + 64 values. */
export const CONV2_GRAD = 3 * 3 * 32 * 64 + 64;

/** Steps whose mean losses can wait on the GPU for the next read. */
export const LOSS_SLOTS = 1024;
