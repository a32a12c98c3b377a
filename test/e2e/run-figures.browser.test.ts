/**
 * Every number on the screen means one thing and agrees with the others (issue 14, part 5), in real Chromium: each
 * way a run ends (done, cancelled, diverged, failed) has its own look and words, a run that timed no batch says
 * "n/a" where the CLI does, the live panel, Results and History print the same figure the same way, and notices
 * that no longer apply go. The runs are played into the page as main's events; each state is screenshotted.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Device, EpochSummary, Progress, RunRecord, TrainingEvent } from '../../electron/shared/ipc-contract';
import { REFERENCE_CONFIG } from '../../electron/training/core/config';
import type { Bridge } from './harness/api-bridge';
import { openAppPage } from './harness/app-page';
import { useAppServer } from './harness/app-server';
import { createFakeMain, fakeRecord } from './harness/fake-handlers';
import { screenshot } from './harness/screenshots';

const app = useAppServer('figures');

const ENGINE = { engine: 'tfjs-node', device: 'cpu', backend: 'tensorflow', version: '4.22.0' } as const;
const earlier = fakeRecord('20260302-091200000-cpu-000001', 'cpu', '2026-03-02T09:12:00Z', 43_800);

async function open(main = createFakeMain({ records: [earlier] })) {
  const opened = await openAppPage(app.browser, app.url, main, { width: 1360, height: 900 });
  await expect.poll(() => opened.page.getByTestId('history-row').count()).toBe(1);
  return opened;
}

/** One report of the loop: `step` batches of the run done, timed from step 2 on (the first is the warm-up). */
function report(step: number, batchesPerEpoch: number, epochs: number, msPerBatch: number, batchSize = 64): Progress {
  const epoch = Math.ceil(step / batchesPerEpoch);
  const totalSteps = batchesPerEpoch * epochs;
  const elapsedMs = (step - 1) * msPerBatch;
  return {
    epoch,
    epochs,
    batch: step - (epoch - 1) * batchesPerEpoch,
    batchesPerEpoch,
    step,
    totalSteps,
    loss: 2.3 * Math.exp(-step / 40) + 0.1,
    imagesPerSecond: elapsedMs > 0 ? ((step - 1) * batchSize) / (elapsedMs / 1000) : 0,
    elapsedMs,
    etaMs: step > 1 ? msPerBatch * (totalSteps - step) : 0,
  };
}

/** Plays a run into the page as main sends it: started, engine, the reports and epochs, then finished with `record`. */
async function play(
  bridge: Bridge,
  record: RunRecord,
  reports: Progress[],
  epochs: EpochSummary[] = [],
): Promise<void> {
  const { id, device } = record;
  const queue = { running: { id, device }, queued: [] };
  const emit = (ev: TrainingEvent) => bridge.emit('training:event', ev);
  emit({ kind: 'started', id, device, queue });
  emit({ kind: 'engine', id, engine: ENGINE });
  for (const progress of reports) {
    emit({ kind: 'progress', id, progress });
    const done = epochs.find((e) => e.epoch === progress.epoch && progress.batch === progress.batchesPerEpoch);
    if (done) emit({ kind: 'epoch', id, summary: done });
  }
  emit({ kind: 'finished', id, record, queue: { running: null, queued: [] } });
  await bridge.flushed();
}

/** A row as main writes it for an outcome: `fakeRecord`'s figures replaced by the run's own. */
function row(id: string, device: Device, over: Partial<RunRecord>): RunRecord {
  return {
    ...fakeRecord(id, device, new Date(Date.UTC(2026, 2, 3, 10, Number(id.slice(-2)))).toISOString(), 1),
    ...over,
  };
}

const text = (page: Page, testId: string) => page.getByTestId(testId).first().innerText();
/** The computed colour of the first element matching `selector`. */
const colour = (page: Page, selector: string, property: 'backgroundColor' | 'color' = 'backgroundColor') =>
  page.evaluate(([s, p]) => getComputedStyle(document.querySelector(s) as Element)[p], [selector, property] as const);
const newestRow = (page: Page) => page.getByTestId('history-row').first();

