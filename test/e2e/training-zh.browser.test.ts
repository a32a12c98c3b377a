/**
 * The settings form, the training controls and the current run in Simplified Chinese, at the window's smallest size
 * (900 x 600, electron/main/window.ts) in both themes: their words come from the zh-CN catalogue, and the longer or
 * differently shaped Chinese lines still fit their boxes. Each state is saved as a screenshot to look at.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppPage } from './harness/app-page';
import { useAppServer } from './harness/app-server';
import { createFakeMain, fakeRecord, type FakeMain } from './harness/fake-handlers';
import { eachTheme } from './harness/layout-fit';

const app = useAppServer('training-zh');

describe('training in Chinese at 900 x 600', () => {
  let page: Page;
  let main: FakeMain;
  let errors: string[];

  beforeAll(async () => {
    const records = [fakeRecord('20260302-091200000-cpu-000001', 'cpu', '2026-03-02T09:12:00Z', 43_800)];
    main = createFakeMain({ language: 'zh-CN', records });
    ({ page, errors } = await openAppPage(app.browser, app.url, main, { width: 900, height: 600 }));
  });

  afterAll(async () => {
    await page?.close();
  });

  it('words the form, the controls and the empty run panel in Chinese, and says what a bad field accepts', async () => {
    await expect.poll(() => page.getByRole('heading', { name: '设置' }).count()).toBe(1);
    expect(await page.getByTestId('live-chart').innerText()).toMatch(
      /^当前没有训练。点击“在 CPU 上训练”、“在 GPU 上训练”，或点击“对比”比比谁更快。/,
    );
    await page.getByLabel('轮数').fill('0');
    await page.getByLabel('动量').fill('1.5');
    await expect.poll(() => page.locator('#epochs-error').innerText()).toBe('须为 1 到 1,000 之间的整数');
    expect(await page.locator('#momentum-error').innerText()).toBe('须不小于 0 且小于 1');
    expect(await page.getByRole('button', { name: '在 CPU 上训练' }).isDisabled()).toBe(true);
    expect(await page.getByRole('region', { name: '训练', exact: true }).innerText()).toContain(
      '请先修正上方的设置，再开始训练。',
    );
    await eachTheme(page, 'zh-invalid-settings', 900);
    await page.getByRole('button', { name: '恢复参考默认值' }).click();
    expect(await page.getByRole('button', { name: '在 CPU 上训练' }).isEnabled()).toBe(true);
  });

  it('shows a run training with another queued, its figures and chart in Chinese', async () => {
    await page.getByRole('button', { name: '对比：先 CPU，后 GPU' }).click();
    await expect.poll(() => page.getByTestId('queue').innerText()).toMatch(/排队中[\s\S]*GPU[\s\S]*训练/);
    main.advance(120);
    await expect.poll(() => page.getByTestId('live-steps').innerText()).toMatch(/^已完成 \d+ \/ [\d,]+ 个批次$/);
    expect(await page.getByTestId('live-phase').innerText()).toBe('训练中');
    expect(await page.getByTestId('live-stats').innerText()).toMatch(/轮次[\s\S]*批次[\s\S]*本轮内[\s\S]*吞吐量/);
    expect(await page.getByTestId('live-throughput').innerText()).toMatch(/张\/秒$/);
    expect(await page.getByRole('button', { name: '从队列中移除 GPU 训练' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: '取消' }).count()).toBe(1);
    await eachTheme(page, 'zh-training', 900);
    await main.finish();
    await expect.poll(() => main.running()?.device).toBe('gpu');
    await page.getByRole('button', { name: '取消' }).click();
    await expect.poll(() => main.running()).toBe(null);
    expect(errors).toEqual([]);
  });
});
