/**
 * Page side of the GPU kernel tests and bench: bundled by esbuild (test/e2e/harness/gpu-chromium.ts) and run in
 * headless Chromium, where it puts `gpuKernels` on the page's global object for the Node side to call.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// Registers tfjs-core's gradients too, as in the app.
import '@tensorflow/tfjs-layers';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { registerWebGpuTrainingKernels } from '../../../electron/training/engines/webgpu/kernels';
import { registerWebGlTrainingKernels } from '../../../electron/training/engines/webgl/kernels';
import {
  FilterGradPartialsProgram,
  FilterGradSumProgram,
} from '../../../electron/training/engines/webgpu/conv-filter-grad';
import {
  FilterGradPartialsGLProgram,
  FilterGradSumGLProgram,
} from '../../../electron/training/engines/webgl/conv-filter-grad';
import { createModel, initialWeights, setModelWeights } from '../../../electron/training/core/model';
import { caseInputs, type FilterGradCase } from './gpu-reference';

export type GpuBackend = 'webgpu' | 'webgl';
export type { FilterGradCase } from './gpu-reference';
/**
 * registered: the backend's kernel now (Athanor's on webgpu and webgl, tfjs's own on cpu); stock: tfjs's own,
 * saved before Athanor's replaced it.
 */
export type Which = 'registered' | 'stock';

const stock = new Map<GpuBackend, tf.KernelFunc>();
const programs: string[] = [];

/**
 * Names the programs a backend runs, so a test can tell which filter gradient really ran; webgl's own texture
 * encode, decode and unpack programs around them do not count.
 */
function label(program: object): string | undefined {
  if (program instanceof FilterGradPartialsProgram || program instanceof FilterGradPartialsGLProgram)
    return 'ours:partials';
  if (program instanceof FilterGradSumProgram || program instanceof FilterGradSumGLProgram) return 'ours:sum';
  const name = program.constructor.name;
  return /^((Encode|Decode)Matrix|Unpack)/.test(name) ? undefined : name;
}

function record(program: object): void {
  const name = label(program);
  if (name !== undefined) programs.push(name);
}

/** Saves tfjs's kernels, registers ours, starts both backends; returns what each runs on. */
async function setup(): Promise<Record<GpuBackend, string>> {
  for (const name of ['webgpu', 'webgl'] as const)
    stock.set(name, tf.getKernel('Conv2DBackpropFilter', name)!.kernelFunc);
  registerWebGpuTrainingKernels();
  registerWebGlTrainingKernels();
  if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend did not start: no WebGPU adapter');
  const gpu = tf.backend() as WebGPUBackend;
  const runGpu = gpu.runWebGPUProgram.bind(gpu);
  gpu.runWebGPUProgram = (program, ...rest) => (record(program), runGpu(program, ...rest));
  if (!(await tf.setBackend('webgl'))) throw new Error('the webgl backend did not start: no WebGL 2');
  const gl = tf.backend() as MathBackendWebGL;
  const runGl = gl.runWebGLProgram.bind(gl);
  gl.runWebGLProgram = (program, ...rest) => (record(program), runGl(program, ...rest));
  const info = gpu.adapterInfo as unknown as { vendor: string; architecture: string };
  const glContext = gl.gpgpu.gl;
  const debug = glContext.getExtension('WEBGL_debug_renderer_info');
  return {
    webgpu: `${info.vendor} ${info.architecture}`.trim(),
    webgl: String(glContext.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : glContext.RENDERER)),
  };
}

function inputs(c: FilterGradCase): { x: tf.Tensor4D; dy: tf.Tensor4D; attrs: tf.NamedAttrMap } {
  const values = caseInputs(c);
  const x = tf.tensor4d(values.x, c.xShape);
  const dy = tf.tensor4d(values.dy, values.dyShape);
  const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filterShape };
  return { x, dy, attrs: attrs as unknown as tf.NamedAttrMap };
}

/** dW for one case on one backend; the tensors are made on that backend, and only dW is left. */
function filterGrad(
  backend: GpuBackend | 'cpu',
  which: Which,
  x: tf.Tensor,
  dy: tf.Tensor,
  attrs: tf.NamedAttrMap,
): tf.Tensor {
  if (which === 'registered') return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor;
  const info = stock.get(backend as GpuBackend)!({ inputs: { x, dy }, backend: tf.backend(), attrs }) as tf.TensorInfo;
  return tf.engine().makeTensorFromTensorInfo(info);
}

/** Runs one case; returns dW, the programs the backend ran, and how many tensors the backend held before and after. */
async function run(backend: GpuBackend | 'cpu', which: Which, c: FilterGradCase) {
  await tf.setBackend(backend);
  const { x, dy, attrs } = inputs(c);
  await Promise.all([x.data(), dy.data()]); // uploads happen here, not inside the kernel
  const dataIds = tf.backend().numDataIds();
  programs.length = 0;
  const dW = filterGrad(backend, which, x, dy, attrs);
  const values = Array.from(await dW.data());
  const ran = [...programs];
  dW.dispose();
  const leftOver = tf.backend().numDataIds() - dataIds;
  tf.dispose([x, dy]);
  return { values, programs: ran, leftOver };
}

/**
 * The loss and the gradient of every weight of the network (electron/training/core/model.ts, seed-42 weights) for one
 * batch of images ([batch * 784] pixels in [-1, 1]) and labels, as one training step computes them; and the
 * programs the backend ran for filter gradients.
 */
async function networkGradients(backend: GpuBackend | 'cpu', pixels: number[], labels: number[]) {
  await tf.setBackend(backend);
  programs.length = 0;
  const outs = tf.tidy(() => {
    const model = createModel();
    setModelWeights(model, initialWeights(42));
    const xs = tf.tensor4d(pixels, [labels.length, 28, 28, 1]);
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar,
      variables,
    );
    const result = [value, ...variables.map((v) => grads[v.name])];
    model.dispose();
    return result;
  });
  const values = await Promise.all(outs.map(async (t) => Array.from(await t.data())));
  tf.dispose(outs);
  return { values, programs: programs.filter((p) => p.startsWith('ours') || p.startsWith('Conv2DDerFilter')) };
}

/** Milliseconds of each of `rounds` calls, each up to its result read back (a real sync), after one warm-up. */
async function time(backend: GpuBackend, which: Which, c: FilterGradCase, rounds: number): Promise<number[]> {
  await tf.setBackend(backend);
  const { x, dy, attrs } = inputs(c);
  await Promise.all([x.data(), dy.data()]);
  const times: number[] = [];
  for (let i = -1; i < rounds; i++) {
    const start = performance.now();
    const dW = filterGrad(backend, which, x, dy, attrs);
    await dW.data();
    if (i >= 0) times.push(performance.now() - start);
    dW.dispose();
  }
  tf.dispose([x, dy]);
  return times;
}

const api = { setup, run, networkGradients, time };
export type GpuKernelsPage = typeof api;
(globalThis as unknown as { gpuKernels: GpuKernelsPage }).gpuKernels = api;
