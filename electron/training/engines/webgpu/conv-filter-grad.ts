import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
// Not re-exported by the package's index; esbuild resolves the package to dist/index.js, so this is the same module.
import { getMainHeaderString as main } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import { overrideKernel, planFilterGrad, type FilterGradAttrs, type FilterGradPlan } from './filter-grad-plan';

/**
 * Pass-1 threads to aim for: a large GPU keeps tens of thousands of threads in flight (an H100 has 132 SMs of 2,048),
 * and below this the per-thread sums get long. conv1 at batch 64 becomes 208 splits of 8 rows (208 products each).
 */
const PASS1_THREADS = 1 << 16;

/**
 * Pass 1: partial sums [splits, kh*kw*ci*co], one thread each. Neighbouring threads take neighbouring output
 * channels, so they read neighbouring dy values and the same x value. The inner loop runs only over the columns
 * whose input pixel is inside the image, found once per thread, and walks both inputs by their channel counts.
 * The shapes come from tfjs's own uniforms (xShape = [N, H, W, Ci], dyShape = [N, OH, OW, Co]).
 */
export class FilterGradPartialsProgram implements WebGPUProgram {
  variableNames = ['x', 'dy'];
  uniforms = 'pads : vec2<i32>, filterWidth : i32, rowsPerSplit : i32,';
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  outputShape: number[];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  shaderKey = 'athanorFilterGradPartials';

  constructor(plan: FilterGradPlan) {
    this.outputShape = [plan.splits, plan.weights];
    this.dispatchLayout = webgpu_util.flatDispatchLayout(this.outputShape);
    this.dispatch = webgpu_util.computeDispatch(this.dispatchLayout, this.outputShape, this.workgroupSize);
  }

  getUserCode(): string {
    return `
    ${main('index')} {
      if (index < uniforms.size) {
        let weights = uniforms.outShape[1];
        let part = index / weights;
        let w = index - part * weights;
        let inC = uniforms.xShape[3];
        let outC = uniforms.dyShape[3];
        let d2 = w % outC;
        let d1 = (w / outC) % inC;
        let tap = w / (outC * inC);
        let wR = tap / uniforms.filterWidth;
        let wC = tap - wR * uniforms.filterWidth;
        let colStart = max(0, uniforms.pads.y - wC);
        let colEnd = min(uniforms.dyShape[2], uniforms.xShape[2] + uniforms.pads.y - wC);
        let rowStart = part * uniforms.rowsPerSplit;
        let rowEnd = min(rowStart + uniforms.rowsPerSplit, uniforms.dyShape[0] * uniforms.dyShape[1]);
        var sum = 0.0;
        for (var row = rowStart; row < rowEnd; row = row + 1) {
          let b = row / uniforms.dyShape[1];
          let xR = row - b * uniforms.dyShape[1] + wR - uniforms.pads.x;
          if (xR < 0 || xR >= uniforms.xShape[1]) {
            continue;
          }
          var xi = ((b * uniforms.xShape[1] + xR) * uniforms.xShape[2] + colStart + wC - uniforms.pads.y) * inC + d1;
          var dyi = (row * uniforms.dyShape[2] + colStart) * outC + d2;
          for (var col = colStart; col < colEnd; col = col + 1) {
            sum = sum + x[xi] * dy[dyi];
            xi = xi + inC;
            dyi = dyi + outC;
          }
        }
        setOutputAtIndex(index, sum);
      }
    }`;
  }
}

/** Pass 2: each weight's partial sums added up; reads of one split are contiguous across threads. */
export class FilterGradSumProgram implements WebGPUProgram {
  variableNames = ['partials'];
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  outputShape: number[];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  shaderKey = 'athanorFilterGradSum';

  constructor(plan: FilterGradPlan) {
    this.outputShape = plan.info.filterShape;
    this.dispatchLayout = webgpu_util.flatDispatchLayout(this.outputShape);
    this.dispatch = webgpu_util.computeDispatch(this.dispatchLayout, this.outputShape, this.workgroupSize);
  }

  getUserCode(): string {
    return `
    ${main('index')} {
      if (index < uniforms.size) {
        var sum = 0.0;
        for (var part = 0; part < uniforms.partialsShape[0]; part = part + 1) {
          sum = sum + partials[part * uniforms.size + index];
        }
        setOutputAtIndex(index, sum);
      }
    }`;
  }
}

/**
 * Conv2DBackpropFilter for the webgpu backend: x [N, H, W, Ci] and dy [N, OH, OW, Co], float32, NHWC, stride 1, any
 * padding, give dW [kh, kw, Ci, Co] (the formula in filter-grad-plan.ts) in two passes. Every other call goes to
 * `stock`, tfjs's own kernel.
 */
export function webGpuFilterGrad(stock: KernelFunc): KernelFunc {
  return (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const plan = planFilterGrad(x, dy, args.attrs as unknown as FilterGradAttrs, PASS1_THREADS);
    if (plan === null) return stock(args);
    const backend = args.backend as WebGPUBackend;
    const partials = backend.runWebGPUProgram(new FilterGradPartialsProgram(plan), [x, dy], 'float32', [
      { type: 'int32', data: [plan.info.padInfo.top, plan.info.padInfo.left] },
      { type: 'int32', data: [plan.info.filterWidth] },
      { type: 'int32', data: [plan.rowsPerSplit] },
    ]);
    const dW = backend.runWebGPUProgram(new FilterGradSumProgram(plan), [partials], 'float32');
    backend.disposeData(partials.dataId);
    return dW;
  };
}

/** Puts the kernel in place of tfjs's in the webgpu backend; needs @tensorflow/tfjs-backend-webgpu imported. */
export function registerWebGpuConvFilterGrad(): void {
  overrideKernel('Conv2DBackpropFilter', 'webgpu', webGpuFilterGrad);
}
