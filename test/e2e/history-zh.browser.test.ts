/**
 * The history, its speed-up headline, the loss-curve overlay and the export dialog in Simplified Chinese, at the
 * window's minimum size (900 x 600, electron/main/window.ts) in both themes: the words are the catalogue's, and the
 * Chinese text fits where the English did. Each state is saved as a screenshot.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppPage } from './harness/app-page';
import { useAppServer } from './harness/app-server';
import { createFakeMain, fakeRecord } from './harness/fake-handlers';
import { eachTheme } from './harness/layout-fit';

const app = useAppServer('history-zh');

const history = [
  fakeRecord('20260302-091200000-cpu-000001', 'cpu', '2026-03-02T09:12:00Z', 43_800),
  fakeRecord('20260302-091400000-gpu-000002', 'gpu', '2026-03-02T09:14:00Z', 3_050),
];

describe('the history in Chinese at 900 x 600', () => {
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    const main = createFakeMain({ language: 'zh-CN', records: history });
    ({ page, errors } = await openAppPage(app.browser, app.url, main, { width: 900, height: 600 }));
  });

  afterAll(async () => {
    await page?.close();
  });

  it('heads the table, says the speed-up and overlays two ticked runs in Chinese, and fits', async () => {
    const panel = page.getByTestId('history');
    await expect.poll(() => page.getByTestId('history-row').count()).toBe(2);
    expect(await panel.getByRole('heading', { level: 2 }).innerText()).toBe('历史记录');
    expect(await panel.getByRole('columnheader').allInnerTexts()).toEqual(
      expect.arrayContaining(['时间', '设备 · 引擎', '用时', '张/秒', '准确率', '状态']),
    );
    expect(await page.getByTestId('speedup').innerText()).toMatch(
      // The figure on one line, and no space between the verdict and its full-width bracket.
      /^[\d.]+ 倍\s+GPU 训练速度是 CPU 的 [\d.]+ 倍（批大小 64）/,
    );
    expect(await page.getByTestId('speedup-batch').innerText()).toBe('（批大小 64）');
    for (const box of await page.getByRole('checkbox', { name: /^选择 .+ 的 (CPU|GPU) 训练$/ }).all())
      await box.check();
    await expect.poll(() => page.getByTestId('overlay').innerText()).toMatch(/^损失曲线\s+2 次训练，已平滑/);
    await eachTheme(page, 'zh-history', 900);
  });

  it('opens the export dialog in Chinese, and it fits', async () => {
    await page.getByTestId('history-row').first().getByRole('button', { name: '导出…' }).click();
    const dialog = page.getByRole('dialog', { name: '导出权重' });
    await expect.poll(() => dialog.count()).toBe(1);
    expect(await dialog.getByTestId('export-name-rule').innerText()).toMatch(/^保存为 \.pth：/);
    expect(await dialog.getByRole('button').allInnerTexts()).toEqual(['取消', '另存为…']);
    await eachTheme(page, 'zh-export-dialog', 900);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
