/**
 * What a run trains on, and what a probe found: the engines, the GPU adapters the browser reports, and each
 * engine's ready-or-not state. Every result carries its EngineInfo, so a fallback is never silent.
 */
import * as v from 'valibot';
import { DEVICES } from './settings';
import { describeValue as describe } from '../describe-value';
import { checkedReason, type Reason } from '../reasons';
import { bool, everyNested, MAX_TEXT, oneOf, record, text, whole } from './fields';

/**
 * Why an engine cannot run or fell back, wherever a reason appears (EngineInfo.fallbackReason, EngineState.reason,
 * a probe's reason, a failed run's error): a code with its data (shared/reasons.ts), copied to the reason's own
 * fields. Anything valibot would be slow to print inside it (a huge BigInt, megabytes of text) is refused first.
 */
export const ReasonFieldSchema = v.pipe(
  v.unknown(),
  v.rawTransform<unknown, Reason>(({ dataset: { value }, addIssue, NEVER }) => {
    const reason = printable(value) ? checkedReason(value) : null;
    if (reason) return reason;
    addIssue({ message: `must be a reason (a code with its data), got ${describe(value)}`, received: typeof value });
    return NEVER;
  }),
);

/**
 * Whether `value` is small enough for valibot to word an issue about it: no BigInt, no text over MAX_TEXT, at most
 * 16 levels and 1,000 values (a real reason is a few levels of a few fields). A loop, so any depth is safe.
 */
export function printable(value: unknown): boolean {
  return everyNested(
    value,
    (x, depth, seen) =>
      seen <= 1000 && depth <= 16 && typeof x !== 'bigint' && !(typeof x === 'string' && x.length > MAX_TEXT),
  );
}

/**
 * 'tfjs-node' (native CPU), 'tfjs-node-gpu' (native CUDA), 'wasm' (fallback CPU), 'webgpu' or 'webgl' (any GPU, in
 * a hidden Chromium page).
 */
export const ENGINE_NAMES = ['tfjs-node', 'tfjs-node-gpu', 'wasm', 'webgpu', 'webgl'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/**
 * How a WebGPU run trains: Athanor's fused step (engines/webgpu/fused: forward, backward and update in one GPU
 * submit, the default) or tfjs's own kernels (the reference).
 */
export const GPU_STEPS = ['fused', 'tfjs'] as const;
export type GpuStep = (typeof GPU_STEPS)[number];

/** The most threads Athanor asks for (engines/wasm/thread-count.ts MAX_THREADS; that file is Node-only). */
const MAX_THREADS = 1024;

/** The GPU a WebGPU or WebGL run is on, as the browser reports it (GPUAdapterInfo; WebGL's unmasked renderer). */
export const GpuAdapterSchema = record({
  /** e.g. 'nvidia', 'amd', 'intel', 'apple', 'google' (SwiftShader). */
  vendor: text(),
  /** e.g. 'NVIDIA GeForce RTX 4070', 'Apple M2', 'SwiftShader Device (Subzero)'. */
  name: text(),
  /** The native graphics API under the browser's: 'Vulkan', 'D3D12', 'D3D11', 'Metal', 'OpenGL', 'OpenGL ES'. */
  api: text(),
  /** A software rasteriser (SwiftShader, llvmpipe, lavapipe, WARP), or WebGPU's `isFallbackAdapter`. */
  software: bool(),
});
export type GpuAdapter = v.InferOutput<typeof GpuAdapterSchema>;

export const EngineInfoSchema = record({
  engine: oneOf(ENGINE_NAMES),
  device: oneOf(DEVICES),
  /** tfjs backend name: 'tensorflow', 'wasm', 'webgpu' or 'webgl'. */
  backend: text(),
  version: text(),
  /** Set when the run is not on the engine it would prefer (the CPU's wasm fallback, Auto's WebGL): why. */
  fallbackReason: v.optional(ReasonFieldSchema),
  /**
   * In words: wasm, whether SIMD and threads are in use ("SIMD, 2 threads"); native, the libtensorflow and its
   * threads ("libtensorflow 2.21.0, 2 threads").
   */
  features: v.optional(text()),
  /** Native engines: the C library's own version (the binding's TF_Version), which the package version does not say. */
  libtensorflow: v.optional(text()),
  /** CPU engines: the threads a kernel may use (TensorFlow's intra-op pool; XNNPACK's threads for wasm). */
  threads: v.optional(whole(1, MAX_THREADS)),
  /** wasm: whether its SIMD build runs (`features` says so in English; the app words it from this). */
  simd: v.optional(bool()),
  /** wasm on one thread because its threaded build did not start: what that build threw. */
  threadsFailure: v.optional(text()),
  /** WebGPU and WebGL: the adapter the run is on. */
  adapter: v.optional(GpuAdapterSchema),
  /** A WebGPU run's result: the step that trained it. */
  step: v.optional(oneOf(GPU_STEPS)),
});
export type EngineInfo = v.InferOutput<typeof EngineInfoSchema>;

/** An engine's state as a probe found it: ready with what it would train on, or why not. */
export const EngineStateSchema = v.pipe(
  record(
    {
      ok: bool(),
      engine: v.optional(EngineInfoSchema),
      reason: v.optional(ReasonFieldSchema),
      adapter: v.optional(GpuAdapterSchema),
    },
    (s) => (s.ok === true ? ['engine'] : s.ok === false ? ['reason'] : []),
  ),
  v.rawTransform(({ dataset: { value: s }, addIssue, NEVER }) => {
    if (s.ok && s.engine && s.reason === undefined && s.adapter === undefined)
      return { ok: true as const, engine: s.engine };
    if (!s.ok && s.reason !== undefined && s.engine === undefined) {
      return { ok: false as const, reason: s.reason, ...(s.adapter === undefined ? {} : { adapter: s.adapter }) };
    }
    addIssue({
      message: s.ok
        ? 'is ready, so it has an engine and nothing else'
        : 'is not ready, so it has a reason and no engine',
    });
    return NEVER;
  }),
);
export type EngineState = v.InferOutput<typeof EngineStateSchema>;

/** What the GPU page found: WebGPU's adapter and WebGL's renderer, each ready or refused with the reason. */
export const BrowserEngineProbeSchema = record({ webgpu: EngineStateSchema, webgl: EngineStateSchema });
export type BrowserEngineProbe = v.InferOutput<typeof BrowserEngineProbeSchema>;
