/**
 * What the keyboard tests ask of the page: which element has focus and how its ring is drawn, the theme, what the
 * live regions say, and a finished run that kept its mistakes.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { RunRecord } from '../../../electron/shared/ipc-contract';
import { fakeRecord } from './fake-handlers';
import { screenshot } from './screenshots';

/** A finished run that kept its mistakes: one per off-diagonal count of its matrix. */
export function runWithMistakes(): RunRecord {
  const run = fakeRecord('20260302-091600000-gpu-000003', 'gpu', '2026-03-02T09:16:00Z', 3_000);
  const mistakes = run.evaluation!.confusion.flatMap((row, label) =>
    row.flatMap((count, predicted) =>
      label === predicted
        ? []
        : Array.from({ length: count }, (_, k) => ({
            index: label * 100 + predicted * 10 + k,
            label,
            predicted,
            probability: 0.9 - k / 100,
          })),
    ),
  );
  return { ...run, evaluation: { ...run.evaluation!, mistakes } };
}

export interface Focused {
  role: string;
  name: string;
  selected: string | null;
  /** The focus ring as drawn: style, width and colour, and whether the browser shows it (:focus-visible). */
  ring: string;
  visible: boolean;
  id: string;
}

export const focused = (page: Page): Promise<Focused> =>
  page.evaluate(() => {
    const e = document.activeElement as HTMLElement;
    const s = getComputedStyle(e);
    return {
      role: e.getAttribute('role') ?? e.tagName.toLowerCase(),
      name: e.getAttribute('aria-label') ?? (e.textContent ?? '').replace(/\s+/g, ' ').trim(),
      selected: e.getAttribute('aria-selected'),
      ring: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
      visible: e.matches(':focus-visible'),
      id: e.id,
    };
  });

/** The theme's accent as the browser writes a colour: the ring every focused element must draw. */
export const accentRing = (page: Page) =>
  page.evaluate(() => {
    const hex = getComputedStyle(document.documentElement).getPropertyValue('--accent').trim();
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    return `solid 2px rgb(${r}, ${g}, ${b})`;
  });

/**
 * Switches the page to the light or dark theme and waits until it shows it: the page's background in the theme's
 * colour, and two frames drawn after, so the canvases (charts, the matrix) have redrawn in it too.
 */
export async function setScheme(page: Page, scheme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  await expect
    .poll(() => page.evaluate('getComputedStyle(document.documentElement).backgroundColor'))
    .toBe(scheme === 'dark' ? 'rgb(15, 17, 22)' : 'rgb(244, 245, 247)');
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
}

/** The focused element draws the accent ring, and the browser shows it, in both themes; a screenshot of each. */
export async function expectRing(page: Page, what: string, shot: string): Promise<void> {
  for (const scheme of ['dark', 'light'] as const) {
    await setScheme(page, scheme);
    const f = await focused(page);
    expect({ what, scheme, ring: f.ring, visible: f.visible }).toEqual({
      what,
      scheme,
      ring: await accentRing(page),
      visible: true,
    });
    await screenshot(page, `a11y-focus-${shot}-${scheme}`, { fullPage: false });
  }
}

/** Every text each of the `testids` live regions takes from now on, in order, as `window.spoken`. */
export async function listen(page: Page, testids: string[]): Promise<() => Promise<string[]>> {
  await page.evaluate((ids) => {
    const log: string[] = ((window as unknown as { spoken: string[] }).spoken = []);
    for (const id of ids) {
      const el = document.querySelector(`[data-testid="${id}"]`)!;
      new MutationObserver(() => log.push(`${id}: ${el.textContent ?? ''}`)).observe(el, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    }
  }, testids);
  return () => page.evaluate(() => (window as unknown as { spoken: string[] }).spoken);
}
