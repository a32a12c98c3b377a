/**
 * axe-core over the app's page, with WCAG 2.1 A and AA rules only. The app's Content-Security-Policy refuses an
 * added script tag, so axe's source is evaluated in the page (DevTools' evaluate is not subject to the CSP).
 *
 * axe leaves some colour-contrast checks "incomplete" when it cannot tell what is behind the text (a gradient, an
 * element over it). For those this measures the contrast itself: the text's colour against every background layer
 * from the element up to the first opaque one, gradients sampled along their stops, the worst case kept.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { blend, contrastRatio, type Rgb } from '../../../renderer/src/lib/contrast';
import { ROOT } from './build-renderer';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

export interface AxeFinding {
  rule: string;
  impact: string | null;
  /** axe's CSS selector for the node. */
  target: string;
  html: string;
  /** axe's own words on what failed, or why it could not decide. */
  summary: string;
}

/** One colour-contrast check axe left undecided, measured here. */
export interface MeasuredContrast {
  target: string;
  text: string;
  /** axe's reason for not deciding (its message key, such as 'bgGradient' or 'bgOverlap'). */
  reason: string;
  /** The lowest ratio over the backgrounds the text can sit on; 0 when the element could not be measured. */
  ratio: number;
  /** 3 for large text (24 px, or 18.66 px bold), 4.5 otherwise. */
  required: number;
  color: string;
  backgrounds: string[];
}

export interface AxeReport {
  violations: AxeFinding[];
  /** Undecided checks other than colour contrast. */
  incomplete: AxeFinding[];
  contrast: MeasuredContrast[];
}

let source: Promise<string> | null = null;

export interface RawLayer {
  color: string;
  image: string;
}

interface RawIncomplete extends AxeFinding {
  reason: string;
  style: { color: string; fontSize: number; fontWeight: number; text: string; layers: RawLayer[] } | null;
}

// Runs in the page, so it is a string: axe's results hold DOM nodes, and only plain data may come back.
const RUN = (tags: readonly string[]) => `(async () => {
  const result = await axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(tags)} }, resultTypes: ['violations', 'incomplete'] });
  const selector = (t) => (Array.isArray(t) ? t.join(' ') : String(t));
  const flat = (rule, node) => ({
    rule: rule.id, impact: node.impact ?? rule.impact ?? null, target: selector(node.target[node.target.length - 1]),
    html: node.html.slice(0, 200), summary: node.failureSummary ?? [...node.any, ...node.all, ...node.none].map((c) => c.message).join('; '),
  });
  // What lies under the element's centre once it is scrolled to the middle of the window: itself, then every
  // element painted below it, except fixed and sticky ones (the top bar, the notices), which only pass over it.
  const floating = (e, el) => {
    for (let a = e; a; a = a.parentElement) {
      const p = getComputedStyle(a).position;
      if ((p === 'fixed' || p === 'sticky') && !a.contains(el)) return true;
    }
    return false;
  };
  const style = (node) => {
    const el = document.querySelector(selector(node.target[node.target.length - 1]));
    if (!el) return null;
    const own = getComputedStyle(el);
    el.scrollIntoView({ block: 'center', inline: 'center' });
    const r = el.getBoundingClientRect();
    const stack = document.elementsFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const below = stack.slice(stack.indexOf(el) + 1).filter((e) => !el.contains(e) && !floating(e, el));
    const layers = [];
    for (const at of [el, ...below]) {
      const s = getComputedStyle(at);
      layers.push({ color: s.backgroundColor, image: s.backgroundImage });
      if (/^rgb\\(/.test(s.backgroundColor) && s.backgroundImage === 'none') break;
    }
    return { color: own.color, fontSize: parseFloat(own.fontSize), fontWeight: Number(own.fontWeight), text: (el.textContent || '').trim().slice(0, 60), layers };
  };
  const incomplete = result.incomplete.flatMap((rule) => rule.nodes.map((node) => ({
    ...flat(rule, node),
    reason: [...node.any, ...node.all, ...node.none].map((c) => c.data?.messageKey).filter(Boolean).join(',') || 'none',
    style: rule.id === 'color-contrast' ? style(node) : null,
  })));
  window.scrollTo(0, 0);
  return { violations: result.violations.flatMap((rule) => rule.nodes.map((node) => flat(rule, node))), incomplete };
})()`;

