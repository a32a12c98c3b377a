import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { planFilterGrad, type FilterGradAttrs, type FilterGradPlan } from '../filter-grad-plan';
import { overrideKernel } from '../override-kernel';

/**
 * The entry tfjs's shader header calls, as its own getMainHeaderString('index') writes it. That helper is not
 * exported, and the package's Node build (tf-backend-webgpu.node.js, which Dawn's engine loads) is one bundle whose
 * internals cannot be imported: one copy here serves the GPU page and Node alike.
 */
const main = (index: string) => `fn main(${index} : i32)`;

/**
 * Pass-1 threads to aim for: a large GPU keeps tens of thousands of threads in flight (an H100 has 132 SMs of 2,048),
 * and below this the per-thread sums get long. At batch 64, conv1 (1x4 tiles) becomes 167 splits of 10 rows
 * (12,024 threads: the floor of 256 pixels a thread in filter-grad-plan.ts binds) and conv2 (4x4 tiles) 30 splits of
 * 24 rows (34,560 threads).
 */
const PASS1_THREADS = 1 << 16;

/** Input and output channels one pass-1 thread sums for: 4 each where the counts allow, so vec4 loads line up. */
const channelTiles = (filterShape: number[]) => [filterShape[2] % 4 === 0 ? 4 : 1, filterShape[3] % 4 === 0 ? 4 : 1];

/**
 * Pass 1: partial sums [splits, kh*kw*ci*co]. Each thread owns a tile of ciTile x coTile weights (4 x 4 when both
 * channel counts are multiples of 4, as in conv2; 1 x 4 for conv1's one input channel), so one vec4 load of x and
 * one of dy feed 16 products. Neighbouring threads take neighbouring output channels: they read neighbouring dy
 * values and the same x values. The inner loop runs only over the columns whose input pixel is inside the image,
 * found once per thread. The shapes come from tfjs's own uniforms (xShape = [N, H, W, Ci], dyShape = [N, OH, OW, Co]).
 */
export class FilterGradPartialsProgram implements WebGPUProgram {
  variableNames = ['x', 'dy'];
  uniforms = 'pads : vec2<i32>, filterWidth : i32, rowsPerSplit : i32, threads : i32,';
  workgroupSize: [number, number, number] = [64, 1, 1];
  outputShape: number[];
  outputComponent: number;
  variableComponents: number[];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  shaderKey: string;
  readonly ciTile: number;
  readonly coTile: number;
  /** splits * tiles: the value of the `threads` uniform. */
  readonly threads: number;

  constructor(plan: FilterGradPlan) {
    [this.ciTile, this.coTile] = channelTiles(plan.info.filterShape);
    this.threads = (plan.splits * plan.weights) / (this.ciTile * this.coTile);
    this.outputShape = [plan.splits, plan.weights];
    this.outputComponent = this.coTile;
    this.variableComponents = [this.ciTile, this.coTile];
    this.dispatchLayout = webgpu_util.flatDispatchLayout(this.outputShape);
    this.dispatch = webgpu_util.computeDispatch(this.dispatchLayout, this.outputShape, this.workgroupSize, [
      this.ciTile * this.coTile,
      1,
      1,
    ]);
    this.shaderKey = `athanorFilterGradPartials_${this.ciTile}x${this.coTile}`;
  }

  getUserCode(): string {
    const rows = Array.from({ length: this.ciTile }, (_, j) => j);
    const acc = this.coTile === 4 ? 'vec4<f32>(0.0)' : '0.0';
    const lane = (j: number) => (this.ciTile === 1 ? 'xv' : `xv[${j}]`);
    return `
    ${main('index')} {
      if (index < uniforms.threads) {
        let inC = uniforms.xShape[3];
        let outC = uniforms.dyShape[3];
        let ciTiles = inC / ${this.ciTile};
        let coTiles = outC / ${this.coTile};
        let tiles = uniforms.outShape[1] / ${this.ciTile * this.coTile};
        let part = index / tiles;
        let t = index - part * tiles;
        let c2 = t % coTiles;
        let c1 = (t / coTiles) % ciTiles;
        let tap = t / (coTiles * ciTiles);
        let wR = tap / uniforms.filterWidth;
        let wC = tap - wR * uniforms.filterWidth;
        let colStart = max(0, uniforms.pads.y - wC);
        let colEnd = min(uniforms.dyShape[2], uniforms.xShape[2] + uniforms.pads.y - wC);
        let rowStart = part * uniforms.rowsPerSplit;
        let rowEnd = min(rowStart + uniforms.rowsPerSplit, uniforms.dyShape[0] * uniforms.dyShape[1]);
        ${rows.map((j) => `var acc${j} = ${acc};`).join(' ')}
        for (var row = rowStart; row < rowEnd; row = row + 1) {
          let b = row / uniforms.dyShape[1];
          let xR = row - b * uniforms.dyShape[1] + wR - uniforms.pads.x;
          if (xR < 0 || xR >= uniforms.xShape[1]) {
            continue;
          }
          var xi = ((b * uniforms.xShape[1] + xR) * uniforms.xShape[2] + colStart + wC - uniforms.pads.y) * ciTiles + c1;
          var dyi = (row * uniforms.dyShape[2] + colStart) * coTiles + c2;
          for (var col = colStart; col < colEnd; col = col + 1) {
            let xv = x[xi];
            let dv = dy[dyi];
            ${rows.map((j) => `acc${j} = acc${j} + ${lane(j)} * dv;`).join('\n            ')}
            xi = xi + ciTiles;
            dyi = dyi + coTiles;
          }
        }
        let first = (part * uniforms.outShape[1] + (tap * inC + c1 * ${this.ciTile}) * outC) / ${this.coTile} + c2;
        ${rows.map((j) => `result[first + ${j} * coTiles] = acc${j};`).join('\n        ')}
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
function webGpuFilterGrad(stock: KernelFunc): KernelFunc {
  return (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs as unknown as FilterGradAttrs;
    const [ciTile, coTile] = channelTiles(attrs.filterShape);
    const plan = planFilterGrad(x, dy, attrs, PASS1_THREADS * ciTile * coTile);
    if (plan === null) return stock(args);
    const backend = args.backend as WebGPUBackend;
    const pass1 = new FilterGradPartialsProgram(plan);
    const partials = backend.runWebGPUProgram(pass1, [x, dy], 'float32', [
      { type: 'int32', data: [plan.info.padInfo.top, plan.info.padInfo.left] },
      { type: 'int32', data: [plan.info.filterWidth] },
      { type: 'int32', data: [plan.rowsPerSplit] },
      { type: 'int32', data: [pass1.threads] },
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
