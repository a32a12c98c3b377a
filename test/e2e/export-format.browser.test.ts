/**
 * What you choose is what you get: the format picked in the export dialog is the one written, whatever the typed
 * name ends in. A name that contradicts it (TF.js chosen, `tfjs.pth` typed) is refused with both formats named and
 * nothing written; the dialog stays open for another try, and a bare name gets the chosen format's extension. The
 * UI in Chromium over the real handlers and history store; the files are read back.
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOnnx } from '../../electron/training/export/onnx';
import { readTfjsArtifacts } from '../../electron/training/export/tfjs';
import { toTorch } from '../../electron/training/export/torch-layout';
import { WEIGHT_SPECS } from '../../electron/training/core/weights';
import { makeRecord } from '../renderer/fixtures';
import { openAppPage } from './harness/app-page';
import { launchChromium } from './harness/browser';
import { buildRenderer } from './harness/build-renderer';
import { createRealMain } from './harness/real-main';
import { screenshot } from './harness/screenshots';
import { serveFolder } from './harness/serve';

const ID = '20250102-030405678-cpu-0e0f01';
/** Every tensor of the network, each value distinct (its index), so a swapped or misplaced byte shows. */
let next = 0;
const MODEL = {
  weights: WEIGHT_SPECS.map((spec) => {
    const data = new Float32Array(spec.shape.reduce((a, b) => a * b, 1)).map(() => (next++ % 65_536) / 65_536 - 0.5);
    return { name: spec.name, shape: [...spec.shape], data };
  }),
  topology: { class_name: 'Sequential', config: { name: 'mnist_cnn' } },
};

let tmp: string;
let out: string;
let browser: Browser;
let server: Awaited<ReturnType<typeof serveFolder>>;
let main: Awaited<ReturnType<typeof createRealMain>>;
let page: Page;
let errors: string[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'athanor-e2e-export-'));
  out = join(tmp, 'exports');
  await mkdir(out);
  await buildRenderer(join(tmp, 'renderer'));
  server = await serveFolder(join(tmp, 'renderer'));
  main = await createRealMain(join(tmp, 'history'), { testLimit: 500 });
  await main.history.saveWeights(ID, MODEL);
  await main.history.put(
    makeRecord({
      id: ID,
      device: 'cpu',
      engine: { engine: 'wasm', device: 'cpu', backend: 'wasm', version: '4.22.0' },
    }),
  );
  browser = await launchChromium();
  ({ page, errors } = await openAppPage(browser, server.url, main, { width: 1280, height: 860 }));
});

afterAll(async () => {
  main?.runs.dispose();
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the export dialog writes the format it shows as chosen', () => {
  it('TF.js chosen and "tfjs.pth" typed: refused naming both, nothing written; "tfjs" then saves a TF.js model', async () => {
    await page.locator(`[data-testid="history-row"][data-id="${ID}"]`).getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export weights' });
    const rule = dialog.getByTestId('export-name-rule');
    expect(await rule.innerText()).toContain('Saves as .pth');
    await dialog.getByLabel(/TensorFlow\.js model/).check();
    await expect.poll(() => rule.innerText()).toContain('Saves as .json');

    main.dialogs.nextSavePath = join(out, 'tfjs.pth');
    await dialog.getByRole('button', { name: 'Save as…' }).click();
    await expect.poll(() => dialog.getByTestId('export-result').innerText()).toMatch(/^Export failed: /);
    expect(await dialog.getByTestId('export-result').innerText()).toBe(
      'Export failed: "tfjs.pth" ends in ".pth" (PyTorch state_dict), but the format chosen is TensorFlow.js model: nothing ' +
        'was written. Save it under a name ending in ".json", or choose PyTorch state_dict',
    );
    expect(await readdir(out)).toEqual([]);
    // Only the chosen format was offered to the native dialog.
    expect(main.dialogs.saveRequests.at(-1)).toMatchObject({
      defaultName: 'mnist_cnn.json',
      filters: [{ extensions: ['json'] }],
    });
    expect(main.dialogs.saveRequests.at(-1)!.filters).toHaveLength(1);
    await screenshot(page, 'export-format-refused', { fullPage: false });

    main.dialogs.nextSavePath = join(out, 'tfjs');
    await dialog.getByRole('button', { name: 'Save as…' }).click();
    await expect.poll(() => dialog.getByTestId('export-result').innerText()).toMatch(/^Saved \d+ KiB to /);
    expect(await dialog.getByTestId('export-result').innerText()).toContain(join(out, 'tfjs.json'));
    await screenshot(page, 'export-format-saved', { fullPage: false });

    const files = (await readdir(out)).sort();
    expect(files).toEqual([expect.stringMatching(/^tfjs\.[0-9a-f]{8}\.weights\.bin$/), 'tfjs.json']);
    const artifacts = await readTfjsArtifacts(join(out, 'tfjs.json'));
    expect(artifacts.weightSpecs.map((w) => [w.name, w.shape])).toEqual(MODEL.weights.map((w) => [w.name, w.shape]));
    const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    expect(Buffer.from(artifacts.weightData).equals(Buffer.concat(MODEL.weights.map((w) => bytes(w.data))))).toBe(true);
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(errors).toEqual([]);
  });

  it('ONNX chosen: the native dialog offers .onnx only, and the file is the network with these very weights', async () => {
    await page.locator(`[data-testid="history-row"][data-id="${ID}"]`).getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export weights' });
    await dialog.getByLabel(/ONNX model/).check();
    await expect.poll(() => dialog.getByTestId('export-name-rule').innerText()).toContain('Saves as .onnx');
    main.dialogs.nextSavePath = join(out, 'mnist_cnn');
    await dialog.getByRole('button', { name: 'Save as…' }).click();
    await expect.poll(() => dialog.getByTestId('export-result').innerText()).toMatch(/^Saved \d+ KiB to /);
    expect(main.dialogs.saveRequests.at(-1)).toMatchObject({
      defaultName: 'mnist_cnn.onnx',
      filters: [{ extensions: ['onnx'] }],
    });
    await screenshot(page, 'export-format-onnx', { fullPage: false });
    const model = await readOnnx(join(out, 'mnist_cnn.onnx'));
    const torch = toTorch(MODEL.weights);
    expect(model.graph!.initializer!.map((t) => t.name)).toEqual(torch.map((t) => t.name));
    model.graph!.initializer!.forEach((t, i) =>
      expect(Buffer.from(t.rawData!).equals(Buffer.from(torch[i].data.buffer)), t.name!).toBe(true),
    );
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(errors).toEqual([]);
  });
});
