/**
 * What a run trains on, and what a probe found: the engines, the GPU adapters the browser reports, and each
 * engine's ready-or-not state. Every result carries its EngineInfo, so a fallback is never silent.
 */
import * as v from 'valibot';
import { DEVICES } from './settings';
import { bool, oneOf, record, text, whole } from './fields';

/**
 * Why an engine cannot run or fell back, wherever a reason appears (EngineInfo.fallbackReason, EngineState.reason,
 * a probe's reason): one definition, so turning reasons from words into codes changes this line only.
 */
export const ReasonTextSchema = text();
export type ReasonText = v.InferOutput<typeof ReasonTextSchema>;

/**
 * 'tfjs-node' (native CPU), 'tfjs-node-gpu' (native CUDA), 'wasm' (fallback CPU), 'webgpu' or 'webgl' (any GPU, in
 * a hidden Chromium page).
 */
export const ENGINE_NAMES = ['tfjs-node', 'tfjs-node-gpu', 'wasm', 'webgpu', 'webgl'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

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
  /** Set when the CPU run is not on the native engine: why the native one could not load. */
  fallbackReason: v.optional(ReasonTextSchema),
  /**
   * In words: wasm, whether SIMD and threads are in use ("SIMD, 2 threads"); native, the libtensorflow and its
   * threads ("libtensorflow 2.21.0, 2 threads").
   */
  features: v.optional(text()),
  /** Native engines: the C library's own version (the binding's TF_Version), which the package version does not say. */
  libtensorflow: v.optional(text()),
  /** CPU engines: the threads a kernel may use (TensorFlow's intra-op pool; XNNPACK's threads for wasm). */
  threads: v.optional(whole(1, MAX_THREADS)),
  /** WebGPU and WebGL: the adapter the run is on. */
  adapter: v.optional(GpuAdapterSchema),
});
export type EngineInfo = v.InferOutput<typeof EngineInfoSchema>;

/** An engine's state as a probe found it: ready with what it would train on, or why not. */
export const EngineStateSchema = v.pipe(
  record(
    { ok: bool(), engine: v.optional(EngineInfoSchema), reason: v.optional(ReasonTextSchema), adapter: v.optional(GpuAdapterSchema) },
    (s) => (s.ok === true ? ['engine'] : s.ok === false ? ['reason'] : []),
  ),
  v.rawTransform(({ dataset: { value: s }, addIssue, NEVER }) => {
    if (s.ok && s.engine && s.reason === undefined && s.adapter === undefined) return { ok: true as const, engine: s.engine };
    if (!s.ok && s.reason !== undefined && s.engine === undefined) {
      return { ok: false as const, reason: s.reason, ...(s.adapter === undefined ? {} : { adapter: s.adapter }) };
    }
    addIssue({ message: s.ok ? 'is ready, so it has an engine and nothing else' : 'is not ready, so it has a reason and no engine' });
    return NEVER;
  }),
);
export type EngineState = v.InferOutput<typeof EngineStateSchema>;

/** What the GPU page found: WebGPU's adapter and WebGL's renderer, each ready or refused with the reason. */
export const BrowserEngineProbeSchema = record({ webgpu: EngineStateSchema, webgl: EngineStateSchema });
export type BrowserEngineProbe = v.InferOutput<typeof BrowserEngineProbeSchema>;
