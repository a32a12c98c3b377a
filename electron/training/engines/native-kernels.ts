/**
 * Athanor's training kernels for the native engines (tfjs-node and tfjs-node-gpu, backend 'tensorflow').
 *
 * tfjs computes ReLU's gradient as dy * step(x), and tfjs-node 4.22 builds Step out of six TensorFlow ops (IsNan,
 * Greater, two Fills, two Selects) on the full activation: profiled on a 2-core machine (bench/wasm-kernels.ts on
 * tfjs-node), that was ~20 ms of a ~45 ms training step for the two conv layers' [64,26,26,32] and [64,11,11,64]
 * activations. TensorFlow has the gradient as one op, ReluGrad (gradients where features > 0, else 0), which its
 * own Keras uses. The 'Relu' gradient here calls it wherever the current backend has the kernel below, and
 * computes tfjs's own formula everywhere else (wasm, WebGPU, WebGL), so other engines are unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';

export const NATIVE_RELU_GRAD = 'AthanorReluGrad';

/** The parts of tfjs-node's NodeJSKernelBackend used here. */
interface TensorflowBackend {
  binding: { TF_ATTR_TYPE: number; TF_FLOAT: number };
  executeSingleOutput(name: string, attrs: object[], inputs: tf.TensorInfo[]): tf.TensorInfo;
}

/**
 * Registers the kernels; once per process (a second call changes nothing). Call once the backend has started. A
 * backend under the name that is not tfjs-node's (no TensorFlow ops to run) gets none.
 */
export function registerNativeTrainingKernels(backendName = 'tensorflow'): void {
  const backend = tf.findBackend(backendName) as Partial<TensorflowBackend> | null;
  if (typeof backend?.executeSingleOutput !== 'function' || backend.binding?.TF_FLOAT === undefined) return;
  if (!tf.getKernel(NATIVE_RELU_GRAD, backendName)) {
    tf.registerKernel({
      kernelName: NATIVE_RELU_GRAD,
      backendName,
      kernelFunc: ({ inputs, backend }) => {
        const native = backend as unknown as TensorflowBackend;
        const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
        const attrs = [{ name: 'T', type: native.binding.TF_ATTR_TYPE, value: native.binding.TF_FLOAT }];
        return native.executeSingleOutput('ReluGrad', attrs, [dy, x]);
      },
    });
  }
  const reluGrad = tf.getGradient('Relu');
  if (reluGrad?.gradFunc === gradFunc) return;
  stockReluGradient ??= reluGrad;
  tf.registerGradient({ kernelName: 'Relu', inputsToSave: ['x'], gradFunc });
}

let stockReluGradient: tf.GradConfig | undefined;

/**
 * For the bench (bench/train-step.ts), which times the engine as tfjs-node ships it beside Athanor's: 'stock' puts
 * tfjs-core's own Relu gradient back, 'native' Athanor's. Only after registerNativeTrainingKernels.
 */
export function useReluGradient(which: 'stock' | 'native'): void {
  if (!stockReluGradient) throw new Error('registerNativeTrainingKernels has not run in this process');
  tf.registerGradient(which === 'stock' ? stockReluGradient : { kernelName: 'Relu', inputsToSave: ['x'], gradFunc });
}

/** tfjs-core's own Relu gradient (gradients/Relu_grad.ts) where the backend lacks ReluGrad. */
const gradFunc: tf.GradFunc = (dy, saved) => {
  const [x] = saved;
  if (x.dtype === 'float32' && tf.getKernel(NATIVE_RELU_GRAD, tf.getBackend())) {
    return { x: () => tf.engine().runKernel(NATIVE_RELU_GRAD, { dy: dy as tf.Tensor, x }) as tf.Tensor };
  }
  return { x: () => tf.mul(dy as tf.Tensor, tf.cast(tf.step(x), 'float32')) };
};
