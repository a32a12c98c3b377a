/**
 * What this machine can train on: the CPU; NVIDIA GPUs as nvidia-smi reports them, for the CUDA engine; and whatever
 * GPU Chromium offers WebGPU and WebGL (asked of a GPU page). Each engine is proven by starting it in a fresh worker
 * or page, so the two native TensorFlow builds never meet in one process. This file runs the checks;
 * nvidia-smi.ts, engine-statuses.ts, hardware-names.ts and devices-cache.ts each do one part.
 */
import os from 'node:os';
import type { NativeEngineState } from '../app-paths';
import type { HelpContext } from '../shared/install-advice';
import type { CpuInfo, Device, DevicesReport } from '../shared/ipc-contract';
import { reasonOf, type Reason } from '../shared/reasons';
import type { BrowserEngineProbe } from '../training/process/protocol';
import type { ProbeOutcome } from '../training/process/probe-engine';
import { engineStatuses } from './engine-statuses';
import { detectGpus, type ExecFn } from './nvidia-smi';

// The e2e harness and main import these from here.
export { cachedDevices } from './devices-cache';
export { hardwareNames, type HardwareNames } from './hardware-names';

export type ProbeFn = (device: Device) => Promise<ProbeOutcome>;
/** Asks a GPU page for WebGPU's adapter and WebGL's renderer (ProbeOutcome.browserEngines). */
type PageProbeFn = () => Promise<ProbeOutcome>;
type OsLike = Pick<typeof os, 'cpus' | 'totalmem'>;

export function detectCpu(system: OsLike = os): CpuInfo {
  const cpus = system.cpus();
  return {
    model: cpus[0]?.model.trim().replace(/\s+/g, ' ') || 'unknown CPU',
    cores: cpus.length,
    memoryGiB: Math.round((system.totalmem() / 2 ** 30) * 10) / 10,
  };
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
    probe().catch((err: unknown): ProbeOutcome => ({ ok: false, reason: reasonOf(err) }));
  const cpuProbing = safe(() => options.probe('cpu'));
  const pageProbing = options.probePage ? safe(options.probePage) : null;
  const detection = await detectGpus(options.exec, options.platform);
  const [cpuProbe, gpuProbe, pageProbe] = await Promise.all([
    cpuProbing,
    detection.gpus.length > 0 ? safe(() => options.probe('gpu')) : null,
    pageProbing,
  ]);
  const browser =
    pageProbe?.browserEngines ?? (pageProbe ? failedPage(pageProbe.reason ?? { code: 'page-no-answer' }) : null);
  // The native copy's file check (blocking I/O in main) matters only to explain a fallback.
  const onFallback = cpuProbe.ok && !!cpuProbe.engine?.fallbackReason;
  const {
    cpu: cpuStatus,
    gpu,
    gpuEngines,
  } = engineStatuses({
    detection,
    cpuProbe,
    gpuProbe,
    help: options.help,
    browser,
    cpuCopy: onFallback ? options.cpuEngineCopy?.() : undefined,
  });
  return {
    cpu,
    gpus: detection.gpus,
    gpuDetectionNote: detection.note,
    engines: { cpu: cpuStatus, gpu },
    gpuEngines,
    adapters: [gpuEngines.webgpu.adapter, gpuEngines.webgl.adapter].filter((a): a is NonNullable<typeof a> => !!a),
  };
}

/** A page that crashed or never answered: both browser engines are unavailable for that reason. */
function failedPage(cause: Reason): BrowserEngineProbe {
  const reason: Reason = { code: 'gpu-page-failed', cause };
  return { webgpu: { ok: false, reason }, webgl: { ok: false, reason } };
}
