/**
 * The agreement figures in words (issue 16, "Same maths on both"): what differs between two runs that should not,
 * why their figures cannot be had, and the pairs of ticked runs a report compares. The one place these are worded.
 */
import { differingSettings, type Agreement } from '../../../electron/shared/agreement';
import type { AgreementProblem, RunRecord } from '../../../electron/shared/ipc-contract';
import { language, t } from '../../../electron/shared/i18n';
import { results } from '../../../electron/shared/i18n/en/results';
import { settings } from '../../../electron/shared/i18n/en/settings';
import { deviceLabel, formatGap, formatPercent, formatWhen, statusWord } from './format';

type FormField = keyof typeof settings.fields;
type OtherSetting = keyof typeof results.setting;
const isFormField = (key: string): key is FormField => Object.hasOwn(settings.fields, key);
const isOther = (key: string): key is OtherSetting => Object.hasOwn(results.setting, key);

/**
 * A setting's name as the settings form labels it ("Batch size", the form's own words), the rest as Results names
 * them ("GPU engine", "Test images"); the key itself for a setting this app does not know.
 */
export function settingName(key: string): string {
  if (isFormField(key)) return t(`settings.fields.${key}`);
  return isOther(key) ? t(`results.setting.${key}`) : key;
}

/** The determining settings two runs differ in, as the form names them; empty when they are comparable. */
export function settingsDifference(a: RunRecord, b: RunRecord): string[] {
  return differingSettings(a.settings, b.settings).map(settingName);
}

/** Setting names as a list mid-sentence: "batch size and seed", "批大小和随机种子". */
export function settingsList(names: readonly string[]): string {
  // British English lists without a comma before "and", as the app's English always has; Chinese joins with 、 and 和.
  // English names mid-sentence in lower case ("batch size"); Chinese has no case, and a name in it may hold "GPU".
  const english = language() === 'en';
  const list = new Intl.ListFormat(english ? 'en-GB' : language(), { type: 'conjunction' }).format(names);
  return english ? list.toLowerCase() : list;
}

/** "The runs differ in batch size and seed: ..." for two runs whose gaps would not compare engines. */
export function unlikeText(names: readonly string[]): string {
  return t('results.agreement.unlike', { settings: settingsList(names) });
}

/** Why the figures cannot be had, naming the run at fault as the History shows it. */
export function problemText(problem: AgreementProblem, records: readonly RunRecord[]): string {
  if (problem.code === 'same-run') return t('results.agreement.sameRun');
  const found = records.find((r) => r.id === problem.id);
  const run = found
    ? t('results.agreement.knownRun', { device: deviceLabel(found.device), when: formatWhen(found.startedAt) })
    : t('results.agreement.unknownRun', { id: problem.id });
  switch (problem.code) {
    case 'run-unknown':
      return t('results.agreement.runUnknown', { run });
    case 'no-weights':
      return problem.status === 'running'
        ? t('results.agreement.noWeightsRunning', { run })
        : t('results.agreement.noWeightsEnded', { run, status: statusWord(problem.status) });
    case 'weights-unreadable':
      return t('results.agreement.weightsUnreadable', { run, detail: problem.detail });
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
  if (!Number.isFinite(agreement.maxWeightDiff)) return { agree: false, text: t('results.agreement.notNumbers') };
  const diff = formatGap(agreement.maxWeightDiff);
  if (relative <= ROUNDING_SIZED)
    return { agree: true, text: t('results.agreement.agreeRounding', { diff, scale: formatGap(scale) }) };
  if (accuracyGap !== null && accuracyGap <= SAME_ACCURACY)
    return {
      agree: true,
      text: t('results.agreement.agreeAccuracy', { a: formatPercent(a), b: formatPercent(b), diff }),
    };
  return {
    agree: false,
    text:
      accuracyGap === null
        ? t('results.agreement.disagree', { diff })
        : t('results.agreement.disagreeBoth', { diff, gap: formatPercent(accuracyGap) }),
  };
}

/** Two ticked runs in the order the figures name them: the CPU run first, else the older first. */
export function orderPair(a: RunRecord, b: RunRecord): [RunRecord, RunRecord] {
  if (a.device !== b.device) return a.device === 'cpu' ? [a, b] : [b, a];
  return Date.parse(a.startedAt) <= Date.parse(b.startedAt) ? [a, b] : [b, a];
}
