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
import { eachTheme } from './harness/layout-fit';

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
