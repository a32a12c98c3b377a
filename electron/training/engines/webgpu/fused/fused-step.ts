/**
 * Athanor's own WebGPU training step for the reference network: forward, backward and the momentum update as 9
 * dispatches in one compute pass, one command buffer and one queue.submit a step, on any GPUDevice (Dawn's in Node,
 * Chromium's in the GPU page; give it tfjs's backend's device and tfjs can read the weights). The weights, momentum
 * and activations stay on the GPU; each step's mean loss is written to a GPU slot and read only by readLosses().
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../../../core/config';
import { checkWeights, WEIGHT_SPECS, type NamedTensor } from '../../../core/weights';
import { t } from '../../../../shared/i18n';
import { conv1Grad, conv2Grad, fc1Grad, fc2Grad, update } from './backward';
import { conv1Pool, conv2Pool, fc1, head } from './forward';
import { shaderOf, UNIFORM_BYTES, workgroupsFor, type BufferName, type KernelSpec } from './kernel';
import { CONV2_CHUNK, CONV2_GRAD, LOSS_SLOTS, OFFSETS, PARAMETER_COUNT, PER_SAMPLE } from './layout';

/** In dispatch order. */
const KERNELS: readonly KernelSpec[] = [
  conv1Pool,
  conv2Pool,
  fc1,
  head,
  fc2Grad,
  fc1Grad,
  conv2Grad,
  conv1Grad,
  update,
];

export interface FusedStepOptions {
  /** The largest batch a step takes; buffers are sized for it. */
  maxBatch: number;
  lr: number;
  momentum: number;
}

/** Floats (u32s for labels and argmaxes) each buffer holds for a batch of `m`. */
function bufferLengths(m: number): Record<BufferName, number> {
  return {
    x: m * PER_SAMPLE.x,
    labels: m,
    w: PARAMETER_COUNT,
    v: PARAMETER_COUNT,
    g: PARAMETER_COUNT,
    p1: m * PER_SAMPLE.p1,
    a1: m * PER_SAMPLE.p1,
    p2: m * PER_SAMPLE.p2,
    a2: m * PER_SAMPLE.p2,
    h1: m * PER_SAMPLE.h1,
    dl: m * PER_SAMPLE.logits,
    dh1: m * PER_SAMPLE.h1,
    g2: m * PER_SAMPLE.p2,
    dz2: m * PER_SAMPLE.dz2,
    g1: m * PER_SAMPLE.p1,
    pc1: m * PER_SAMPLE.conv1Grad,
    pc2: Math.ceil(m / CONV2_CHUNK) * CONV2_GRAD,
    losses: LOSS_SLOTS,
  };
}

/**
 * The largest batch whose buffers each fit the adapter's limits (maxBufferSize, maxStorageBufferBindingSize, bytes):
 * beyond it WebGPU does not throw, it reports an invalid buffer as an event and every step does nothing. The
 * per-image buffers grow linearly with the batch; each is rounded up to whole vec4s (16 bytes).
 */
export function largestBatch(
  limits: Pick<GPUSupportedLimits, 'maxBufferSize' | 'maxStorageBufferBindingSize'>,
): number {
  const cap = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
  const one = bufferLengths(1);
  const two = bufferLengths(2);
  let largest = Number.MAX_SAFE_INTEGER;
  for (const name of Object.keys(one) as BufferName[]) {
    const perImage = (two[name] - one[name]) * 4;
    if (perImage <= 0) continue;
    const fixed = one[name] * 4 - perImage;
    largest = Math.min(largest, Math.floor((cap - fixed - 16) / perImage));
  }
  return largest;
}

export class FusedStep {
  readonly maxBatch: number;
  private readonly buffers: Record<BufferName, GPUBuffer>;
  private readonly uniforms: GPUBuffer;
  private readonly passes: Array<{ spec: KernelSpec; pipeline: GPUComputePipeline; bindGroup: GPUBindGroup }>;
  private readonly uniformData = new ArrayBuffer(UNIFORM_BYTES);
  private readonly labelData: Uint32Array<ArrayBuffer>;
  private pendingLosses = 0;

