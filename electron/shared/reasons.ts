/**
 * Why something cannot run, as a code with its data: made where the failure happens (an engine that does not load,
 * nvidia-smi, a probe, the Devices report), carried as data through worker and page messages and the DevicesReport,
 * and worded once, where it is shown (describe-reason.ts). Nothing parses the words back: code that decides reads
 * the code. Free of Node, so the renderer imports it too.
 */
import * as v from 'valibot';

/** The native TensorFlow packages: the CPU build, and the CUDA build. */
export const NATIVE_PACKAGES = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'] as const;
export type NativePackage = (typeof NATIVE_PACKAGES)[number];
export const GPU_ENGINE_KEYS = ['cuda', 'webgpu', 'webgl'] as const;
export const GPU_SITUATIONS = [
  'unsupported-platform',
  'engine-missing',
  'no-nvidia-gpu',
  'driver-too-old',
  'cuda-missing',
  'cudnn-missing',
  'no-gpu-visible',
] as const;

/**
 * Text that comes from elsewhere (a loader's error line, what nvidia-smi printed), or a name: at most as long as any
 * text a worker message may hold (schema/fields.ts MAX_TEXT).
 */
const said = v.pipe(v.string(), v.maxLength(100_000));
const pkg = v.picklist(NATIVE_PACKAGES);
const code = <C extends string>(name: C) => v.literal(name);

// ---- How a run ends: made where it ends (the loop, the job server, run-worker and worker-transport, RunManager, the history store). ----

/** Who runs a job: a worker process (forked Node, Electron's utility process) or the GPU page. */
export const PEERS = ['worker', 'page'] as const;
export type Peer = (typeof PEERS)[number];
const peer = v.picklist(PEERS);
const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
/** A loss that exploded: its value, or what JSON cannot hold ('NaN', 'Infinity'), so the row keeps it. */
const lossValue = v.union([v.pipe(v.number(), v.finite()), v.picklist(['NaN', 'Infinity'])]);

/** How a worker or GPU page ended on its own (worker-transport.ts's exitReason, the GPU window's end). */
const EXIT_SCHEMAS = [
  v.object({ code: code('worker-exited'), exitCode: v.nullable(v.number()) }),
  /** `signal`: Node's name for it, 'SIGKILL'. */
  v.object({ code: code('worker-killed'), signal: said }),
  /** `why`: Electron's render-process-gone reason ('crashed', 'oom'). */
  v.object({ code: code('page-crashed'), why: said, exitCode: v.optional(v.number()) }),
  v.object({ code: code('page-hung'), seconds: v.number() }),
  v.object({ code: code('page-closed') }),
  /** `detail`: Chromium's load error ('ERR_FILE_NOT_FOUND'). */
  v.object({ code: code('page-load-failed'), detail: said }),
] as const;
export const ExitReasonSchema = v.variant('code', EXIT_SCHEMAS);
export type ExitReason = v.InferOutput<typeof ExitReasonSchema>;

const RUN_END_SCHEMAS = [
  ...EXIT_SCHEMAS,
  /** Cancelled after `step` of the run's `totalSteps` batches. */
  v.object({ code: code('run-cancelled'), step: count, totalSteps: count }),
  v.object({ code: code('run-cancelled-before-start') }),
  /** The worker was stopped by Athanor (a cancel that ended it, the app going away). */
  v.object({ code: code('run-stopped') }),
  /** The app closed while the run was still going (a 'running' row found at the next start). */
  v.object({ code: code('run-interrupted') }),
  /** divergence.ts: the mean loss at `epoch`, `batch` passed `limit` (10 x ln 10) or stopped being a number. */
  v.object({ code: code('loss-exploded'), epoch: count, batch: count, loss: lossValue, limit: v.number() }),
  /** divergence.ts: batches `fromBatch`-`toBatch` of `epoch` still at `chance`, no lower than `batchesBefore` before. */
  v.object({
    code: code('loss-stuck'),
    epoch: count,
    fromBatch: count,
    toBatch: count,
    meanLoss: v.number(),
    chance: v.number(),
    batchesBefore: count,
  }),
  /** The engine ran out of memory at a batch of `batch`; `max`: the largest it holds, when known; `detail`: its error. */
  v.object({ code: code('out-of-memory'), engine: said, batch: count, max: v.optional(count), detail: said }),
  /** `detail`: the message check's words (shared/schema/messages.ts). */
  v.object({ code: code('run-bad-message'), peer, detail: said }),
  /** A checked message that a callback threw on: `type` the message's, `detail` the error's own words. */
  v.object({ code: code('run-message-unusable'), peer, type: said, detail: said }),
  v.object({ code: code('run-probe-answer'), peer }),
  /** A good message at the wrong time: a sweep's in a run, a run's in a sweep, a sweep's end before 'ready'. */
  v.object({
    code: code('run-message-out-of-place'),
    peer,
    type: said,
    where: v.picklist(['sweep-in-run', 'run-in-sweep', 'before-ready']),
  }),
  v.object({ code: code('worker-busy'), peer }),
  /** The GPU page refuses a start it cannot serve: a CPU run, or one main sent without its data. */
  v.object({ code: code('page-cpu-run') }),
  v.object({ code: code('page-no-data') }),
  /** A done run whose weights the history could not write: kept in memory (`detail`: why), or lost with the error. */
  v.object({ code: code('weights-in-memory'), detail: said }),
  v.object({ code: code('weights-not-stored'), detail: said }),
] as const;
export type RunEndReason = v.InferOutput<(typeof RUN_END_SCHEMAS)[number]>;

