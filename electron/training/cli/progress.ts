/**
 * `npm run train`'s live progress line: epoch, batch, loss, images per second and ETA, redrawn in place on stderr
 * when stderr is a terminal. stdout keeps the reference's lines untouched, and a pipe or file gets nothing extra.
 */
import type { Progress } from '../process/protocol';

/** The part of a tty.WriteStream the line needs. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressLine {
  /** Redraws the line with the latest progress. */
  update(progress: Progress): void;
  /** Erases the line, so the next stdout line starts on a clean row. Safe to call when nothing is shown. */
  clear(): void;
}

// Carriage return, then "erase to end of line" (ECMA-48 EL, CSI K): the line is rewritten where it stands.
const REDRAW = '\r';
const ERASE = '\x1b[K';

/** "epoch 2/5 · batch 340/938 · loss 0.123 · 812 img/s · ETA 3 min 05 s" */
export function formatProgressLine(p: Progress): string {
  const batch = `batch ${String(p.batch).padStart(String(p.batchesPerEpoch).length)}/${p.batchesPerEpoch}`;
  return (
    `epoch ${p.epoch}/${p.epochs} · ${batch} · loss ${p.loss.toFixed(3)} · ` +
    // The first report comes before any rate is known: its ETA of 0 would read as "done".
    `${Math.round(p.imagesPerSecond)} img/s · ETA ${p.imagesPerSecond > 0 ? formatEta(p.etaMs) : '?'}`
  );
}

/** Whole seconds rounded up, minutes and seconds from one minute, hours and minutes from one hour. */
export function formatEta(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** A live line on `stream` when it is a terminal; a no-op otherwise. */
export function createProgressLine(stream: ProgressStream): ProgressLine {
  if (!stream.isTTY) return { update() {}, clear() {} };
  let shown = false;
  return {
    update(progress) {
      // One column short of the width: a line that fills the row wraps on some terminals and stops redrawing in place.
      const width = Math.max(20, (stream.columns || 80) - 1); // 0: a terminal of unknown size
      stream.write(`${REDRAW}${formatProgressLine(progress).slice(0, width)}${ERASE}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write(`${REDRAW}${ERASE}`);
      shown = false;
    },
  };
}
