import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { MnistSplit } from './dataset';
import type { Evaluation } from './protocol';

const EVAL_BATCH = 1000;

/** Accuracy, per-class accuracy and the confusion matrix over every image of the split. */
export async function evaluate(model: LayersModel, split: MnistSplit): Promise<Evaluation> {
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  for (let start = 0; start < split.count; start += EVAL_BATCH) {
    const size = Math.min(EVAL_BATCH, split.count - start);
    const predicted = tf.tidy(() => {
      const xs = tf.tensor4d(split.images.subarray(start * 784, (start + size) * 784), [size, 28, 28, 1]);
      return tf.argMax(model.predict(xs) as tf.Tensor, 1);
    });
    const labels = await predicted.data();
    predicted.dispose();
    for (let i = 0; i < size; i++) confusion[split.labels[start + i]][labels[i]]++;
  }
  let correct = 0;
  const perClassAccuracy = confusion.map((row, label) => {
    const total = row.reduce((a, b) => a + b, 0);
    correct += row[label];
    return total > 0 ? row[label] / total : 0;
  });
  return { accuracy: split.count > 0 ? correct / split.count : 0, count: split.count, perClassAccuracy, confusion };
}