/** Reasons that hold no other reason. */
const LEAF_SCHEMAS = [
  ...RUN_END_SCHEMAS,
  // A native package's load, as engines/native.ts sees it. `packaged`: an installed app, whose user cannot run npm.
  v.object({ code: code('native-not-installed'), pkg, packaged: v.boolean() }),
  v.object({ code: code('native-binding-missing'), pkg, packaged: v.boolean() }),
  v.object({ code: code('native-glibc-too-old'), pkg, glibc: said }),
  v.object({ code: code('native-library-missing'), pkg, library: said, packaged: v.boolean() }),
  /** Windows's load error names no DLL. */
  v.object({ code: code('native-dll-missing'), pkg, packaged: v.boolean() }),
  /** `detail`: the loader's own first line; `driverTooOld` when it says the CUDA driver is too old. */
  v.object({ code: code('native-load-failed'), pkg, detail: said, driverTooOld: v.optional(v.boolean()) }),
  v.object({ code: code('native-other-loaded'), pkg, other: pkg }),
  v.object({ code: code('native-no-backend'), pkg, tfjsVersion: said }),
  v.object({ code: code('native-backend-not-started'), pkg }),
  v.object({ code: code('native-cannot-train'), pkg, detail: said }),
  v.object({ code: code('cuda-no-gpu') }),
  /** The native CPU engine's copy on disk lacks files (app-paths' check): `missing` as short paths. */
  v.object({ code: code('native-copy-broken'), missing: v.array(said), packaged: v.boolean() }),
  // Choosing an engine.
  v.object({ code: code('fallback-asked') }),
  v.object({ code: code('wasm-not-started') }),
  v.object({ code: code('browser-engine-in-node'), engine: v.picklist(['webgpu', 'webgl']) }),
  v.object({ code: code('cuda-in-page') }),
  // The browser engines, in the GPU page.
  v.object({ code: code('webgpu-missing') }),
  v.object({ code: code('webgpu-request-failed'), detail: said }),
  v.object({ code: code('webgpu-no-adapter'), linux: v.boolean() }),
  v.object({ code: code('webgpu-off-linux') }),
  v.object({ code: code('webgl-no-page') }),
  v.object({ code: code('webgl-unavailable') }),
  v.object({ code: code('webgl-no-float'), adapter: said }),
  /** A software renderer refused: `api` is 'WebGPU' or 'WebGL', `adapter` its name. */
  v.object({ code: code('software-adapter'), api: said, adapter: said }),
  /** `detail`: tfjs's error, or what tfjs was not given (' (no device from the adapter)'). */
  v.object({ code: code('backend-not-started'), api: said, detail: v.optional(said) }),
  // WebGPU in a Node process, through Dawn (npm's webgpu package): the CLI's GPU engine besides CUDA.
  /** The optional `webgpu` package is not installed (npm dropped it, or an installed app, built without it). */
  v.object({ code: code('dawn-not-installed'), packaged: v.boolean() }),
  /** dawn.node is there but did not load: `detail` is the loader's first line. */
  v.object({ code: code('dawn-load-failed'), detail: said }),
  /** Linux: Dawn needs the Vulkan loader, libvulkan.so.1, and it is not installed. */
  v.object({ code: code('vulkan-loader-missing') }),
  /** Dawn loaded but found no adapter: no driver for the platform's API. `platform`: Node's name for it. */
  v.object({ code: code('dawn-no-adapter'), platform: said }),
  /** The device a run trained on was lost (driver reset, GPU removed), or ran out of memory; `detail`: Dawn's words. */
  v.object({ code: code('webgpu-device-lost'), detail: said }),
  v.object({ code: code('webgpu-out-of-memory'), detail: said }),
  /** Any other error WebGPU raised during the run (validation, internal): what tfjs computed after it is not to be trusted. */
  v.object({ code: code('webgpu-error'), detail: said }),
  // Probing in a worker or page.
  v.object({ code: code('probe-timeout'), peer, seconds: v.number() }),
  v.object({ code: code('probe-bad-message'), peer, detail: said }),
  /** The worker or page ended before it answered; `exit` is how. */
  v.object({ code: code('probe-ended'), exit: ExitReasonSchema }),
  /** A probe that failed without saying why; a GPU page that answered without its engines. */
  v.object({ code: code('no-reason') }),
  v.object({ code: code('page-no-answer') }),
  // A batch-size sweep (the Scaling view). `exit`: how its worker or page ended.
  v.object({ code: code('sweep-busy') }),
  v.object({ code: code('sweep-process-ended'), exit: ExitReasonSchema }),
  // nvidia-smi, for the CUDA engine.
  v.object({ code: code('macos-no-cuda') }),
  v.object({ code: code('nvidia-smi-missing') }),
  v.object({ code: code('nvidia-smi-timeout'), seconds: v.number() }),
  v.object({ code: code('nvidia-smi-denied') }),
  v.object({ code: code('nvidia-smi-failed'), said }),
  v.object({ code: code('nvidia-smi-listed-none'), said: v.nullable(said) }),
  // The Devices report.
  v.object({ code: code('not-checked'), engine: v.picklist(GPU_ENGINE_KEYS) }),
  v.object({ code: code('no-gpu-engine') }),
  /** An error nothing here foresaw: its own message is all there is to say. */
  v.object({ code: code('error'), message: said }),
  /** Words an older version stored (history rows' engine.fallbackReason before codes). */
  v.object({ code: code('words'), text: said }),
] as const;

