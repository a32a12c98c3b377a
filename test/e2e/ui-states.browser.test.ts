/**
 * Renderer states that this machine's real services cannot produce (a working GPU, a CPU-vs-GPU comparison, a
 * damaged history file, an export that fails), in real Chromium, against a scripted main side.
 */
import { describe, expect, it } from 'vitest';
import { openAppPage } from './harness/app-page';
import { useAppServer } from './harness/app-server';
import { createFakeMain, fakeRecord } from './harness/fake-handlers';
import { screenshot } from './harness/screenshots';

const app = useAppServer('ui');

/** The app's page over a scripted main, with page errors, console errors and CSP violations collected. */
const open = (options: Parameters<typeof createFakeMain>[0]) =>
  openAppPage(app.browser, app.url, createFakeMain(options), { width: 1360, height: 900 });

const history = [
  fakeRecord('20260302-091200000-cpu-000001', 'cpu', '2026-03-02T09:12:00Z', 43_800),
  fakeRecord('20260302-091400000-gpu-000002', 'gpu', '2026-03-02T09:14:00Z', 3_050),
];

describe('renderer states with a scripted main side', () => {
  it('shows a usable GPU, the 14x headline and overlays ticked runs', async () => {
    const { page, errors } = await open({ records: history });
    await expect.poll(() => page.getByTestId('speedup').innerText()).toContain('14x');
    expect(await page.getByRole('button', { name: 'Train on GPU' }).isEnabled()).toBe(true);
    expect(await page.getByTestId('live-chart').innerText()).toMatch(
      /^No run in progress\. Press Train on CPU, Train on GPU, or Compare to race them\./,
    );
    // These rows come from before mistakes were kept: the tab says so, not "(0)".
    await expect.poll(() => page.getByTestId('mistake-count').innerText()).toBe('(–)');
    expect(await page.getByTestId('device-gpu').innerText()).toMatch(
      /NVIDIA A100-SXM4-40GB[\s\S]*40 GiB · driver 535\.183\.01 · CUDA 12\.2/,
    );
    expect(await page.getByTestId('gpu-engine-webgpu').innerText()).toContain(
      'WebGPU 4.22.0 on NVIDIA A100-SXM4-40GB (Vulkan)',
    );
    await page.getByTestId('history-row').first().getByRole('checkbox').check();
    await page.getByTestId('history-row').nth(1).getByRole('checkbox').check();
    await expect.poll(() => page.getByTestId('overlay-chart').getAttribute('data-series')).toBe('2');
    await screenshot(page, 'ui-gpu-comparison');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('races CPU against GPU on the time axis by default: the faster run ends further left; batches one click away', async () => {
    const { page, errors } = await open({ records: history });
    const speedup = page.getByTestId('speedup');
    await expect.poll(() => speedup.innerText()).toContain('14x');
    expect(await page.getByTestId('speedup-ratios').innerText()).toBe('training time 14x · images per second 14x');
    // The ratio holds at one batch size (issue 16): the headline says which.
    expect(await page.getByTestId('speedup-batch').innerText()).toBe('at a batch of 64');
    expect(await page.getByTestId('speedup-gpu').innerText()).toBe(
      'GPU CUDA (tfjs-node-gpu) 4.22.0 on NVIDIA A100-SXM4-40GB: 3.0 s, 98,361 img/s',
    );
    expect(await page.getByTestId('speedup-cpu').innerText()).toMatch(
      /^CPU tfjs-node 4\.22\.0 on AMD EPYC 7742 64-Core Processor: 44 s, 6,849 img\/s · 5 ep/,
    );
    for (const row of await page.getByTestId('history-row').all()) await row.getByRole('checkbox').check();
    const chart = page.getByTestId('overlay-chart');
    await expect.poll(() => chart.getAttribute('data-axis')).toBe('time');
    // The rows are newest first: the GPU run, then the CPU run; their curves' last points in canvas pixels.
    const ends = async () => (await chart.locator('[data-ends]').getAttribute('data-ends'))!.split(',').map(Number);
    await expect.poll(async () => (await ends()).length).toBe(2);
    const [gpuEnd, cpuEnd] = await ends();
    expect(gpuEnd).toBeLessThan(cpuEnd / 5); // 3.05 s against 43.8 s on one axis from 0
    await page.getByTestId('overlay').scrollIntoViewIfNeeded();
    await screenshot(page, 'ui-race-scripted');

    await page.getByRole('button', { name: 'Batches' }).click();
    await expect.poll(() => chart.getAttribute('data-axis')).toBe('batches');
    await expect
      .poll(async () => {
        const [g, c] = await ends();
        return g === c;
      })
      .toBe(true); // same settings, same batches
    await page.getByRole('button', { name: 'Time' }).click();
    await expect.poll(() => chart.getAttribute('data-axis')).toBe('time');

    await page.emulateMedia({ colorScheme: 'dark' });
    await expect
      .poll(() => page.evaluate('getComputedStyle(document.documentElement).backgroundColor'))
      .toBe('rgb(15, 17, 22)');
    await screenshot(page, 'ui-race-scripted-dark');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('never puts a run on a software GPU in the headline, and names its adapter as testing only', async () => {
    const adapter = { vendor: 'google', name: 'SwiftShader Device (Subzero)', api: 'Vulkan', software: true };
    const swiftshader = {
      ...fakeRecord('20260302-100000000-gpu-0000a1', 'gpu', '2026-03-02T10:00:00Z', 90_000),
      engine: { engine: 'webgpu', device: 'gpu', backend: 'webgpu', version: '4.22.0', adapter },
    } as const;
    const { page } = await open({ records: [history[0], swiftshader] });
    await expect
      .poll(() => page.getByTestId('speedup').innerText())
      .toMatch(/GPU run on .*software GPU \(testing only\) is not compared: a software adapter is for testing only/);
    expect(await page.getByTestId('history-row').first().innerText()).toContain('software GPU (testing only)');
    await page.close();
  });

  it('queues a second run visibly and runs them one after the other', async () => {
    // The scripted runs move only when told: what is on screen at each step cannot depend on the machine's load.
    const main = createFakeMain({ records: history });
    const { page, errors } = await openAppPage(app.browser, app.url, main, { width: 1360, height: 900 });
    await page.getByLabel('Epochs').fill('1');
    await page.getByRole('button', { name: 'Compare: CPU, then GPU' }).click();
    await expect.poll(() => page.getByTestId('queue').innerText()).toMatch(/GPU/);
    main.advance(80);
    await expect
      .poll(async () => Number(await page.getByTestId('live-chart').getAttribute('data-points')))
      .toBeGreaterThan(3);
    await screenshot(page, 'ui-queue');
    await main.finish();
    await expect.poll(() => main.running()?.device).toBe('gpu');
    main.advance(16);
    await expect.poll(() => page.getByTestId('live').innerText()).toMatch(/GPU[\s\S]*training/);
    expect(await page.getByTestId('queue').count()).toBe(0);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByTestId('live-phase').innerText()).toBe('cancelled');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses invalid settings in the form, with the reason on the field', async () => {
    const { page, bridge } = await open({});
    await page.getByLabel('Momentum').fill('1.5');
    await page.getByLabel('Epochs').fill('0');
    await expect.poll(() => page.locator('#momentum-error').innerText()).toContain('below 1');
    expect(await page.locator('#epochs-error').innerText()).toContain('from 1 to 1,000');
    expect(await page.getByRole('button', { name: 'Train on CPU' }).isDisabled()).toBe(true);
    await screenshot(page, 'ui-invalid-settings', { fullPage: false });
    await page.getByRole('button', { name: 'Reference defaults' }).click();
    expect(await page.getByRole('button', { name: 'Train on CPU' }).isEnabled()).toBe(true);
    expect(bridge.calls.filter((c) => c.channel === 'training:start')).toEqual([]);
    await page.close();
  });

  it('sends a chosen data folder with the run', async () => {
    const { page, bridge } = await open({});
    // No history, no GPU change: the empty panel says "yet", naming the GPU once the devices report has come.
    await expect
      .poll(() => page.getByTestId('live-chart').innerText())
      .toMatch(/^No run yet\. Press Train on CPU, Train on GPU, or Compare/);
    await page.getByRole('button', { name: 'Choose folder…' }).click();
    await expect.poll(() => page.getByText('fashion-mnist').count()).toBe(1);
    expect(await page.getByTestId('dataset-source').innerText()).toBe('idx files (.gz)');
    await screenshot(page, 'ui-chosen-data-folder');
    await page.getByLabel(/^Images/).fill('500');
    await page.getByRole('button', { name: 'Train on CPU' }).click();
    await expect
      .poll(() => bridge.calls.find((c) => c.channel === 'training:start')?.arg)
      .toEqual({
        device: 'cpu',
        epochs: 5,
        batchSize: 64,
        lr: 0.001,
        momentum: 0.9,
        seed: 42,
        limit: 500,
        dataDir: '/home/user/data/fashion-mnist',
      });
    await page.close();
  });

  it('keeps a long run cheap: 20,000 progress events become one bounded chart', async () => {
    const { page } = await open({});
    await expect.poll(() => page.getByTestId('device-cpu').count()).toBe(1);
    // Straight into the page's event listeners, as fast as they can be dispatched.
    await page.evaluate(`(() => {
      const emit = (ev) => globalThis.__athanorEmit('training:event', ev);
      const queue = { running: { id: 'long', device: 'cpu' }, queued: [] };
      emit({ kind: 'started', id: 'long', device: 'cpu', queue });
      const total = 20000;
      for (let step = 1; step <= total; step++) {
        const epoch = Math.ceil(step / 1000);
        emit({ kind: 'progress', id: 'long', progress: { epoch, epochs: 20, batch: step - (epoch - 1) * 1000,
          batchesPerEpoch: 1000, step, totalSteps: total + 1, loss: 2.3 * Math.exp(-step / 4000) + 0.05,
          imagesPerSecond: 5000, elapsedMs: step * 10, etaMs: (total + 1 - step) * 10 } });
        if (step % 100 === 0) emit({ kind: 'loss-window', id: 'long', window: { epoch, batch: step - (epoch - 1) * 1000, meanLoss: 2.3 * Math.exp(-step / 4000) } });
      }
    })()`);
    await expect.poll(() => page.getByTestId('live-stats').innerText()).toMatch(/EPOCH\s+20 \/ 20/i);
    const points = Number(await page.getByTestId('live-chart').getAttribute('data-points'));
    expect(points).toBeGreaterThan(500);
    expect(points).toBeLessThanOrEqual(1200);
    expect(Number(await page.getByTestId('live-chart').getAttribute('data-windows'))).toBe(200);
    await page.close();
  });

  it('shows a damaged-history banner, and why an export failed', async () => {
    const notice =
      'history.json could not be read and was moved to history.corrupt-2026-03-02.json; a new history was started';
    const { page } = await open({
      records: history,
      notice,
      exportFails: 'the disk is full (ENOSPC); no file was left behind',
    });
    await expect
      .poll(() => page.getByTestId('history-notice').innerText())
      .toContain('history.corrupt-2026-03-02.json');
    await page.getByTestId('history-row').first().getByRole('button', { name: 'Export…' }).click();
    await page.getByLabel(/safetensors/).check();
    await page.getByRole('button', { name: 'Save as…' }).click();
    await expect.poll(() => page.getByTestId('export-result').innerText()).toContain('Export failed: the disk is full');
    await screenshot(page, 'ui-export-failed', { fullPage: false });
    await page.close();
  });

  it("a save still being written when its dialog closes reports as a notice, never in another run's dialog", async () => {
    let release = () => {};
    const { page, errors } = await open({
      records: history,
      exportWait: () => new Promise<void>((r) => (release = r)),
    });
    const rows = page.getByTestId('history-row');
    const dialog = page.getByRole('dialog', { name: 'Export weights' });
    await rows.nth(0).getByRole('button', { name: 'Export…' }).click();
    await dialog.getByRole('button', { name: 'Save as…' }).click();
    await expect.poll(() => dialog.getByRole('button', { name: 'Saving…' }).isDisabled()).toBe(true);
    // Closing does not stop the write, so the button no longer says Cancel.
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await rows.nth(1).getByRole('button', { name: 'Export…' }).click();
    await dialog.waitFor({ state: 'visible' });
    const second = await dialog.innerText();
    expect(second).toContain('Save as…');
    expect(second).not.toContain('Saving…');
    release();
    const first = page.getByTestId('notices').getByText(/Weights exported/);
    await expect.poll(() => first.count()).toBe(1);
    const firstId = (await rows.nth(0).getAttribute('data-id'))!;
    expect(await page.getByTestId('notices').innerText()).toContain(`/home/user/mnist_cnn-${firstId}.pth`);
    expect(await dialog.getByTestId('export-result').count()).toBe(0);
    expect(await dialog.getByRole('button', { name: 'Save as…' }).isEnabled()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says how many mistakes a poor run made when its kept list is capped: "500 of 3,960"', async () => {
    const poor = fakeRecord('20260302-091600000-gpu-000003', 'gpu', '2026-03-02T09:16:00Z', 3_000);
    // 600 right and 44 wrong of each class: 3,960 wrong; the run kept the 500 most confident (MAX_MISTAKES).
    const confusion = Array.from({ length: 10 }, (_, t) => Array.from({ length: 10 }, (_, p) => (p === t ? 600 : 44)));
    const mistakes = Array.from({ length: 500 }, (_, i) => ({
      index: i,
      label: 0,
      predicted: 1,
      probability: 0.9 - i / 1000,
    }));
    poor.evaluation = { ...poor.evaluation!, accuracy: 0.6024, count: 9960, confusion, mistakes };
    poor.accuracy = 0.6024;
    const { page, errors } = await open({ records: [history[0], poor] });
    await expect.poll(() => page.getByTestId('mistake-count').innerText()).toBe('(500 of 3,960)');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens About from the menu event, with the version and engines', async () => {
    const { page, bridge } = await open({ records: history });
    await expect.poll(() => page.getByTestId('device-cpu').count()).toBe(1);
    bridge.emit('menu:about');
    await expect
      .poll(() => page.getByTestId('about').innerText())
      .toMatch(/0\.1\.0[\s\S]*tfjs-node 4\.22\.0[\s\S]*CUDA \(tfjs-node-gpu\) 4\.22\.0/);
    await page.keyboard.press('Escape');
    // Escape closes About; only then may the next dialog open (two open dialogs would make the next lookup ambiguous).
    await expect.poll(() => page.getByTestId('about').isVisible()).toBe(false);
    bridge.emit('menu:export-weights');
    await expect.poll(() => page.getByRole('dialog').innerText()).toMatch(/Export weights[\s\S]*GPU run/);
    await page.close();
  });
});
