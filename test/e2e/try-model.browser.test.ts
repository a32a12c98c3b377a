/**
 * Trying a trained model in Chromium, against the real main-side services: a small real run trains in a forked
 * worker, then a "1" and a "0" drawn with mouse events must come back as the top prediction, and the Mistakes list
 * must hold exactly the run's misclassified test images, most confident first, with the test set's labels.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../../electron/training/core/dataset';
import { openAppPage } from './harness/app-page';
import { launchChromium } from './harness/browser';
import { buildRenderer } from './harness/build-renderer';
import { drawOnPad, ONE, ZERO, type Stroke } from './harness/draw';
import { createRealMain } from './harness/real-main';
import { screenshot } from './harness/screenshots';
import { serveFolder } from './harness/serve';

// One epoch of 6,400 images at learning rate 0.01 (100 batches of 64): about 85% on the test images, and a plainly
// drawn 1 and 0 read right on every seed tried (1, 2, 3, 7, 42, 99), in about a minute on a busy 2-core machine.
const RUN = { epochs: '1', limit: '6400', lr: '0.01' };
const TEST_LIMIT = 1000;

let tmp: string;
let browser: Browser;
let server: Awaited<ReturnType<typeof serveFolder>>;
let main: Awaited<ReturnType<typeof createRealMain>>;
let page: Page;
let pageErrors: string[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'athanor-try-'));
  await buildRenderer(join(tmp, 'renderer'));
  server = await serveFolder(join(tmp, 'renderer'));
  main = await createRealMain(join(tmp, 'history'), { testLimit: TEST_LIMIT });
  browser = await launchChromium();
  ({ page, errors: pageErrors } = await openAppPage(browser, server.url, main));
}, 60_000);

afterAll(async () => {
  main?.runs.dispose();
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function topPrediction(strokes: Stroke[]): Promise<{ digit: number; probability: number }> {
  await page.getByTestId('try').getByRole('button', { name: 'Clear' }).click();
  await expect.poll(() => page.getByTestId('try-top').count()).toBe(0);
  await drawOnPad(page, strokes);
  await expect.poll(() => page.getByTestId('try-top').count()).toBe(1);
  // The last stroke's answer has arrived once the pad has reported its ink (a frame after the stroke) and no
  // request is out.
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  await expect.poll(() => page.getByTestId('try-probabilities').getAttribute('aria-busy')).toBe('false');
  const last = (
    await page
      .getByTestId('try-probabilities')
      .locator('li')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-p')))
  ).join();
  const probabilities = last.split(',').map(Number);
  const digit = Number(await page.getByTestId('try-top').innerText());
  expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
  expect(digit).toBe(probabilities.indexOf(Math.max(...probabilities)));
  return { digit, probability: probabilities[digit] };
}

/** The panel's top just under the sticky header, for a viewport-sized screenshot of it. */
const scrollToTry = () =>
  page.getByTestId('try').evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 56));

