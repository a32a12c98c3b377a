/**
 * A message some of whose parameters are set apart when shown (in bold, in italics, as a link), in the order its
 * language puts them: "Press {{cpu}} to start." and "点击{{cpu}}开始。" place the button's name differently, and
 * Chinese wants no space after a sentence's 。 where English wants one, so a component cannot write the pieces
 * around them itself.
 */
export interface Piece {
  text: string;
  /** The set-apart parameter's name, for the component to style it; null for the text around them. */
  mark: string | null;
}

// Control characters no message or parameter holds: where each set-apart parameter went.
const OPEN = '\u0001';
const CLOSE = '\u0002';

/** The parameter values to word the message with: each name's mark, found again by `pieces`. */
export function marks<const N extends string>(names: readonly N[]): Record<N, string> {
  return Object.fromEntries(names.map((name) => [name, `${OPEN}${name}${CLOSE}`])) as Record<N, string>;
}

/**
 * The message worded with `marks(...)`'s values, cut into its text and its set-apart parameters, each of those
 * shown as `words[name]`. Empty texts are left out. "Press ⟨cpu⟩ to start." → "Press ", cpu: "Train on CPU",
 * " to start."
 */
export function pieces(worded: string, words: Readonly<Record<string, string>>): Piece[] {
  const split = worded.split(new RegExp(`${OPEN}(\\w+)${CLOSE}`));
  return split.flatMap((part, i): Piece[] => {
    if (i % 2 === 1) return [{ text: words[part] ?? part, mark: part }];
    return part === '' ? [] : [{ text: part, mark: null }];
  });
}
