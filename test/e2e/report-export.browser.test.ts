/**
 * Issue 16 in the app: two ticked History rows of the same settings, one on the CPU and one on the GPU, show how far
 * apart they ended (from their stored weights, read by main's own handler); "Export report…" writes one HTML file,
 * which then opens from disk in Chromium with JavaScript off and the network off, and shows the runs and the figures.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareLoss, compareWeights } from '../../electron/shared/agreement';
import type { RunRecord } from '../../electron/shared/ipc-contract';
import { formatGap } from '../../renderer/src/lib/format';
import { openAppPage, type AppPage } from './harness/app-page';
import { useAppServer } from './harness/app-server';
import { createFakeMain, fakeRecord, type FakeMain } from './harness/fake-handlers';
import { sweepBothSides } from '../services/sweep-fixtures';
import { fakeWeights } from './harness/fake-records';
import { screenshot } from './harness/screenshots';

const site = useAppServer('report-export');

const CPU = '20260302-091200000-cpu-000001';
const GPU = '20260302-091600000-gpu-000002';
const OTHER = '20260302-092000000-gpu-000003';

/** The 100-batch windows of a 5-epoch run, the GPU's a little off the CPU's at one of them. */
const windows = (off: number) =>
  [1, 2, 3, 4, 5].flatMap((epoch) =>
    [100, 200, 300].map((batch) => ({
      epoch,
      batch,
      meanLoss: 1 / (epoch + batch / 1000) + (epoch === 3 && batch === 200 ? off : 0),
    })),
  );
const records: RunRecord[] = [
  {
    ...fakeRecord(OTHER, 'gpu', '2026-03-02T09:20:00Z', 3_100),
    settings: { ...fakeRecord(OTHER, 'gpu', '', 1).settings, seed: 7 },
  },
  { ...fakeRecord(GPU, 'gpu', '2026-03-02T09:16:00Z', 3_000), lossWindows: windows(0.0042), accuracy: 0.9797 },
  { ...fakeRecord(CPU, 'cpu', '2026-03-02T09:12:00Z', 43_800), lossWindows: windows(0) },
];
const gaps = compareWeights(fakeWeights('cpu').weights, fakeWeights('gpu').weights);
const largest = Math.max(...gaps.map((g) => g.maxAbsDiff));
const lossGap = compareLoss(records[2].lossWindows, records[1].lossWindows)!;

let tmp: string;
let reportFile: string;
/** What the report's save dialog answers; null is Cancel. */
let savePath: string | null = null;
let app: AppPage;
let main: FakeMain;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'athanor-report-export-'));
  reportFile = join(tmp, 'athanor-report.html');
  savePath = reportFile;
  // A saved sweep, which the Scaling view shows: Export report puts it in beside the ticked runs.
  main = createFakeMain({
    records,
    reportPath: () => savePath,
    sweeps: [sweepBothSides('sweep-1', '2026-03-02T10:00:00.000Z')],
  });
  app = await openAppPage(site.browser, site.url, main, { width: 1280, height: 900 });
});

