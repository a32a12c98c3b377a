/**
 * The app in Simplified Chinese (issue 17), in real Chromium against a scripted main that speaks zh-CN: at the
 * window's minimum size (900 x 600), in both themes, every state shows no English word a translator should have
 * caught (what it shows of the user's data, hardware and engine names stays as it is), passes axe-core's WCAG 2.1 A
 * and AA rules with `lang="zh-CN"`, and is screenshotted (test-results/screenshots/zh-*.png). A switch from the menu
 * while the page is open rebuilds it in the other language and keeps the history, the settings and a finished run.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../electron/shared/ipc-contract';
import { setLanguage, t } from '../../electron/shared/i18n';
import { openAppPage, type AppPage } from './harness/app-page';
import { runAxe } from './harness/axe';
import { useAppServer } from './harness/app-server';
import { setScheme } from './harness/keyboard';
import { createFakeMain, fakeRecord, type FakeMain } from './harness/fake-handlers';
import { screenshot } from './harness/screenshots';
import { sweepBothSides } from '../services/sweep-fixtures';

const site = useAppServer('zh-cn');
const MINIMUM = { width: 900, height: 600 };
const SWEEPS = [sweepBothSides('20260302-100000000-sweep-00000c', '2026-03-02T10:00:00.000Z')];

function history(): RunRecord[] {
  return [
    fakeRecord('20260302-091600000-gpu-000003', 'gpu', '2026-03-02T09:16:00Z', 3_000),
    fakeRecord('20260302-091200000-cpu-000001', 'cpu', '2026-03-02T09:12:00Z', 43_800),
  ];
}

/**
 * Words that are names, not language: the product, the data set, engines, APIs, formats, units and the fixtures'
 * hardware. Anything else in Latin letters on a Chinese page was left untranslated.
 */
const NAMES = new Set(
  (
    'Athanor MNIST Fashion CPU GPU CUDA cuDNN WebGPU WebGL wasm tfjs node gpu tensorflow PyTorch TensorFlow ONNX ' +
    'safetensors pth pt json bin onnx csv html SGD ReLU NVIDIA SXM GB PCIe SSE AMD EPYC Core Processor Vulkan ' +
    'Chromium SwiftShader Dawn Metal Direct OpenGL libtensorflow Intel Apple CNN CSV HTML Net onnxruntime ms img GiB MiB KiB MB Linux linux idx torchvision npz mnist cnn ETA'
  ).split(' '),
);

/** Every Latin word the page shows or speaks (text, aria-*, title, placeholder, alt) that is not a name. */
async function englishWords(page: Page): Promise<string[]> {
  const texts = (await page.evaluate(`(() => {
    const out = [document.body.innerText];
    for (const el of document.querySelectorAll('*')) {
      for (const a of ['aria-label', 'aria-description', 'aria-roledescription', 'aria-valuetext', 'title', 'placeholder', 'alt']) {
        const v = el.getAttribute(a);
        if (v) out.push(v);
      }
    }
    return out;
  })()`)) as string[];
  const words = texts
    .join('\n')
    .replace(/\b\d{8}-\d{9}-(cpu|gpu|sweep)-[0-9a-f]{6}\b/g, '') // run ids
    .replace(/\b[\w.-]+\.(pth|pt|json|onnx|safetensors|csv|html|bin)\b/g, '') // file names
    .replace(/\b\w+(?:[._]\w+)+\b/g, '') // code: load_state_dict, tf.loadLayersModel, TensorFlow.js
    .replace(/\b(conv|fc)\d\/(kernel|bias)\b/g, '') // the network's tensors
    .split(/[^A-Za-z]+/)
    .filter((w) => w.length >= 2 && !NAMES.has(w));
  return [...new Set(words)].sort();
}

/** No English, no axe violation, nothing wider than the window, in both themes; a screenshot of each. */
async function checkState(page: Page, state: string): Promise<void> {
  expect({ state, english: await englishWords(page) }).toEqual({ state, english: [] });
  expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
  // The layout holds at the minimum size: nothing makes the page scroll sideways.
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(MINIMUM.width);
  for (const scheme of ['light', 'dark'] as const) {
    await setScheme(page, scheme);
    await screenshot(page, `zh-${state}-${scheme}`);
    const report = await runAxe(page);
    expect({ state, scheme, violations: report.violations }).toEqual({ state, scheme, violations: [] });
  }
  await setScheme(page, 'light');
}

describe('the app in Simplified Chinese at its minimum size', () => {
  let app: AppPage;
  let main: FakeMain;

  beforeAll(async () => {
    setLanguage('zh-CN'); // the test's own t() reads the Chinese the page should show
    main = createFakeMain({ records: history(), sweeps: SWEEPS, language: 'zh-CN' });
    app = await openAppPage(site.browser, site.url, main, MINIMUM);
  });

  afterAll(async () => {
    setLanguage('en');
    await app?.page.close();
  });

  it('first start, with a history and a saved sweep', async () => {
    await expect.poll(() => app.page.getByTestId('device-gpu').count()).toBe(1);
    await expect.poll(() => app.page.getByTestId('history-row').count()).toBe(2);
    await checkState(app.page, 'start');
    expect(app.errors).toEqual([]);
  });

  it('a comparison training, then finished: progress, results, the model to try', async () => {
    const { page, bridge } = app;
    await page.locator('.controls .btn.wide').click();
    await expect.poll(() => page.getByTestId('queue').count()).toBe(1);
    main.advance(1000);
    bridge.emit('training:event', {
      kind: 'epoch',
      id: main.running()!.id,
      summary: { epoch: 1, meanLoss: 0.412, ms: 8_800, imagesPerSecond: 6_800 },
    });
    await expect.poll(() => page.getByTestId('epochs').count()).toBe(1);
    await checkState(page, 'training');
    main.finish();
    await expect.poll(() => main.running()?.device).toBe('gpu');
    main.finish();
    await expect.poll(() => page.getByTestId('results').count()).toBe(1);
    await checkState(page, 'finished');
  });

  it('the export dialog and the About box', async () => {
    const { page } = app;
    await page.getByTestId('history-row').first().locator('.actions .btn').first().click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(1);
    await checkState(page, 'export');
    await page.keyboard.press('Escape');
    await page.locator('.topbar .about').click();
    await expect.poll(() => page.getByTestId('about').isVisible()).toBe(true);
    await checkState(page, 'about');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });

  it('two ticked History rows: how far apart they ended', async () => {
    const { page } = app;
    const rows = page.getByTestId('history-row');
    for (const i of [2, 3]) await rows.nth(i).getByRole('checkbox').check();
    await expect.poll(() => page.getByTestId('history').getByTestId('agreement-verdict').count()).toBe(1);
    await checkState(page, 'agreement');
    for (const i of [2, 3]) await rows.nth(i).getByRole('checkbox').uncheck();
  });

  it('switching to English from the menu rebuilds the page in English and keeps what it showed', async () => {
    const { page, bridge } = app;
    const rows = await page.getByTestId('history-row').count();
    bridge.emit('app:language', { language: 'en', chosen: 'en', system: 'zh-CN' });
    await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe('en');
    await expect.poll(() => page.locator('.controls .btn.wide').innerText()).toBe('Compare: CPU, then GPU');
    expect(await page.getByTestId('history-row').count()).toBe(rows);
    expect(await page.getByTestId('results').count()).toBe(1);
    bridge.emit('app:language', { language: 'zh-CN', chosen: null, system: 'zh-CN' });
    await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    expect(await page.locator('.controls .btn.wide').innerText()).toBe(t('settings.controls.compare'));
    expect(app.errors).toEqual([]);
  });
});
