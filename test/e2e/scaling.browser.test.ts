/**
 * The Scaling view in Chromium against the scripted main side (the real RunManager and SweepManager, sweep workers
 * and GPU pages that say only what the test tells them): a sweep starts, its points arrive in the chart and the
 * table, the sentence says where the GPU overtakes the CPU, Cancel stops it, a failing engine is worded, and a
 * saved sweep can be shown again.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppPage, type AppPage } from './harness/app-page';
import { useAppServer } from './harness/app-server';
import { createFakeMain, fakeRecord, type FakeMain } from './harness/fake-handlers';
import { createRealMain } from './harness/real-main';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SCREENSHOT_DIR, screenshot } from './harness/screenshots';
import { sweepBothSides, sweepRecord } from '../services/sweep-fixtures';

const site = useAppServer('scaling');

const OLD = sweepRecord('20261201-090000000-sweep-0000aa', '2026-12-01T09:00:00.000Z');

/** An element's text as shown: runs of white space as one space. */
const textOf = (page: Page, testId: string) =>
  page
    .getByTestId(testId)
    .textContent()
    .then((t) => (t ?? '').replace(/\s+/g, ' ').trim());

/** The table's cells, row by row, as shown. */
async function tableText(page: Page): Promise<string[][]> {
  return page
    .getByTestId('sweep-table')
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())),
    );
}

