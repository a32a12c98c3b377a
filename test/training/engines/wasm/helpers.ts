import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// Gradients are registered by tfjs-layers (which the app always loads), not by tfjs-core's main entry.
import '@tensorflow/tfjs-layers';
import { loadMnist } from '../../../../electron/training/dataset';

/** Deterministic values in [-1, 1) (a 32-bit LCG), so every backend sees the same inputs. */
export function seeded(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

/** Runs `f` on one backend (its tensors are created there) and reads every result back. */
export async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(f);
  const values = await Promise.all(outs.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(outs);
  return values;
}

/** max |a - b| over max |b|: how far apart two results are, relative to their size. */
export function relativeError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let size = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    size = Math.max(size, Math.abs(b[i]));
  }
  return size === 0 ? diff : diff / size;
}

/** The first `count` MNIST training images, through the app's own loader, and their labels. */
export async function mnistBatch(count: number): Promise<{ pixels: Float32Array; labels: Int32Array }> {
  const { train } = await loadMnist({ limit: count, testLimit: 1 });
  return { pixels: train.images, labels: Int32Array.from(train.labels) };
}

/** Tensors the wasm backend holds, counted on its side: a kernel that forgets to free a temporary shows here. */
export function wasmDataIds(): number {
  return tf.findBackend('wasm')!.numDataIds();
}
