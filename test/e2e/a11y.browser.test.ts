/**
 * Usable without a mouse and with a screen reader (issue 19), in real Chromium against a scripted main side:
 * every state of the app passes axe-core's WCAG 2.1 A and AA rules in both themes, with the contrast axe could
 * not decide measured here; the keyboard reaches and works the tabs, the test images and the matrix, with the
 * app's focus ring; and a run's phases, its epochs and a prediction are announced in polite live regions.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { RunRecord } from '../../electron/shared/ipc-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppPage, type AppPage } from './harness/app-page';
import { runAxe, type MeasuredContrast } from './harness/axe';
import { useAppServer } from './harness/app-server';
import { setScheme } from './harness/keyboard';
import { drawOnPad, ZERO } from './harness/draw';
import { createFakeMain, fakeRecord, type FakeMain } from './harness/fake-handlers';
import { createRealMain } from './harness/real-main';
import { SCREENSHOT_DIR, screenshot } from './harness/screenshots';
import { sweepBothSides } from '../services/sweep-fixtures';

const site = useAppServer('a11y');

const MISTAKES_RUN = '20260302-091600000-gpu-000003';

/** A saved sweep of both sides: the Scaling view's chart, table and sentence. */
const SWEEPS = [sweepBothSides('20260302-100000000-sweep-00000c', '2026-03-02T10:00:00.000Z')];

/** A run that kept its mistakes, and a CPU run beside it: a headline, a matrix to pick from, mistakes to show. */
function history(): RunRecord[] {
  const run = fakeRecord(MISTAKES_RUN, 'gpu', '2026-03-02T09:16:00Z', 3_000);
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
  return [
    { ...run, evaluation: { ...run.evaluation!, mistakes } },
    fakeRecord('20260302-091200000-cpu-000001', 'cpu', '2026-03-02T09:12:00Z', 43_800),
  ];
}

/**
 * Why axe may leave a colour contrast undecided here, each measured by the harness instead: text on the speed-up
 * headline's gradient, text that the sticky top bar or the notices pass over when scrolled, text over the drawing
 * pad's canvas, and text too short for axe to judge (a matrix count, a digit's label).
 */
const UNDECIDED = new Set(['bgGradient', 'bgOverlap', 'elmPartiallyObscured', 'imgNode', 'shortTextContent']);

/** Every contrast axe left undecided, per state and theme, for the lowest ratio of each kind. */
const measured: (MeasuredContrast & { state: string; scheme: string })[] = [];

/** No axe violation and no undecided check left unmeasured, in both themes; a screenshot of each. */
async function checkState(page: Page, state: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await setScheme(page, scheme);
    const report = await runAxe(page);
    await screenshot(page, `a11y-${state}-${scheme}`);
    expect({ state, scheme, violations: report.violations, incomplete: report.incomplete }).toEqual({
      state,
      scheme,
      violations: [],
      incomplete: [],
    });
    for (const c of report.contrast) {
      measured.push({ ...c, state, scheme });
      expect(UNDECIDED, `${state} ${scheme}: ${c.target} undecided for ${c.reason}`).toContain(c.reason);
      expect(c.backgrounds.length, `${state} ${scheme}: ${c.target} has no background`).toBeGreaterThan(0);
      expect(
        c.ratio,
        `${state} ${scheme}: "${c.text}" (${c.target}) on ${c.backgrounds.join(' .. ')}`,
      ).toBeGreaterThanOrEqual(c.required);
    }
  }
  await setScheme(page, 'light');
}

