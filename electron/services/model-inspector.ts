/**
 * Try a trained run: its stored weights answer one drawn image, and its dataset's test images come back with the
 * run's predictions. Plain Node; the last run's weights and the last dataset's test split stay cached, because a
 * drawing asks again on every stroke and the Mistakes list pages through the same split.
 */
import type { Prediction, TestImage } from '../shared/ipc-contract';
import { IMAGE_SIZE, loadMnistBytes } from '../training/core/dataset';
import { bytesToPixels } from '../training/core/pixels';
import type { MnistBytesSplit } from '../training/process/protocol';
import { predictDigit } from '../training/core/infer';
import type { NamedTensor } from '../training/core/weights';
import type { HistoryStore } from './history-store';
import { t } from '../shared/i18n';

export class ModelInspector {
  private weights: { id: string; tensors: Promise<NamedTensor[]> } | null = null;
  private split: { dir: string | undefined; test: Promise<MnistBytesSplit> } | null = null;

  /** `defaultDataDir`: the MNIST folder a run without its own `dataDir` trained on (the bundled one when absent). */
  constructor(
    private readonly history: HistoryStore,
    private readonly defaultDataDir?: string,
  ) {}

  /** Class probabilities for 784 normalised pixels (validated by the caller), from run `id`'s weights. */
  async predict(id: string, pixels: number[]): Promise<Prediction> {
    const probabilities = predictDigit(await this.weightsOf(id), pixels);
    return { probabilities: Array.from(probabilities) };
  }

  /**
   * The test images at `indices` of the run's dataset, as stored (grey levels 0..255), with the run's prediction.
   * Throws when an index is outside the test split.
   */
  async testImages(id: string, indices: number[]): Promise<TestImage[]> {
    const weights = await this.weightsOf(id);
    const test = await this.testSplitOf(id);
    const outside = indices.find((i) => i >= test.count);
    if (outside !== undefined) throw new Error(t('main.model.noSuchImage', { index: outside, count: test.count }));
    return indices.map((index) => {
      const bytes = test.pixels.subarray(index * IMAGE_SIZE, (index + 1) * IMAGE_SIZE);
      const probabilities = predictDigit(weights, bytesToPixels(bytes));
      const predicted = probabilities.indexOf(Math.max(...probabilities));
      return {
        index,
        label: test.labels[index],
        predicted,
        probability: probabilities[predicted],
        pixels: Array.from(bytes),
      };
    });
  }

  private record(id: string) {
    const record = this.history.get(id);
    if (!record) throw new Error(t('main.model.notInHistory', { id }));
    if (!record.hasWeights) throw new Error(t('main.model.noWeights', { id }));
    return record;
  }

  private weightsOf(id: string): Promise<NamedTensor[]> {
    this.record(id);
    if (this.weights?.id !== id) {
      const tensors = this.history.loadWeights(id).then((m) => m.weights);
      tensors.catch(() => (this.weights = null));
      this.weights = { id, tensors };
    }
    return this.weights.tensors;
  }

  private testSplitOf(id: string): Promise<MnistBytesSplit> {
    const dir = this.record(id).settings.dataDir ?? this.defaultDataDir;
    if (!this.split || this.split.dir !== dir) {
      // As bytes, as the file has them: each image asked for is scaled on its own (a quarter of the floats' memory).
      const test = loadMnistBytes({ dir, limit: 1 }).then((d) => d.test);
      test.catch(() => (this.split = null));
      this.split = { dir, test };
    }
    return this.split.test;
  }
}
