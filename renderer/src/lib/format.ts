import { adapterLabel } from '../../../electron/shared/adapter-label';
import { statusWord } from '../../../electron/shared/run-end-words';
import { language, t } from '../../../electron/shared/i18n';
import type { EngineInfo, TrainRequest } from '../../../electron/shared/ipc-contract';
import { SETTINGS, SHOWN_SETTINGS, type SettingKey } from '../../../electron/shared/schema/settings';

// One formatter per language and style, made on first use in that language (never at load: the language can change).
const formatters = new Map<string, Intl.NumberFormat>();
function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${language()} ${JSON.stringify(options)}`;
  let made = formatters.get(key);
  if (!made) formatters.set(key, (made = new Intl.NumberFormat(language(), options)));
  return made;
}

/** "60,000": grouped in the language's way. */
export function formatInteger(n: number): string {
  return numberFormat({ maximumFractionDigits: 0 }).format(n);
}

/**
 * `x` with exactly `digits` decimals in the language's marks, ungrouped as toFixed writes it ("1234.50"). toFixed
 * rounds and Intl only writes the result: Intl alone rounds the double's shortest decimal form (3.05 to "3.1"),
 * toFixed its exact value (3.0499999... to "3.0"), and the figures must read as they always have.
 */
export function formatFixed(x: number, digits: number): string {
  const options = { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false };
  return numberFormat(options).format(Number(x.toFixed(digits)));
}

/** `x` to `digits` significant digits without trailing zeros: 7.2, 0.35, 14. Rounded as formatFixed says why. */
function significant(x: number, digits: number): string {
  return numberFormat({ maximumSignificantDigits: digits, useGrouping: false }).format(Number(x.toPrecision(digits)));
}

/** "0.4 s", "9.4 s", "44 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  const s = ms / 1000;
  if (s < 10) return t('format.seconds', { value: formatFixed(s, 1) });
  if (s < 60) return t('format.seconds', { value: formatInteger(Math.round(s)) });
  const totalSeconds = Math.round(s);
  if (totalSeconds < 3600) {
    const minutes = formatInteger(Math.floor(totalSeconds / 60));
    return t('format.minutesSeconds', { minutes, seconds: twoDigits(totalSeconds % 60) });
  }
  const totalMinutes = Math.round(s / 60);
  return t('format.hoursMinutes', {
    hours: formatInteger(Math.floor(totalMinutes / 60)),
    minutes: twoDigits(totalMinutes % 60),
  });
}

const twoDigits = (n: number) => numberFormat({ minimumIntegerDigits: 2 }).format(n);

/** Time left, rounded up to whole seconds: an ETA that says "0 s" while work remains reads as a hang. */
export function formatEta(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms === 0) return t('format.seconds', { value: formatInteger(0) });
  if (ms < 1000) return t('format.underASecond');
  const s = Math.ceil(ms / 1000);
  return s < 60 ? t('format.seconds', { value: formatInteger(s) }) : formatDuration(s * 1000);
}

/** Shown for a figure that exists but measures nothing (no timed batch), as the CLI's summary says it: English. */
export const NOT_MEASURED = 'n/a';

/** NOT_MEASURED in the UI's language: what the app shows. */
export function notMeasured(): string {
  return t('format.notMeasured');
}

/**
 * "6,805 img/s"; "–" when there is no figure. A rate of zero or less is never a measurement here (the loop reports
 * 0 when it has timed no batch yet, or none at all): NOT_MEASURED, never "0 img/s".
 */
export function formatRate(imagesPerSecond: number | null | undefined): string {
  if (imagesPerSecond === null || imagesPerSecond === undefined || Number.isNaN(imagesPerSecond)) return '–';
  if (!Number.isFinite(imagesPerSecond) || imagesPerSecond <= 0) return notMeasured();
  // A slow run's rate keeps two significant digits rather than rounding to a "0 img/s" that reads as unmeasured.
  const value = imagesPerSecond < 10 ? significant(imagesPerSecond, 2) : formatInteger(imagesPerSecond);
  return t('format.rate', { value });
}

export function formatPercent(fraction: number | null | undefined, digits = 2): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '–';
  return `${formatFixed(fraction * 100, digits)}%`;
}

/**
 * A diverged run's figure: English keeps the word the CLI prints ("Infinity", "NaN"), other languages Intl's
 * symbols ("∞"), since "Infinity" is not a word there.
 */
function nonFinite(x: number): string {
  return language() === 'en' ? String(x) : numberFormat({}).format(x);
}

/** The reference prints losses with three decimals. */
export function formatLoss(loss: number | null | undefined): string {
  if (loss === null || loss === undefined) return '–';
  if (!Number.isFinite(loss)) return nonFinite(loss);
  return formatFixed(loss, 3);
}

/**
 * A gap between two runs' figures: small ones in scientific notation ("3.1e-7"), everyday ones with three
 * significant digits ("0.0123", "1.5"), zero as "0", a diverged run's as "Infinity".
 */
export function formatGap(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return nonFinite(x);
  return Math.abs(x) >= 0.01 && Math.abs(x) < 1000 ? String(Number(x.toPrecision(3))) : x.toExponential(1);
}

/** "14x", "3.2x", "0.85x": whole numbers once the ratio is large, two significant digits below. */
export function formatSpeedup(factor: number): string {
  if (!Number.isFinite(factor) || factor <= 0) return '–';
  const value = factor >= 10 ? formatInteger(Math.round(factor)) : significant(factor, 2);
  return t('format.speedup', { value });
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** Date and minutes in the current language's order and marks, the hours 00-23; one formatter per language. */
function dateFormat(): Intl.DateTimeFormat {
  let made = dateFormats.get(language());
  if (!made) {
    const when = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' } as const;
    dateFormats.set(language(), (made = new Intl.DateTimeFormat(language(), { ...when, hourCycle: 'h23' })));
  }
  return made;
}

/**
 * Local date and minutes: English keeps its unambiguous "YYYY-MM-DD HH:MM", other languages their own (Intl's
 * zh-CN: "2026/01/05 09:07").
 */
export function formatWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (language() !== 'en') return dateFormat().format(d);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function formatSettings(s: TrainRequest): string {
  return settingsParts(s).join(' · ');
}

/** The settings as short phrases, for layouts that wrap between phrases but never inside one. */
export function settingsParts(s: TrainRequest): string[] {
  const values = s as Partial<Record<string, unknown>>;
  const parts = SHOWN_SETTINGS.flatMap(({ key }) =>
    typeof values[key] === 'number' ? [SHOWN[key as ShownKey](values[key])] : [],
  );
  if (s.dataDir !== undefined) parts.push(t('format.dataFolder', { folder: dataFolderName(s.dataDir) }));
  return parts;
}

/** The settings a summary shows (the schema's `shown`): the record's type asks for a phrase for each. */
type ShownKey = { [K in SettingKey]: (typeof SETTINGS)[K] extends { shown: unknown } ? K : never }[SettingKey];
// The schema's own phrases (`shown.short`) stay the CLI's and the CSV's English; the UI words its values here.
const SHOWN: Record<ShownKey, (n: number) => string> = {
  epochs: (n) => t('format.shown.epochs', { value: String(n) }),
  batchSize: (n) => t('format.shown.batchSize', { value: String(n) }),
  lr: (n) => t('format.shown.lr', { value: String(n) }),
  momentum: (n) => t('format.shown.momentum', { value: String(n) }),
  seed: (n) => t('format.shown.seed', { value: String(n) }),
  limit: (n) => t('format.shown.limit', { value: formatInteger(n) }),
};

const ENGINE_NAMES: Record<EngineInfo['engine'], () => string> = {
  'tfjs-node': () => 'tfjs-node',
  'tfjs-node-gpu': () => 'CUDA (tfjs-node-gpu)',
  wasm: () => t('format.wasmFallback'),
  webgpu: () => 'WebGPU',
  webgl: () => 'WebGL',
};

/** The engine's name alone: "WebGPU", "wasm (fallback)", "CUDA (tfjs-node-gpu)". */
export function engineName(engine: Pick<EngineInfo, 'engine'>): string {
  return ENGINE_NAMES[engine.engine]?.() ?? engine.engine;
}

/**
 * The engine a run used, and for the browser engines the GPU adapter and graphics API under it:
 * "tfjs-node 4.22.0 (libtensorflow 2.21.0, 2 threads)", "wasm (fallback) 4.22.0", "WebGPU 4.22.0 on NVIDIA GeForce RTX 4070 (Vulkan)".
 * A software adapter (SwiftShader, llvmpipe, WARP) says so: its times say nothing about a GPU.
 */
export function engineLabel(engine: EngineInfo | null | undefined): string {
  if (!engine) return '–';
  // A native engine's package version says nothing of the TensorFlow under it: "tfjs-node 4.22.0 (libtensorflow 2.21.0, 2 threads)".
  const features = engine.libtensorflow && engine.features ? engineFeatures(engine) : '';
  const named = `${engineName(engine)} ${engine.version}` + (features ? ` (${features})` : '');
  // A WebGPU result says which step trained it: Athanor's fused one or tfjs's kernels (rows from before say neither).
  const base = engine.step ? t(`format.step.${engine.step}`, { engine: named }) : named;
  return engine.adapter ? t('format.engineOn', { engine: base, adapter: adapterLabel(engine.adapter) }) : base;
}

/**
 * A CPU engine's build and threads in the UI's language, from the EngineInfo's data: "libtensorflow 2.21.0,
 * 2 threads", "SIMD, single thread (the threaded build did not start: ...)". An engine that recorded only the English
 * `features` (rows from before the data was kept) keeps those words; '' when there is nothing to say.
 */
export function engineFeatures(engine: EngineInfo): string {
  const parts: string[] = [];
  if (engine.engine === 'wasm' && engine.simd !== undefined) {
    parts.push(engine.simd ? t('format.features.simd') : t('format.features.noSimd'));
    const threads = engine.threads ?? 1;
    if (threads > 1) parts.push(t('format.features.threads', { count: threads }));
    else if (engine.threadsFailure)
      parts.push(t('format.features.singleThreadFailed', { reason: engine.threadsFailure }));
    else parts.push(t('format.features.singleThread'));
  } else if (engine.engine === 'tfjs-node' || engine.engine === 'tfjs-node-gpu') {
    if (engine.libtensorflow) parts.push(t('format.features.libtensorflow', { version: engine.libtensorflow }));
    if (engine.threads !== undefined) parts.push(t('format.features.threads', { count: engine.threads }));
  }
  return parts.length > 0 ? parts.join(t('format.features.separator')) : (engine.features ?? '');
}

export function deviceLabel(device: 'cpu' | 'gpu'): string {
  return device === 'cpu' ? 'CPU' : 'GPU';
}

/** Node's `process.platform` names ('linux', 'win32', 'darwin') as their makers write them, in every language. */
const PLATFORM_NAMES: Readonly<Record<string, string>> = {
  linux: 'Linux',
  win32: 'Windows',
  darwin: 'macOS',
  freebsd: 'FreeBSD',
  openbsd: 'OpenBSD',
};

/** The operating system's own name for a `process.platform` value; one this list lacks is shown as it came. */
export function platformName(platform: string): string {
  return PLATFORM_NAMES[platform] ?? platform;
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
  if (r.status === 'done' && r.accuracy !== null) return t('format.testAccuracy', { value: formatPercent(r.accuracy) });
  return statusWord(r.status);
}

export { statusWord };
