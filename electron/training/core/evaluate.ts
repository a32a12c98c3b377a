import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { MnistSplit } from './dataset';
import { MAX_MISTAKES, type Evaluation, type Mistake } from '../../shared/schema/results';

const EVAL_BATCH = 1000;

/**
 * Accuracy, per-class accuracy, the confusion matrix and the most confident mistakes over every image of the
 * split. A mistake's probability is the softmax of the model's logits at the predicted class.
 */
export async function evaluate(model: LayersModel, split: MnistSplit): Promise<Evaluation> {
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  const mistakes: Mistake[] = [];
  for (let start = 0; start < split.count; start += EVAL_BATCH) {
    const size = Math.min(EVAL_BATCH, split.count - start);
    const [predicted, confidence] = tf.tidy(() => {
      const xs = tf.tensor4d(split.images.subarray(start * 784, (start + size) * 784), [size, 28, 28, 1]);
      const probabilities = tf.softmax(model.predict(xs) as tf.Tensor2D);
      return [tf.argMax(probabilities, 1), tf.max(probabilities, 1)];
    });
    const [labels, probs] = await Promise.all([predicted.data(), confidence.data()]);
    tf.dispose([predicted, confidence]);
    for (let i = 0; i < size; i++) {
      const label = split.labels[start + i];
      confusion[label][labels[i]]++;
      if (labels[i] !== label) mistakes.push({ index: start + i, label, predicted: labels[i], probability: probs[i] });
    }
  }
  let correct = 0;
  const perClassAccuracy = confusion.map((row, label) => {
    const total = row.reduce((a, b) => a + b, 0);
    correct += row[label];
    return total > 0 ? row[label] / total : 0;
  });
  // Ties keep test-set order, so the list is the same on every engine that computes the same probabilities.
  mistakes.sort((a, b) => b.probability - a.probability || a.index - b.index);
  return {
    accuracy: split.count > 0 ? correct / split.count : 0,
    count: split.count,
    perClassAccuracy,
    confusion,
    mistakes: mistakes.slice(0, MAX_MISTAKES),
  };
}