/** Runs axe's WCAG 2.1 A/AA rules over the page as it is now; contrast that axe left undecided is measured. */
export async function runAxe(page: Page): Promise<AxeReport> {
  source ??= readFile(resolve(ROOT, 'node_modules/axe-core/axe.js'), 'utf8');
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(await source);
  const raw = (await page.evaluate(RUN(WCAG_TAGS))) as { violations: AxeFinding[]; incomplete: RawIncomplete[] };
  const strip = ({ rule, impact, target, html, summary }: AxeFinding): AxeFinding => ({
    rule,
    impact,
    target,
    html,
    summary,
  });
  return {
    violations: raw.violations,
    incomplete: raw.incomplete.filter((i) => i.rule !== 'color-contrast').map(strip),
    contrast: raw.incomplete.filter((i) => i.rule === 'color-contrast').map(measure),
  };
}

/** "rgb(1, 2, 3)" or "rgba(1, 2, 3, 0.5)" to a colour and its alpha; null for anything else. */
export function parseCssColor(css: string): { rgb: Rgb; alpha: number } | null {
  const m = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(css.trim());
  if (!m) return null;
  return { rgb: [Number(m[1]), Number(m[2]), Number(m[3])], alpha: m[4] === undefined ? 1 : Number(m[4]) };
}

/** A gradient's colours, with 8 more between each pair of stops: what the text can sit on along it. */
export function gradientSamples(image: string): { rgb: Rgb; alpha: number }[] {
  const stops = [...image.matchAll(/rgba?\([^)]*\)/g)].map((m) => parseCssColor(m[0])!).filter(Boolean);
  const out = stops.slice(0, 1);
  for (let i = 1; i < stops.length; i++) {
    for (let k = 1; k <= 9; k++) {
      const t = k / 9;
      const [a, b] = [stops[i - 1], stops[i]];
      out.push({
        rgb: a.rgb.map((c, j) => Math.round(c + (b.rgb[j] - c) * t)) as Rgb,
        alpha: a.alpha + (b.alpha - a.alpha) * t,
      });
    }
  }
  return out;
}

/**
 * The lowest contrast of text in `color` over a stack of background layers, the element's own first (computed
 * `background-color` and `background-image`, as the page reports them), down to the first opaque one; white
 * below all. A gradient counts as every colour along it. Returns the ratio and the backgrounds it was taken over.
 */
export function worstContrast(color: string, layers: readonly RawLayer[]): { ratio: number; backgrounds: Rgb[] } {
  const fg = parseCssColor(color);
  if (!fg) return { ratio: 0, backgrounds: [] };
  // Bottom layer first: each background is composited over what lies under it.
  let under: Rgb[] = [[255, 255, 255]];
  for (const layer of [...layers].reverse()) {
    const bg = parseCssColor(layer.color);
    if (bg && bg.alpha > 0) under = under.map((u) => blend(bg.rgb, bg.alpha, u));
    if (layer.image.includes('gradient')) {
      const samples = gradientSamples(layer.image);
      under = under.flatMap((u) => samples.map((s) => blend(s.rgb, s.alpha, u)));
    }
  }
  return { ratio: Math.min(...under.map((bg) => contrastRatio(blend(fg.rgb, fg.alpha, bg), bg))), backgrounds: under };
}

function measure(item: RawIncomplete): MeasuredContrast {
  const base = {
    target: item.target,
    text: item.style?.text ?? '',
    reason: item.reason,
    color: item.style?.color ?? '',
  };
  if (!item.style) return { ...base, ratio: 0, required: 4.5, backgrounds: [] };
  const { ratio, backgrounds } = worstContrast(item.style.color, item.style.layers);
  const large = item.style.fontSize >= 24 || (item.style.fontSize >= 18.66 && item.style.fontWeight >= 700);
  const unique = [...new Set(backgrounds.map((c) => `rgb(${c.join(', ')})`))];
  return { ...base, ratio: Math.round(ratio * 100) / 100, required: large ? 3 : 4.5, backgrounds: unique };
}