describe('the Scaling view', () => {
  let app: AppPage;
  let main: FakeMain;
  let page: Page;

  beforeAll(async () => {
    // A CPU run and a GPU run at the tutorial's batch of 64: the history's speed-up headline.
    const records = [
      fakeRecord('20261201-080000000-gpu-000002', 'gpu', '2026-12-01T08:10:00Z', 3_000),
      fakeRecord('20261201-080000000-cpu-000001', 'cpu', '2026-12-01T08:00:00Z', 43_800),
    ];
    main = createFakeMain({ records, sweeps: [OLD] });
    app = await openAppPage(site.browser, site.url, main, { width: 1360, height: 900 });
    page = app.page;
    await page.getByTestId('scaling').scrollIntoViewIfNeeded();
  });

  afterAll(async () => {
    await app?.page.close();
  });

  it('shows the newest saved sweep at first, named by machine, engines and date', async () => {
    await expect
      .poll(() => textOf(page, 'sweep-title'))
      .toMatch(/^2026-12-01 \d\d:00 · tfjs-node 4\.22\.0 on Intel Xeon · GPU \(did not start\) · failed$/);
    expect(await page.getByTestId('sweep-sizes').inputValue()).toBe('16, 64, 256, 1024');
    // That sweep timed no GPU: the headline has nothing to add at its batch.
    expect(await textOf(page, 'speedup-batch')).toBe('at a batch of 64');
    expect(await page.getByTestId('speedup-sweep').count()).toBe(0);
    expect(await textOf(page, 'sweep-failure-gpu')).toContain(
      'GPU sweep failed: WebGPU is not available in this browser (no navigator.gpu).',
    );
  });

  it('refuses sizes that are not sizes before asking main', async () => {
    const input = page.getByTestId('sweep-sizes');
    await input.fill('16, 64, 64');
    expect(await page.locator('#sweep-sizes-note').textContent()).toContain('64 is there twice.');
    expect(await page.getByTestId('sweep-start').isDisabled()).toBe(true);
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await input.fill('16, 64, 256, 1024');
    expect(await page.getByTestId('sweep-start').isEnabled()).toBe(true);
  });

  it('starts a sweep, streams its points into the chart and the table, and says where the GPU wins', async () => {
    await page.getByTestId('sweep-start').click();
    await expect.poll(() => textOf(page, 'sweep-progress')).toContain('batch 16 on the CPU, 1 of 8');
    await main.sweeps.ready('cpu');
    await expect.poll(() => textOf(page, 'sweep-progress')).toContain('batch 16 on tfjs-node, 1 of 8');
    main.sweeps.point('cpu', 16, 4); // 4,000 img/s
    main.sweeps.point('cpu', 64, 12.8); // 5,000
    main.sweeps.point('cpu', 256, 49.2); // 5,203
    main.sweeps.point('cpu', 1024, 200); // 5,120
    main.sweeps.done('cpu');
    await main.sweeps.ready('gpu');
    main.sweeps.point('gpu', 16, 8); // 2,000
    main.sweeps.point('gpu', 64, 10); // 6,400
    await expect.poll(() => textOf(page, 'sweep-progress')).toContain('batch 256 on WebGPU, 7 of 8');
    expect(await page.getByTestId('sweep-progress').locator('progress').getAttribute('value')).toBe('6');
    await screenshot(page, 'scaling-running');
    main.sweeps.point('gpu', 256, 10); // 25,600
    main.sweeps.point('gpu', 1024, 20); // 51,200
    main.sweeps.done('gpu');
    await expect.poll(() => page.getByTestId('sweep-progress').count()).toBe(0);

    expect(await tableText(page)).toEqual([
      ['16', '4.00 ms', '4,000 img/s', '8.00 ms', '2,000 img/s', '0.5x'],
      ['64', '12.8 ms', '5,000 img/s', '10.0 ms', '6,400 img/s', '1.3x'],
      ['256', '49.2 ms', '5,203 img/s', '10.0 ms', '25,600 img/s', '4.9x'],
      ['1,024', '200 ms', '5,120 img/s', '20.0 ms', '51,200 img/s', '10x'],
    ]);
    expect(await textOf(page, 'sweep-verdict')).toBe(
      "The GPU overtakes the CPU from a batch of 64 on. At the tutorial's batch of 64, the GPU trains 1.3x the CPU's images a second.",
    );
    expect(await textOf(page, 'announce-action')).toBe(
      "Sweep done. The GPU overtakes the CPU from a batch of 64 on. At the tutorial's batch of 64, the GPU trains 1.3x the CPU's images a second.",
    );
    // One line an engine, its last point at the largest size: both end at the same x.
    const chart = page.getByTestId('sweep-chart').locator('[data-ends]');
    const ends = (await chart.getAttribute('data-ends'))!.split(',').map(Number);
    expect(ends).toHaveLength(2);
    expect(ends[0]).toBe(ends[1]);
    expect(await chart.getAttribute('aria-label')).toBe(
      'Images per second against batch size: CPU · tfjs-node 4,000 at 16, 5,000 at 64, 5,203 at 256, 5,120 at 1024; ' +
        'GPU · WebGPU 2,000 at 16, 6,400 at 64, 25,600 at 256, 51,200 at 1024',
    );
    expect(await textOf(page, 'sweep-title')).toMatch(
      /tfjs-node 4\.22\.0 on AMD EPYC 7742 64-Core Processor · WebGPU 4\.22\.0 on NVIDIA A100-SXM4-40GB \(Vulkan\)$/,
    );
    expect(main.sweeps.kept().map((s) => s.status)).toEqual(['failed', 'done']);
    // The headline's pair ran on CUDA, the sweep timed WebGPU: a sweep of other engines is not put beside them (the
    // same engines' sweep is, speedup.test.ts).
    expect(await textOf(page, 'speedup-batch')).toBe('at a batch of 64');
    expect(await page.getByTestId('speedup-sweep').count()).toBe(0);
    await screenshot(page, 'scaling-done');
    // The view alone, in both themes, to look at closely.
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
      await page.getByTestId('scaling').screenshot({ path: join(SCREENSHOT_DIR, `scaling-view-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('shows an older saved sweep again from the list', async () => {
    const saved = page.getByTestId('sweep-saved');
    expect(await saved.locator('option').count()).toBe(2);
    await saved.selectOption({ index: 1 });
    await expect.poll(() => textOf(page, 'sweep-title')).toMatch(/^2026-12-01 /);
    expect(await tableText(page)).toEqual([
      ['16', '4.00 ms', '4,000 img/s', '–', '–', '–'],
      ['64', '12.0 ms', '5,333 img/s', '–', '–', '–'],
    ]);
    expect(await page.getByTestId('sweep-verdict').count()).toBe(0);
    await saved.selectOption({ index: 0 });
    await expect.poll(() => page.getByTestId('sweep-verdict').count()).toBe(1);
  });

  it('cancels a sweep: the worker is stopped and what it timed is kept', async () => {
    await page.getByTestId('sweep-start').click();
    await main.sweeps.ready('cpu');
    main.sweeps.point('cpu', 16, 4);
    await expect.poll(() => textOf(page, 'sweep-progress')).toContain('2 of 8');
    await page.getByTestId('sweep-cancel').click();
    await expect.poll(() => page.getByTestId('sweep-progress').count()).toBe(0);
    expect(await textOf(page, 'sweep-title')).toMatch(/ · cancelled$/);
    expect(await textOf(page, 'announce-action')).toBe('Sweep cancelled');
    expect((await tableText(page)).map((r) => r.slice(0, 3))).toEqual([
      ['16', '4.00 ms', '4,000 img/s'],
      ['64', '–', 'cancelled'],
      ['256', '–', 'cancelled'],
      ['1,024', '–', 'cancelled'],
    ]);
    expect(
      main.sweeps
        .kept()
        .at(-1)
        ?.sides.map((s) => s.device),
    ).toEqual(['cpu']);
  });

  it('waits for a run in the queue, and a run asked for while it times waits for it', async () => {
    await page.getByRole('button', { name: 'Train on CPU' }).click();
    await expect.poll(() => main.running()?.device).toBe('cpu');
    await page.getByTestId('sweep-sizes').fill('16');
    await page.getByTestId('sweep-start').click();
    await expect.poll(() => textOf(page, 'sweep-progress')).toBe('Waiting for the runs in the queue to finish…');
    await main.finish();
    await expect.poll(() => textOf(page, 'sweep-progress')).toBe('Timing batch 16 on the CPU, 1 of 2');
    await page.getByRole('button', { name: 'Train on CPU' }).click();
    await expect.poll(() => page.getByTestId('queue').innerText()).toMatch(/CPU/);
    expect(main.running()).toBeNull();
    await main.sweeps.ready('cpu');
    main.sweeps.point('cpu', 16, 4);
    main.sweeps.done('cpu');
    await main.sweeps.ready('gpu');
    main.sweeps.point('gpu', 16, 8);
    main.sweeps.done('gpu');
    await expect.poll(() => main.running()?.device).toBe('cpu');
    await main.finish('cancelled');
  });

  it('works from the keyboard: Enter in the sizes starts, focus moves to Cancel, and back to Start at the end', async () => {
    const focused = () => page.evaluate('document.activeElement?.getAttribute("data-testid")');
    await page.getByTestId('sweep-sizes').fill('16');
    await page.getByTestId('sweep-sizes').press('Enter');
    await expect.poll(focused).toBe('sweep-cancel');
    await main.sweeps.ready('cpu');
    main.sweeps.point('cpu', 16, 4);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('sweep-progress').count()).toBe(0);
    await expect.poll(focused).toBe('sweep-start');
    expect(await textOf(page, 'sweep-title')).toMatch(/ · cancelled$/);
  });

  it("words a failing GPU engine and keeps the CPU's figures", async () => {
    await page.getByTestId('sweep-sizes').fill('16, 64');
    await page.getByTestId('sweep-start').click();
    await main.sweeps.ready('cpu');
    main.sweeps.point('cpu', 16, 4);
    main.sweeps.point('cpu', 64, 12.8);
    main.sweeps.done('cpu');
    await main.sweeps.ready('gpu');
    main.sweeps.fail('gpu', { code: 'webgl-unavailable' });
    await expect.poll(() => page.getByTestId('sweep-progress').count()).toBe(0);
    expect(await textOf(page, 'sweep-failure-gpu')).toContain(
      'GPU sweep failed: WebGL 2 is not available: the graphics driver is missing, too old or blocklisted.',
    );
    expect(await textOf(page, 'sweep-title')).toMatch(/ · failed$/);
    expect((await tableText(page)).map((r) => r.slice(0, 3))).toEqual([
      ['16', '4.00 ms', '4,000 img/s'],
      ['64', '12.8 ms', '5,000 img/s'],
    ]);
    expect(app.errors).toEqual([]);
  });
});

describe("the Scaling view in Chinese, at the window's minimum size", () => {
  it('words the panel, verdict, table and a skipped size in Chinese, fits 900 by 600 in both themes, and rewords on a switch', async () => {
    const both = sweepBothSides('20261202-100000000-sweep-0000bb', '2026-12-02T10:00:00.000Z');
    const [cpu, gpu] = both.sides;
    const skipped = { batchSize: 4096, reason: 'engine-limit', engine: 'webgpu', limit: 2048 };
    const sweep = { ...both, sides: [cpu, { ...gpu, skipped: [skipped] }] };
    const main = createFakeMain({ language: 'zh-CN', sweeps: [sweep, OLD] });
    const { page, bridge, errors } = await openAppPage(site.browser, site.url, main, { width: 900, height: 600 });
    try {
      const panel = page.getByTestId('scaling');
      await expect.poll(() => panel.locator('h2').textContent()).toBe('扩展性');
      expect(await textOf(page, 'sweep-verdict')).toMatch(/^GPU 从批大小 64 起超过 CPU。在教程所用的批大小 64 下，/);
      const head = await page.getByTestId('sweep-table').locator('thead th').allTextContents();
      expect(head.map((h) => h.trim())).toEqual(expect.arrayContaining(['批大小', 'ms/步', '张/秒', 'GPU/CPU']));
      expect((await tableText(page)).at(-1)).toEqual(['4,096', '–', '–', '–', '超出 webgpu 引擎的上限（2048）', '–']);
      await page.getByTestId('sweep-sizes').fill('16, 16');
      expect(await page.locator('#sweep-sizes-note').textContent()).toContain('16 重复出现了。');
      await page.getByTestId('sweep-sizes').fill('16, 64, 256, 1024');
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        // Nothing in the panel wider than the panel: the Chinese words wrap rather than push it sideways.
        const overflow = await panel.evaluate((el) => el.scrollWidth - el.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await panel.scrollIntoViewIfNeeded();
        await panel.screenshot({ path: join(SCREENSHOT_DIR, `scaling-zh-CN-900x600-${scheme}.png`) });
      }
      // A refusal made in Chinese reads in English once the language is switched: the state outlives the page.
      await page.getByTestId('sweep-cpu').uncheck();
      await page.getByTestId('sweep-gpu').uncheck();
      await page.getByTestId('sweep-start').click();
      await expect.poll(() => textOf(page, 'sweep-error')).toBe('请勾选 CPU、GPU 或两者。');
      bridge.emit('app:language', { language: 'en', chosen: 'en', system: 'zh-CN' });
      await expect.poll(() => panel.locator('h2').textContent()).toBe('Scaling');
      expect(await textOf(page, 'sweep-error')).toBe('Tick the CPU, the GPU or both.');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('a real sweep through the Scaling view', () => {
  it('times tiny sizes in a worker process, keeps the sweep in the history folder, and shows it after a reload', async () => {
    const historyDir = join(site.dir, 'history');
    const main = await createRealMain(historyDir, { testLimit: 100 });
    const { page, errors } = await openAppPage(site.browser, site.url, main, { width: 1360, height: 900 });
    try {
      await page.getByTestId('sweep-sizes').fill('8, 16');
      await page.getByTestId('sweep-gpu').uncheck();
      await page.getByTestId('sweep-start').click();
      await expect.poll(() => page.getByTestId('sweep-progress').count(), { timeout: 90_000 }).toBe(0);
      const rows = await tableText(page);
      expect(rows.map((r) => r[0])).toEqual(['8', '16']);
      for (const r of rows) expect(r[2]).toMatch(/^[\d,.]+ img\/s$/);
      const kept = JSON.parse(await readFile(join(historyDir, 'sweeps.json'), 'utf8'));
      expect(kept.sweeps.map((x: { status: string }) => x.status)).toEqual(['done']);
      await page.reload();
      await expect.poll(() => tableText(page).then((r) => r.map((x) => x[0]))).toEqual(['8', '16']);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      main.runs.dispose();
      main.sweeps.dispose();
    }
  });
});
