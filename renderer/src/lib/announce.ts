/**
 * What a screen reader hears about a run and a prediction, as sentences for polite live regions. Each one is a
 * function of state that changes only on the events worth hearing (a phase, an epoch, a prediction), never on a
 * progress tick: a live region speaks when its text changes, so unchanged text stays silent.
 */
import type { Device, EpochSummary, RunRecord } from '../../../electron/shared/ipc-contract';
import { deviceLabel, formatInteger, formatLoss, formatPercent } from './format';
import { STATUS_LOOK } from './run-figures';
import { describeRunEnd } from '../../../electron/shared/describe-reason';
import { t } from '../../../electron/shared/i18n';

export type AnnouncedPhase = 'starting' | 'training' | 'evaluating' | 'finished';

/**
 * "CPU run training", "CPU run done: test accuracy 98.12%", "CPU run cancelled by the user", "GPU run failed: the
 * GPU page crashed". The run's reason in its words (describeRunEnd), after the status word unless they say it.
 * @param record the finished run's row, when the run has finished and its row has arrived.
 */
export function phaseAnnouncement(device: Device, phase: AnnouncedPhase, record: RunRecord | null): string {
  const d = { device: deviceLabel(device) };
  if (phase !== 'finished') return t(`progress.announce.${phase}`, d);
  if (!record) return t('progress.announce.finished', d);
  const status = STATUS_LOOK[record.status].word;
  if (record.status === 'done') return t('progress.announce.done', { ...d, accuracy: formatPercent(record.accuracy) });
  const end = describeRunEnd(record);
  // A sentence's own full stop, in either language, would end the announcement's sentence in its middle.
  const reason = end?.words.trim().replace(/[.。]$/, '') ?? '';
  if (reason === '') return t('progress.announce.ended', { ...d, status });
  return end?.saysStatus
    ? t('progress.announce.endedSaying', { ...d, reason })
    : t('progress.announce.endedBecause', { ...d, status, reason });
}

/** "Epoch 2 of 5 done, mean loss 0.312"; empty before the first epoch ends. `epochs` is the run's total. */
export function epochAnnouncement(done: readonly EpochSummary[], epochs: number | null): string {
  const last = done.at(-1);
  if (!last) return '';
  const words = { epoch: formatInteger(last.epoch), loss: formatLoss(last.meanLoss) };
  return epochs
    ? t('progress.announce.epochOf', { ...words, epochs: formatInteger(epochs) })
    : t('progress.announce.epoch', words);
}

/**
 * "Prediction: 7, 97%", after what was given when it was a test image: "Test image 42, a 7. Prediction: 7, 97%".
 * Whole percents: a drawing's answer that moves by a tenth of a percent is not news. Empty without probabilities.
 */
export function predictionAnnouncement(probabilities: readonly number[] | null, source: string | null): string {
  if (!probabilities || probabilities.length === 0) return '';
  const top = probabilities.indexOf(Math.max(...probabilities));
  const said = { digit: String(top), percent: formatPercent(probabilities[top], 0) };
  return source ? t('progress.announce.predictionOf', { ...said, source }) : t('progress.announce.prediction', said);
}