describe('every state passes axe-core WCAG 2.1 A and AA, in both themes', () => {
  let app: AppPage;
  let main: FakeMain;

  beforeAll(async () => {
    main = createFakeMain({ records: history(), sweeps: SWEEPS });
    app = await openAppPage(site.browser, site.url, main, { width: 1360, height: 900 });
  });

  afterAll(async () => {
    // The lowest measured ratio of each kind of undecided contrast, for the record.
    const lowest = new Map<string, (typeof measured)[number]>();
    for (const m of measured) {
      const key = `${m.reason} ${m.scheme}`;
      if (!lowest.has(key) || lowest.get(key)!.ratio > m.ratio) lowest.set(key, m);
    }
    console.log(
      [...lowest.entries()]
        .map(([k, m]) => `${k}: ${m.ratio} (needs ${m.required}) "${m.text}" ${m.target} [${m.state}]`)
        .join('\n'),
    );
    // Every measurement, beside the screenshots: what axe left undecided and the ratio found for it.
    await writeFile(join(SCREENSHOT_DIR, 'a11y-contrast.json'), JSON.stringify(measured, null, 1));
    await app?.page.close();
  });

  it('first start: no history, nothing trained', async () => {
    const first = await openAppPage(site.browser, site.url, createFakeMain({}), { width: 1360, height: 900 });
    await expect.poll(() => first.page.getByTestId('device-gpu').count()).toBe(1);
    await checkState(first.page, 'start');
    expect(first.errors).toEqual([]);
    await first.page.close();
  });

  it("first start on this machine, with its real devices: no GPU, and the GPU button's reason", async () => {
    const real = await createRealMain(join(site.dir, 'history'), { testLimit: 100 });
    const first = await openAppPage(site.browser, site.url, real, { width: 1360, height: 900 });
    try {
      // Detected: each GPU engine's reason is listed (while detecting, the button only says it is checking).
      await expect.poll(() => first.page.getByTestId('gpu-reason').count(), { timeout: 60_000 }).toBe(1);
      expect(await first.page.getByTestId('gpu-blocked').innerText()).toMatch(/^GPU unavailable: (?!checking)/);
      expect(await first.page.getByRole('button', { name: 'Train on GPU' }).isDisabled()).toBe(true);
      await checkState(first.page, 'start-no-gpu');
      expect(first.errors).toEqual([]);
    } finally {
      await first.page.close();
      real.runs.dispose();
    }
  });

  it('a run in progress, after its first epoch', async () => {
    const { page, bridge } = app;
    // A comparison: the CPU run trains with the GPU run queued behind it.
    await page.getByRole('button', { name: 'Compare: CPU, then GPU' }).click();
    await expect.poll(() => page.getByTestId('queue').innerText()).toMatch(/GPU/);
    main.advance(1000);
    bridge.emit('training:event', {
      kind: 'epoch',
      id: main.running()!.id,
      summary: { epoch: 1, meanLoss: 0.412, ms: 8_800, imagesPerSecond: 6_800 },
    });
    await expect.poll(() => page.getByTestId('epochs').count()).toBe(1);
    await checkState(page, 'training');
  });

  it('a finished run: results, the model to try, the test images', async () => {
    main.finish();
    await expect.poll(() => main.running()?.device).toBe('gpu');
    main.finish();
    await expect.poll(() => app.page.getByTestId('results').count()).toBe(1);
    await expect.poll(() => app.page.getByTestId('sample').locator('canvas').count()).toBe(12);
    await checkState(app.page, 'finished');
  });

  it('two ticked History rows: how far apart they ended, and the report button', async () => {
    const { page } = app;
    // The comparison just finished shows its own figures under Results; these are the two older rows'.
    await expect.poll(() => page.getByTestId('results').getByTestId('agreement-verdict').count()).toBe(1);
    const rows = page.getByTestId('history-row');
    for (const i of [2, 3]) await rows.nth(i).getByRole('checkbox').check();
    const figures = page.getByTestId('history').getByTestId('agreement');
    await expect.poll(() => figures.getByTestId('agreement-tensors').locator('tbody tr').count()).toBe(8);
    await figures.scrollIntoViewIfNeeded();
    await checkState(page, 'agreement');
    for (const i of [2, 3]) await rows.nth(i).getByRole('checkbox').uncheck();
  });

  it('the export dialog', async () => {
    const { page } = app;
    await page.getByTestId('history-row').first().getByRole('button', { name: 'Export…' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Export weights' }).isVisible()).toBe(true);
    await checkState(page, 'export');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });

  it('the About dialog', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'About' }).click();
    await expect.poll(() => page.getByTestId('about').isVisible()).toBe(true);
    await checkState(page, 'about');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });

  it('Try the model, with a drawing and its prediction', async () => {
    const { page } = app;
    await page.getByTestId('draw-pad').scrollIntoViewIfNeeded();
    await drawOnPad(page, ZERO);
    await expect.poll(() => page.getByTestId('try-top').innerText()).toBe('3');
    // A drawing's answer is read once it settles, without a picked image's name.
    await expect.poll(() => page.getByTestId('try-said').innerText()).toBe('Prediction: 3, 90%');
    await page.getByTestId('try').scrollIntoViewIfNeeded();
    await checkState(page, 'try');
  });

  it("Mistakes: a run's confusion matrix and one cell's mistakes", async () => {
    const { page } = app;
    await page.getByTestId('try-run').selectOption(MISTAKES_RUN);
    await page.getByRole('tab', { name: /Mistakes/ }).click();
    await page
      .getByTestId('samples')
      .getByRole('button', { name: 'Show the 4 test images of a 1 predicted as 5' })
      .click();
    await expect.poll(() => page.getByTestId('mistake').locator('canvas').count()).toBe(4);
    await checkState(page, 'mistakes');
  });

  it('a run that failed: its reason in the run panel and in Results', async () => {
    const { page, bridge } = app;
    await page.getByRole('button', { name: 'Train on GPU' }).click();
    await expect.poll(() => main.running()?.device).toBe('gpu');
    main.advance(40);
    const id = main.running()!.id;
    const record: RunRecord = {
      ...fakeRecord(id, 'gpu', new Date().toISOString(), 400),
      status: 'failed',
      accuracy: null,
      evaluation: null,
      hasWeights: false,
      message: 'the GPU page crashed (out of memory)',
    };
    bridge.emit('training:event', { kind: 'finished', id, record, queue: { running: null, queued: [] } });
    await expect
      .poll(() => page.getByTestId('status-note').innerText())
      .toContain('The GPU page crashed (out of memory).');
    await checkState(page, 'failed');

    // Ticked beside a finished run, it has no weights to compare: the figures say so instead.
    const tick = (runId: string) =>
      page.locator(`[data-testid="history-row"][data-id="${runId}"]`).getByRole('checkbox').check();
    await tick(id);
    await tick('20260302-091200000-cpu-000001');
    const figures = page.getByTestId('history').getByTestId('agreement');
    await expect.poll(() => figures.getByTestId('agreement-problem').innerText()).toMatch(/has no stored weights/);
    await figures.scrollIntoViewIfNeeded();
    await checkState(page, 'agreement-problem');
    expect(app.errors).toEqual([]);
  });

  it('the Scaling view: a saved sweep, then a sweep in progress', async () => {
    const { page } = app;
    await page.getByTestId('scaling').scrollIntoViewIfNeeded();
    await expect.poll(() => page.getByTestId('sweep-verdict').count()).toBe(1);
    await checkState(page, 'scaling');
    // The failed run above is still the queue's (its end was only shown): a sweep would wait for it.
    if (main.running()) await main.finish('cancelled');
    await page.getByTestId('sweep-start').click();
    await main.sweeps.ready('cpu');
    main.sweeps.point('cpu', 16, 4);
    await expect.poll(() => page.getByTestId('sweep-progress').innerText()).toMatch(/2 of 8/);
    await checkState(page, 'scaling-running');
    await page.getByTestId('sweep-cancel').click();
    await expect.poll(() => page.getByTestId('sweep-progress').count()).toBe(0);
  });
});

