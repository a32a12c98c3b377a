/**
 * What the user chooses is what they get, in Chromium against a scripted main: every bound main puts on a run's
 * settings is on its field before Train (Train stays off, nothing is sent), a refusal from main never names an IPC
 * channel, and a digit drawn in one theme stays visible, and the same model input, when the system switches theme.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { validateArg } from '../../electron/shared/validate';
import { contrastRatio, type Rgb } from '../../renderer/src/lib/contrast';
import { openAppPage } from './harness/app-page';
import { useAppServer } from './harness/app-server';
import { drawOnPad, ONE, ZERO } from './harness/draw';
import { createFakeMain, fakeRecord } from './harness/fake-handlers';
import { screenshot } from './harness/screenshots';

const app = useAppServer('choices');

const history = [fakeRecord('20260302-091400000-gpu-000002', 'gpu', '2026-03-02T09:14:00Z', 3_050)];
const TRAIN_BUTTONS = ['Train on CPU', 'Train on GPU', 'Compare: CPU, then GPU'];

async function trainButtonsEnabled(page: Page): Promise<boolean[]> {
  return Promise.all(TRAIN_BUTTONS.map((name) => page.getByRole('button', { name }).isEnabled()));
}

describe('the settings form holds every bound main enforces', () => {
  // One value just past each bound main checks (the settings schema's, SETTINGS in schema/settings.ts), with the field's words.
  it.each([
    ['Epochs', '1001', 'Whole number from 1 to 1,000'],
    ['Batch size', '60001', 'Whole number from 1 to 60,000'],
    ['Learning rate', '1e400', 'A number above 0'],
    ['Momentum', '1', 'At least 0 and below 1'],
    ['Seed', '4294967296', 'Whole number from 0 to 4,294,967,295'],
    ['Images (quick run)', '60001', 'Whole number from 1 to 60,000 (empty: all)'],
  ])('%s = %s is refused on the field; Train stays off and nothing is sent', async (label, value, words) => {
    const main = createFakeMain({ records: history });
    const { page, bridge, errors } = await openAppPage(app.browser, app.url, main, { width: 1280, height: 900 });
    await expect.poll(() => trainButtonsEnabled(page)).toEqual([true, true, true]);
    // Not exact: the field's error joins its label's words once it shows.
    const field = page.getByLabel(label);
    await field.fill(value);
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby'))!;
    expect(await page.locator(`#${describedBy}`).innerText()).toBe(words);
    expect(await trainButtonsEnabled(page)).toEqual([false, false, false]);
    await page.getByRole('button', { name: 'Train on CPU' }).click({ force: true });
    expect(bridge.calls.filter((c) => c.channel.startsWith('training:') && c.channel !== 'training:queue')).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("bounds the quick run's images by the chosen folder's training images, and sends what it accepts", async () => {
    const dataset = { dir: '/home/user/data/tiny-mnist', trainCount: 2500, testCount: 500, source: 'idx files' };
    const main = createFakeMain({ records: history, dataset });
    const { page, bridge, errors } = await openAppPage(app.browser, app.url, main, { width: 1280, height: 900 });
    const images = page.getByLabel('Images (quick run)');
    await images.fill('6000');
    // The bundled MNIST holds 60,000: fine, until the folder of 2,500 is chosen.
    expect(await images.getAttribute('aria-invalid')).toBe('false');
    await page.getByRole('button', { name: 'Choose folder…' }).click();
    await expect.poll(() => images.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#limit-error').innerText()).toBe(
      'Whole number from 1 to 2,500: the data source has 2,500 training images (empty: all)',
    );
    expect(await trainButtonsEnabled(page)).toEqual([false, false, false]);
    await screenshot(page, 'choices-images-over-folder', { fullPage: false });
    await images.fill('2500');
    await expect.poll(() => trainButtonsEnabled(page)).toEqual([true, true, true]);
    await page.getByRole('button', { name: 'Train on CPU' }).click();
    await expect
      .poll(() => bridge.calls.find((c) => c.channel === 'training:start')?.arg)
      .toMatchObject({ limit: 2500, dataDir: dataset.dir });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a refusal from main reads as words for the user, never naming the channel', async () => {
    // Main's real check refusing what it would refuse: here a data folder given as a relative path.
    const main = createFakeMain({
      records: history,
      checkStart: (request) => void validateArg('training:start', { ...request, dataDir: 'data/mnist' }),
    });
    const { page } = await openAppPage(app.browser, app.url, main, { width: 1280, height: 900 });
    await expect.poll(() => trainButtonsEnabled(page)).toEqual([true, true, true]);
    await page.getByRole('button', { name: 'Train on CPU' }).click();
    const notices = page.getByTestId('notices');
    await expect.poll(() => notices.innerText()).toMatch(/CPU run could not start/);
    const text = await notices.innerText();
    expect(text).toMatch(/Athanor refused the request: dataDir/);
    expect(text).not.toMatch(/training:start|invalid argument for|Error invoking|IpcValidationError/);
    await screenshot(page, 'choices-refusal-notice', { fullPage: false });
    await page.close();
  });
});

/** The pad's pixels: how many are inked, their alpha (the drawing), and the colour of the fully inked ones. */
const PAD = `(() => {
  const canvas = document.querySelector('[data-testid="draw-pad"]');
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0, full = 0, r = 0, g = 0, b = 0;
  const alpha = [];
  for (let i = 0; i < data.length; i += 4) {
    alpha.push(data[i + 3]);
    if (data[i + 3] > 0) inked++;
    if (data[i + 3] === 255) { full++; r += data[i]; g += data[i + 1]; b += data[i + 2]; }
  }
  const background = getComputedStyle(canvas).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number);
  return { inked, alpha: alpha.join(','), ink: [r / full, g / full, b / full].map(Math.round), background };
})()`;

