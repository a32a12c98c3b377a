/**
 * Whether a page fits its window, measured rather than eyeballed: the page is no wider than the window, and every
 * element of every panel and dialog lies inside its box and the window, its text inside the element that holds it.
 * Each state measured is also saved as a screenshot, in the theme it was measured in.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { setScheme } from './keyboard';
import { screenshot } from './screenshots';

/**
 * Runs in the page: what sticks out. The page's scroll width against the window's, then each panel and dialog
 * against the window, every visible element in it against its box, and text against the element that holds it.
 * Returns one line a problem.
 */
const MEASURE = `(() => {
  const vw = document.documentElement.clientWidth;
  const problems = [];
  const px = (n) => Math.round(n);
  const name = (el) => el.getAttribute('data-testid') || el.getAttribute('aria-label') || el.id
    || (el.innerText || '').trim().split('\\n')[0].slice(0, 40) || el.tagName.toLowerCase();
  if (document.documentElement.scrollWidth > vw) problems.push('page is ' + document.documentElement.scrollWidth + ' px wide in a ' + vw + ' px window');
  const boxes = [...document.querySelectorAll('.panel, [role="dialog"]')].filter((el) => el.getClientRects().length > 0);
  if (boxes.length === 0) problems.push('no panel found');
  for (const box of boxes) {
    const b = box.getBoundingClientRect();
    const label = (box.querySelector('h2, h3')?.textContent || name(box)).trim();
    if (b.left < -0.5 || b.right > vw + 0.5) problems.push(label + ': spans ' + px(b.left) + '..' + px(b.right) + ' in a ' + vw + ' px window');
    // Only the outermost element that sticks out: its children go with it.
    const out = new Set();
    for (const el of box.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      // Text wider than its own box spills over its neighbours, though the box itself fits ('THROUGHPUT' over 'LOSS').
      const style = getComputedStyle(el);
      if (style.overflowX === 'visible' && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
        problems.push(label + ': the text of ' + el.tagName.toLowerCase() + ' "' + name(el) + '" is ' + el.scrollWidth + ' px wide in ' + el.clientWidth);
      }
      if (r.left < b.left - 0.5 || r.right > b.right + 0.5) {
        out.add(el);
        if (out.has(el.parentElement)) continue;
        problems.push(label + ': ' + el.tagName.toLowerCase() + ' "' + name(el) + '" spans ' + px(r.left) + '..' + px(r.right) + ', outside ' + px(b.left) + '..' + px(b.right));
      }
    }
  }
  return problems;
})()`;

async function fits(page: Page, state: string, width: number, scheme: 'light' | 'dark'): Promise<void> {
  await setScheme(page, scheme);
  // Fonts settle before measuring (setScheme has let the canvases redraw).
  await page.evaluate('document.fonts.ready');
  const problems = (await page.evaluate(MEASURE)) as string[];
  await screenshot(page, `layout-${width}-${state}-${scheme}`);
  expect({ state, width, scheme, problems }).toEqual({ state, width, scheme, problems: [] });
}

export async function eachTheme(page: Page, state: string, width: number): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) await fits(page, state, width, scheme);
}
