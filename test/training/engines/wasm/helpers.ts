import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// Gradients are registered by tfjs-layers (which the app always loads), not by tfjs-core's main entry.
import '@tensorflow/tfjs-layers';
import { loadMnist } from '../../../../electron/training/core/dataset';

export { relativeError, seeded } from '../numeric';

/** Runs `f` on one backend (its tensors are created there) and reads every result back. */
export async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(f);
  const values = await Promise.all(outs.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(outs);
  return values;
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
