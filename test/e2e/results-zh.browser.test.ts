/**
 * Results and Try the model in Simplified Chinese, at the window's smallest size (900 x 600, electron/main/window.ts)
 * in both themes: a finished comparison's figures, the agreement of its two runs and a run's mistakes, each worded
 * from the zh-CN catalogue and fitting its panel. Buttons of other panels are found by their place, not their words,
 * so this file does not depend on how those panels word them.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppPage } from './harness/app-page';
import { useAppServer } from './harness/app-server';
import { createFakeMain, fakeRecord, type FakeMain } from './harness/fake-handlers';
import { eachTheme } from './harness/layout-fit';

const app = useAppServer('results-zh');

/** 600 right and 44 wrong of each digit; the run kept 500 mistakes, all zeros taken for ones. */
function poorRun() {
  const poor = fakeRecord('20260302-091600000-gpu-000003', 'gpu', '2026-03-02T09:16:00Z', 3_000);
  const confusion = Array.from({ length: 10 }, (_, t) => Array.from({ length: 10 }, (_, p) => (p === t ? 600 : 44)));
  const mistakes = Array.from({ length: 500 }, (_, i) => ({ index: i, label: 0, predicted: 1, probability: 0.9 }));
  poor.evaluation = { ...poor.evaluation!, accuracy: 0.6024, count: 9960, confusion, mistakes };
  poor.accuracy = 0.6024;
  return poor;
}

describe('Results and Try the model in Chinese, at 900 x 600', () => {
  let page: Page;
  let main: FakeMain;
  let errors: string[];

  beforeAll(async () => {
    main = createFakeMain({ language: 'zh-CN', records: [poorRun()] });
    ({ page, errors } = await openAppPage(app.browser, app.url, main, { width: 900, height: 600 }));
  });

  afterAll(async () => {
    await page?.close();
  });

  it("words a finished comparison's figures and the agreement of its runs in Chinese", async () => {
    const results = page.getByTestId('results');
    // Compare (the controls' wide button): the CPU run, then the GPU run.
    await page.locator('.controls .btn.wide').click();
    await main.finish();
    await expect.poll(() => main.running()?.device).toBe('gpu');
    await main.finish();
    await expect.poll(() => results.getByTestId('accuracy').count()).toBe(1);
    expect(await results.locator('h2').innerText()).toBe('结果');
    expect(await results.locator('.kpi dt').allInnerTexts()).toEqual([
      '测试集准确率',
      '训练用时',
      '每轮用时',
      '吞吐量',
      '最后一批的损失',
    ]);
    expect(await results.locator('.kpi.main dd.sub').innerText()).toMatch(/^基于 [\d,]+ 张测试图像$/);
    expect(await results.getByTestId('per-epoch').innerText()).toMatch(/^\d+\.\d\d 秒$/);
    expect(await results.locator('h3').first().innerText()).toBe('各数字的准确率');
    const agreement = results.getByTestId('agreement');
    expect(await agreement.locator('h3').innerText()).toBe('两边的计算一致吗？');
    await expect.poll(() => agreement.getByTestId('agreement-verdict').innerText()).toMatch(/^两者/);
    expect(await agreement.locator('caption').innerText()).toBe('各权重张量的最大绝对差');
    await results.evaluate((el) => el.scrollIntoView());
    await eachTheme(page, 'zh-results', 900);
    expect(errors).toEqual([]);
  });

  it("shows a run's mistakes in Chinese, and names a picked one as the model's input", async () => {
    const tryPanel = page.getByTestId('try');
    expect(await tryPanel.locator('h2').innerText()).toBe('试用模型');
    expect(await page.getByTestId('draw-pad').getAttribute('aria-label')).toBe(
      '手写板：用鼠标、触控笔或手指写一个数字，或在下方选一张测试图像',
    );
    await page.getByTestId('try-run').selectOption('20260302-091600000-gpu-000003');
    await page.getByRole('tab', { name: /^错分样本/ }).click();
    expect(await page.getByTestId('mistake-count').innerText()).toBe('（500 / 3,960）');
    // Full-width brackets take no space before them.
    expect(await page.getByRole('tab', { name: /^错分样本/ }).innerText()).toBe('错分样本（500 / 3,960）');
    await page.getByTestId('samples').getByRole('button', { name: '查看 44 张真实为 2、预测为 5 的测试图像' }).click();
    expect(await page.getByTestId('cell-filter').innerText()).toBe('真实 2，预测 5');
    expect(await page.getByTestId('samples').locator('.empty').innerText()).toBe('保留的错分样本中没有这一类。');
    await page.getByTestId('samples').getByRole('button', { name: '查看 44 张真实为 0、预测为 1 的测试图像' }).click();
    await expect.poll(() => page.getByRole('button', { name: '显示更多（还剩 476 张）' }).count()).toBe(1);
    const first = page.getByTestId('mistake').first().getByRole('button');
    expect(await first.getAttribute('aria-label')).toMatch(/^用测试图像 0（数字 0，被认成 1）试用模型$/);
    await first.click();
    expect(await page.getByTestId('try-source').innerText()).toBe('测试图像 0，数字 7');
    expect(await page.getByTestId('try-input').locator('..').getAttribute('aria-label')).toBe(
      '测试图像 0，数字 7，即模型收到的输入：28x28',
    );
    await tryPanel.evaluate((el) => el.scrollIntoView());
    await eachTheme(page, 'zh-mistakes', 900);
    expect(errors).toEqual([]);
  });
});
