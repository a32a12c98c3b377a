/** The HTML report in the language the app speaks: its <html lang>, headings, rows and sweep, in English and Chinese. */
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../electron/shared/i18n';
import {
  engineLabel,
  formatGap,
  formatInteger,
  formatPercent,
  formatRate,
  formatSpeedup,
} from '../../renderer/src/lib/format';
import { reportHtml, statusText, type ReportInput } from '../../renderer/src/lib/report-html';
import { makeRecord } from './fixtures';

const point = (batchSize: number, msPerStep: number) => ({
  batchSize,
  msPerStep,
  imagesPerSecond: batchSize / (msPerStep / 1000),
});
const input = (): ReportInput => ({
  app: { name: 'Athanor', version: '0.1.0', platform: 'linux' },
  generatedAt: new Date('2026-12-03T12:00:00.000Z'),
  devices: {
    cpu: { model: 'Intel Xeon', cores: 2, memoryGiB: 24 },
    gpus: [{ name: 'NVIDIA A100', memoryMiB: 40960, driver: '535.183.01', cuda: '12.2' }],
    adapters: [],
  } as unknown as ReportInput['devices'],
  runs: [
    makeRecord({
      id: 'r1',
      device: 'cpu',
      evaluation: { count: 300, perClassAccuracy: [1, 0.5, 1, 1, 1, 1, 1, 1, 1, 1] } as never,
      curve: [{ step: 1, loss: 2.3 }],
    }),
  ],
  agreements: [
    {
      a: 'r1',
      b: 'r2',
      agreement: {
        differentSettings: ['lr', 'seed'],
        weights: [{ name: 'conv1.weight', maxAbsDiff: 0.5, maxAbs: 2 }],
        maxWeightDiff: 0.5,
        loss: { epoch: 1, batch: 300, gap: 0.25, windows: 1 },
        accuracy: [0.98, 0.97],
      },
    },
  ],
  sweeps: [
    {
      engine: { engine: 'wasm', device: 'cpu', backend: 'wasm', version: '4.22.0' },
      points: [point(16, 4), point(64, 16)],
    },
    {
      engine: { engine: 'tfjs-node-gpu', device: 'gpu', backend: 'tensorflow', version: '4.22.0' },
      points: [point(16, 8), point(64, 8)],
    },
  ],
});
/** The text of the report with its tags taken out and spaces made single, to read as a person does. */
const text = (html: string) =>
  html
    .replace(/<style>[^]*?<\/style>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

afterEach(() => setLanguage('en'));

describe('the report in the language the app speaks', () => {
  it('is English, as it was, with lang="en"', () => {
    const html = reportHtml(input());
    expect(html).toContain('<html lang="en">');
    const words = text(html);
    expect(words).toContain('Athanor 0.1.0 on Linux · 1 run');
    expect(words).toContain(
      'Machine CPU Intel Xeon, 2 cores, 24 GiB GPU NVIDIA A100, 40,960 MiB, driver 535.183.01, CUDA 12.2',
    );
    expect(words).toContain(`Test accuracy ${formatPercent(0.98)} of 300 images`);
    expect(words).toContain('One loss report (2.300 at batch 1): no curve to draw.');
    expect(words).toContain('These runs differ in learning rate and seed: their gaps are not a comparison of engines.');
    expect(words).toContain(`Largest loss gap ${formatGap(0.25)} at epoch 1, batch 300 (1 window compared)`);
    expect(words).toContain('engine batch 16 batch 64');
    expect(words).toContain(`${formatRate(4000)} 4.0 ms a step`);
    expect(words).toContain(
      `${engineLabel(input().sweeps![1].engine)}: faster than the CPU from a batch of 64; ${formatSpeedup(2)} the CPU's rate at the tutorial's batch of 64`,
    );
  });

  it('is Chinese, with lang="zh-CN", when the app speaks Chinese', () => {
    setLanguage('zh-CN');
    const html = reportHtml(input());
    expect(html).toContain('<html lang="zh-CN">');
    const words = text(html);
    expect(words).toContain('Athanor 0.1.0，运行于 Linux · 1 次训练');
    expect(words).toContain(
      `硬件 CPU Intel Xeon，2 核，24 GiB GPU NVIDIA A100，${formatInteger(40960)} MiB，驱动 535.183.01，CUDA 12.2`,
    );
    expect(words).toContain('状态 已完成');
    expect(words).toContain(`测试集准确率 ${formatPercent(0.98)}（共 300 张图像）`);
    expect(words).toContain('各数字的准确率 数字 0 1');
    expect(words).toContain('一致性 CPU 训练 r1（–） 训练 r2');
    expect(words).toContain('这两次训练的学习率和随机种子不同：它们之间的差距不能用来比较引擎。');
    expect(words).toContain(`最大损失差 ${formatGap(0.25)}，在第 1 轮第 300 批次（比较了 1 个窗口）`);
    expect(words).toContain(`测试集准确率 ${formatPercent(0.98)} 和 ${formatPercent(0.97)}`);
    expect(words).toContain('批大小扫描');
    expect(words).toContain('引擎 批大小 16 批大小 64');
    expect(words).toContain('每步 4.0 ms');
    expect(words).toContain(
      `${engineLabel(input().sweeps![1].engine)}：从批大小 64 起比 CPU 快；在教程所用的批大小 64 下是 CPU 速度的 ${formatSpeedup(2)}`,
    );
    expect(statusText(makeRecord({ id: 'a', device: 'cpu', status: 'cancelled' }))).toBe('已取消');
  });
});
