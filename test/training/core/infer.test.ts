import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../../electron/training/core/evaluate';
import { loadMnist, type MnistSplit } from '../../../electron/training/core/dataset';
import { predictDigit } from '../../../electron/training/core/infer';
import { createModel, initialWeights, setModelWeights } from '../../../electron/training/core/model';
import { MAX_MISTAKES } from '../../../electron/training/process/protocol';

let test: MnistSplit;
beforeAll(async () => {
  await tf.setBackend('cpu');
  test = (await loadMnist({ limit: 1, testLimit: 300 })).test;
});

describe('predictDigit', () => {
  it("gives the tfjs model's softmax for real test images, from the same weights", () => {
    const weights = initialWeights(7);
    // Sharpen the untrained net so the probabilities are far from uniform and a layout mistake would show.
    for (const w of weights) w.data.forEach((v, i) => (w.data[i] = v * 3));
    const model = createModel();
    setModelWeights(model, weights);
    const n = 12;
    const xs = tf.tensor4d(test.images.subarray(0, n * 784), [n, 28, 28, 1]);
    const expected = tf.tidy(() => tf.softmax(model.predict(xs) as tf.Tensor2D).arraySync() as number[][]);
    xs.dispose();
    for (let i = 0; i < n; i++) {
      const got = predictDigit(weights, test.images.subarray(i * 784, (i + 1) * 784));
      expect(got.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expected[i].forEach((p, c) => expect(got[c]).toBeCloseTo(p, 5));
    }
    expect(Math.max(...expected[0])).toBeGreaterThan(0.2);
  });

  it('refuses an image that is not 784 pixels, and weights that are not the network', () => {
    const weights = initialWeights(1);
    expect(() => predictDigit(weights, new Float32Array(783))).toThrow('an image is 784 pixels, got 783');
    expect(() => predictDigit(weights.slice(1), new Float32Array(784))).toThrow(/expected 8 weight tensors/);
  });
});

describe('evaluate', () => {
  it('lists exactly the misclassified images, with their labels, most confident first', async () => {
    const model = createModel();
    setModelWeights(model, initialWeights(3));
    const ev = await evaluate(model, test);
    const mistakes = ev.mistakes!;
    const wrong = ev.confusion.reduce((n, row, t) => n + row.reduce((a, c, p) => a + (p === t ? 0 : c), 0), 0);
    expect(wrong).toBeGreaterThan(100); // an untrained net is wrong about 90% of the time
    expect(mistakes).toHaveLength(Math.min(wrong, MAX_MISTAKES));
    for (const [i, m] of mistakes.entries()) {
      expect(m.label).toBe(test.labels[m.index]);
      expect(m.predicted).not.toBe(m.label);
      if (i > 0) expect(m.probability).toBeLessThanOrEqual(mistakes[i - 1].probability);
      if (i % 10 !== 0) continue; // the forward pass below is the slow part: check every tenth
      const probabilities = predictDigit(initialWeights(3), test.images.subarray(m.index * 784, (m.index + 1) * 784));
      expect(probabilities.indexOf(Math.max(...probabilities))).toBe(m.predicted);
      expect(m.probability).toBeCloseTo(probabilities[m.predicted], 5);
    }
    expect(new Set(mistakes.map((m) => m.index)).size).toBe(mistakes.length);
  });
});
