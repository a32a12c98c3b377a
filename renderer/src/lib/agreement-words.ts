/**
 * The agreement figures in words (issue 16, "Same maths on both"): what differs between two runs that should not,
 * why their figures cannot be had, and the pairs of ticked runs a report compares. The one place these are worded.
 */
import { differingSettings, type Agreement } from '../../../electron/shared/agreement';
import type { AgreementProblem, RunRecord } from '../../../electron/shared/ipc-contract';
import { SETTINGS } from '../../../electron/shared/schema/settings';
import { deviceLabel, formatGap, formatPercent, formatWhen } from './format';

/** A setting's name as the settings form labels it ("Batch size"); the command line's words for the rest. */
export function settingName(key: string): string {
  if (key === 'dataDir') return 'Dataset';
  const spec = (SETTINGS as Record<string, { label?: string; words?: string }>)[key];
  return spec?.label ?? spec?.words ?? key;
}

/** The determining settings two runs differ in, as the form names them; empty when they are comparable. */
export function settingsDifference(a: RunRecord, b: RunRecord): string[] {
  return differingSettings(a.settings, b.settings).map(settingName);
}

/** "The runs differ in batch size and seed: ..." for two runs whose gaps would not compare engines. */
export function unlikeText(names: readonly string[]): string {
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return (
    `These runs differ in ${list.toLowerCase()}, so how far apart they ended says nothing about the engines. ` +
    'Tick two runs with the same settings and seed (Compare trains such a pair).'
  );
}

/** Why the figures cannot be had, naming the run at fault as the History shows it. */
export function problemText(problem: AgreementProblem, records: readonly RunRecord[]): string {
  if (problem.code === 'same-run') return 'These are the same run.';
  const run = records.find((r) => r.id === problem.id);
  const name = run ? `The ${deviceLabel(run.device)} run of ${formatWhen(run.startedAt)}` : `Run ${problem.id}`;
  switch (problem.code) {
    case 'run-unknown':
      return `${name} is no longer in the history.`;
    case 'no-weights':
      return `${name} has no stored weights to compare: only finished runs keep them (it ${problem.status === 'running' ? 'is still running' : `ended ${problem.status}`}).`;
    case 'weights-unreadable':
      return `${name}'s stored weights cannot be read (${problem.detail}), so the figures cannot be computed.`;
  }
}

/**
 * The pairs a report gives agreement figures for: each ticked GPU run with each ticked CPU run of the same
 * determining settings, both with weights. In the order ticked.
 */
export function matchingPairs(runs: readonly RunRecord[]): [RunRecord, RunRecord][] {
  const withWeights = runs.filter((r) => r.hasWeights);
  const cpu = withWeights.filter((r) => r.device === 'cpu');
  return withWeights
    .filter((r) => r.device === 'gpu')
    .flatMap((gpu) =>
      cpu
        .filter((c) => differingSettings(c.settings, gpu.settings).length === 0)
        .map((c): [RunRecord, RunRecord] => [c, gpu]),
    );
}

/**
 * Weight gaps up to this fraction of the largest weight are rounding: float32 sums in another order differ in their
 * last bits, and SGD carries that along a run. Far above it, the engines computed something else (tfjs#2837).
 */
export const ROUNDING_SIZED = 1e-3;
/** Test accuracies this close (half a percentage point) are the same model's, whatever its weights' bits. */
export const SAME_ACCURACY = 0.005;

/** One sentence: do the runs agree, and by which figure. */
export function verdictText(agreement: Agreement): { agree: boolean; text: string } {
  const scale = Math.max(...agreement.weights.map((w) => w.maxAbs));
  const relative = scale > 0 ? agreement.maxWeightDiff / scale : agreement.maxWeightDiff;
  const [a, b] = agreement.accuracy;
  const accuracyGap = a !== null && b !== null ? Math.abs(a - b) : null;
  if (!Number.isFinite(agreement.maxWeightDiff))
    return { agree: false, text: 'They do not agree: one run diverged (its weights are not numbers).' };
  if (relative <= ROUNDING_SIZED)
    return {
      agree: true,
      text: `They agree: the weights differ by at most ${formatGap(agreement.maxWeightDiff)}, rounding beside weights up to ${formatGap(scale)}.`,
    };
  if (accuracyGap !== null && accuracyGap <= SAME_ACCURACY)
    return {
      agree: true,
      text: `They agree in accuracy (${formatPercent(a)} and ${formatPercent(b)}); their weights drifted ${formatGap(agreement.maxWeightDiff)} apart, as rounding grows over a run.`,
    };
  return {
    agree: false,
    text: `They do not agree: weights up to ${formatGap(agreement.maxWeightDiff)} apart${accuracyGap === null ? '' : ` and accuracies ${formatPercent(accuracyGap)} apart`}.`,
  };
}

/** Two ticked runs in the order the figures name them: the CPU run first, else the older first. */
export function orderPair(a: RunRecord, b: RunRecord): [RunRecord, RunRecord] {
  if (a.device !== b.device) return a.device === 'cpu' ? [a, b] : [b, a];
  return Date.parse(a.startedAt) <= Date.parse(b.startedAt) ? [a, b] : [b, a];
}
