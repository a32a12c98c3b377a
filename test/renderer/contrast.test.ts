/**
 * WCAG AA for the app's palette in both themes: app.css's custom properties, read from the file the app ships,
 * and the confusion matrix's cell colours over each theme's panel.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blend, contrastRatio, luminance, parseHex, readableText } from '../../renderer/src/lib/contrast';
import { cellColors } from '../../renderer/src/lib/confusion';

const css = readFileSync(resolve(__dirname, '../../renderer/src/app.css'), 'utf8');

/** The custom properties of the first `:root { ... }` after `from` in app.css. */
function variables(from: number): Record<string, string> {
  const start = css.indexOf(':root {', from);
  const body = css.slice(start, css.indexOf('}', start));
  return Object.fromEntries([...body.matchAll(/--([\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
}

const light = variables(0);
const dark = { ...light, ...variables(css.indexOf('@media (prefers-color-scheme: dark)')) };

/** Text colour on background, as the components pair them. */
const PAIRS: [string, string][] = [
  ...['text', 'text-2', 'text-3', 'accent', 'cpu', 'gpu', 'ok', 'warn', 'warn-strong', 'danger'].flatMap((t) =>
    ['bg', 'surface', 'surface-2'].map((b) => [t, b] as [string, string]),
  ),
  // The speed-up headline's gradient runs from --ok-soft to --surface: its text on the --ok-soft end too.
  ['ok', 'ok-soft'],
  ['gpu', 'ok-soft'],
  ['text-2', 'ok-soft'],
  ['text', 'ok-soft'],
  ['cpu', 'ok-soft'],
  ['warn', 'warn-soft'],
  ['danger', 'danger-soft'],
  ['accent', 'accent-soft'],
  ['cpu', 'accent-soft'],
  ['text', 'row-selected'],
  ['text', 'row-hover'],
  ['on-accent', 'accent'],
  ['on-accent', 'accent-hover'],
  ['on-accent', 'gpu'],
  ['on-accent', 'gpu-hover'],
];

describe('WCAG contrast', () => {
  it('computes the WCAG 2.x figures: black on white is 21:1, and #767676 on white the AA limit', () => {
    expect(luminance(parseHex('#ffffff'))).toBe(1);
    expect(contrastRatio(parseHex('#000'), parseHex('#fff'))).toBe(21);
    expect(contrastRatio(parseHex('#767676'), parseHex('#ffffff'))).toBeCloseTo(4.54, 2);
    expect(blend([255, 0, 0], 0.5, [0, 0, 255])).toEqual([128, 0, 128]);
    expect(() => parseHex('red')).toThrow('not a hex colour: red');
  });

  for (const [name, theme] of [
    ['light', light],
    ['dark', dark],
  ] as const) {
    it(`every text colour meets AA (4.5:1) on its backgrounds in the ${name} theme`, () => {
      expect(Object.keys(theme).length).toBeGreaterThan(30);
      const failing = PAIRS.map(([t, b]) => [t, b, contrastRatio(parseHex(theme[t]), parseHex(theme[b]))] as const)
        .filter(([, , ratio]) => ratio < 4.5)
        .map(([t, b, ratio]) => `--${t} on --${b}: ${ratio.toFixed(2)}`);
      expect(failing).toEqual([]);
    });

    it(`the focus ring (the accent) stands out at 3:1 from every background it is drawn on in the ${name} theme`, () => {
      // WCAG 1.4.11: a focus indicator is a graphical object. A matrix cell's own shade is covered by the ring's
      // --surface edge (ConfusionMatrix.svelte), so --surface stands for every cell.
      const failing = [
        'bg',
        'surface',
        'surface-2',
        'accent-soft',
        'ok-soft',
        'warn-soft',
        'danger-soft',
        'row-selected',
        'row-hover',
        'pad',
      ]
        .map((b) => [b, contrastRatio(parseHex(theme.accent), parseHex(theme[b]))] as const)
        .filter(([, ratio]) => ratio < 3)
        .map(([b, ratio]) => `--accent on --${b}: ${ratio.toFixed(2)}`);
      expect(failing).toEqual([]);
    });

    it(`confusion-matrix numbers meet AA on every shade of cell in the ${name} theme`, () => {
      const surface = parseHex(theme.surface);
      for (const diagonal of [true, false]) {
        for (let count = 1; count <= 100; count++) {
          const cell = cellColors(count, 100, diagonal, surface)!;
          expect(contrastRatio(parseHex(cell.text), parseHex(cell.background))).toBeGreaterThanOrEqual(4.5);
        }
      }
      expect(cellColors(0, 100, false, surface)).toBeNull();
    });
  }

  it('picks black or white text for the better contrast', () => {
    expect(readableText([255, 255, 255])).toBe('#000000');
    expect(readableText([20, 20, 60])).toBe('#ffffff');
  });
});
