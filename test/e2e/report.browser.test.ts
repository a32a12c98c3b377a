/**
 * The HTML report from real runs: a CPU run and its repeat trained on this machine's CPU engine, a real sweep of that
 * engine, and their agreement, written to a file and opened from disk in Chromium with the network off. It must
 * show everything without a script or a request, escape what it quotes, and read in both themes (screenshots).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRuns } from '../../electron/shared/agreement';
import type { RunRecord } from '../../electron/shared/ipc-contract';
import { completedRecord, newRecord } from '../../electron/services/run-record';
import { REFERENCE_CONFIG, validateConfig } from '../../electron/training/core/config';
import { loadMnist } from '../../electron/training/core/dataset';
import { sweepEngine } from '../../electron/training/core/sweep';
import { train, type TrainOutput } from '../../electron/training/core/train';
import { initEngine } from '../../electron/training/engines';
import { reportHtml, type ReportInput } from '../../renderer/src/lib/report-html';
import { launchChromium } from './harness/browser';
import { screenshot } from './harness/screenshots';

let browser: Browser;
let dir: string;
let input: ReportInput;
let file: string;

const request = {
  ...REFERENCE_CONFIG,
  device: 'cpu' as const,
  epochs: 1,
  batchSize: 16,
  lr: 0.01,
  momentum: 0.9,
  seed: 5,
  limit: 1600,
};

function recordOf(id: string, out: TrainOutput, at: string): RunRecord {
  const curve = out.result.lossWindows.map((w) => ({ step: w.batch, loss: w.meanLoss }));
  const started = newRecord(id, request, { cpu: 'Test CPU <model> & "quotes"', gpu: null }, new Date(at));
  return { ...completedRecord(started, out.result, [{ step: 1, loss: 2.3 }, ...curve]), hasWeights: true };
}

beforeAll(async () => {
  const engine = await initEngine('cpu', { preferFallback: true });
  const data = await loadMnist({ limit: 1600, testLimit: 300 });
  const config = validateConfig({ ...request, testLimit: 300 });
  const first = await train({ config, data, engine });
  const second = await train({ config, data, engine });
  const sweep = await sweepEngine(data.train, engine, { batchSizes: [16, 64, 256], timedSteps: 2, warmupSteps: 1 });
  const runs = [
    recordOf('20261203-100000000-cpu-00000a', first, '2026-12-03T10:00:00Z'),
    recordOf('20261203-100100000-cpu-00000b', second, '2026-12-03T10:01:00Z'),
  ];
  const figures = (r: RunRecord) => ({ settings: r.settings, lossWindows: r.lossWindows, accuracy: r.accuracy });
  input = {
    app: { name: 'Athanor', version: '0.1.0', platform: 'linux' },
    generatedAt: new Date('2026-12-03T10:05:00Z'),
    devices: {
      cpu: { model: 'Test CPU <model> & "quotes"', cores: 2, memoryGiB: 24 },
      gpus: [{ name: 'NVIDIA A100-SXM4-40GB', memoryMiB: 40960, driver: '535.183.01', cuda: '12.2' }],
      adapters: [{ vendor: 'google', name: 'SwiftShader Device (Subzero)', api: 'Vulkan', software: true }],
    },
    runs,
    agreements: [
      {
        a: runs[0].id,
        b: runs[1].id,
        agreement: compareRuns(figures(runs[0]), figures(runs[1]), first.model!.weights, second.model!.weights),
      },
    ],
    sweeps: [{ engine, points: sweep.points }],
  };
  dir = await mkdtemp(join(tmpdir(), 'athanor-report-'));
  file = join(dir, 'report.html');
  await writeFile(file, reportHtml(input));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the HTML report', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`opens offline from disk with no script and no request, and shows the runs (${scheme})`, async () => {
      const context = await browser.newContext({
        colorScheme: scheme,
        viewport: { width: 1000, height: 800 },
        javaScriptEnabled: false,
      });
      await context.setOffline(true);
      const requests: string[] = [];
      context.on('request', (r) => requests.push(r.url()));
      const page = await context.newPage();
      try {
        await page.goto(pathToFileURL(file).href);
        expect(requests).toEqual([pathToFileURL(file).href]);
        expect(await page.locator('script').count()).toBe(0);
        const text = await page.locator('main').innerText();
        // Escaped, so shown as typed rather than parsed as markup.
        expect(text).toContain('Test CPU <model> & "quotes", 2 cores, 24 GiB');
        expect(text).toContain('NVIDIA A100-SXM4-40GB, 40,960 MiB, driver 535.183.01, CUDA 12.2');
        expect(text).toContain('SwiftShader Device (Subzero) (Vulkan), software GPU (testing only)');
        const run = input.runs[0];
        const section = page.locator(`#run-${run.id}`);
        await expect.poll(() => section.innerText()).toContain(`${(run.accuracy! * 100).toFixed(2)}% of 300 images`);
        expect(await section.innerText()).toContain(
          '1 ep · batch 16 · lr 0.01 · mom. 0.9 · seed 5 · first 1,600 images',
        );
        expect(await section.locator('svg polyline').count()).toBe(1);
        const digits = await section.locator('table.digits td').allInnerTexts();
        expect(digits).toEqual(run.evaluation!.perClassAccuracy.map((a) => `${(a * 100).toFixed(1)}%`));
        // The same engine twice is bit-identical: every weight gap 0.
        expect(text).toMatch(/Largest weight difference\s+0\b/);
        // The sweep: one line, one column a timed batch size, each with its rate.
        const sweepTable = page.locator('section', { hasText: 'Batch-size sweep' }).locator('table');
        expect(await sweepTable.locator('th[scope=col]').allInnerTexts()).toEqual([
          'engine',
          'batch 16',
          'batch 64',
          'batch 256',
        ]);
        expect(await sweepTable.locator('td').allInnerTexts()).toEqual(
          input.sweeps![0].points.map(() => expect.stringContaining(' img/s')),
        );
        // Both themes: the text colour is the theme's, on the theme's background.
        const colours = await page.evaluate(
          '[getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]',
        );
        expect(colours).toEqual(
          scheme === 'dark' ? ['rgb(230, 237, 243)', 'rgb(13, 17, 23)'] : ['rgb(27, 31, 36)', 'rgb(255, 255, 255)'],
        );
        await screenshot(page, `report-${scheme}`);
      } finally {
        await context.close();
      }
    });
  }
});
