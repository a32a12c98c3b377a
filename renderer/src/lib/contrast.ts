/**
 * WCAG 2.x contrast: relative luminance of sRGB colours and the contrast ratio between two
 * (https://www.w3.org/TR/WCAG21/#dfn-relative-luminance, #dfn-contrast-ratio). AA asks 4.5:1 for body text.
 */

export type Rgb = [number, number, number];

/** "#1d2330" or "#fff" to [r, g, b] in 0..255; throws on anything else. */
export function parseHex(hex: string): Rgb {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) throw new Error(`not a hex colour: ${hex}`);
  const h = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb;
}

/** WCAG 2.x relative luminance, 0 (black) to 1 (white). The 0.03928 threshold is WCAG's own (sRGB says 0.04045). */
export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** (L1 + 0.05) / (L2 + 0.05) with L1 the lighter: 1 to 21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** `top` at opacity `alpha` over an opaque `bottom`, as the browser composites it. */
export function blend(top: Rgb, alpha: number, bottom: Rgb): Rgb {
  return top.map((c, i) => Math.round(c * alpha + bottom[i] * (1 - alpha))) as Rgb;
}

/** Black or white, whichever reads better on `background` (at least 4.58:1 on any colour). */
export function readableText(background: Rgb): '#000000' | '#ffffff' {
  return contrastRatio(background, [0, 0, 0]) >= contrastRatio(background, [255, 255, 255]) ? '#000000' : '#ffffff';
}

export const toHex = (rgb: Rgb): string => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
