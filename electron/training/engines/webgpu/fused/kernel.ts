/**
 * A fused-step kernel as data: the buffers it binds, how many threads a batch needs, and its WGSL body. One function
 * assembles the shader around a body, so every kernel gets the same uniforms, offsets and thread index.
 */
import { OFFSET_CONSTANTS } from './layout';

/** Every buffer the step owns; `labels` and the argmax buffers hold u32, the rest f32. */
export type BufferName =
  | 'x'
  | 'labels'
  | 'w'
  | 'v'
  | 'g'
  | 'p1'
  | 'a1'
  | 'p2'
  | 'a2'
  | 'h1'
  | 'dl'
  | 'dh1'
  | 'g2'
  | 'dz2'
  | 'g1'
  | 'pc1'
  | 'pc2'
  | 'losses';

const U32_BUFFERS: ReadonlySet<BufferName> = new Set(['labels', 'a1', 'a2']);

/** The per-step uniforms, in this order: batch size, loss slot, learning rate, momentum, conv2 gradient chunks. */
export const UNIFORM_STRUCT = 'struct Uniforms { n: u32, slot: u32, lr: f32, momentum: f32, chunks: u32 }';
export const UNIFORM_BYTES = 32;

export interface KernelSpec {
  name: string;
  /**
   * Bound at 1, 2, ... in this order (the uniforms are binding 0), as arrays of f32 (u32 for labels and argmaxes)
   * unless a third entry names the element type, such as 'vec4<f32>' for four channels a load.
   */
  bindings: ReadonlyArray<readonly [BufferName, 'read' | 'read_write', string?]>;
  /** Threads a step of `n` images runs (`chunks`: conv2 gradient chunks, ceil(n / CONV2_CHUNK)). */
  threads(n: number, chunks: number): number;
  /** 64 unless the body needs one workgroup to cooperate. */
  workgroupSize?: number;
  /** Module-scope declarations the body uses (workgroup memory). */
  declarations?: string;
  /** WGSL with `t` (the thread's index, u32), `lid` (its index in the workgroup) and `u` (the uniforms) in scope. */
  body: string;
}

/** The whole WGSL module for a kernel: uniforms, storage bindings, the weights' offsets, then the body in `main`. */
export function shaderOf(spec: KernelSpec): string {
  const size = spec.workgroupSize ?? 64;
  const bindings = spec.bindings.map(
    ([name, access, type = U32_BUFFERS.has(name) ? 'u32' : 'f32'], i) =>
      `@group(0) @binding(${i + 1}) var<storage, ${access}> ${name}: array<${type}>;`,
  );
  return `${UNIFORM_STRUCT}
@group(0) @binding(0) var<uniform> u: Uniforms;
${bindings.join('\n')}
${OFFSET_CONSTANTS}
${spec.declarations ?? ''}
@compute @workgroup_size(${size})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let t = (wid.y * nwg.x + wid.x) * ${size}u + lid;
${spec.body}
}`;
}

/**
 * Workgroups for `threads` as (x, y): WebGPU caps each dimension at 65,535, and fc1's gradient alone needs 3,200
 * workgroups of 64 at any batch, more at large ones.
 */
export function workgroupsFor(threads: number, size: number): [number, number] {
  const groups = Math.max(1, Math.ceil(threads / size));
  const y = Math.ceil(groups / 65535);
  return [Math.ceil(groups / y), y];
}
