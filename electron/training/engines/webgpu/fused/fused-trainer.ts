/**
 * The fused step as the training loop's BatchTrainer: each batch is gathered on the host (one 200 KB upload, no
 * readback), the losses wait on the GPU until a report, and the trained weights go to the model through tfjs.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { BatchTrainer } from '../../../core/batch-trainer';
import type { MnistSplit } from '../../../core/dataset';
import type { PendingLosses } from '../../../core/loss-log';
import type { NamedTensor } from '../../../core/weights';
import { FusedStep } from './fused-step';

const IMAGE = 28 * 28;

export interface FusedTrainerOptions {
  /** The largest batch the run uses. */
  maxBatch: number;
  lr: number;
  momentum: number;
  initial: readonly NamedTensor[];
}

export class FusedTrainer implements BatchTrainer {
  readonly gpuStep = 'fused' as const;
  readonly losses: PendingLosses;
  private readonly step: FusedStep;
  private readonly images: Float32Array<ArrayBuffer>;
  private readonly labels: Uint8Array;

  /** `device`: tfjs's WebGPU backend's, so tfjs can read the weights at the end. */
  constructor(
    device: GPUDevice,
    private readonly split: MnistSplit,
    options: FusedTrainerOptions,
  ) {
    this.step = new FusedStep(device, options);
    this.step.setWeights(options.initial);
    this.images = new Float32Array(options.maxBatch * IMAGE);
    this.labels = new Uint8Array(options.maxBatch);
    const step = this.step;
    this.losses = {
      get count() {
        return step.unreadLosses;
      },
      take: () => step.readLosses(),
      dispose: () => undefined,
    };
  }

  train(order: Int32Array, start: number, size: number): void {
    const { images, labels } = this.split;
    for (let i = 0; i < size; i++) {
      const k = order[start + i];
      this.images.set(images.subarray(k * IMAGE, (k + 1) * IMAGE), i * IMAGE);
      this.labels[i] = labels[k];
    }
    this.step.step(this.images, this.labels, size);
  }

  async finish(model: LayersModel): Promise<void> {
    const tensors = this.step.weightTensors();
    model.setWeights(tensors);
    for (const t of tensors) t.dispose();
  }

  dispose(): void {
    this.step.dispose();
  }
}
