/**
 * The app shell and the Devices panel in Simplified Chinese at the window's smallest size (900 x 600, as
 * layout.browser.test.ts), in both themes: a machine with only a software renderer and the CPU on the fallback
 * engine, so every kind of words shows (badges, reasons, advice), the history banner and the About box. The words are
 * checked as values, the panel and the dialog measured for text that spills, and each state saved as a screenshot.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevicesReport } from '../../electron/shared/ipc-contract';
import { openAppPage } from './harness/app-page';
import { useAppServer } from './harness/app-server';
import { createFakeMain, GPU_DEVICES } from './harness/fake-handlers';
import { setScheme } from './harness/keyboard';
import { screenshot } from './harness/screenshots';

const app = useAppServer('shell-zh');

const SWIFTSHADER = { vendor: 'google', name: 'SwiftShader Device (Subzero)', api: 'Vulkan', software: true };
const WASM = { engine: 'wasm', device: 'cpu', backend: 'wasm', version: '4.22.0' } as const;
const softwareOnly = { code: 'software-adapter', api: 'WebGPU', adapter: SWIFTSHADER.name } as const;
const SOFTWARE_ONLY: DevicesReport = {
  ...GPU_DEVICES,
  gpus: [],
  gpuDetectionNote: { code: 'nvidia-smi-missing' },
  engines: {
    cpu: {
      device: 'cpu',
      available: true,
      engine: WASM,
      reason: { code: 'cpu-fallback', engine: 'wasm', cause: { code: 'fallback-asked' } },
    },
    gpu: { device: 'gpu', available: false, engine: null, reason: { code: 'no-gpu-engine' } },
  },
  gpuEngines: {
    cuda: { device: 'gpu', available: false, engine: null, reason: { code: 'nvidia-smi-missing' } },
    webgpu: { device: 'gpu', available: false, engine: null, reason: softwareOnly, adapter: SWIFTSHADER },
    webgl: { device: 'gpu', available: false, engine: null, reason: { code: 'webgl-unavailable' } },
  },
  adapters: [SWIFTSHADER],
};

/** Runs in the page: each element of `selector` whose text is wider than its box, or that sticks out of the window. */
const SPILLS = (selector: string) => `(() => {
  const vw = document.documentElement.clientWidth;
  const found = [];
  if (document.documentElement.scrollWidth > vw) found.push('page is ' + document.documentElement.scrollWidth + ' px wide');
  for (const box of document.querySelectorAll(${JSON.stringify(selector)})) {
    for (const el of [box, ...box.querySelectorAll('*')]) {
      const r = el.getBoundingClientRect();
      if (r.width === 0) continue;
      if (getComputedStyle(el).overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
        found.push((el.innerText || el.tagName).slice(0, 40) + ': ' + el.scrollWidth + ' in ' + el.clientWidth);
      if (r.left < -0.5 || r.right > vw + 0.5) found.push((el.innerText || el.tagName).slice(0, 40) + ' outside the window');
    }
  }
  return found;
})()`;

describe('the shell and the Devices panel in Chinese, at 900 x 600', () => {
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    const main = createFakeMain({ language: 'zh-CN', devices: SOFTWARE_ONLY, notice: 'history.json was unreadable' });
    ({ page, errors } = await openAppPage(app.browser, app.url, main, { width: 900, height: 600 }));
  });

  afterAll(async () => {
    await page?.close();
  });

  it('words the top bar, the banner and every device, reason and piece of advice in Chinese', async () => {
    await expect.poll(() => page.getByTestId('device-gpu').count()).toBe(1);
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    expect(await page.locator('.topbar').innerText()).toMatch(/MNIST CNN · CPU 与 GPU 对比\s*关于/);
    // Chinese has no italics: the empty state's button names stand upright.
    expect(
      await page
        .locator('em')
        .first()
        .evaluate((e) => getComputedStyle(e).fontStyle),
    ).toBe('normal');
    expect(await page.getByTestId('history-notice').innerText()).toMatch(
      /^历史记录：\s*history\.json was unreadable\s*知道了$/,
    );
    const cpu = await page.getByTestId('device-cpu').innerText();
    expect(cpu).toContain('16 核 · 125.7 GiB 内存');
    expect(cpu).toContain('后备引擎（wasm）');
    expect(await page.getByTestId('cpu-reason').innerText()).toBe('使用后备引擎（wasm，较慢）：指定使用了后备引擎');
    expect(await page.getByTestId('device-gpu').innerText()).toContain(
      '未找到 GPU（只有软件渲染器 SwiftShader Device (Subzero)）',
    );
    expect(await page.getByTestId('gpu-reason-webgpu').innerText()).toBe(
      'WebGPU 唯一的适配器是 SwiftShader Device (Subzero)，这是在 CPU 上运行的软件渲染器，不是 GPU：请安装或更新显卡驱动',
    );
    expect(await page.getByTestId('gpu-reason-cuda').innerText()).toBe('未找到 NVIDIA GPU（未安装 nvidia-smi）');
    expect(await page.getByTestId('gpu-reason').innerText()).toBe(
      '没有可在此训练的 GPU 引擎：Chromium 只找到了软件渲染器（未使用任何 GPU 驱动）：请安装或更新显卡驱动，然后点击“重新检测”。',
    );
    expect(await page.getByRole('list', { name: 'GPU 引擎' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: '重新检测' }).count()).toBe(1);
    for (const scheme of ['light', 'dark'] as const) {
      await setScheme(page, scheme);
      await screenshot(page, `zh-shell-900-${scheme}`);
      expect({ scheme, spills: await page.evaluate(SPILLS('.topbar, .banner, [data-testid="devices"]')) }).toEqual({
        scheme,
        spills: [],
      });
    }
  });

  it('words the About box in Chinese, its GPU engine with the reason', async () => {
    await page.getByRole('button', { name: '关于' }).click();
    const dialog = page.getByRole('dialog', { name: '关于 Athanor' });
    await expect.poll(() => dialog.count()).toBe(1);
    const facts = await page.getByTestId('about').innerText();
    expect(facts).toMatch(/版本\s+\S+/);
    expect(facts).toMatch(/平台\s+Linux\s/);
    expect(facts).toMatch(/CPU 引擎\s+/);
    expect(facts).toContain('GPU 引擎');
    expect(facts).toContain('不可用：此处没有可运行的 GPU 引擎：WebGPU、WebGL 和 CUDA 各自的原因见“设备”面板');
    expect(await dialog.innerText()).toContain('225,034 个参数');
    for (const scheme of ['light', 'dark'] as const) {
      await setScheme(page, scheme);
      await screenshot(page, `zh-about-900-${scheme}`, { fullPage: false });
      expect({ scheme, spills: await page.evaluate(SPILLS('[role="dialog"]')) }).toEqual({ scheme, spills: [] });
    }
    await dialog.getByRole('button', { name: '关闭' }).first().click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
