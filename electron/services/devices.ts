/**
 * What this machine can train on: the CPU; NVIDIA GPUs as nvidia-smi reports them, for the CUDA engine; and whatever
 * GPU Chromium offers WebGPU and WebGL (asked of a GPU page). Each engine is proven by starting it in a fresh worker
 * or page, so the two native TensorFlow builds never meet in one process.
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import type { NativeEngineState } from '../app-paths';
import { classifyGpuEngineError, gpuEngineHelp, type HelpContext } from './cuda-help';
import { adapterName } from '../shared/adapter-label';
import type { CpuInfo, Device, DevicesReport, EngineStatus, GpuEngineStatuses, GpuInfo } from '../shared/ipc-contract';
import type { BrowserEngineProbe, EngineInfo, EngineState } from '../training/process/protocol';
import type { ProbeOutcome } from '../training/process/run-worker';
import { nativeInstallAdvice } from '../training/engines/native-advice';

/** execFile's promise form; rejects with its error (code ENOENT, a numeric exit code, or killed on timeout). */
export type ExecFn = (file: string, args: string[], options: { timeout: number }) => Promise<{ stdout: string; stderr: string }>;
export type ProbeFn = (device: Device) => Promise<ProbeOutcome>;
/** Asks a GPU page for WebGPU's adapter and WebGL's renderer (ProbeOutcome.browserEngines). */
type PageProbeFn = () => Promise<ProbeOutcome>;

export const NVIDIA_SMI_TIMEOUT_MS = 10_000;
export const MACOS_GPU_REASON = 'the CUDA engine needs an NVIDIA GPU with CUDA, which macOS does not have';
const QUERY = ['--query-gpu=name,memory.total,driver_version', '--format=csv,noheader,nounits'];

export const execNode: ExecFn = (file, args, options) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { timeout: options.timeout, windowsHide: true }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
  });

type OsLike = Pick<typeof os, 'cpus' | 'totalmem'>;

export function detectCpu(system: OsLike = os): CpuInfo {
  const cpus = system.cpus();
  return {
    model: cpus[0]?.model.trim().replace(/\s+/g, ' ') || 'unknown CPU',
    cores: cpus.length,
    memoryGiB: Math.round((system.totalmem() / 2 ** 30) * 10) / 10,
  };
}

/** One line per GPU: "name, memory MiB, driver". Names may hold commas, so the two numbers are taken from the end. */
export function parseGpuList(stdout: string): GpuInfo[] {
  const gpus: GpuInfo[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const parts = line.split(',').map((p) => p.trim());
    if (parts.length < 3) continue;
    const driver = parts.pop()!;
    const memory = parts.pop()!;
    const name = parts.join(', ');
    // "[N/A]" memory is kept as 0 (some boards do not report it); a line without a driver version is not a GPU row.
    if (!name || !/^\d+(\.\d+)*$/.test(driver) || !/^(\d+|\[N\/A\])$/.test(memory)) continue;
    gpus.push({ name, memoryMiB: /^\d+$/.test(memory) ? Number(memory) : 0, driver, cuda: null });
  }
  return gpus;
}

/** The "CUDA Version: 12.4" in plain nvidia-smi's header: the newest CUDA the driver supports. */
export function parseCudaVersion(stdout: string): string | null {
  return /CUDA Version\s*:\s*(\d+(?:\.\d+)*)/.exec(stdout)?.[1] ?? null;
}

export interface GpuDetection {
  gpus: GpuInfo[];
  note: string | null;
}

export async function detectGpus(exec: ExecFn = execNode, platform: NodeJS.Platform = process.platform): Promise<GpuDetection> {
  if (platform === 'darwin') return { gpus: [], note: MACOS_GPU_REASON };
  let stdout: string;
  try {
    stdout = (await exec('nvidia-smi', QUERY, { timeout: NVIDIA_SMI_TIMEOUT_MS })).stdout;
  } catch (err) {
    return { gpus: [], note: `no NVIDIA GPU found (${explainExecError(err)})` };
  }
  const gpus = parseGpuList(stdout);
  if (gpus.length === 0) {
    const first = stdout.trim().split(/\r?\n/)[0];
    return { gpus, note: `no NVIDIA GPU found (nvidia-smi listed none${first ? `; it said: ${clip(first)}` : ''})` };
  }
  // The CUDA version is a nicety: a failure here must not hide GPUs the query already found.
  const cuda = await exec('nvidia-smi', [], { timeout: NVIDIA_SMI_TIMEOUT_MS })
    .then((r) => parseCudaVersion(r.stdout), () => null);
  return { gpus: gpus.map((g) => ({ ...g, cuda })), note: null };
}

