/**
 * What the Devices panel shows and what the buttons allow, from what detection and the probes found. Every reason
 * stays a code with its data (shared/reasons.ts): the panel, the CLI and notices word it.
 */
import type { NativeEngineState } from '../app-paths';
import type { HelpContext } from '../shared/install-advice';
import type { EngineStatus, GpuEngineStatuses } from '../shared/ipc-contract';
import type { Reason } from '../shared/reasons';
import type { BrowserEngineProbe, EngineInfo, EngineState } from '../training/process/protocol';
import type { ProbeOutcome } from '../training/process/probe-engine';
import { classifyGpuEngineError } from './cuda-help';
import type { GpuDetection } from './nvidia-smi';

export interface StatusInputs {
  detection: GpuDetection;
  cpuProbe: ProbeOutcome;
  /** The CUDA probe; null when nvidia-smi found no GPU, so none ran. */
  gpuProbe: ProbeOutcome | null;
  /** With it, a failed CUDA probe is told as the step that fixes it (cuda-help) rather than as the load error. */
  help?: HelpContext;
  /** The GPU page's answer; null when no page was asked, so the browser engines read "not checked". */
  browser?: BrowserEngineProbe | null;
  /** The native CPU engine's copy on disk (app-paths' nativeEngineState), to name what a broken one lacks. */
  cpuCopy?: NativeEngineState;
}

export interface EngineStatuses {
  cpu: EngineStatus;
  /** What "Auto" trains on: CUDA where it loads, else WebGPU, else WebGL. */
  gpu: EngineStatus;
  gpuEngines: GpuEngineStatuses;
}

export function engineStatuses({
  detection,
  cpuProbe,
  gpuProbe,
  help,
  browser = null,
  cpuCopy,
}: StatusInputs): EngineStatuses {
  const cpu: EngineStatus =
    cpuProbe.ok && cpuProbe.engine
      ? {
          device: 'cpu',
          available: true,
          engine: cpuProbe.engine,
          reason: cpuProbe.engine.fallbackReason
            ? cpuFallbackReason(cpuProbe.engine, cpuProbe.engine.fallbackReason, cpuCopy, help?.packaged)
            : null,
        }
      : // The CPU can always train: a run starts the fallback engine itself, so a failed check is only reported.
        {
          device: 'cpu',
          available: true,
          engine: null,
          reason: { code: 'engine-check-failed', cause: cpuProbe.reason ?? { code: 'no-reason' } },
        };

  let cuda: EngineStatus;
  if (detection.gpus.length === 0) {
    cuda = {
      device: 'gpu',
      available: false,
      engine: null,
      reason: detection.note ?? { code: 'nvidia-smi-listed-none', said: null },
    };
  } else if (gpuProbe?.ok && gpuProbe.engine) {
    cuda = { device: 'gpu', available: true, engine: gpuProbe.engine, reason: null };
  } else {
    const reason: Reason = gpuProbe?.reason ?? { code: 'not-checked', engine: 'cuda' };
    cuda = { device: 'gpu', available: false, engine: null, reason: help ? cudaHelp(reason, help) : reason };
  }
  const gpuEngines = {
    cuda,
    webgpu: browserStatus(browser?.webgpu, 'webgpu'),
    webgl: browserStatus(browser?.webgl, 'webgl'),
  };
  return { cpu, gpu: autoGpu(gpuEngines), gpuEngines };
}

/**
 * Why the CPU trains on the fallback engine: the file check of the native engine's copy names what a broken copy
 * lacks, which Windows's load error does not; otherwise the probe's own reason.
 */
function cpuFallbackReason(
  engine: EngineInfo,
  probed: Reason,
  cpuCopy: NativeEngineState | undefined,
  packaged = false,
): Reason {
  const cause: Reason =
    cpuCopy?.state === 'broken'
      ? {
          code: 'native-copy-broken',
          missing: cpuCopy.missing.map((file) => file.split(/[\\/]/).slice(-2).join('/')),
          packaged,
        }
      : probed;
  return { code: 'cpu-fallback', engine: engine.engine, cause };
}

function cudaHelp(cause: Reason, { platform, packaged, arch }: HelpContext): Reason {
  const reason: Reason = { code: 'cuda-help', situation: classifyGpuEngineError(cause), platform, packaged, cause };
  return arch === undefined ? reason : { ...reason, arch };
}

function browserStatus(state: EngineState | undefined, engine: 'webgpu' | 'webgl'): EngineStatus {
  if (!state)
    return { device: 'gpu', available: false, engine: null, reason: { code: 'not-checked', engine }, adapter: null };
  return state.ok
    ? { device: 'gpu', available: true, engine: state.engine, reason: null, adapter: state.engine.adapter ?? null }
    : { device: 'gpu', available: false, engine: null, reason: state.reason, adapter: state.adapter ?? null };
}

/** "Auto": the first engine that is ready, CUDA, then WebGPU, then WebGL, saying what was passed over and why. */
function autoGpu({ cuda, webgpu, webgl }: GpuEngineStatuses): EngineStatus {
  if (cuda.available) return cuda;
  if (webgpu.available) return webgpu;
  if (webgl.available)
    return {
      ...webgl,
      reason: { code: 'webgl-instead', webgpu: webgpu.reason ?? { code: 'not-checked', engine: 'webgpu' } },
    };
  // Each engine's own reason is in gpuEngines (the Devices panel lists them): this is the one-line summary.
  return { device: 'gpu', available: false, engine: null, reason: { code: 'no-gpu-engine' } };
}
