/**
 * Focus and what a screen reader is told, beyond the keyboard paths (issue 19's review), in real Chromium against
 * a scripted main side: a control that removes itself hands focus on, never to the page; a removed queued run is
 * read out; the picked matrix cell and test image are marked, and a picked cell does not look focused; the tablist,
 * the model's input and the Try tab's matrix say what they are; notices speak through their regions only; and
 * reduced motion stops the smooth scroll and the sliding progress bar.
 */
import { describe, expect, it } from 'vitest';
import { openAppPage } from './harness/app-page';
import { useAppServer } from './harness/app-server';
import { createFakeMain, fakeRecord } from './harness/fake-handlers';
import { expectRing, focused, listen, runWithMistakes } from './harness/keyboard';
import { screenshot } from './harness/screenshots';

const site = useAppServer('focus');

describe('focus stays on the page when the control holding it goes away', () => {
  it("a queued run's ×, then the running run's Cancel; each removal is announced", async () => {
    const main = createFakeMain({});
    const { page, errors } = await openAppPage(site.browser, site.url, main, { width: 1360, height: 900 });
    await page.getByRole('button', { name: 'Train on CPU' }).click();
    await expect.poll(() => main.running()?.device).toBe('cpu');
    for (const n of [1, 2]) {
      await page.getByRole('button', { name: 'Train on GPU' }).click();
      await expect.poll(() => page.getByRole('button', { name: 'Remove queued GPU run' }).count()).toBe(n);
    }
    const spoken = await listen(page, ['announce-action']);
    const removes = page.getByRole('button', { name: 'Remove queued GPU run' });

    await removes.first().focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => removes.count()).toBe(1);
    // The item now first takes focus; the removal is read out.
    await expect.poll(async () => (await focused(page)).name).toBe('Remove queued GPU run');
    await expect.poll(spoken).toEqual(['announce-action: Queued GPU run removed']);
    await expectRing(page, 'the next queued run', 'queue-next');

    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('queue').count()).toBe(0);
    await expect.poll(async () => (await focused(page)).name).toBe('Cancel');
    // The same words again are read again.
    await expect
      .poll(spoken)
      .toEqual(['announce-action: Queued GPU run removed', 'announce-action: Queued GPU run removed']);

    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('live-phase').innerText()).toMatch(/cancelled/i);
    await expect.poll(() => focused(page)).toMatchObject({ role: 'h2', name: 'Current run' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a history row's Confirm delete: the next row's Delete, then the History heading", async () => {
    const records = [
      runWithMistakes(),
      fakeRecord('20260302-091200000-cpu-000001', 'cpu', '2026-03-02T09:12:00Z', 43_800),
    ];
    const { page, errors } = await openAppPage(site.browser, site.url, createFakeMain({ records }), {
      width: 1360,
      height: 900,
    });
    const rows = page.getByTestId('history-row');
    await expect.poll(() => rows.count()).toBe(2);
    const nextDelete = await rows
      .nth(1)
      .getByRole('button', { name: /^Delete the/ })
      .getAttribute('aria-label');
    await rows
      .first()
      .getByRole('button', { name: /^Delete the/ })
      .focus();
    await page.keyboard.press('Enter');
    expect((await focused(page)).name).toBe('Confirm delete');
    await page.keyboard.press('Enter');
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(async () => (await focused(page)).name).toBe(nextDelete);

    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect.poll(() => rows.count()).toBe(0);
    await expect.poll(() => focused(page)).toMatchObject({ role: 'h2', name: 'History' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('"Show all mistakes" hands focus to the Mistakes tab; the last "Show more" to the first mistake it showed', async () => {
    const { page, errors } = await openAppPage(
      site.browser,
      site.url,
      createFakeMain({ records: [runWithMistakes()] }),
      { width: 1360, height: 900 },
    );
    await page.getByRole('tab', { name: /Mistakes/ }).click();
    const tiles = page.getByTestId('mistake');
    await expect.poll(() => tiles.count()).toBe(24);
    await page.getByRole('button', { name: /^Show more/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => tiles.count()).toBe(48);
    const first = await tiles.nth(24).getAttribute('data-index');
    await expect
      .poll(() =>
        page.evaluate(() => document.activeElement?.closest('[data-testid="mistake"]')?.getAttribute('data-index')),
      )
      .toBe(first);
    expect((await focused(page)).name).toMatch(new RegExp(`^Try test image ${first}, a \\d taken for a \\d$`));

    await page.getByRole('button', { name: 'Show the 4 test images of a 1 predicted as 5' }).click();
    await page.getByRole('button', { name: 'Show all mistakes' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('cell-filter').count()).toBe(0);
    await expect.poll(() => focused(page)).toMatchObject({ role: 'tab', name: 'Mistakes (48)', selected: 'true' });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('what is picked, and what things are called', () => {
  it('the picked cell and the picked image are the current ones, and a picked cell looks unlike a focused one', async () => {
    const { page, errors } = await openAppPage(
      site.browser,
      site.url,
      createFakeMain({ records: [runWithMistakes()] }),
      { width: 1360, height: 900 },
    );
    await expect.poll(() => page.getByTestId('sample').locator('canvas').count()).toBe(12);
    const samples = page.getByTestId('samples');
    // The tablist is named for what it holds, not after its first tab.
    expect(await samples.getByRole('tablist').getAttribute('aria-label')).toBe('Sample images');
    expect(
      await page.getByRole('img', { name: 'Model input: empty until you draw a digit or pick a test image' }).count(),
    ).toBe(1);

    const image = samples.getByRole('button', { name: /^Try test image/ }).nth(2);
    const [, index, label] = /^Try test image (\d+), a (\d)$/.exec((await image.getAttribute('aria-label'))!)!;
    await image.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => image.getAttribute('aria-current')).toBe('true');
    expect(await samples.locator('[aria-current]').count()).toBe(1);
    expect(
      await page.getByRole('img', { name: `Test image ${index}, a ${label}, as the model is given it: 28x28` }).count(),
    ).toBe(1);

    await page.getByRole('tab', { name: /Mistakes/ }).click();
    expect(await samples.getByRole('table').locator('caption').innerText()).toBe(
      'Rows: true digit · columns: predicted digit',
    );
    const cell = samples.getByRole('button', { name: 'Show the 4 test images of a 1 predicted as 5' });
    const other = samples.getByRole('button', { name: 'Show the 1 test image of a 0 predicted as 5' });
    await cell.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => cell.getAttribute('aria-current')).toBe('true');
    expect(await samples.getByRole('table').locator('[aria-current]').count()).toBe(1);
    // Picked: filled with the accent, no ring. Focused: the ring, over the cell's own shade.
    await other.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const look = (b: typeof cell) =>
      b.evaluate((e) => ({
        fill: getComputedStyle(e.parentElement!).backgroundColor,
        ring: getComputedStyle(e).outlineStyle,
      }));
    const accent = await page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue('--accent').trim(),
    );
    const rgb = `rgb(${[1, 3, 5].map((i) => parseInt(accent.slice(i, i + 2), 16)).join(', ')})`;
    expect(await look(cell)).toEqual({ fill: rgb, ring: 'none' });
    const focusedCell = await look(other);
    expect(focusedCell.ring).toBe('solid');
    expect(focusedCell.fill).not.toBe(rgb);
    await screenshot(page, 'a11y-keyboard-picked-cell', { fullPage: false });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('notices speak through their regions only: an error assertively, with no role of its own', async () => {
    const main = createFakeMain({
      checkStart: () => {
        throw new Error('the folder is gone');
      },
    });
    const { page, errors } = await openAppPage(site.browser, site.url, main, { width: 1360, height: 900 });
    await page.getByRole('button', { name: 'Train on CPU' }).click();
    const assertive = page.getByTestId('notices').locator('[aria-live="assertive"]');
    await expect.poll(() => assertive.innerText()).toMatch(/CPU run could not start/);
    expect(
      await page.getByTestId('notices').locator('[role="alert"], [role="status"], [aria-live] [aria-live]').count(),
    ).toBe(0);
    expect(await page.getByTestId('notices').locator('[aria-live="polite"]').count()).toBe(1);
    expect(errors.filter((e) => !/folder is gone/.test(e))).toEqual([]);
    await page.close();
  });
});

describe('with reduced motion asked for', () => {
  it('no smooth scroll to the mistakes and no sliding progress bar', async () => {
    const main = createFakeMain({});
    const { page, bridge, errors } = await openAppPage(site.browser, site.url, main, { width: 1360, height: 900 });
    await page.evaluate(() => {
      const asked: string[] = ((window as unknown as { scrolls: string[] }).scrolls = []);
      const own = Element.prototype.scrollIntoView;
      Element.prototype.scrollIntoView = function (this: Element, arg?: boolean | ScrollIntoViewOptions) {
        asked.push(typeof arg === 'object' ? String(arg.behavior) : String(arg));
        own.call(this, arg);
      };
    });
    await page.getByRole('button', { name: 'Train on CPU' }).click();
    await expect.poll(() => main.running()?.device).toBe('cpu');
    main.advance(400);
    const fill = page.getByTestId('live').locator('.fill');
    const transition = () => fill.evaluate((e) => getComputedStyle(e).transitionDuration);
    expect(await transition()).toBe('0.2s');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await transition()).toBe('0s');

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
    await cell.click();
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    await cell.click();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { scrolls: string[] }).scrolls))
      .toEqual(['instant', 'smooth']);
    expect(errors).toEqual([]);
    await page.close();
  });
});