/**
 * The window's minimum (900 px) at 200% zoom is 450 CSS px wide: WCAG 1.4.4 and 1.4.10 ask that the page then
 * reflows, with no sideways scrolling, and nothing laid over anything else.
 */
describe('at 450 CSS px, the minimum window at 200% zoom', () => {
  let app: AppPage;
  let main: FakeMain;

  beforeAll(async () => {
    main = createFakeMain({ records: history(), sweeps: SWEEPS });
    app = await openAppPage(site.browser, site.url, main, { width: 450, height: 800 });
  });

  afterAll(async () => {
    await app?.page.close();
  });

  /** The page's width against the window's, with the elements that stick out past it, widest first. */
  const overflow = (page: Page) =>
    page.evaluate(`(() => {
    const root = document.documentElement;
    // What a scroller holds (the history table) scrolls inside it, and cannot widen the page.
    const scrolls = (e) => { for (let a = e.parentElement; a; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return true; return false; };
    const wide = [...document.querySelectorAll('body *')].filter((e) => !scrolls(e)).map((e) => ({ e, right: e.getBoundingClientRect().right }))
      .filter(({ right }) => right > root.clientWidth + 0.5).sort((a, b) => b.right - a.right).slice(0, 5)
      .map(({ e, right }) => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' ' + (e.getAttribute('data-testid') || '') + ' to ' + Math.round(right));
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide };
  })()`) as Promise<{ scrollWidth: number; clientWidth: number; wide: string[] }>;

  /** No sideways scrolling, and axe's rules pass, in both themes. */
  async function checkNarrow(state: string): Promise<void> {
    const { page } = app;
    for (const scheme of ['light', 'dark'] as const) {
      await setScheme(page, scheme);
      const o = await overflow(page);
      expect({ state, scheme, fits: o.scrollWidth <= o.clientWidth, wide: o.wide }).toEqual({
        state,
        scheme,
        fits: true,
        wide: [],
      });
    }
    await checkState(page, `narrow-${state}`);
  }

  /** No control of the sample tabs' line lies over a tab, in both themes. */
  async function checkTabLine(): Promise<void> {
    const { page } = app;
    for (const scheme of ['light', 'dark'] as const) {
      await setScheme(page, scheme);
      const line = (await page.evaluate(`(() => {
        const boxes = (sel) => [...document.querySelectorAll(sel)].map((e) => ({ name: e.getAttribute('aria-label') || e.textContent.trim(), r: e.getBoundingClientRect() }));
        const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        const tabs = boxes('[role="tab"]');
        const controls = boxes('[data-testid="sample-tools"] button, [data-testid="sample-tools"] select, [data-testid="sample-tools"] label, [data-testid="sample-tools"] .badge');
        return { controls: controls.length, overlaps: controls.flatMap((c) => tabs.filter((t) => meet(c.r, t.r)).map((t) => c.name + ' over ' + t.name)) };
      })()`)) as { controls: number; overlaps: string[] };
      expect(line.controls, 'the tab line has its controls').toBeGreaterThan(0);
      expect({ scheme, overlaps: line.overlaps }).toEqual({ scheme, overlaps: [] });
    }
  }

  it('idle: nothing trained yet in this window, the history below', async () => {
    await expect.poll(() => app.page.getByTestId('device-gpu').count()).toBe(1);
    await checkNarrow('idle');
  });

  it('training, with a run queued', async () => {
    const { page, bridge } = app;
    await page.getByRole('button', { name: 'Compare: CPU, then GPU' }).click();
    await expect.poll(() => page.getByTestId('queue').innerText()).toMatch(/GPU/);
    main.advance(1000);
    bridge.emit('training:event', {
      kind: 'epoch',
      id: main.running()!.id,
      summary: { epoch: 1, meanLoss: 0.412, ms: 8_800, imagesPerSecond: 6_800 },
    });
    await expect.poll(() => page.getByTestId('epochs').count()).toBe(1);
    await checkNarrow('training');
  });

  it('finished, with the Mistakes tab and a picked cell', async () => {
    const { page } = app;
    main.finish();
    await expect.poll(() => main.running()?.device).toBe('gpu');
    main.finish();
    await expect.poll(() => page.getByTestId('results').count()).toBe(1);
    await expect.poll(() => page.getByTestId('sample').locator('canvas').count()).toBe(12);
    await checkNarrow('finished');
    await checkTabLine();
    await page.getByTestId('try-run').selectOption(MISTAKES_RUN);
    await page.getByRole('tab', { name: /Mistakes/ }).click();
    await page
      .getByTestId('samples')
      .getByRole('button', { name: 'Show the 4 test images of a 1 predicted as 5' })
      .click();
    await expect.poll(() => page.getByTestId('mistake').locator('canvas').count()).toBe(4);
    await checkTabLine();
    await checkNarrow('mistakes');
  });

  it('Try the model, with a drawing and its prediction', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Test images' }).click();
    // Mid-window: the top bar, taller in a narrow window, stays over the page's top.
    await page.getByTestId('draw-pad').evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await drawOnPad(page, ZERO);
    await expect.poll(() => page.getByTestId('try-said').innerText()).toBe('Prediction: 3, 90%');
    await checkNarrow('try');
    expect(app.errors).toEqual([]);
  });

  it('the Scaling view with a saved sweep', async () => {
    await app.page.getByTestId('scaling').scrollIntoViewIfNeeded();
    await expect.poll(() => app.page.getByTestId('sweep-verdict').count()).toBe(1);
    await checkNarrow('scaling');
  });
});
