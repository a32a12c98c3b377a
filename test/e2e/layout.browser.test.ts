/**
 * Every panel fits at the window's smallest size, in both themes: the app's page in Chromium at the minimum width
 * main gives the window (900 px, electron/main/window.ts) and narrower (800 px, where content must reflow), with
 * a history, a run training with a queued one behind it, a finished run's results, the model to try and a dialog.
 * Measured, not eyeballed: the page is no wider than the window, and every element of every panel lies inside its
 * panel and the window. Each state is also saved as a screenshot.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppPage } from './harness/app-page';
import { useAppServer } from './harness/app-server';
import { createFakeMain, fakeRecord, type FakeMain } from './harness/fake-handlers';
import { screenshot } from './harness/screenshots';

const app = useAppServer('layout');

// Long names where a real machine has them: a CPU's and a GPU's full model names, a folder-named data source.
const history = [
  fakeRecord('20260302-091200000-cpu-000001', 'cpu', '2026-03-02T09:12:00Z', 43_800),
  fakeRecord('20260302-091400000-gpu-000002', 'gpu', '2026-03-02T09:14:00Z', 3_050),
  {
    ...fakeRecord('20260302-091600000-cpu-000003', 'cpu', '2026-03-02T09:16:00Z', 12_000),
    status: 'cancelled' as const,
    accuracy: null,
    evaluation: null,
    hasWeights: false,
    message: 'cancelled by the user',
  },
];

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
  await page.emulateMedia({ colorScheme: scheme });
  const background = scheme === 'dark' ? 'rgb(15, 17, 22)' : 'rgb(244, 245, 247)';
  await expect.poll(() => page.evaluate('getComputedStyle(document.documentElement).backgroundColor')).toBe(background);
  // Fonts and the charts' canvases settle before measuring.
  await page.evaluate(
    'document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))',
  );
  const problems = (await page.evaluate(MEASURE)) as string[];
  await screenshot(page, `layout-${width}-${state}-${scheme}`);
  expect({ state, width, scheme, problems }).toEqual({ state, width, scheme, problems: [] });
}

async function eachTheme(page: Page, state: string, width: number): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) await fits(page, state, width, scheme);
}

describe.each([900, 800])('at %i px wide, in light and dark', (width) => {
  let page: Page;
  let main: FakeMain;
  let errors: string[];

  beforeAll(async () => {
    main = createFakeMain({ records: history });
    ({ page, errors } = await openAppPage(app.browser, app.url, main, { width, height: 600 }));
  });

  afterAll(async () => {
    await page?.close();
  });

  it('fits with a history and nothing running', async () => {
    await expect.poll(() => page.getByTestId('history-row').count()).toBe(history.length);
    await expect.poll(() => page.getByTestId('device-gpu').count()).toBe(1);
    await eachTheme(page, 'idle', width);
  });

  it('fits with a run training, its chart, and a second run queued', async () => {
    await page.getByRole('button', { name: 'Compare: CPU, then GPU' }).click();
    await expect.poll(() => page.getByTestId('queue').innerText()).toMatch(/GPU/);
    main.advance(600);
    await expect
      .poll(async () => Number(await page.getByTestId('live-chart').getAttribute('data-points')))
      .toBeGreaterThan(40);
    await eachTheme(page, 'training', width);
  });

  it("fits with a finished run's results and the model to try", async () => {
    await main.finish();
    await expect.poll(() => main.running()?.device).toBe('gpu');
    await main.finish();
    await expect.poll(() => page.getByTestId('live-phase').innerText()).toBe('done');
    await expect.poll(() => page.getByTestId('results').count()).toBe(1);
    await expect.poll(() => page.getByTestId('sample').count()).toBeGreaterThan(0);
    await eachTheme(page, 'finished', width);
  });

  it('fits with the export dialog open', async () => {
    await page.getByTestId('history-row').first().getByRole('button', { name: 'Export…' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(1);
    await eachTheme(page, 'export-dialog', width);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
