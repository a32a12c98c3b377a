/**
 * `npm run sweep -- [options]`: where the GPU wins. Times every engine this terminal can train on (the CPU's native
 * or wasm engine, CUDA where tfjs-node-gpu loads) at each batch size (core/sweep.ts), each in a worker of its own as
 * the app trains, and prints images a second against batch size with the GPU-over-CPU ratio at each size.
 */
import * as v from 'valibot';
import { describeReason } from '../../shared/describe-reason';
import { describeSkipped } from '../../shared/describe-skipped';
import { SweepRequestSchema, type SweepRequest } from '../../shared/schema/sweep';
import { compareSweeps, TUTORIAL_BATCH } from '../../shared/sweep-ratio';
import { DEFAULT_BATCH_SIZES } from '../core/sweep';
import { joinNegativeValues } from './args';
import { readFlags } from './flags';
import { RunFailure, startSweep, type SweepOutcome } from '../process/run-worker';
import { forkWorker } from '../process/worker-transport';
import { probeEngine } from '../process/probe-engine';
import type { WorkerOptions } from '../process/protocol';
import { softwareGpuAllowed } from '../process/testing-option';
import { adapterLabel } from '../../shared/adapter-label';

export const SWEEP_USAGE = `Usage: npm run sweep -- [options]

  --batch-sizes N,N,...  batch sizes to time, in images (default ${DEFAULT_BATCH_SIZES.join(',')})
  --batches N            timed steps a size; the figure is their median (default 5)
  --warmup N             untimed steps before them at each size (default 2)
  --engines LIST         native, wasm, cuda, webgpu, comma-separated (default: the CPU's engine, and CUDA where
                         it loads); webgpu is WebGPU through Dawn, as npm run train -- --gpu-engine webgpu trains
  --help, -h             show this help

WebGL, and WebGPU in Chromium, are swept in the app's Scaling view. Environment: ATHANOR_THREADS=N sets the CPU
engines' threads; ATHANOR_ALLOW_SOFTWARE_GPU=1 lets WebGPU time a software adapter (testing only).`;

export const SWEEP_ENGINES = ['native', 'wasm', 'cuda', 'webgpu'] as const;
type SweepEngine = (typeof SWEEP_ENGINES)[number];

export interface SweepArgs {
  request: SweepRequest;
  /** The engines asked for; null: the CPU's engine, and CUDA where it loads. */
  engines: SweepEngine[] | null;
  help: boolean;
}

export class SweepUsageError extends Error {}

