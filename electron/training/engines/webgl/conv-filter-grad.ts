import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { GPGPUProgram, MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { planFilterGrad, type FilterGradAttrs, type FilterGradPlan } from '../filter-grad-plan';
import { overrideKernel } from '../override-kernel';

/**
 * Pass-1 fragments to aim for. Each fragment is a GPU thread, so the same figure as on WebGPU: at batch 64, conv1
 * becomes 167 splits of 10 rows (12,024 fragments) and conv2 15 splits of 47 rows (69,120), 4 weights a fragment.
 */
const PASS1_FRAGMENTS = 1 << 16;

/** Output channels one pass-1 fragment sums for: 4 (one packed texel) when the count allows, else 1. */
const channelTile = (outChannels: number) => (outChannels % 4 === 0 ? 4 : 1);

/**
 * Pass 1: partial sums of [splits, kh*kw*ci*co] (see filter-grad-plan.ts). With a multiple of 4 output channels
 * each fragment writes one packed texel of 4 neighbouring output channels, the output seen as
 * [splits, weights / 2, 2] (tfjs packs the last two dimensions in 2x2 blocks): one read of x feeds 4 products.
 * The sizes are written into the shader, as tfjs's own webgl conv programs do: the backend caches one compiled
 * program per shader text, and a training run has two filter shapes. The inner loop runs only over the columns
 * whose input pixel is inside the image, found once per fragment.
 */
export class FilterGradPartialsGLProgram implements GPGPUProgram {
  variableNames = ['x', 'dy'];
  outputShape: number[];
  packedOutput: boolean;
  userCode: string;

  constructor(plan: FilterGradPlan) {
    const { info } = plan;
    const { top, left } = info.padInfo;
    const tile = channelTile(info.outChannels);
    this.packedOutput = tile === 4;
    this.outputShape = tile === 4 ? [plan.splits, plan.weights / 2, 2] : [plan.splits, plan.weights];
    const dy = (k: number) => `getDy(b, yR, yC, d2${k ? ` + ${k}` : ''})`;
    this.userCode = `
      void main() {
        ${tile === 4 ? 'ivec3 coords = getOutputCoords();' : 'ivec2 coords = getOutputCoords();'}
        int w = coords.y${tile === 4 ? ' * 2' : ''};
        int part = coords.x;
        int d2 = imod(w, ${info.outChannels});
        int d1 = imod(w / ${info.outChannels}, ${info.inChannels});
        int tap = w / ${info.outChannels * info.inChannels};
        int wR = tap / ${info.filterWidth};
        int wC = tap - wR * ${info.filterWidth};
        int colStart = max(0, ${left} - wC);
        int colEnd = min(${info.outWidth}, ${info.inWidth + left} - wC);
        int rowStart = part * ${plan.rowsPerSplit};
        int rowEnd = min(rowStart + ${plan.rowsPerSplit}, ${plan.rows});
        ${tile === 4 ? 'vec4' : 'float'} sum = ${tile === 4 ? 'vec4(0.0)' : '0.0'};
        for (int row = rowStart; row < rowEnd; row++) {
          int b = row / ${info.outHeight};
          int yR = row - b * ${info.outHeight};
          int xR = yR + wR - ${top};
          if (xR < 0 || xR >= ${info.inHeight}) {
            continue;
          }
          for (int yC = colStart; yC < colEnd; yC++) {
            sum += getX(b, xR, yC + wC - ${left}, d1) *
              ${tile === 4 ? `vec4(${[0, 1, 2, 3].map(dy).join(', ')})` : dy(0)};
          }
        }
        setOutput(sum);
      }`;
  }
}

/**
 * Pass 2: each weight's partial sums added up, into the filter's shape [kh, kw, ci, co]. Reads pass 1's output
 * unpacked (the backend unpacks it first).
 */
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
          sum += ${channelTile(info.outChannels) === 4 ? 'getPartials(part, w / 2, imod(w, 2))' : 'getPartials(part, w)'};
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
function webGlFilterGrad(stock: KernelFunc): KernelFunc {
  return (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs as unknown as FilterGradAttrs;
    const plan = planFilterGrad(x, dy, attrs, PASS1_FRAGMENTS * channelTile(attrs.filterShape[3]));
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
