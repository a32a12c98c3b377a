/**
 * Trained weights travel between the worker, the history store and the exporters in one engine-neutral form:
 * float32 tensors in TensorFlow.js layout, in this fixed order. Exporters convert to other layouts from here.
 */
export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** TF.js layout: conv kernels [kh, kw, in, out], dense kernels [in, out]. fc1's inputs are flattened h, w, c. */
export const WEIGHT_SPECS: ReadonlyArray<{ name: string; shape: readonly number[] }> = [
  { name: 'conv1/kernel', shape: [3, 3, 1, 32] },
  { name: 'conv1/bias', shape: [32] },
  { name: 'conv2/kernel', shape: [3, 3, 32, 64] },
  { name: 'conv2/bias', shape: [64] },
  { name: 'fc1/kernel', shape: [1600, 128] },
  { name: 'fc1/bias', shape: [128] },
  { name: 'fc2/kernel', shape: [128, 10] },
  { name: 'fc2/bias', shape: [10] },
];

export const PARAMETER_COUNT = WEIGHT_SPECS.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);

/** Throws unless `weights` is exactly the network's set of tensors, in order, with matching sizes. */
export function checkWeights(weights: readonly NamedTensor[]): void {
  if (weights.length !== WEIGHT_SPECS.length) {
    throw new Error(`expected ${WEIGHT_SPECS.length} weight tensors, got ${weights.length}`);
  }
  WEIGHT_SPECS.forEach((spec, i) => {
    const w = weights[i];
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (w.name !== spec.name || w.shape.join() !== spec.shape.join() || w.data.length !== size) {
      throw new Error(
        `weight ${i} should be ${spec.name} [${spec.shape}], got ${w.name} [${w.shape}] (${w.data.length} values)`,
      );
    }
    if (!(w.data instanceof Float32Array)) throw new Error(`weight ${spec.name} must be a Float32Array`);
  });
}