afterAll(async () => {
  await app?.page.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const row = (page: Page, id: string) => page.locator(`[data-testid="history-row"][data-id="${id}"]`);

describe('agreement figures and the report, from History', () => {
  it('two ticked runs of the same settings show the gaps computed from their stored weights', async () => {
    const { page } = app;
    // From the keyboard, as any checkbox: focus it, Space ticks it.
    await row(page, GPU)
      .getByRole('checkbox', { name: /^Select the GPU run of 2026-03-02 09:16$/ })
      .focus();
    await page.keyboard.press('Space');
    await row(page, CPU).getByRole('checkbox').check();

    const figures = page.getByTestId('agreement');
    await expect.poll(() => figures.getByTestId('agreement-weights').innerText()).toBe(formatGap(largest));
    expect(largest).toBeGreaterThan(7e-6);
    expect(await figures.getByTestId('agreement-loss').innerText()).toBe(
      `${formatGap(lossGap.gap)}\nepoch 3, batch 200; 15 windows of 100 batches`,
    );
    expect(formatGap(lossGap.gap)).toBe('4.2e-3');
    expect(await figures.getByTestId('agreement-accuracy').innerText()).toBe('97.99% · 97.97%\nCPU · GPU');
    expect(await figures.getByTestId('agreement-verdict').innerText()).toBe(
      `They agree: the weights differ by at most ${formatGap(largest)}, rounding beside weights up to 1.`,
    );
    const cells = await figures
      .getByTestId('agreement-tensors')
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => Array.from(r.children, (c) => (c as HTMLElement).innerText)));
    expect(cells).toEqual(gaps.map((g) => [g.name, formatGap(g.maxAbsDiff), formatGap(g.maxAbs)]));
    // The CPU run first, though the GPU row is above it.
    expect(await figures.locator('.pair').innerText()).toBe('CPU · 2026-03-02 09:12 and GPU · 2026-03-02 09:16');

    await figures.scrollIntoViewIfNeeded();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
      await screenshot(page, `agreement-${scheme}`, { fullPage: false });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('two ticked runs of different settings say which setting differs instead of figures', async () => {
    const { page } = app;
    await row(page, GPU).getByRole('checkbox').uncheck();
    await row(page, OTHER).getByRole('checkbox').check();
    const unlike = page.getByTestId('agreement-unlike');
    await expect.poll(() => unlike.innerText()).toMatch(/^These runs differ in seed, so how far apart they ended says/);
    expect(await page.getByTestId('agreement-weights').count()).toBe(0);
    await row(page, OTHER).getByRole('checkbox').uncheck();
    await row(page, GPU).getByRole('checkbox').check();
  });

  it('Export report writes one file that reads offline, with no script and no request', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Export report…' }).click();
    await expect.poll(() => page.getByTestId('notices').innerText()).toContain('Report exported');
    expect(await page.getByTestId('notices').innerText()).toContain(reportFile);
    const html = await readFile(reportFile, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);

    for (const scheme of ['light', 'dark'] as const) {
      const context = await site.browser.newContext({ colorScheme: scheme, javaScriptEnabled: false });
      await context.setOffline(true);
      const requests: string[] = [];
      context.on('request', (r) => requests.push(r.url()));
      const view = await context.newPage();
      try {
        await view.goto(pathToFileURL(reportFile).href);
        expect(requests).toEqual([pathToFileURL(reportFile).href]);
        expect(await view.locator('script').count()).toBe(0);
        const text = await view.locator('main').innerText();
        expect(text).toContain('AMD EPYC 7742 64-Core Processor, 16 cores, 125.7 GiB');
        expect(text).toContain('NVIDIA A100-SXM4-40GB, 40,960 MiB, driver 535.183.01, CUDA 12.2');
        expect(text).toContain('Athanor 0.1.0 on Linux · 2 runs');
        for (const id of [CPU, GPU]) {
          const section = view.locator(`#run-${id}`);
          expect(await section.innerText()).toContain('5 ep · batch 64 · lr 0.001 · mom. 0.9 · seed 42');
          expect(await section.locator('svg polyline').count()).toBe(1);
          expect(await section.locator('table.digits td').allInnerTexts()).toEqual(
            records[2].evaluation!.perClassAccuracy.map((a) => `${(a * 100).toFixed(1)}%`),
          );
        }
        expect(await view.locator(`#run-${OTHER}`).count()).toBe(0);
        expect(await view.locator(`#run-${CPU}`).innerText()).toMatch(/Engine\s+tfjs-node 4\.22\.0/);
        expect(await view.locator(`#run-${GPU}`).innerText()).toMatch(/Test accuracy\s+97\.97% of 10,000 images/);
        const agreement = view.locator('section', { hasText: 'Agreement' });
        expect(await agreement.innerText()).toMatch(new RegExp(`Largest weight difference\\s+${formatGap(largest)}`));
        expect(await agreement.innerText()).toMatch(
          /Largest loss gap\s+4\.2e-3 at epoch 3, batch 200 \(15 windows compared\)/,
        );
        expect(await agreement.innerText()).toMatch(/Test accuracy\s+97\.99% and 97\.97%/);
        // The sweep the Scaling view shows: its chart, its figures, and where the GPU overtakes.
        const sweep = view.locator('section', { hasText: 'Batch-size sweep' });
        expect(await sweep.locator('svg polyline').count()).toBe(2);
        expect(await sweep.locator('table tr').allInnerTexts()).toEqual([
          'engine\tbatch 16\tbatch 64\tbatch 256\tbatch 1024',
          expect.stringMatching(/^tfjs-node 4\.22\.0.*\t4,100 img\/s\n3\.9 ms a step\t5,200 img\/s/s),
          expect.stringMatching(/^WebGPU 4\.22\.0 on .*\t1,900 img\/s\n8\.4 ms a step\t6,900 img\/s/s),
        ]);
        expect(await sweep.locator('li').innerText()).toMatch(/faster than the CPU from a batch of 64/);
        const tensors = await agreement
          .locator('table', { hasText: 'each weight tensor' })
          .locator('tr')
          .allInnerTexts();
        expect(tensors).toEqual(
          gaps.map((g) => `${g.name}\t${formatGap(g.maxAbsDiff)} (largest value ${formatGap(g.maxAbs)})`),
        );
        await screenshot(view, `report-export-${scheme}`);
      } finally {
        await context.close();
      }
    }
    expect(app.errors).toEqual([]);
  });

  it('a comparison shows its own figures under Results once its GPU run ends; the History pair is not read again', async () => {
    const { page, bridge } = app;
    const asked = () => bridge.calls.filter((c) => c.channel === 'history:agreement').length;
    // The ticked pair, the same pair ticked again after the unlike one, and the report's CPU-GPU pair.
    expect(asked()).toBe(3);
    await page.getByRole('button', { name: 'Compare: CPU, then GPU' }).click();
    await expect.poll(() => main.running()?.device).toBe('cpu');
    await main.finish();
    await expect.poll(() => main.running()?.device).toBe('gpu');
    await main.finish();
    const figures = page.getByTestId('results').getByTestId('agreement');
    await expect.poll(() => figures.getByTestId('agreement-weights').innerText()).toBe(formatGap(largest));
    expect(await figures.getByTestId('agreement-loss').innerText()).toBe('–\nno 100-batch window in common');
    expect(await figures.getByTestId('agreement-accuracy').innerText()).toBe('97.99% · 97.99%\nCPU · GPU');
    // The History refreshed its rows while the comparison ran: its ticked pair's figures stand as they were.
    expect(asked()).toBe(4);
    expect(await page.getByTestId('history').getByTestId('agreement-weights').innerText()).toBe(formatGap(largest));
  });

  it('a cancelled save dialog writes nothing and says nothing', async () => {
    const { page } = app;
    await rm(reportFile);
    savePath = null;
    const before = app.bridge.calls.filter((c) => c.channel === 'report:export').length;
    await page.getByRole('button', { name: 'Export report…' }).click();
    await expect.poll(() => app.bridge.calls.filter((c) => c.channel === 'report:export').length).toBe(before + 1);
    await expect.poll(() => page.getByRole('button', { name: 'Export report…' }).isEnabled()).toBe(true);
    expect(await readdir(tmp)).toEqual([]);
    expect(await page.getByTestId('notices').innerText()).not.toContain('Report export failed');
    expect(app.errors).toEqual([]);
  });

  it('a failed write says why in a notice, and leaves nothing behind', async () => {
    const { page } = app;
    savePath = join(tmp, 'gone', 'athanor-report.html');
    await page.getByRole('button', { name: 'Export report…' }).click();
    await expect
      .poll(() => page.getByTestId('notices').innerText())
      .toContain(`Report export failed\nthe report was not saved: cannot write ${savePath}: directory does not exist`);
    expect(await readdir(tmp)).toEqual([]);
    expect(app.errors).toEqual([]);
  });
});