function explainExecError(err: unknown): string {
  const e = err as { code?: unknown; killed?: boolean; signal?: unknown; stdout?: unknown; stderr?: unknown; message?: string };
  if (e.code === 'ENOENT') return 'nvidia-smi is not installed';
  if (e.killed || e.signal === 'SIGTERM') return `nvidia-smi did not answer within ${NVIDIA_SMI_TIMEOUT_MS / 1000} s`;
  if (e.code === 'EACCES') return 'nvidia-smi could not be run (permission denied)';
  // nvidia-smi prints its reason ("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver...")
  // on stdout, and exits non-zero.
  const said = [e.stdout, e.stderr].map((s) => (typeof s === 'string' ? s.trim() : '')).find((s) => s.length > 0);
  return `nvidia-smi failed: ${clip(said?.split(/\r?\n/)[0] ?? e.message ?? String(err))}`;
}

const clip = (s: string): string => (s.length > 200 ? `${s.slice(0, 200)}...` : s);

/**
 * Why the CPU trains on the fallback engine, for the Devices panel: the file check of the native engine's copy
 * (`cpuCopy`, from app-paths' nativeEngineState) names what a broken copy lacks, which Windows's load error does
 * not; otherwise the probe's reason, already worded for who reads it (`packaged`).
 */
function cpuFallbackReason(engine: EngineInfo, cpuCopy?: NativeEngineState, packaged = false): string {
  const prefix = `on the fallback engine (${engine.engine}, slower) because `;
  if (cpuCopy?.state === 'broken') {
    const names = cpuCopy.missing.map((file) => file.split(/[\\/]/).slice(-2).join('/'));
    const fix = nativeInstallAdvice('@tensorflow/tfjs-node', true, packaged);
    return `${prefix}the native CPU engine (tfjs-node) in this ${packaged ? 'copy of Athanor' : 'checkout'} is broken `
      + `(${names.join(', ')} missing): ${fix}`;
  }
  return prefix + (engine.fallbackReason ?? 'the native CPU engine did not load');
}

/**
 * Turns detection and probe outcomes into what the Devices panel shows and what the buttons allow. With `help`, a
 * failed CUDA probe is told as the step that fixes it (cuda-help) rather than as the raw load error, and a broken
 * copy of the native CPU engine (`cpuCopy`) as what it lacks and what to do. `gpu` is what "Auto" trains on: CUDA
 * where it loads, else WebGPU, else WebGL; each GPU engine's own state is in `gpuEngines`.
 */
export function engineStatuses(detection: GpuDetection, cpuProbe: ProbeOutcome, gpuProbe: ProbeOutcome | null,
  help?: HelpContext, browser: BrowserEngineProbe | null = null, cpuCopy?: NativeEngineState,
): { cpu: EngineStatus; gpu: EngineStatus; gpuEngines: GpuEngineStatuses } {
  const cpu: EngineStatus = cpuProbe.ok && cpuProbe.engine
    ? {
      device: 'cpu', available: true, engine: cpuProbe.engine,
      reason: cpuProbe.engine.fallbackReason ? cpuFallbackReason(cpuProbe.engine, cpuCopy, help?.packaged) : null,
    }
    // The CPU can always train: a run starts the fallback engine itself, so a failed check is only reported.
    : { device: 'cpu', available: true, engine: null, reason: `the engine check failed (${cpuProbe.reason ?? 'no reason given'}); a run will try the fallback engine` };

  let cuda: EngineStatus;
  if (detection.gpus.length === 0) {
    cuda = { device: 'gpu', available: false, engine: null, reason: detection.note ?? 'no NVIDIA GPU found' };
  } else if (gpuProbe?.ok && gpuProbe.engine) {
    cuda = { device: 'gpu', available: true, engine: gpuProbe.engine, reason: null };
  } else {
    cuda = { device: 'gpu', available: false, engine: null, reason: explainGpuFailure(gpuProbe?.reason ?? 'the CUDA engine was not checked', help) };
  }
  const webgpu = browserStatus(browser?.webgpu, 'WebGPU');
  const webgl = browserStatus(browser?.webgl, 'WebGL');
  const gpuEngines = { cuda, webgpu, webgl };
  return { cpu, gpu: autoGpu(gpuEngines), gpuEngines };
}

function browserStatus(state: EngineState | undefined, name: string): EngineStatus {
  if (!state) return { device: 'gpu', available: false, engine: null, reason: `${name} was not checked`, adapter: null };
  return state.ok
    ? { device: 'gpu', available: true, engine: state.engine, reason: null, adapter: state.engine.adapter ?? null }
    : { device: 'gpu', available: false, engine: null, reason: state.reason, adapter: state.adapter ?? null };
}

/** "Auto": the first engine that is ready, CUDA, then WebGPU, then WebGL, saying what was passed over and why. */
function autoGpu({ cuda, webgpu, webgl }: GpuEngineStatuses): EngineStatus {
  if (cuda.available) return cuda;
  if (webgpu.available) return webgpu;
  if (webgl.available) return { ...webgl, reason: `on WebGL, because WebGPU is not available: ${webgpu.reason}` };
  return {
    device: 'gpu', available: false, engine: null,
    // Each engine's own reason is in gpuEngines (the Devices panel lists them): this is the one-line summary.
    reason: 'no GPU engine can run here: WebGPU, WebGL and CUDA each say why under Devices',
  };
}