type LeafReason = v.InferOutput<(typeof LEAF_SCHEMAS)[number]>;

/** Reasons that wrap another: valibot cannot infer a recursive type, so these are written out. */
type WrappingReason =
  /** The CPU trains on the fallback `engine` because of `cause`. */
  | { code: 'cpu-fallback'; engine: string; cause: Reason }
  | { code: 'fallback-failed'; native: Reason; detail: string }
  /** The CPU engine check failed; a run will still try the fallback engine. */
  | { code: 'engine-check-failed'; cause: Reason }
  /** The CUDA engine did not load, told as the step that fixes it (install-advice's gpuEngineHelp). */
  | {
      code: 'cuda-help';
      situation: (typeof GPU_SITUATIONS)[number];
      platform: string;
      arch?: string;
      packaged: boolean;
      cause: Reason;
    }
  | { code: 'gpu-page-failed'; cause: Reason }
  | { code: 'webgpu-and-webgl-failed'; webgpu: Reason; webgl: Reason }
  /** Auto trains on WebGL: WebGPU is not available, because of `webgpu`. */
  | { code: 'webgl-instead'; webgpu: Reason }
  /** Auto in a Node process: neither CUDA nor WebGPU (Dawn) can run, each for its reason. */
  | { code: 'cuda-and-webgpu-failed'; cuda: Reason; webgpu: Reason };

export type Reason = LeafReason | WrappingReason;
export type ReasonCode = Reason['code'];

const inner: v.GenericSchema<Reason> = v.lazy(() => ReasonSchema);

/** Every reason as it may cross a boundary (worker and page messages, IPC, history rows). */
export const ReasonSchema: v.GenericSchema<Reason> = v.variant('code', [
  ...LEAF_SCHEMAS,
  v.object({ code: code('cpu-fallback'), engine: said, cause: inner }),
  v.object({ code: code('fallback-failed'), native: inner, detail: said }),
  v.object({ code: code('engine-check-failed'), cause: inner }),
  v.object({
    code: code('cuda-help'),
    situation: v.picklist(GPU_SITUATIONS),
    platform: said,
    arch: v.optional(said),
    packaged: v.boolean(),
    cause: inner,
  }),
  v.object({ code: code('gpu-page-failed'), cause: inner }),
  v.object({ code: code('webgpu-and-webgl-failed'), webgpu: inner, webgl: inner }),
  v.object({ code: code('webgl-instead'), webgpu: inner }),
  v.object({ code: code('cuda-and-webgpu-failed'), cuda: inner, webgpu: inner }),
]);

/** An error as a reason: its own when it carries one (EngineUnavailableError), else its message. */
export function reasonOf(err: unknown): Reason {
  const carried = (err as { reason?: unknown } | null)?.reason;
  if (carried !== undefined && isReason(carried)) return carried;
  return { code: 'error', message: err instanceof Error ? err.message : String(err) };
}

/** Whether `raw` is a reason; fields a reason does not have are allowed (and kept: see storedReason). */
export function isReason(raw: unknown): raw is Reason {
  return v.is(ReasonSchema, raw);
}

/**
 * A reason read from a history row, as it is (a newer version's extra fields survive a rewrite of the row); rows
 * written before reasons were codes hold words, kept as they were ('words'). Null when `raw` is neither.
 */
export function storedReason(raw: unknown): Reason | null {
  if (typeof raw === 'string') return { code: 'words', text: raw };
  return isReason(raw) ? raw : null;
}

/** A fresh copy of `raw` holding only a reason's fields, or null when it is not a reason. */
export function checkedReason(raw: unknown): Reason | null {
  const checked = v.safeParse(ReasonSchema, raw);
  return checked.success ? checked.output : null;
}
