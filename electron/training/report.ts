import type { LossWindow, RunResult } from './protocol';

/** The reference's line, character for character: `[1,   100] loss: 2.268`. */
export function formatLossLine(w: LossWindow): string {
  return `[${w.epoch}, ${String(w.batch).padStart(5)}] loss: ${w.meanLoss.toFixed(3)}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function formatSummary(result: RunResult, files: string[]): string {
  const { engine, timings, evaluation } = result;
  const perBatch = timings.trainingMs / Math.max(1, result.batchesPerEpoch * result.epochs.length - 1);
  const lines = [
    'Summary',
    `  engine          ${engine.engine} ${engine.version} on ${engine.device.toUpperCase()}` +
      (engine.fallbackReason ? ' (fallback)' : ''),
    `  training        ${seconds(timings.trainingMs)} for ${result.epochs.length} epochs of ` +
      `${result.trainImages} images (${perBatch.toFixed(1)} ms a batch)`,
    `  throughput      ${Math.round(result.imagesPerSecond)} images/s`,
    `  set-up          engine ${seconds(timings.engineStartMs)}, data ${seconds(timings.dataLoadMs)}, ` +
      `warm-up batch ${seconds(timings.warmupMs)}, evaluation ${seconds(timings.evaluationMs)}`,
    `  final loss      ${result.finalLoss?.toFixed(4) ?? 'n/a'}`,
  ];
  if (evaluation) {
    lines.push(`  test accuracy   ${(evaluation.accuracy * 100).toFixed(2)}% on ${evaluation.count} test images`);
  }
  lines.push(`  weights         ${files.join(', ')}`);
  return lines.join('\n');
}
