import { blend, readableText, toHex, type Rgb } from './contrast';

const CORRECT: Rgb = [21, 128, 61];
const WRONG: Rgb = [196, 43, 28];

/**
 * A confusion-matrix cell's colours: green on the diagonal, red off it, stronger with the share of the true digit's
 * images (so a rare digit's mistakes show as clearly as a common one's), composited over the panel's `surface` so
 * the text colour can be chosen for contrast: black or white, whichever passes WCAG AA on that cell.
 */
export function cellColors(
  count: number,
  rowTotal: number,
  diagonal: boolean,
  surface: Rgb,
): { background: string; text: string } | null {
  if (count === 0 || rowTotal === 0) return null;
  const share = count / rowTotal;
  const alpha = diagonal ? 0.12 + 0.6 * share : Math.min(0.85, 0.12 + 4 * share);
  const background = blend(diagonal ? CORRECT : WRONG, alpha, surface);
  return { background: toHex(background), text: readableText(background) };
}