/** The flags as a checked sweep request. Throws SweepUsageError, one line naming the flag. */
export function parseSweepArgs(argv: string[]): SweepArgs {
  const fallback = { request: { batchSizes: [...DEFAULT_BATCH_SIZES], timedSteps: 5, warmupSteps: 2 }, engines: null };
  if (argv.includes('--help') || argv.includes('-h')) return { ...fallback, help: true };
  const { values } = readFlags(
    joinNegativeValues(argv, ['batch-sizes', 'batches', 'warmup']),
    // help: said first (above); here only so that `--help=1` is refused as a switch given a value.
    { 'batch-sizes': 'string', batches: 'string', warmup: 'string', engines: 'string', help: 'boolean' },
    (words) => new SweepUsageError(words),
    '--batches 5',
  );
  const whole = (flag: string, text: string | undefined, fallbackValue: number): number => {
    if (text === undefined) return fallbackValue;
    if (!/^\d+$/.test(text)) throw new SweepUsageError(`--${flag} needs a whole number, got "${text}"`);
    return Number(text);
  };
  const sizes = values['batch-sizes'];
  let batchSizes = fallback.request.batchSizes;
  if (sizes !== undefined) {
    const parts = sizes.split(',').map((s) => s.trim());
    const bad = parts.find((p) => !/^\d+$/.test(p));
    if (bad !== undefined)
      throw new SweepUsageError(`--batch-sizes needs whole numbers separated by commas, got "${sizes}"`);
    batchSizes = parts.map(Number);
    if (new Set(batchSizes).size !== batchSizes.length)
      throw new SweepUsageError(`--batch-sizes names a size twice: "${sizes}"`);
  }
  const request = {
    batchSizes,
    timedSteps: whole('batches', values.batches, 5),
    warmupSteps: whole('warmup', values.warmup, 2),
  };
  const checked = v.safeParse(SweepRequestSchema, request, { abortEarly: true });
  if (!checked.success) {
    const flag: Record<string, string> = {
      batchSizes: '--batch-sizes',
      timedSteps: '--batches',
      warmupSteps: '--warmup',
    };
    const issue = checked.issues[0];
    const key = String((issue.path?.[0] as { key?: unknown } | undefined)?.key ?? 'batchSizes');
    // An issue one level down is about a size in the list: "--batch-sizes: each must be ...".
    const aboutEachSize = key === 'batchSizes' && (issue.path?.length ?? 0) > 1;
    throw new SweepUsageError(
      aboutEachSize ? `--batch-sizes: each ${issue.message}` : `${flag[key] ?? key} ${issue.message}`,
    );
  }
  let engines: SweepEngine[] | null = null;
  if (values.engines !== undefined) {
    const names = values.engines.split(',').map((s) => s.trim());
    const unknown = names.find((n) => !(SWEEP_ENGINES as readonly string[]).includes(n));
    if (unknown !== undefined)
      throw new SweepUsageError(`--engines takes ${SWEEP_ENGINES.join(', ')}, got "${unknown}"`);
    if (new Set(names).size !== names.length)
      throw new SweepUsageError(`--engines names an engine twice: "${values.engines}"`);
    engines = names as SweepEngine[];
  }
  return { request: checked.output, engines, help: false };
}

