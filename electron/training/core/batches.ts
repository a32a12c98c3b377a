/**
 * Where a training step's batch comes from: filled on the host and uploaded ('host', the CPU engines), or gathered
 * on the backend from the whole split uploaded once ('device', the GPU engines). The loop and the batch-size sweep
 * (sweep.ts) use the same two, so a sweep times the step the app trains with.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MnistSplit } from './dataset';

export type BatchSource = 'host' | 'device';

/** A batch: `xs` [size, 28, 28, 1] in [-1, 1], `ys` [size, 10] one-hot; the caller disposes both. */
export interface Batches {
  make(order: Int32Array, start: number, size: number): { xs: tf.Tensor4D; ys: tf.Tensor2D };
  dispose(): void;
}

export function createBatches(split: MnistSplit, source: BatchSource = 'host'): Batches {
  return source === 'device' ? new DeviceBatches(split) : new HostBatches(split);
}

const IMAGE = 28 * 28;

/**
 * Fills one batch from the split: images in shuffled order, one-hot labels. The host buffers are reused from batch
 * to batch (a fresh 200 KB array per batch kept the garbage collector busy); that is safe because every backend
 * has consumed a batch's values by the time its step returns, and the batch tensors are disposed right then.
 */
class HostBatches implements Batches {
  private xs = new Float32Array(0);
  private ys = new Float32Array(0);

  constructor(private readonly split: MnistSplit) {}

  make(order: Int32Array, start: number, size: number) {
    if (this.xs.length !== size * IMAGE) {
      this.xs = new Float32Array(size * IMAGE);
      this.ys = new Float32Array(size * 10);
    }
    const { images, labels } = this.split;
    this.ys.fill(0);
    for (let i = 0; i < size; i++) {
      const k = order[start + i];
      this.xs.set(images.subarray(k * IMAGE, (k + 1) * IMAGE), i * IMAGE);
      this.ys[i * 10 + labels[k]] = 1;
    }
    return { xs: tf.tensor4d(this.xs, [size, 28, 28, 1]), ys: tf.tensor2d(this.ys, [size, 10]) };
  }

  dispose(): void {}
}

/** The whole split lives on the backend; a batch is a gather by index (64 int32s uploaded, not 200 KB of pixels). */
class DeviceBatches implements Batches {
  private readonly images: tf.Tensor2D;
  private readonly labels: tf.Tensor1D;

  constructor(split: MnistSplit) {
    this.images = tf.tensor2d(split.images.subarray(0, split.count * IMAGE), [split.count, IMAGE]);
    this.labels = tf.tensor1d(Int32Array.from(split.labels.subarray(0, split.count)), 'int32');
  }

  make(order: Int32Array, start: number, size: number) {
    return tf.tidy(() => {
      const index = tf.tensor1d(order.subarray(start, start + size), 'int32');
      const xs = tf.reshape(tf.gather(this.images, index), [size, 28, 28, 1]) as tf.Tensor4D;
      const ys = tf.cast(tf.oneHot(tf.gather(this.labels, index), 10), 'float32') as tf.Tensor2D;
      return { xs, ys };
    });
  }

  dispose(): void {
    tf.dispose([this.images, this.labels]);
  }
}
