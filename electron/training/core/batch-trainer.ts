/**
 * How the loop trains one batch: tfjs's optimizer on the model (every engine, and the reference), or an engine's own
 * step that keeps the weights itself (the fused WebGPU step, engines/webgpu/fused). The loop reads losses, reports
 * and evaluates the same way for both.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { createBatches, type BatchSource } from './batches';
import type { MnistSplit } from './dataset';
import type { LossLog, PendingLosses } from './loss-log';
import { disposeMomentum, trainingStep } from './model';
import type { GpuStep } from '../../shared/schema/engine';

export interface BatchTrainer {
  /** Where the steps leave their losses; undefined: they give them to the log as tfjs scalars. */
  readonly losses?: PendingLosses;
  /** A WebGPU run's step, as its result names it; null on the other engines. */
  readonly gpuStep: GpuStep | null;
  /** Trains the images `order[start .. start + size)` of the split. */
  train(order: Int32Array, start: number, size: number, log: LossLog): void;
  /** Leaves the trained weights in `model`, for evaluation and export. */
  finish(model: LayersModel): Promise<void>;
  dispose(): void;
}

/** tfjs's step (core/model.ts trainingStep): the model's variables are the weights, the optimizer keeps momentum. */
export class TfjsTrainer implements BatchTrainer {
  private readonly batches;

  /** `gpuStep`: 'tfjs' on the WebGPU engine, null elsewhere. */
  constructor(
    private readonly model: LayersModel,
    private readonly optimizer: tf.MomentumOptimizer,
    split: MnistSplit,
    source?: BatchSource,
    readonly gpuStep: GpuStep | null = null,
  ) {
    this.batches = createBatches(split, source);
  }

  train(order: Int32Array, start: number, size: number, log: LossLog): void {
    const { xs, ys } = this.batches.make(order, start, size);
    const loss = trainingStep(this.model, this.optimizer, xs, ys);
    xs.dispose();
    ys.dispose();
    log.add(loss);
  }

  async finish(): Promise<void> {}

  dispose(): void {
    this.batches.dispose();
    disposeMomentum(this.optimizer);
  }
}
