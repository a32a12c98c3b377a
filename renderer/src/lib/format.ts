import { adapterLabel } from '../../../electron/shared/adapter-label';
import type { EngineInfo, TrainRequest } from '../../../electron/shared/ipc-contract';
import { SHOWN_SETTINGS } from '../../../electron/shared/schema/settings';

// Fixed locale: the UI's numbers read the same on every machine, and the tests can assert on them.
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatInteger(n: number): string {
  return integer.format(n);
}

/** "0.4 s", "9.4 s", "44 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const totalSeconds = Math.round(s);
  if (totalSeconds < 3600) {
    const m = Math.floor(totalSeconds / 60);
    return `${m} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
  }
  const totalMinutes = Math.round(s / 60);
  return `${Math.floor(totalMinutes / 60)} h ${String(totalMinutes % 60).padStart(2, '0')} min`;
}

/** Time left, rounded up to whole seconds: an ETA that says "0 s" while work remains reads as a hang. */
export function formatEta(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms === 0) return '0 s';
  if (ms < 1000) return '< 1 s';
  const s = Math.ceil(ms / 1000);
  return s < 60 ? `${s} s` : formatDuration(s * 1000);
}

/** Shown for a figure that exists but measures nothing (no timed batch), as the CLI's summary says it. */
export const NOT_MEASURED = 'n/a';

/**
 * "6,805 img/s"; "–" when there is no figure. A rate of zero or less is never a measurement here (the loop reports
 * 0 when it has timed no batch yet, or none at all): NOT_MEASURED, never "0 img/s".
 */
export function formatRate(imagesPerSecond: number | null | undefined): string {
  if (imagesPerSecond === null || imagesPerSecond === undefined || Number.isNaN(imagesPerSecond)) return '–';
  if (!Number.isFinite(imagesPerSecond) || imagesPerSecond <= 0) return NOT_MEASURED;
  // A slow run's rate keeps two significant digits rather than rounding to a "0 img/s" that reads as unmeasured.
  return imagesPerSecond < 10
    ? `${Number(imagesPerSecond.toPrecision(2))} img/s`
    : `${formatInteger(imagesPerSecond)} img/s`;
}

export function formatPercent(fraction: number | null | undefined, digits = 2): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '–';
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** The reference prints losses with three decimals. */
export function formatLoss(loss: number | null | undefined): string {
  if (loss === null || loss === undefined) return '–';
  if (!Number.isFinite(loss)) return String(loss);
  return loss.toFixed(3);
}

/**
 * A gap between two runs' figures: small ones in scientific notation ("3.1e-7"), everyday ones with three
 * significant digits ("0.0123", "1.5"), zero as "0", a diverged run's as "Infinity".
 */
export function formatGap(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 0.01 && Math.abs(x) < 1000 ? String(Number(x.toPrecision(3))) : x.toExponential(1);
}

/** "14x", "3.2x", "0.85x": whole numbers once the ratio is large, two significant digits below. */
export function formatSpeedup(factor: number): string {
  if (!Number.isFinite(factor) || factor <= 0) return '–';
  if (factor >= 10) return `${Math.round(factor)}x`;
  return `${Number(factor.toPrecision(2))}x`;
}

/** Local "YYYY-MM-DD HH:MM". */
export function formatWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function formatSettings(s: TrainRequest): string {
  return settingsParts(s).join(' · ');
}

/** The settings as short phrases, for layouts that wrap between phrases but never inside one. */
export function settingsParts(s: TrainRequest): string[] {
  const values = s as Partial<Record<string, unknown>>;
  const parts = SHOWN_SETTINGS.flatMap(({ key, short }) =>
    typeof values[key] === 'number' ? [short(values[key])] : [],
  );
  if (s.dataDir !== undefined) parts.push(`data: ${dataFolderName(s.dataDir)}`);
  return parts;
}

const ENGINE_NAMES: Record<EngineInfo['engine'], string> = {
  'tfjs-node': 'tfjs-node',
  'tfjs-node-gpu': 'CUDA (tfjs-node-gpu)',
  wasm: 'wasm (fallback)',
  webgpu: 'WebGPU',
  webgl: 'WebGL',
};

/** The engine's name alone: "WebGPU", "wasm (fallback)", "CUDA (tfjs-node-gpu)". */
export function engineName(engine: Pick<EngineInfo, 'engine'>): string {
  return ENGINE_NAMES[engine.engine] ?? engine.engine;
}

/**
 * The engine a run used, and for the browser engines the GPU adapter and graphics API under it:
 * "tfjs-node 4.22.0 (libtensorflow 2.21.0, 2 threads)", "wasm (fallback) 4.22.0", "WebGPU 4.22.0 on NVIDIA GeForce RTX 4070 (Vulkan)".
 * A software adapter (SwiftShader, llvmpipe, WARP) says so: its times say nothing about a GPU.
 */
export function engineLabel(engine: EngineInfo | null | undefined): string {
  if (!engine) return '–';
  // A native engine's package version says nothing of the TensorFlow under it: "tfjs-node 4.22.0 (libtensorflow 2.21.0, 2 threads)".
  const base =
    `${ENGINE_NAMES[engine.engine] ?? engine.engine} ${engine.version}` +
    (engine.libtensorflow && engine.features ? ` (${engine.features})` : '');
  return engine.adapter ? `${base} on ${adapterLabel(engine.adapter)}` : base;
}

export function deviceLabel(device: 'cpu' | 'gpu'): string {
  return device === 'cpu' ? 'CPU' : 'GPU';
}

export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  return trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1) || path;
}

/**
 * A data folder's short name: its last segment, with the one above when the last says nothing on its own
 * (torchvision's `FashionMNIST/raw`, a project's `mnist/data`). POSIX and Windows paths.
 */
export function dataFolderName(path: string): string {
  const last = baseName(path);
  if (!/^(raw|data)$/i.test(last)) return last;
  const above = path
    .replace(/[\\/]+$/, '')
    .slice(0, -last.length)
    .replace(/[\\/]+$/, '');
  const parent = above.slice(Math.max(above.lastIndexOf('/'), above.lastIndexOf('\\')) + 1);
  const separator = path.includes('\\') && !path.includes('/') ? '\\' : '/';
  return parent && !parent.endsWith(':') ? `${parent}${separator}${last}` : last;
}

/** Electron prefixes errors from `invoke` with "Error invoking remote method '<channel>': Error: ". */
export function errorMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  return raw.replace(/^Error invoking remote method '[^']*': /, '').replace(/^(\w*Error): /, '');
}

/** A run in one phrase: its accuracy when it finished, else what happened to it. */
export function formatAccuracyOrStatus(r: { status: string; accuracy: number | null }): string {
  return r.status === 'done' && r.accuracy !== null ? `${formatPercent(r.accuracy)} test accuracy` : r.status;
}
