/**
 * What a run's figures mean where the UI shows them: which of them were measured, and how each way a run can end
 * looks and reads. One place, so the live panel, Results, History and the headline never disagree on a figure.
 */
import type { EpochSummary, Progress, RunRecord } from '../../../electron/shared/ipc-contract';
import { describeReason } from '../../../electron/shared/describe-reason';
import { timedTraining } from '../../../electron/shared/timed';
import { t } from '../../../electron/shared/i18n';
import { NOT_MEASURED, formatDuration, notMeasured, statusWord } from './format';

export { NOT_MEASURED };
/** Why a timing is NOT_MEASURED, for its tooltip: the CLI's words, in the app's language. */
export function notMeasuredWhy(): string {
  return t('results.notMeasuredWhy');
}

export { timedTraining };

/** An epoch's time and rate are measured when it timed at least one image (epoch 1 of one batch timed none). */
export function timedEpoch(e: Pick<EpochSummary, 'ms' | 'imagesPerSecond'>): boolean {
  return Number.isFinite(e.imagesPerSecond) && e.imagesPerSecond > 0 && e.ms > 0;
}

/** A live report's rate, elapsed time and ETA are measured once a batch after the warm-up has been timed. */
export function timedProgress(p: Pick<Progress, 'elapsedMs' | 'imagesPerSecond'>): boolean {
  return p.elapsedMs > 0 && p.imagesPerSecond > 0;
}

type Timed = Pick<RunRecord, 'timings' | 'imagesPerSecond'>;

/** The training loop's time ("44 s"): "–" for a run that never trained, NOT_MEASURED for one that timed no batch. */
export function trainingTimeText(r: Timed): string {
  if (!r.timings) return '–';
  return timedTraining(r) ? formatDuration(r.timings.trainingMs) : notMeasured();
}

/**
 * Seconds an epoch, the mean over the finished epochs, with two decimals and then `unit` ("8.76", "8.76 s"): "–"
 * when no epoch finished, NOT_MEASURED when the run timed no batch. Results and History print the same digits.
 */
export function secondsPerEpochText(r: Timed & Pick<RunRecord, 'secondsPerEpoch'>, unit = ''): string {
  if (r.secondsPerEpoch === null || !Number.isFinite(r.secondsPerEpoch)) return '–';
  return timedTraining(r) ? `${r.secondsPerEpoch.toFixed(2)}${unit}` : notMeasured();
}

export type EndStatus = RunRecord['status'];

/** How a run's status looks: the badge tone (app.css's .badge classes) and a glyph that tells them apart without colour. */
export interface StatusLook {
  tone: 'ok' | 'neutral' | 'warn' | 'danger' | 'info';
  /** The status in a few words, for a badge ("failed"). */
  readonly word: string;
  /** The status as a sentence of its own, before the reason it ended ("Failed."). */
  readonly heading: string;
  /** One sentence: what this outcome means for the run's figures. */
  readonly meaning: string;
}

/** The words are read when shown (getters), so a look kept in a module-level table speaks the language of the moment. */
function look(status: EndStatus, tone: StatusLook['tone']): StatusLook {
  return {
    tone,
    get word() {
      return statusWord(status);
    },
    get heading() {
      return t(`results.status.${status}.heading`);
    },
    get meaning() {
      return t(`results.status.${status}.meaning`);
    },
  };
}

/**
 * Each end state its own look: done is green; cancelled is the user's choice, so grey, not a warning; diverged is
 * training that went wrong numerically (amber: change the settings); failed is something that broke (red).
 */
export const STATUS_LOOK: Record<EndStatus, StatusLook> = {
  done: look('done', 'ok'),
  cancelled: look('cancelled', 'neutral'),
  diverged: look('diverged', 'warn'),
  failed: look('failed', 'danger'),
  running: look('running', 'info'),
};

/** Why a run ended: its reason's words; a row from before reasons were codes, its words as stored; null when neither. */
export function endMessage(run: Pick<RunRecord, 'message' | 'reason'>): string | null {
  return run.reason ? describeReason(run.reason) : run.message;
}

/** Chinese script: a message in Chinese (a reason worded in Chinese) ends with a full-width stop, not a capital and a dot. */
const CHINESE = /[\u3400-\u9fff]/;

/**
 * A reason's words ("cancelled after 9 of 300 batches") as a sentence of its own. Punctuated by the words' own
 * language, not the app's: a row stored before reasons were codes keeps main's English words in a Chinese app.
 */
export function sentence(message: string): string {
  const text = message.trim();
  if (text === '') return '';
  if (CHINESE.test(text)) return /[。！？.!?]$/.test(text) ? text : `${text}。`;
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** What goes after a sentence before the next: nothing after a Chinese full stop (。！？), a space after any other. */
export function sentenceGap(before: string): string {
  return /[。！？]$/.test(before) ? '' : ' ';
}

/** Sentences one after the other, each spaced as its own script writes it ("Failed. Stopped.", "失败。已停止。"); empty ones left out. */
export function joinSentences(parts: readonly string[]): string {
  return parts
    .filter((part) => part !== '')
    .reduce((text, part) => (text ? text + sentenceGap(text) + part : part), '');
}

/** Where a run that ended stopped, said with its figures: "the loss curve" has nothing to draw for a run that never trained. */
export function noCurveText(status: EndStatus): string {
  return t(`results.noCurve.${status}`);
}
