/**
 * Without a mouse, and with a screen reader (issue 19), in real Chromium against a scripted main side: Tab reaches
 * the sample tabs, their controls, the test images and the confusion matrix in order; the arrows, Home and End
 * move between the tabs; Enter on a test image gives the model that image and its prediction is read out; focus
 * shows the app's accent ring in both themes; a run's phases and epochs are announced, and progress reports are not;
 * a run's end has its own region, so a comparison's next start does not silence it.
 */
import type { RunRecord } from '../../electron/shared/ipc-contract';
import { describe, expect, it } from 'vitest';
import { normalise } from '../../renderer/src/lib/mnist-prep';
import { openAppPage } from './harness/app-page';
import { useAppServer } from './harness/app-server';
import { createFakeMain, fakeRecord } from './harness/fake-handlers';
import { expectRing, focused, listen, runWithMistakes, setScheme } from './harness/keyboard';
import { screenshot } from './harness/screenshots';

const site = useAppServer('keys');
describe('the keyboard reaches and works Try the model', () => {
  it('tabs to the tabs, their controls and the images in order; the arrows, Home and End move between the tabs', async () => {
    const { page, errors } = await openAppPage(
      site.browser,
      site.url,
      createFakeMain({ records: [runWithMistakes()] }),
      { width: 1360, height: 900 },
    );
    await expect.poll(() => page.getByTestId('sample').locator('canvas').count()).toBe(12);
    await page.getByTestId('try').getByRole('button', { name: 'Clear' }).focus();

    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ role: 'tab', name: 'Test images', selected: 'true' });
    await expectRing(page, 'the selected tab', 'tab');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ role: 'button', name: 'Shuffle' });
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toMatch(/^Try test image \d+, a \d$/);
    await expectRing(page, 'a test image', 'image');
    // One tab stop for the tablist: back from the images, Shift+Tab passes Shuffle and lands on the selected tab.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toMatchObject({ role: 'tab', name: 'Test images' });

    const tabs = page.getByRole('tab');
    const panel = page.getByRole('tabpanel');
    for (const [key, name] of [
      ['ArrowRight', 'Mistakes (48)'],
      ['ArrowRight', 'Test images'],
      ['End', 'Mistakes (48)'],
      ['Home', 'Test images'],
      ['ArrowLeft', 'Mistakes (48)'],
    ] as const) {
      await page.keyboard.press(key);
      const f = await focused(page);
      expect({ key, name: f.name, selected: f.selected }).toEqual({ key, name, selected: 'true' });
      expect(
        await tabs.evaluateAll((els) =>
          els.map((e) => `${e.getAttribute('aria-selected')} ${e.getAttribute('tabindex')}`),
        ),
      ).toEqual(name === 'Test images' ? ['true 0', 'false -1'] : ['false -1', 'true 0']);
      expect(await panel.getAttribute('aria-labelledby')).toBe(f.id);
    }
    await expect.poll(() => page.getByTestId('mistake').count()).toBe(24);

    // On the Mistakes tab: its filter, then the matrix's cells, each with the same ring.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('mistake-digit');
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('Show the 1 test image of a 0 predicted as 5');
    await expectRing(page, 'a confusion-matrix cell', 'cell');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('cell-filter').innerText()).toContain('true 0, predicted 5');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Enter on a test image gives the model that image, shows its prediction and reads it out', async () => {
    const main = createFakeMain({ records: [runWithMistakes()] });
    const { page, bridge, errors } = await openAppPage(site.browser, site.url, main, { width: 1360, height: 900 });
    await expect.poll(() => page.getByTestId('sample').locator('canvas').count()).toBe(12);
    const said = page.getByTestId('try-said');
    expect(await said.getAttribute('role')).toBe('status');
    expect(await said.innerText()).toBe('');

    await page.getByRole('tab', { name: 'Test images' }).focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const { name } = await focused(page);
    const [, index, label] = /^Try test image (\d+), a (\d)$/.exec(name)!.map(Number);
    await page.keyboard.press('Enter');

    await expect.poll(() => page.getByTestId('try-top').innerText()).toBe('3'); // the scripted model says 3, at 90%
    expect(await page.getByTestId('try-source').innerText()).toBe(`Test image ${index}, a ${label}`);
    await expect.poll(() => said.innerText()).toBe(`Test image ${index}, a ${label}. Prediction: 3, 90%`);
    // The model was given the test image itself, normalised as in training.
    const [image] = (await main.handlers['model:test-images']({ id: 'any', indices: [index] })) as {
      pixels: number[];
    }[];
    const sent = bridge.calls.filter((c) => c.channel === 'model:predict').at(-1)!.arg as { pixels: number[] };
    expect(sent.pixels).toEqual(Array.from(normalise(image.pixels)));
    // Focus stays on the image, for the next one.
    expect((await focused(page)).name).toBe(name);
    await page.getByTestId('try').scrollIntoViewIfNeeded();
    await screenshot(page, 'a11y-keyboard-picked-light', { fullPage: false });
    await setScheme(page, 'dark');
    await screenshot(page, 'a11y-keyboard-picked-dark', { fullPage: false });

    // Space works too, as on any button; the next image is read with its own name.
    await page.keyboard.press('Tab');
    const next = (await focused(page)).name;
    await page.keyboard.press('Space');
    await expect
      .poll(() => said.innerText())
      .toMatch(new RegExp(`^${next.replace('Try t', 'T')}\\. Prediction: 3, 90%$`));
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the Results matrix leads the keyboard to the mistakes', () => {
  it('Enter on a cell selects the Mistakes tab, filtered to that cell, and focuses it', async () => {
    const main = createFakeMain({});
    const { page, bridge, errors } = await openAppPage(site.browser, site.url, main, { width: 1360, height: 900 });
    await page.getByRole('button', { name: 'Train on CPU' }).click();
    await expect.poll(() => main.running()?.device).toBe('cpu');
    // The run ends with its mistakes kept, as a real one does: the Results matrix's cells are buttons.
    const id = main.running()!.id;
    bridge.emit('training:event', {
      kind: 'finished',
      id,
      record: { ...runWithMistakes(), id, device: 'cpu' },
      queue: { running: null, queued: [] },
    });
    const cell = page
      .getByTestId('results')
      .getByRole('button', { name: 'Show the 4 test images of a 1 predicted as 5' });
    await cell.focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).name).toBe('Mistakes (48)');
    expect(await focused(page)).toMatchObject({ role: 'tab', selected: 'true' });
    expect(await page.getByTestId('cell-filter').innerText()).toContain('true 1, predicted 5');
    // The next Tab goes on into the mistakes' own controls, not back to the matrix in Results.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ name: 'Show all mistakes' });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('a run is announced politely, and only when something happens', () => {
  it('phases, epochs and each way a run ends; never a progress report', async () => {
    const main = createFakeMain({});
    const { page, bridge, errors } = await openAppPage(site.browser, site.url, main, { width: 1360, height: 900 });
    const phase = page.getByTestId('announce-phase');
    const epoch = page.getByTestId('announce-epoch');
    // How a run ended has a region of its own: the next run's start must not replace it before it is read.
    const end = page.getByTestId('announce-end');
    expect([
      await phase.getAttribute('role'),
      await epoch.getAttribute('role'),
      await end.getAttribute('role'),
    ]).toEqual(['status', 'status', 'status']);

    await page.getByRole('button', { name: 'Train on CPU' }).click();
    await expect.poll(() => phase.textContent()).toBe('CPU run starting');
    // Every change of what the regions say, from here on.
    await page.evaluate(() => {
      const log: string[] = ((window as unknown as { spoken: string[] }).spoken = []);
      for (const id of ['announce-phase', 'announce-epoch']) {
        const el = document.querySelector(`[data-testid="${id}"]`)!;
        new MutationObserver(() => log.push(el.textContent ?? '')).observe(el, {
          subtree: true,
          childList: true,
          characterData: true,
        });
      }
    });
    const spoken = () => page.evaluate(() => (window as unknown as { spoken: string[] }).spoken);
    const id = main.running()!.id;
    main.advance(900); // 113 progress reports
    bridge.emit('training:event', {
      kind: 'epoch',
      id,
      summary: { epoch: 1, meanLoss: 0.4123, ms: 8_800, imagesPerSecond: 6_800 },
    });
    main.advance(400);
    await expect.poll(() => page.getByTestId('live-steps').innerText()).toBe('1,300 of 4,690 batches');
    expect(await spoken()).toEqual(['CPU run training', 'Epoch 1 of 5 done, mean loss 0.412']);

    main.finish();
    await expect.poll(() => end.textContent()).toBe('CPU run done: test accuracy 97.99%');

    await page.getByRole('button', { name: 'Train on CPU' }).click();
    await expect.poll(() => phase.textContent()).toBe('CPU run starting');
    expect(await epoch.textContent()).toBe('');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => end.textContent()).toBe('CPU run cancelled after 0 of 4690 batches');

    await page.getByRole('button', { name: 'Train on GPU' }).click();
    await expect.poll(() => phase.textContent()).toBe('GPU run starting');
    const failed = main.running()!.id;
    const record: RunRecord = {
      ...fakeRecord(failed, 'gpu', new Date().toISOString(), 1_000),
      status: 'failed',
      accuracy: null,
      evaluation: null,
      hasWeights: false,
      message: 'the GPU page crashed',
    };
    bridge.emit('training:event', { kind: 'finished', id: failed, record, queue: { running: null, queued: [] } });
    await expect.poll(() => end.textContent()).toBe('GPU run failed: the GPU page crashed');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('a comparison is heard through', () => {
  it("the CPU run's end and the GPU run's start, both, though they come at once", async () => {
    const main = createFakeMain({});
    const { page, errors } = await openAppPage(site.browser, site.url, main, { width: 1360, height: 900 });
    await page.getByRole('button', { name: 'Compare: CPU, then GPU' }).click();
    await expect.poll(() => page.getByTestId('announce-phase').textContent()).toBe('CPU run starting');
    const spoken = await listen(page, ['announce-phase', 'announce-end']);
    main.advance(100);
    await expect.poll(spoken).toEqual(['announce-phase: CPU run training']);
    main.finish(); // the GPU run starts in the same breath
    await expect.poll(() => main.running()?.device).toBe('gpu');
    await expect.poll(() => page.getByTestId('announce-phase').textContent()).toBe('GPU run starting');
    // Both regions hold their sentence: each is read, neither replaced the other.
    expect(await page.getByTestId('announce-end').textContent()).toBe('CPU run done: test accuracy 97.99%');
    // (A region emptied says nothing.)
    expect(
      (await spoken())
        .slice(1)
        .filter((t) => !t.endsWith(': '))
        .sort(),
    ).toEqual(['announce-end: CPU run done: test accuracy 97.99%', 'announce-phase: GPU run starting']);
    expect(errors).toEqual([]);
    await page.close();
  });
});