  /** Compiles the 9 kernels and allocates every buffer for batches up to `maxBatch`; weights and momentum are 0. */
  constructor(
    private readonly device: GPUDevice,
    private readonly options: FusedStepOptions,
  ) {
    if (!(Number.isInteger(options.maxBatch) && options.maxBatch > 0)) {
      throw new Error(`maxBatch must be a positive integer, got ${options.maxBatch}`);
    }
    const largest = largestBatch(device.limits);
    if (options.maxBatch > largest) {
      throw new ConfigError(t('dataset.limits.fusedBatch', { batch: options.maxBatch, max: largest }));
    }
    this.maxBatch = options.maxBatch;
    this.labelData = new Uint32Array(options.maxBatch);
    const lengths = bufferLengths(options.maxBatch);
    // Read here, not at load: Dawn's globals exist only once it has loaded. COPY_SRC lets tfjs copy the weights.
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    this.buffers = Object.fromEntries(
      Object.entries(lengths).map(([name, length]) => [
        name,
        // Whole vec4s, so a kernel may read any buffer four floats at a time.
        device.createBuffer({ label: `fused-${name}`, size: Math.ceil(length / 4) * 16, usage }),
      ]),
    ) as Record<BufferName, GPUBuffer>;
    this.uniforms = device.createBuffer({
      label: 'fused-uniforms',
      size: UNIFORM_BYTES,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    this.passes = KERNELS.map((spec) => {
      const module = device.createShaderModule({ label: spec.name, code: shaderOf(spec) });
      const pipeline = device.createComputePipeline({ label: spec.name, layout: 'auto', compute: { module } });
      const entries = [
        { binding: 0, resource: { buffer: this.uniforms } },
        ...spec.bindings.map(([name], i) => ({ binding: i + 1, resource: { buffer: this.buffers[name] } })),
      ];
      const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
      return { spec, pipeline, bindGroup };
    });
  }

  /** Puts `weights` (WEIGHT_SPECS order and shapes) on the GPU and clears the momentum. Throws on a wrong set. */
  setWeights(weights: readonly NamedTensor[]): void {
    checkWeights(weights);
    const packed = new Float32Array(PARAMETER_COUNT);
    weights.forEach((w, i) => packed.set(w.data, OFFSETS[i]));
    this.device.queue.writeBuffer(this.buffers.w, 0, packed);
    this.device.queue.writeBuffer(this.buffers.v, 0, new Float32Array(PARAMETER_COUNT));
  }

  /**
   * One training step on `n` images: `images` holds n * 784 floats (NHWC [n, 28, 28, 1], normalised as
   * core/pixels.ts does) and `labels` n class indices 0-9. Uploads them, then encodes and submits the whole step;
   * reads nothing back. Throws when n is outside 1..maxBatch or LOSS_SLOTS losses wait unread.
   */
  step(images: Float32Array<ArrayBuffer>, labels: ArrayLike<number>, n: number): void {
    if (!(Number.isInteger(n) && n >= 1 && n <= this.maxBatch)) {
      throw new Error(`a fused step takes 1 to ${this.maxBatch} images, got ${n}`);
    }
    if (images.length < n * PER_SAMPLE.x || labels.length < n) {
      throw new Error(`a step of ${n} images needs ${n * PER_SAMPLE.x} pixels and ${n} labels`);
    }
    if (this.pendingLosses >= LOSS_SLOTS) throw new Error(`${LOSS_SLOTS} losses wait unread: call readLosses()`);
    const chunks = Math.ceil(n / CONV2_CHUNK);
    const view = new DataView(this.uniformData);
    view.setUint32(0, n, true);
    view.setUint32(4, this.pendingLosses, true);
    view.setFloat32(8, this.options.lr, true);
    view.setFloat32(12, this.options.momentum, true);
    view.setUint32(16, chunks, true);
    for (let i = 0; i < n; i++) this.labelData[i] = labels[i];
    const queue = this.device.queue;
    queue.writeBuffer(this.uniforms, 0, this.uniformData);
    queue.writeBuffer(this.buffers.x, 0, images, 0, n * PER_SAMPLE.x);
    queue.writeBuffer(this.buffers.labels, 0, this.labelData, 0, n);

    const encoder = this.device.createCommandEncoder({ label: 'fused-step' });
    const pass = encoder.beginComputePass();
    for (const { spec, pipeline, bindGroup } of this.passes) {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      const [x, y] = workgroupsFor(spec.threads(n, chunks), spec.workgroupSize ?? 64);
      pass.dispatchWorkgroups(x, y);
    }
    pass.end();
    queue.submit([encoder.finish()]);
    this.pendingLosses++;
  }

  /** Steps taken since the last readLosses(). */
  get unreadLosses(): number {
    return this.pendingLosses;
  }

  /** The mean loss of each step since the last call, in order (one copy and one map: a sync with the GPU). */
  async readLosses(): Promise<Float32Array> {
    const count = this.pendingLosses;
    this.pendingLosses = 0;
    if (count === 0) return new Float32Array(0);
    return this.read('losses', count);
  }

  /** The weights as host arrays in WEIGHT_SPECS order and TF.js layout (a sync with the GPU). */
  async readWeights(): Promise<NamedTensor[]> {
    return unpack(await this.read('w', PARAMETER_COUNT));
  }

  /** The last step's gradients, as readWeights() lays out the weights: for tests and checks. */
  async readGradients(): Promise<NamedTensor[]> {
    return unpack(await this.read('g', PARAMETER_COUNT));
  }

  /**
   * The weights as TF.js tensors of WEIGHT_SPECS's shapes, read by tfjs's webgpu backend straight from the packed
   * GPU buffer (tfjs copies it: later steps do not change them). Needs tfjs's backend on this step's device; the
   * caller disposes the tensors.
   */
  weightTensors(): tf.Tensor[] {
    return tf.tidy(() => {
      const flat = tf.tensor({ buffer: this.buffers.w }, [PARAMETER_COUNT], 'float32');
      return WEIGHT_SPECS.map(({ shape }, i) =>
        tf.reshape(tf.slice(flat, [OFFSETS[i]], [shape.reduce((a, b) => a * b, 1)]), [...shape]),
      );
    });
  }

  /** Frees every buffer; the step cannot be used after. */
  dispose(): void {
    for (const buffer of Object.values(this.buffers)) buffer.destroy();
    this.uniforms.destroy();
  }

  private async read(name: BufferName, length: number): Promise<Float32Array> {
    const staging = this.device.createBuffer({
      size: length * 4,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    try {
      const encoder = this.device.createCommandEncoder({ label: `fused-read-${name}` });
      encoder.copyBufferToBuffer(this.buffers[name], 0, staging, 0, length * 4);
      this.device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      return new Float32Array(staging.getMappedRange().slice(0));
    } finally {
      staging.destroy();
    }
  }
}

function unpack(packed: Float32Array): NamedTensor[] {
  return WEIGHT_SPECS.map(({ name, shape }, i) => ({
    name,
    shape: [...shape],
    data: packed.slice(OFFSETS[i], OFFSETS[i] + shape.reduce((a, b) => a * b, 1)),
  }));
}