function explainGpuFailure(reason: string, help: HelpContext | undefined): string {
  if (!help) return reason;
  const situation = classifyGpuEngineError(reason);
  // The catch-all advice is generic: keep the error itself beside it.
  return situation === 'no-gpu-visible' ? `${gpuEngineHelp(situation, help)} (${reason})` : gpuEngineHelp(situation, help);
}

export interface DetectOptions {
  probe: ProbeFn;
  /** The GPU page's probe; without it the browser engines read "not checked". */
  probePage?: PageProbeFn;
  exec?: ExecFn;
  platform?: NodeJS.Platform;
  system?: OsLike;
  help?: HelpContext;
  /** The native CPU engine's copy on disk (app-paths' nativeEngineState), to name what a broken one lacks. */
  cpuEngineCopy?: () => NativeEngineState;
}

/**
 * The whole report. The probes run at once, each in its own worker or page; the CUDA probe only when nvidia-smi
 * found a GPU, the page's on every machine (WebGPU and WebGL serve every vendor).
 */
export async function detectDevices(options: DetectOptions): Promise<DevicesReport> {
  const cpu = detectCpu(options.system);
  const safe = (probe: () => Promise<ProbeOutcome>) =>
    probe().catch((err: unknown): ProbeOutcome => ({ ok: false, reason: (err as Error).message ?? String(err) }));
  const cpuProbing = safe(() => options.probe('cpu'));
  const pageProbing = options.probePage ? safe(options.probePage) : null;
  const detection = await detectGpus(options.exec, options.platform);
  const [cpuProbe, gpuProbe, pageProbe] = await Promise.all([
    cpuProbing, detection.gpus.length > 0 ? safe(() => options.probe('gpu')) : null, pageProbing,
  ]);
  const browser = pageProbe?.browserEngines
    ?? (pageProbe ? failedPage(pageProbe.reason ?? 'the GPU page did not answer') : null);
  // The native copy's file check (blocking I/O in main) matters only to explain a fallback.
  const onFallback = cpuProbe.ok && !!cpuProbe.engine?.fallbackReason;
  const { cpu: cpuStatus, gpu, gpuEngines } = engineStatuses(detection, cpuProbe, gpuProbe, options.help, browser,
    onFallback ? options.cpuEngineCopy?.() : undefined);
  return {
    cpu, gpus: detection.gpus, gpuDetectionNote: detection.note, engines: { cpu: cpuStatus, gpu }, gpuEngines,
    adapters: [gpuEngines.webgpu.adapter, gpuEngines.webgl.adapter].filter((a): a is NonNullable<typeof a> => !!a),
  };
}

/** A page that crashed or never answered: both browser engines are unavailable for that reason. */
function failedPage(reason: string): BrowserEngineProbe {
  return { webgpu: { ok: false, reason: `the GPU page failed: ${reason}` }, webgl: { ok: false, reason: `the GPU page failed: ${reason}` } };
}

export interface HardwareNames {
  cpu: string;
  gpu: string | null;
}

/**
 * Hardware names for history rows: the CPU model, and the GPU "Auto" would train on: the first NVIDIA GPU (the one
 * TensorFlow uses by default) for CUDA, else the adapter Chromium reports. A run's row takes its engine's adapter
 * name once the run has started.
 */
export function hardwareNames(report: Pick<DevicesReport, 'cpu' | 'gpus'> & Partial<Pick<DevicesReport, 'engines'>>): HardwareNames {
  const auto = report.engines?.gpu;
  const adapter = auto?.engine?.adapter;
  const gpu = auto?.engine?.engine === 'tfjs-node-gpu' ? report.gpus[0]?.name : adapter ? adapterName(adapter) : undefined;
  return { cpu: report.cpu.model, gpu: gpu ?? report.gpus[0]?.name ?? null };
}

/**
 * The report is slow to make (a worker process a probe, and a GPU page): made once, remade on request, the latest
 * kept for run rows. Requests while a detection is in flight share it, refresh or not: 50 clicks on Refresh start
 * one set of probes, not 50 (each a process). A refresh after it has settled starts a fresh one.
 */
export function cachedDevices(detect: () => Promise<DevicesReport>) {
  let pending: Promise<DevicesReport> | null = null;
  let inFlight = false;
  let latest: DevicesReport | null = null;
  const run = () => {
    inFlight = true;
    const attempt = detect().then((report) => (latest = report));
    pending = attempt;
    attempt.then(() => (inFlight = false), () => {
      // A failed detection is not cached: the next call tries again.
      inFlight = false;
      pending = null;
    });
    return attempt;
  };
  return {
    get: (refresh = false): Promise<DevicesReport> => (!pending || (refresh && !inFlight) ? run() : pending),
    latest: (): DevicesReport | null => latest,
  };
}