describe('the figures of a run, live, in Results and in History', () => {
  it('a finished run: the live tiles, Results and History print the same time, rate and loss, each labelled', async () => {
    const { page, bridge, errors } = await open();
    const id = '20260303-100100000-cpu-000011';
    // 2 epochs of 50 batches at 12 ms a batch after the warm-up.
    const reports = [1, 10, 25, 50, 60, 80, 100].map((s) => report(s, 50, 2, 12));
    const epochs = [
      { epoch: 1, meanLoss: 0.9, ms: 49 * 12, imagesPerSecond: (49 * 64) / 0.588 },
      { epoch: 2, meanLoss: 0.31, ms: 600, imagesPerSecond: 5_333.3 },
    ];
    const last = reports.at(-1)!;
    const record = row(id, 'cpu', {
      engine: ENGINE,
      trainImages: 3_200,
      timings: { engineStartMs: 90, dataLoadMs: 40, warmupMs: 150, trainingMs: last.elapsedMs, evaluationMs: 80 },
      secondsPerEpoch: 0.594,
      imagesPerSecond: last.imagesPerSecond,
      finalLoss: 0.1734,
      epochs,
      settings: {
        ...REFERENCE_CONFIG,
        device: 'cpu',
        epochs: 2,
        batchSize: 64,
        lr: 0.01,
        momentum: 0.5,
        seed: 1,
        limit: 3_200,
      },
    });
    await play(bridge, record, reports, epochs);
    await expect.poll(() => text(page, 'live-phase')).toBe('done');
    expect(await text(page, 'results-status')).toBe('done');

    // One figure, one print: the loop's time and rate are the row's wherever they appear.
    expect(await text(page, 'live-elapsed')).toBe('1.2 s');
    expect(await text(page, 'training-time')).toBe('1.2 s');
    expect(await newestRow(page).getByTestId('row-training').innerText()).toBe('1.2 s');
    expect(await text(page, 'live-throughput')).toBe('5,333 img/s');
    expect(await text(page, 'throughput')).toBe('5,333 img/s');
    expect(await newestRow(page).getByTestId('row-rate').innerText()).toBe('5,333');
    expect(await text(page, 'per-epoch')).toBe('0.59 s');
    expect(await newestRow(page).getByTestId('row-per-epoch').innerText()).toBe('0.59');
    // Two different losses, each named where it is shown: the live tile's smoothed one, the row's last batch.
    expect(await text(page, 'last-loss')).toBe('0.173');
    expect(await newestRow(page).getByTestId('row-loss').innerText()).toBe('0.173');
    expect(await page.getByTestId('results').innerText()).toMatch(/LAST BATCH LOSS\s+0\.173/i);
    expect(await page.getByTestId('live-stats').innerText()).toMatch(/LOSS\s+\d\.\d{3}\s+smoothed/i);
    expect(await page.getByTestId('history').locator('th').allInnerTexts()).toContain('Last batch loss');
    // Batches: the run's count beside the bar, the epoch's in its tile, each saying which.
    expect(await text(page, 'live-steps')).toBe('100 of 100 batches');
    expect(await page.getByTestId('live-stats').innerText()).toMatch(/BATCH\s+50 \/ 50\s+of this epoch/i);
    expect(await colour(page, '[role=progressbar] > div')).toBe(
      await colour(page, '[data-testid=results-status]', 'color'),
    );
    await screenshot(page, 'end-state-done');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says n/a for what a one-batch run cannot measure, never 0 img/s or 0.00 s an epoch', async () => {
    const { page, bridge, errors } = await open();
    const id = '20260303-100200000-cpu-000012';
    const only = report(1, 1, 1, 0);
    expect(only.imagesPerSecond).toBe(0); // what the loop reports after its warm-up batch
    // Before the run ends, the warm-up report's zeros are not shown either: no rate, no "0 s" ETA.
    bridge.emit('training:event', {
      kind: 'started',
      id,
      device: 'cpu',
      queue: { running: { id, device: 'cpu' }, queued: [] },
    });
    bridge.emit('training:event', { kind: 'progress', id, progress: report(1, 40, 1, 0) });
    await bridge.flushed();
    await expect.poll(() => text(page, 'live-steps')).toBe('1 of 40 batches');
    expect(await text(page, 'live-throughput')).toBe('–');
    expect(await text(page, 'eta')).toBe('–');

    const epochs = [{ epoch: 1, meanLoss: 2.31, ms: 0.21, imagesPerSecond: 0 }];
    const record = row(id, 'cpu', {
      engine: ENGINE,
      trainImages: 64,
      timings: { engineStartMs: 90, dataLoadMs: 40, warmupMs: 150, trainingMs: 0.21, evaluationMs: 80 },
      secondsPerEpoch: 0.00021,
      imagesPerSecond: 0,
      finalLoss: 2.31,
      epochs,
      settings: {
        ...REFERENCE_CONFIG,
        device: 'cpu',
        epochs: 1,
        batchSize: 64,
        lr: 0.01,
        momentum: 0.5,
        seed: 1,
        limit: 64,
      },
    });
    await play(bridge, record, [only], epochs);
    await expect.poll(() => text(page, 'results-status')).toBe('done');
    for (const testId of ['training-time', 'per-epoch', 'throughput', 'live-throughput', 'live-elapsed'])
      expect(await text(page, testId)).toBe('n/a');
    for (const testId of ['row-training', 'row-per-epoch', 'row-rate'])
      expect(await newestRow(page).getByTestId(testId).innerText()).toBe('n/a');
    expect(await page.getByTestId('epochs').locator('tbody tr').innerText()).toMatch(/^1\s+2\.310\s+n\/a\s+n\/a$/);
    expect(await page.getByTestId('results').innerText()).toContain('no timed batch: the only one was the warm-up');
    for (const panel of ['live', 'results', 'history'])
      expect(await text(page, panel)).not.toMatch(/\b0 img\/s|\b0\.00\b|\b0\.0 s/);
    await screenshot(page, 'end-state-one-batch');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a cancelled run counts batches as main does and reads grey, not as a warning', async () => {
    const { page, bridge, errors } = await open();
    const id = '20260303-100300000-cpu-000013';
    // 3 epochs of 100 batches; reports up to batch 8, then a 9th batch trains before the cancel lands.
    const reports = [1, 4, 8].map((s) => report(s, 100, 3, 15));
    const record = row(id, 'cpu', {
      status: 'cancelled',
      engine: ENGINE,
      trainImages: 6_400,
      accuracy: null,
      evaluation: null,
      hasWeights: false,
      epochs: [],
      timings: { engineStartMs: 90, dataLoadMs: 40, warmupMs: 150, trainingMs: 8 * 15, evaluationMs: 0 },
      secondsPerEpoch: null,
      imagesPerSecond: (8 * 64) / 0.12,
      finalLoss: reports[2].loss,
      // As main writes a run's end now: a code, worded by the renderer (the failed row below is an older row's words).
      message: null,
      reason: { code: 'run-cancelled', step: 9, totalSteps: 300 },
      settings: {
        ...REFERENCE_CONFIG,
        device: 'cpu',
        epochs: 3,
        batchSize: 64,
        lr: 0.01,
        momentum: 0.5,
        seed: 1,
        limit: 6_400,
      },
    });
    await play(bridge, record, reports);
    await expect.poll(() => text(page, 'live-phase')).toBe('cancelled');
    // The batch counts beside each other are of the same kind, and the one that trails says it is the last report.
    expect(await text(page, 'live-steps')).toBe('last report: 8 of 300 batches');
    expect(await page.getByTestId('live-stats').innerText()).toMatch(/BATCH\s+8 \/ 100\s+of this epoch/i);
    expect(await text(page, 'status-note')).toBe(
      'Cancelled after 9 of 300 batches. Stopped on request: not evaluated, no weights kept.',
    );
    expect(await text(page, 'per-epoch')).toBe('–');
    expect(await page.getByTestId('results').innerText()).toContain('no epoch finished');
    expect(await newestRow(page).getByTestId('history-why').innerText()).toBe('Cancelled after 9 of 300 batches.');
    const grey = await colour(page, '[data-testid=results-status]', 'color');
    const greyNote = await colour(page, '[data-testid=status-note]');
    expect(await colour(page, '[role=progressbar] > div')).toBe(grey);
    await screenshot(page, 'end-state-cancelled');

    // A failed run next: red where the cancelled one was grey, and its own words.
    const failedId = '20260303-100400000-cpu-000014';
    const reason =
      'no MNIST training images in /home/user/data/empty: expected train-images-idx3-ubyte(.gz) or mnist.npz';
    const failed = row(failedId, 'cpu', {
      status: 'failed',
      engine: ENGINE,
      trainImages: 0,
      timings: null,
      secondsPerEpoch: null,
      imagesPerSecond: null,
      finalLoss: null,
      accuracy: null,
      evaluation: null,
      hasWeights: false,
      epochs: [],
      curve: [],
      message: reason,
      settings: {
        ...REFERENCE_CONFIG,
        device: 'cpu',
        epochs: 3,
        batchSize: 64,
        lr: 0.01,
        momentum: 0.5,
        seed: 1,
        dataDir: '/home/user/data/empty',
      },
    });
    await play(bridge, failed, []);
    await expect.poll(() => text(page, 'live-phase')).toBe('failed');
    const red = await colour(page, '[data-testid=results-status]', 'color');
    expect(red).not.toBe(grey);
    expect(await colour(page, '[data-testid=status-note]')).not.toBe(greyNote);
    expect(await colour(page, '[data-testid=live-ended]', 'color')).toBe(red);
    // Nothing was reported: no bar at 0% and no tiles of dashes, as if it were about to start.
    expect(await page.getByRole('progressbar').count()).toBe(0);
    expect(await page.getByTestId('live-stats').count()).toBe(0);
    // Not a waiting run: no chart waiting for batches, the reason where the curve would be.
    expect(await page.getByTestId('live-chart').locator('canvas').count()).toBe(0);
    expect(await text(page, 'live-ended')).toMatch(
      /^Failed before its first batch finished: no loss curve\.\n+No MNIST training images in \/home\/user\/data\/empty: .*mnist\.npz\.$/,
    );
    // Nothing it never measured: no "0 images an epoch", no tiles of dashes.
    const results = await page.getByTestId('results').innerText();
    expect(results).not.toMatch(/0 images|images an epoch|Training time/i);
    expect(await text(page, 'status-note')).toMatch(
      /^Failed\. No MNIST training images in \/home\/user\/data\/empty: .*The run broke off with an error/,
    );
    await screenshot(page, 'end-state-failed');
    // The same looks in the dark theme: red stays red, apart from the grey of a cancelled run.
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => colour(page, '[data-testid=results-status]', 'color')).not.toBe(red);
    expect(await colour(page, '[data-testid=live-ended]', 'color')).toBe(
      await colour(page, '[data-testid=results-status]', 'color'),
    );
    await screenshot(page, 'end-state-failed-dark', { fullPage: false });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a diverged run has its own amber look and words, apart from failed and cancelled', async () => {
    const { page, bridge, errors } = await open();
    const id = '20260303-100500000-cpu-000015';
    const reports = [1, 20, 40].map((s) => report(s, 100, 1, 10));
    const message = 'the loss became NaN at epoch 1, batch 41: lower the learning rate (lr 5)';
    const record = row(id, 'cpu', {
      status: 'diverged',
      engine: ENGINE,
      trainImages: 6_400,
      accuracy: null,
      evaluation: null,
      hasWeights: false,
      epochs: [],
      timings: { engineStartMs: 90, dataLoadMs: 40, warmupMs: 150, trainingMs: 400, evaluationMs: 0 },
      secondsPerEpoch: null,
      imagesPerSecond: 6_400,
      finalLoss: Number.NaN,
      message,
      settings: {
        ...REFERENCE_CONFIG,
        device: 'cpu',
        epochs: 1,
        batchSize: 64,
        lr: 5,
        momentum: 0.5,
        seed: 1,
        limit: 6_400,
      },
    });
    await play(bridge, record, reports);
    await expect.poll(() => text(page, 'live-phase')).toBe('diverged');
    expect(await text(page, 'status-note')).toBe(
      `Diverged. The loss became NaN at epoch 1, batch 41: lower the learning rate (lr 5). ` +
        'The loss ran away, so training stopped: not evaluated, no weights kept.',
    );
    expect(await text(page, 'last-loss')).toBe('NaN');
    const amber = await colour(page, '[data-testid=results-status]', 'color');
    const badges = await page
      .getByTestId('history-row')
      .locator('[data-status]')
      .evaluateAll((els) => els.map((e) => getComputedStyle(e).color));
    expect(badges[0]).toBe(amber);
    expect(new Set(badges).size).toBe(2); // the diverged row and the earlier done row
    await screenshot(page, 'end-state-diverged');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a run that broke off keeps its last report's figures; a digit with no test image has no accuracy, not 0%", async () => {
    const { page, bridge, errors } = await open();
    // The worker died mid-run: main's row has no timings, so the live figures are all there is.
    const id = '20260303-100600000-cpu-000016';
    const reports = [1, 30, 61].map((s) => report(s, 100, 1, 20));
    const crashed = row(id, 'cpu', {
      status: 'failed',
      engine: ENGINE,
      trainImages: 0,
      timings: null,
      secondsPerEpoch: null,
      imagesPerSecond: null,
      finalLoss: null,
      accuracy: null,
      evaluation: null,
      hasWeights: false,
      epochs: [],
      message: 'the training process exited unexpectedly (signal SIGKILL)',
    });
    await play(bridge, crashed, reports);
    await expect.poll(() => text(page, 'live-phase')).toBe('failed');
    expect(await text(page, 'live-elapsed')).toBe('1.2 s');
    expect(await text(page, 'live-throughput')).toBe('3,200 img/s');
    expect(await text(page, 'live-steps')).toBe('last report: 61 of 100 batches');
    expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('61');
    expect(await text(page, 'status-note')).toBe(
      'Failed. The training process exited unexpectedly (signal SIGKILL). ' +
        'The run broke off with an error: not evaluated, no weights kept.',
    );

    // A small test set without a single 9: the bar says so instead of "0.0%".
    const base = fakeRecord('20260303-100700000-cpu-000017', 'cpu', '2026-03-03T10:17:00Z', 2_000);
    const confusion = base.evaluation!.confusion.map((r, i) => (i === 9 ? r.map(() => 0) : r));
    const perClassAccuracy = base.evaluation!.perClassAccuracy.map((a, i) => (i === 9 ? 0 : a));
    const small = { ...base, evaluation: { ...base.evaluation!, confusion, perClassAccuracy } };
    await play(bridge, small, [report(1, 10, 1, 5), report(10, 10, 1, 5)]);
    await expect.poll(() => text(page, 'live-phase')).toBe('done');
    const digits = await page.getByTestId('per-class').locator('li').allInnerTexts();
    expect(digits[9]).toMatch(/^9\s+n\/a$/);
    expect(digits[0]).toMatch(/^0\s+99\.1%$/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('clears a notice once it no longer applies: a refused start after a start that worked, a refused folder after one that worked', async () => {
    const main = createFakeMain({ records: [earlier] });
    const start = main.handlers['training:start'];
    const choose = main.handlers['dataset:choose'];
    let refuse = true;
    main.handlers['training:start'] = async (arg) => {
      if (refuse) throw new Error('a run cannot start while the history is being repaired');
      return start(arg);
    };
    main.handlers['dataset:choose'] = async (arg) => {
      if (refuse) throw new Error('/home/user/data/empty holds no MNIST files');
      return choose(arg);
    };
    const { page, errors } = await open(main);
    const noticesText = () => page.getByTestId('notices').innerText();
    await page.getByRole('button', { name: 'Choose folder…' }).click();
    await page.getByLabel('Epochs').fill('1');
    await page.getByRole('button', { name: 'Train on CPU' }).click();
    await expect.poll(noticesText).toMatch(/That folder cannot be used[\s\S]*CPU run could not start/);
    // The same failure again replaces its notice instead of stacking a copy.
    await page.getByRole('button', { name: 'Train on CPU' }).click();
    await expect.poll(async () => (await noticesText()).match(/could not start/g)?.length).toBe(1);
    await screenshot(page, 'notices-before', { fullPage: false });

    refuse = false;
    await page.getByRole('button', { name: 'Choose folder…' }).click();
    await expect.poll(noticesText).not.toContain('That folder cannot be used');
    expect(await noticesText()).toContain('CPU run could not start');
    await page.getByRole('button', { name: 'Train on CPU' }).click();
    await expect.poll(noticesText).not.toContain('could not start');
    expect(errors).toEqual([]);
    await page.close();
  });
});
