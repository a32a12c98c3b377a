import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { GPGPUProgram, MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { overrideKernel, planFilterGrad, type FilterGradAttrs, type FilterGradPlan } from '../webgpu/filter-grad-plan';

/**
 * Pass-1 fragments to aim for. Each fragment is a GPU thread, so the same figure as on WebGPU: conv1 at batch 64
 * becomes 208 splits of 8 rows.
 */
const PASS1_FRAGMENTS = 1 << 16;

/**
 * Pass 1: partial sums [splits, kh*kw*ci*co], one fragment each (see filter-grad-plan.ts). The sizes are written
 * into the shader, as tfjs's own webgl conv programs do: the backend caches one compiled program per shader text,
 * and a training run has two filter shapes. The inner loop runs only over the columns whose input pixel is inside
 * the image, found once per fragment.
 */
export class FilterGradPartialsGLProgram implements GPGPUProgram {
  variableNames = ['x', 'dy'];
  outputShape: number[];
  userCode: string;

  constructor(plan: FilterGradPlan) {
    const { info } = plan;
    const { top, left } = info.padInfo;
    this.outputShape = [plan.splits, plan.weights];
    this.userCode = `
      void main() {
        ivec2 coords = getOutputCoords();
        int part = coords.x;
        int w = coords.y;
        int d2 = imod(w, ${info.outChannels});
        int d1 = imod(w / ${info.outChannels}, ${info.inChannels});
        int tap = w / ${info.outChannels * info.inChannels};
        int wR = tap / ${info.filterWidth};
        int wC = tap - wR * ${info.filterWidth};
        int colStart = max(0, ${left} - wC);
        int colEnd = min(${info.outWidth}, ${info.inWidth + left} - wC);
        int rowStart = part * ${plan.rowsPerSplit};
        int rowEnd = min(rowStart + ${plan.rowsPerSplit}, ${plan.rows});
        float sum = 0.0;
        for (int row = rowStart; row < rowEnd; row++) {
          int b = row / ${info.outHeight};
          int yR = row - b * ${info.outHeight};
          int xR = yR + wR - ${top};
          if (xR < 0 || xR >= ${info.inHeight}) {
            continue;
          }
          for (int yC = colStart; yC < colEnd; yC++) {
            sum += getX(b, xR, yC + wC - ${left}, d1) * getDy(b, yR, yC, d2);
          }
        }
        setOutput(sum);
      }`;
  }
}

/** Pass 2: each weight's partial sums added up, into the filter's shape [kh, kw, ci, co]. */
export class FilterGradSumGLProgram implements GPGPUProgram {
  variableNames = ['partials'];
  outputShape: number[];
  userCode: string;

  constructor(plan: FilterGradPlan) {
    const { info } = plan;
    this.outputShape = info.filterShape;
    this.userCode = `
      void main() {
        ivec4 c = getOutputCoords();
        int w = ((c.x * ${info.filterWidth} + c.y) * ${info.inChannels} + c.z) * ${info.outChannels} + c.w;
        float sum = 0.0;
        for (int part = 0; part < ${plan.splits}; part++) {
          sum += getPartials(part, w);
        }
        setOutput(sum);
      }`;
  }
}

/**
 * Conv2DBackpropFilter for the webgl backend: x [N, H, W, Ci] and dy [N, OH, OW, Co], float32, NHWC, stride 1, any
 * padding, give dW [kh, kw, Ci, Co] (the formula in filter-grad-plan.ts) in two programs. Every other call goes to
 * `stock`, tfjs's own kernel.
 */
export function webGlFilterGrad(stock: KernelFunc): KernelFunc {
  return (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const plan = planFilterGrad(x, dy, args.attrs as unknown as FilterGradAttrs, PASS1_FRAGMENTS);
    if (plan === null) return stock(args);
    const backend = args.backend as MathBackendWebGL;
    const partials = backend.runWebGLProgram(new FilterGradPartialsGLProgram(plan), [x, dy], 'float32');
    const dW = backend.runWebGLProgram(new FilterGradSumGLProgram(plan), [partials], 'float32');
    backend.disposeIntermediateTensorInfo(partials);
    return dW;
  };
}

/** Puts the kernel in place of tfjs's in the webgl backend; needs @tensorflow/tfjs-backend-webgl imported. */
export function registerWebGlConvFilterGrad(): void {
  overrideKernel('Conv2DBackpropFilter', 'webgl', webGlFilterGrad);
}