/** The table: one row a batch size, one column pair (ms a step, images a second) an engine, then the ratios. */
export function formatSweep(sweeps: readonly SweepOutcome[], sizes: readonly number[]): string[] {
  const name = (s: SweepOutcome) =>
    `${s.engine.engine} ${s.engine.version}${s.engine.features ? ` (${s.engine.features})` : ''}` +
    (s.engine.adapter ? ` on ${adapterLabel(s.engine.adapter)}` : '');
  const lines = sweeps.map((s, i) => `[${i + 1}] ${s.engine.device.toUpperCase()}: ${name(s)}`);
  const head = ['batch', ...sweeps.flatMap((_, i) => [`[${i + 1}] ms/step`, `[${i + 1}] img/s`])];
  const rows = sizes.map((size) => [
    String(size),
    ...sweeps.flatMap((s) => {
      const p = s.points.find((q) => q.batchSize === size);
      return p ? [p.msPerStep.toFixed(1), Math.round(p.imagesPerSecond).toLocaleString('en-US')] : ['-', '-'];
    }),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const pad = (r: string[]) => r.map((cell, c) => cell.padStart(widths[c])).join('  ');
  lines.push('', pad(head), ...rows.map(pad));
  for (const s of sweeps)
    for (const k of s.skipped)
      lines.push(`[${sweeps.indexOf(s) + 1}] batch ${k.batchSize} not timed: ${describeSkipped(k)}`);
  // Each point counts the tensors it left on the backend: anything but 0 is a leak, and memory would grow.
  for (const s of sweeps)
    for (const p of s.points.filter((q) => q.tensorsLeft > 0))
      lines.push(`[${sweeps.indexOf(s) + 1}] batch ${p.batchSize} left ${p.tensorsLeft} tensors behind (a leak)`);
  const cpu = sweeps.find((s) => s.engine.device === 'cpu');
  for (const gpu of sweeps.filter((s) => s.engine.device === 'gpu')) {
    if (!cpu) break;
    const c = compareSweeps(cpu.points, gpu.points);
    lines.push(
      '',
      `GPU over CPU (images a second): ${c.ratios.map((r) => `${r.batchSize}: ${r.ratio.toFixed(2)}x`).join(', ')}`,
    );
    lines.push(
      c.gpuAheadFrom === null
        ? 'The GPU was not faster than the CPU at any batch size timed here'
        : `The GPU is faster from a batch of ${c.gpuAheadFrom}` +
            (c.atTutorialBatch === null
              ? ''
              : `; at the tutorial's ${TUTORIAL_BATCH}, ${c.atTutorialBatch.toFixed(2)}x`),
    );
  }
  return lines;
}

/** The sweep under way, for Ctrl+C; and whether one came, so the engines left are not started. */
let current: { cancel(): void; stop(): void } | null = null;
let cancelled = false;

async function sweepOne(
  target: { device: 'cpu' | 'gpu'; gpuEngine?: 'cuda' | 'webgpu' },
  request: SweepRequest,
  options: WorkerOptions,
): Promise<SweepOutcome> {
  const job = startSweep(
    forkWorker,
    target,
    request,
    {
      onReady: (e) =>
        console.error(
          `Timing ${e.device.toUpperCase()}: ${e.engine} ${e.version}` +
            (e.fallbackReason && e.fallbackReason.code !== 'fallback-asked'
              ? ` (fallback: ${describeReason(e.fallbackReason)})`
              : ''),
        ),
      onPoint: (p) =>
        console.error(
          `  batch ${p.batchSize}: ${p.msPerStep.toFixed(1)} ms a step, ${Math.round(p.imagesPerSecond)} img/s`,
        ),
    },
    options,
  );
  current = job;
  try {
    return await job.outcome;
  } finally {
    current = null;
  }
}

async function main(argv: string[]): Promise<number> {
  let args: SweepArgs;
  try {
    args = parseSweepArgs(argv);
  } catch (err) {
    if (!(err instanceof SweepUsageError)) throw err;
    console.error(`athanor: ${err.message} (npm run sweep -- --help lists the options)`);
    return 2;
  }
  if (args.help) {
    console.log(SWEEP_USAGE);
    return 0;
  }
  const engines = args.engines ?? ['cpu-default' as const, 'cuda' as const];
  const sweeps: SweepOutcome[] = [];
  process.on('exit', () => current?.stop());
  process.on('SIGINT', () => {
    if (cancelled) process.exit(130);
    cancelled = true;
    console.error('\nCancelling after the current step (Ctrl+C again to stop at once)...');
    current?.cancel();
  });
  // An engine asked for by name that cannot run fails the command, after the others are timed and printed.
  let missing = false;
  for (const engine of engines) {
    if (cancelled) break;
    if (engine === 'cuda' || engine === 'webgpu') {
      const options = { allowSoftwareAdapter: softwareGpuAllowed() };
      const probe = await probeEngine(forkWorker, { device: 'gpu', gpuEngine: engine }, options);
      if (!probe.ok) {
        const what = engine === 'cuda' ? 'CUDA' : 'WebGPU';
        console.error(`${what} not timed: ${describeReason(probe.reason ?? { code: 'no-reason' })}`);
        if (args.engines) missing = true;
        continue;
      }
      sweeps.push(await sweepOne({ device: 'gpu', gpuEngine: engine }, args.request, options));
    } else {
      const outcome = await sweepOne({ device: 'cpu' }, args.request, { preferFallback: engine === 'wasm' });
      if (engine === 'native' && outcome.engine.engine !== 'tfjs-node') {
        console.error(
          `athanor: the native engine did not load: ${outcome.engine.fallbackReason ? describeReason(outcome.engine.fallbackReason) : 'no reason given'}`,
        );
        missing = true;
        continue;
      }
      sweeps.push(outcome);
    }
  }
  if (sweeps.length > 0) for (const line of formatSweep(sweeps, args.request.batchSizes)) console.log(line);
  if (cancelled) return 130;
  if (!sweeps.some((s) => s.points.length > 0)) {
    console.error("athanor: no batch size was timed on any engine (each one's reason is above)");
    return 1;
  }
  return missing ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`athanor: ${err instanceof Error ? err.message.split('\n', 1)[0] : String(err)}`);
      process.exit(err instanceof RunFailure && err.kind === 'invalid-config' ? 2 : 1);
    },
  );
}