describe('Try the model, with a real trained run', () => {
  it('trains a small real run; the panel picks it', async () => {
    await page.getByLabel('Epochs').fill(RUN.epochs);
    await page.getByLabel(/^Images/).fill(RUN.limit);
    await page.getByLabel('Learning rate').fill(RUN.lr);
    await page.getByRole('button', { name: 'Train on CPU' }).click();
    await expect.poll(() => page.getByTestId('live-phase').innerText(), { timeout: 150_000 }).toBe('done');
    const run = main.history.state().records[0];
    expect(run.evaluation?.accuracy).toBeGreaterThan(0.75);
    await expect.poll(() => page.getByTestId('try-run').inputValue()).toBe(run.id);
  }, 180_000);

  it('reads a drawn 1 and a drawn 0, and shows the 28x28 input it was given', async () => {
    const one = await topPrediction(ONE);
    expect(one.digit).toBe(1);
    expect(one.probability).toBeGreaterThan(0.5);
    const zero = await topPrediction(ZERO);
    expect(zero.digit).toBe(0);
    expect(zero.probability).toBeGreaterThan(0.5);
    await scrollToTry();
    await screenshot(page, 'app-try', { docs: true, fullPage: false });
    await page.getByTestId('try').getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => page.getByTestId('try-top').count()).toBe(0);
  });

  it('lists only misclassified test images, most confident first, labelled as in the test set', async () => {
    const run = main.history.state().records[0];
    const test = (await loadMnist({ limit: 1, testLimit: TEST_LIMIT })).test;
    const wrong = run.evaluation!.confusion.reduce(
      (n, row, t) => n + row.reduce((a, c, p) => a + (p === t ? 0 : c), 0),
      0,
    );
    expect(run.evaluation!.mistakes).toHaveLength(wrong);

    expect(await page.getByTestId('mistake-count').innerText()).toBe(`(${wrong})`);
    await page.getByRole('tab', { name: /Mistakes/ }).click();
    const tiles = page.getByTestId('mistake');
    await expect.poll(() => tiles.count()).toBe(Math.min(24, wrong));
    // Every tile's image has arrived from main, with the label the test set gives it.
    await expect
      .poll(() => tiles.evaluateAll((els) => els.every((e) => e.getAttribute('data-file-label') !== '')))
      .toBe(true);
    const shown = await tiles.evaluateAll((els) =>
      els.map((e) => ({
        index: Number(e.getAttribute('data-index')),
        label: Number(e.getAttribute('data-label')),
        predicted: Number(e.getAttribute('data-predicted')),
        probability: Number(e.getAttribute('data-probability')),
        fileLabel: Number(e.getAttribute('data-file-label')),
      })),
    );
    for (const [i, m] of shown.entries()) {
      expect(m.label).toBe(test.labels[m.index]);
      expect(m.fileLabel).toBe(m.label);
      expect(m.predicted).not.toBe(m.label);
      if (i > 0) expect(m.probability).toBeLessThanOrEqual(shown[i - 1].probability);
    }

    // Filter by true digit, then by a confusion-matrix cell.
    const digit = shown[0].label;
    await page.getByTestId('mistake-digit').selectOption(String(digit));
    const ofDigit = run.evaluation!.mistakes!.filter((m) => m.label === digit);
    await expect.poll(() => tiles.count()).toBe(Math.min(24, ofDigit.length));
    expect(await tiles.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-label'))))).toEqual(
      ofDigit.slice(0, 24).map(() => digit),
    );

    const { label, predicted } = shown[0];
    const count = run.evaluation!.confusion[label][predicted];
    await page
      .getByTestId('samples')
      .getByRole('button', {
        name: `Show the ${count} test ${count === 1 ? 'image' : 'images'} of a ${label} predicted as ${predicted}`,
      })
      .click();
    await expect
      .poll(() => page.getByTestId('cell-filter').innerText())
      .toContain(`true ${label}, predicted ${predicted}`);
    await expect.poll(() => tiles.count()).toBe(Math.min(24, count));
    expect(
      await tiles.evaluateAll((els) =>
        els.map((e) => `${e.getAttribute('data-label')}>${e.getAttribute('data-predicted')}`),
      ),
    ).toEqual(new Array(Math.min(24, count)).fill(`${label}>${predicted}`));
    await scrollToTry();
    await screenshot(page, 'app-mistakes', { docs: true, fullPage: false });

    // The Results panel's matrix leads to the same list.
    const other = shown.find((m) => m.label !== label || m.predicted !== predicted) ?? shown[0];
    const otherCount = run.evaluation!.confusion[other.label][other.predicted];
    await page
      .getByTestId('results')
      .getByRole('button', {
        name: `Show the ${otherCount} test ${otherCount === 1 ? 'image' : 'images'} of a ${other.label} predicted as ${other.predicted}`,
      })
      .click();
    await expect
      .poll(() => page.getByTestId('cell-filter').innerText())
      .toContain(`true ${other.label}, predicted ${other.predicted}`);
    await expect.poll(() => tiles.count()).toBe(Math.min(24, otherCount));
  });

  it('follows the OS dark theme, and stays legible', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect
      .poll(() => page.evaluate('getComputedStyle(document.documentElement).backgroundColor'))
      .toBe('rgb(15, 17, 22)');
    await page.getByRole('tab', { name: 'Test images' }).click();
    await expect.poll(() => page.getByTestId('sample').locator('canvas').count()).toBe(12);
    await drawOnPad(page, ZERO);
    await expect.poll(() => page.getByTestId('try-top').innerText()).toBe('0');
    await screenshot(page, 'app-dark', { docs: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await expect
      .poll(() => page.evaluate('getComputedStyle(document.documentElement).backgroundColor'))
      .toBe('rgb(244, 245, 247)');
  });

  it('raised no page errors and no Content-Security-Policy violations', () => {
    expect(pageErrors).toEqual([]);
  });
});
