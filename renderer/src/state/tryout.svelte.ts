/**
 * "Try the model": which finished run answers, the live prediction for the drawing, and the filter of the Mistakes
 * list. Inference runs in main from the run's stored weights (one image, a few ms); a drawing that changes while a
 * request is out is sent once that one returns, so requests never pile up behind the pen.
 */
import type { Mistake, RunRecord } from '../../../electron/shared/ipc-contract';
import { api } from '../lib/api';
import { errorMessage } from '../lib/format';
import { history } from './history.svelte';

export type SampleTab = 'test' | 'mistakes';
/** A picked test image, as data: the words for it ("Test image 42, a 7") are made where it is shown. */
export interface PickedImage {
  index: number;
  label: number;
}

class Tryout {
  /** The picked run; null follows the newest finished run. */
  chosenId = $state<string | null>(null);
  candidates = $derived(history.records.filter((r) => r.status === 'done' && r.hasWeights));
  run: RunRecord | null = $derived(this.candidates.find((r) => r.id === this.chosenId) ?? this.candidates[0] ?? null);

  probabilities = $state<number[] | null>(null);
  /** What `probabilities` answer, when it was a test image; null for a drawing. */
  answered = $state<PickedImage | null>(null);
  /** Why the model could not answer, in main's words (errorMessage); null once it answers. */
  error = $state<string | null>(null);
  tab = $state<SampleTab>('test');
  /** Mistakes of this true digit only, or of one confusion-matrix cell. */
  digit = $state<number | null>(null);
  cell = $state<{ label: number; predicted: number } | null>(null);

  mistakes: Mistake[] = $derived.by(() => {
    const all = this.run?.evaluation?.mistakes ?? [];
    if (this.cell) return all.filter((m) => m.label === this.cell!.label && m.predicted === this.cell!.predicted);
    return this.digit === null ? all : all.filter((m) => m.label === this.digit);
  });

  private pending: { pixels: number[]; source: PickedImage | null } | null = null;
  // A plain field for the loop's own check: drain runs inside the panel's effect, and reading a $state there would
  // make the effect depend on it and ask again each time a request ends.
  private inFlight = false;
  /** A prediction request is out: the bars may still change (the page says so, for tests and screen readers). */
  answering = $state(false);
  /** Bumped by a Clear: an answer for a drawing that is gone is dropped. */
  private generation = 0;

  choose(id: string): void {
    this.chosenId = id;
    this.cell = null;
    this.digit = null;
  }

  /**
   * Asks for the probabilities of one prepared input (784 normalised values), or clears them for null. `source`
   * is a picked test image, and comes back with its answer as `answered`.
   */
  predict(input: ArrayLike<number> | null, source: PickedImage | null = null): void {
    if (!input) {
      this.pending = null;
      this.probabilities = null;
      this.answered = null;
      this.generation++;
      return;
    }
    this.pending = { pixels: Array.from(input), source };
    void this.drain();
  }

  /** The Results panel's confusion matrix: show that cell's mistakes of that run. */
  pickCell(runId: string, label: number, predicted: number): void {
    if (this.candidates.some((r) => r.id === runId)) this.chosenId = runId;
    this.cell = { label, predicted };
    this.digit = null;
    this.tab = 'mistakes';
  }

  private async drain(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    this.answering = true;
    try {
      while (this.pending && this.run) {
        const { pixels, source } = this.pending;
        const generation = this.generation;
        this.pending = null;
        try {
          const { probabilities } = await api.predict({ id: this.run.id, pixels });
          if (generation === this.generation) {
            this.probabilities = probabilities;
            this.answered = source;
          }
          this.error = null;
        } catch (err) {
          this.error = errorMessage(err);
        }
      }
    } finally {
      this.inFlight = false;
      this.answering = false;
    }
  }
}

export const tryout = new Tryout();