/** The 28x28 image the model is given, as the panel draws it: its alpha is the grey level, its colour the theme's. */
const INPUT = `Array.from(document.querySelector('[data-testid="try-input"]').getContext('2d').getImageData(0, 0, 28, 28).data)
  .filter((_, i) => i % 4 === 3).join(',')`;

interface Pad {
  inked: number;
  alpha: string;
  ink: Rgb;
  background: Rgb;
}

async function scheme(page: Page, dark: boolean): Promise<void> {
  await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' });
  await expect
    .poll(() => page.evaluate('getComputedStyle(document.documentElement).backgroundColor'))
    .toBe(dark ? 'rgb(15, 17, 22)' : 'rgb(244, 245, 247)');
  // The pad repaints in the effect that follows the theme; a frame later it is on screen.
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
}

describe('a drawing survives a theme switch', () => {
  it.each([
    ['light', 'dark', ONE],
    ['dark', 'light', ZERO],
  ] as const)('drawn in %s, still visible in %s, and the model sees the same digit', async (from, to, strokes) => {
    const { page, errors } = await openAppPage(app.browser, app.url, createFakeMain({ records: history }), {
      width: 1280,
      height: 900,
    });
    await scheme(page, from === 'dark');
    await page.getByTestId('draw-pad').scrollIntoViewIfNeeded();
    await drawOnPad(page, strokes);
    await expect.poll(() => page.getByTestId('try-top').count()).toBe(1);
    const before = (await page.evaluate(PAD)) as Pad;
    const input = await page.evaluate(INPUT);
    expect(before.inked).toBeGreaterThan(1000);
    expect(contrastRatio(before.ink, before.background)).toBeGreaterThan(7);
    await screenshot(page, `choices-drawn-${from}`, { fullPage: false });

    await scheme(page, to === 'dark');
    await expect.poll(async () => ((await page.evaluate(PAD)) as Pad).background).not.toEqual(before.background);
    const after = (await page.evaluate(PAD)) as Pad;
    // Same drawing (every pixel's alpha), in the new theme's ink: as legible on the new pad as it was on the old.
    expect(after.alpha).toBe(before.alpha);
    expect(after.ink).not.toEqual(before.ink);
    expect(contrastRatio(after.ink, after.background)).toBeGreaterThan(7);
    expect(await page.evaluate(INPUT)).toBe(input);
    await screenshot(page, `choices-drawn-${from}-shown-${to}`, { fullPage: false });

    // A stroke after the switch is in the new ink too.
    await drawOnPad(page, [
      [
        [0.15, 0.9],
        [0.3, 0.9],
      ],
    ]);
    await expect.poll(async () => ((await page.evaluate(PAD)) as Pad).inked).toBeGreaterThan(after.inked);
    expect(((await page.evaluate(PAD)) as Pad).ink).toEqual(after.ink);
    expect(errors).toEqual([]);
    await page.close();
  });
});
