import { adapterLabel } from '../../shared/adapter-label';
import type { GpuStep } from '../../shared/schema/engine';
import type { LossWindow, RunResult } from '../process/protocol';

/**
 * `x` with `digits` decimals exactly as Python's `'%.*f' % x` (and an f-string's `:.3f`) prints it: every digit
 * of a large value (1.7e24 -> "1712103756531716437655552.000", where JS's toFixed switches to exponent notation at
 * 1e21), exact ties rounded half to even (Python: 0.0625 -> "0.062"; toFixed rounds them up), and "nan", "inf",
 * "-inf", "-0.000". Source: CPython's float formatting (Python/pystrtod.c, correctly rounded, round-half-even).
 */
export function formatFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const a = Math.abs(x);
  if (a >= 1e21) return `${sign}${BigInt(a)}${digits > 0 ? `.${'0'.repeat(digits)}` : ''}`; // every double this large is an integer
  // toFixed(100) is the exact expansion here: a value at or above 0.5e-digits needs far fewer than 100 decimals.
  const exact = a.toFixed(100);
  const point = exact.indexOf('.');
  const rest = exact.slice(point + 1 + digits);
  if (/^50*$/.test(rest)) {
    // An exact tie: keep the even neighbour.
    const kept = exact.slice(0, point + 1 + digits);
    const last = Number(kept.at(-1));
    const down = digits > 0 ? kept : kept.slice(0, -1);
    if (last % 2 === 0) return sign + down;
  }
  return sign + a.toFixed(digits);
}

/** The reference's line, character for character, whatever the loss: `[1,   100] loss: 2.268`. */
export function formatLossLine(w: LossWindow): string {
  return `[${w.epoch}, ${String(w.batch).padStart(5)}] loss: ${formatFixed(w.meanLoss, 3)}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
/** A WebGPU run's step in the summary's words. */
const STEP_WORDS: Record<GpuStep, string> = { fused: "Athanor's fused step", tfjs: "tfjs's kernels" };

export function formatSummary(result: RunResult, files: string[], data?: string): string {
  const { engine, timings, evaluation } = result;
  // The first batch is the untimed warm-up, so a one-batch run has no timed batch to average.
  const timedBatches = result.batchesPerEpoch * result.epochs.length - 1;
  const perBatch =
    timedBatches > 0
      ? `${(timings.trainingMs / timedBatches).toFixed(1)} ms a batch`
      : 'no timed batch: the only one was the warm-up';
  const lines = [
    'Summary',
    `  engine          ${engine.engine} ${engine.version} on ${engine.device.toUpperCase()}` +
      (engine.fallbackReason ? ' (fallback)' : '') +
      (engine.features ? `, ${engine.features}` : '') +
      (engine.step ? `, ${STEP_WORDS[engine.step]}` : ''),
    ...(engine.adapter ? [`  adapter         ${adapterLabel(engine.adapter)}`] : []),
    ...(data === undefined ? [] : [`  data            ${data}`]),
    `  training        ${seconds(timings.trainingMs)} for ${plural(result.epochs.length, 'epoch', 'epochs')} of ` +
      `${plural(result.trainImages, 'image', 'images')} (${perBatch})`,
    `  throughput      ${timedBatches > 0 ? `${Math.round(result.imagesPerSecond)} images/s` : 'n/a'}`,
    `  set-up          engine ${seconds(timings.engineStartMs)}, data ${seconds(timings.dataLoadMs)}, ` +
      `warm-up batch ${seconds(timings.warmupMs)}, evaluation ${seconds(timings.evaluationMs)}`,
    `  last batch loss ${result.finalLoss === null ? 'n/a' : formatFixed(result.finalLoss, 4)}`,
  ];
  if (evaluation) {
    lines.push(
      `  test accuracy   ${(evaluation.accuracy * 100).toFixed(2)}% on ${plural(evaluation.count, 'test image', 'test images')}`,
    );
  }
  lines.push(`  weights         ${files.join(', ')}`);
  return lines.join('\n');
}
