/** The Scaling view's words in Simplified Chinese, and skipped sizes worded from their codes in both languages. */
import { afterEach, describe, expect, it } from 'vitest';
import type { SweepSide } from '../../electron/shared/ipc-contract';
import { describeSkipped } from '../../electron/shared/describe-skipped';
import { setLanguage, t } from '../../electron/shared/i18n';
import { formatInteger, formatSpeedup } from '../../renderer/src/lib/format';
import {
  formatMsPerStep,
  parseBatchSizes,
  progressText,
  sweepChartLabel,
  sweepEndAnnouncement,
  sweepReportNote,
  sweepRows,
  sweepVerdict,
} from '../../renderer/src/lib/sweep-view';
import { sweepPoint, sweepRecord } from '../services/sweep-fixtures';

const cpu: SweepSide = {
  device: 'cpu',
  engine: { engine: 'wasm', device: 'cpu', backend: 'wasm', version: '4.22.0' },
  hardware: 'AMD EPYC',
  points: [sweepPoint(16, 4000), sweepPoint(64, 5000)],
  skipped: [{ batchSize: 4096, reason: 'too-few-images', limit: 2000 }],
};
const gpu: SweepSide = {
  device: 'gpu',
  engine: {
    engine: 'webgpu',
    device: 'gpu',
    backend: 'webgpu',
    version: '4.22.0',
    adapter: { vendor: 'nvidia', name: 'NVIDIA A100', api: 'Vulkan', software: false },
  },
  hardware: 'NVIDIA A100',
  points: [sweepPoint(16, 2000), sweepPoint(64, 6000)],
  skipped: [{ batchSize: 4096, reason: 'engine-limit', engine: 'webgpu', limit: 2048 }],
};

afterEach(() => setLanguage('en'));

describe('a skipped size, worded from its code', () => {
  it('reads the same English the sweep wrote before it kept codes, and words an older sweep as it saved them', () => {
    expect(describeSkipped({ batchSize: 64, reason: 'cancelled' })).toBe('cancelled');
    expect(describeSkipped(gpu.skipped[0])).toBe('more than the webgpu engine can hold (2048)');
    expect(describeSkipped(cpu.skipped[0])).toBe('more than the 2000 images loaded');
    expect(describeSkipped({ batchSize: 8, reason: 'more than the 5 images loaded' })).toBe(
      'more than the 5 images loaded',
    );
    expect(sweepRows([cpu, gpu])[2]).toMatchObject({
      batchSize: 4096,
      cpuNote: 'more than the 2000 images loaded',
      gpuNote: 'more than the webgpu engine can hold (2048)',
    });
  });

  it('in Chinese', () => {
    setLanguage('zh-CN');
    expect(describeSkipped({ batchSize: 64, reason: 'cancelled' })).toBe('已取消');
    expect(sweepRows([cpu, gpu])[2]).toMatchObject({
      cpuNote: '超过已加载的 2000 张图像',
      gpuNote: '超出 webgpu 引擎的上限（2048）',
    });
  });
});

describe('the Scaling view in Chinese', () => {
  it('says what is wrong with the sizes typed', () => {
    setLanguage('zh-CN');
    expect(parseBatchSizes('')).toEqual({ problem: '请至少填写一个批大小。' });
    expect(parseBatchSizes(Array.from({ length: 17 }, (_, i) => i + 1).join(','))).toEqual({
      problem: '最多 16 个批大小，现在有 17 个。',
    });
    expect(parseBatchSizes('6.4')).toEqual({
      problem: `“6.4”不是有效的批大小：每个批大小须为 1 到 ${formatInteger(60000)} 之间的整数。`,
    });
    expect(parseBatchSizes('64 16 64')).toEqual({ problem: '64 重复出现了。' });
  });

  it('gives the verdict and the announcement as Chinese sentences, with no space between them', () => {
    setLanguage('zh-CN');
    const verdict = `GPU 从批大小 64 起超过 CPU。在教程所用的批大小 64 下，GPU 每秒训练的图像数是 CPU 的 ${formatSpeedup(1.2)}。`;
    expect(sweepVerdict([cpu, gpu])).toBe(verdict);
    const software = { ...gpu, engine: { ...gpu.engine!, adapter: { ...gpu.engine!.adapter!, software: true } } };
    expect(sweepVerdict([cpu, software])).toBe(`${verdict}这些是软件适配器的数据（仅供测试），并非 GPU 的性能。`);
    const record = sweepRecord('20261203-120000000-sweep-00000a', '2026-12-03T12:00:00.000Z');
    expect(sweepEndAnnouncement({ ...record, status: 'done', sides: [cpu, gpu] })).toBe(`扫描完成。${verdict}`);
    expect(sweepEndAnnouncement({ ...record, status: 'cancelled' })).toBe('扫描已取消');
  });

  it('words the progress, the steps of a saved sweep and the chart for a screen reader', () => {
    setLanguage('zh-CN');
    const base = { sizes: [16, 64, 256, 1024], devices: ['cpu', 'gpu'] as ('cpu' | 'gpu')[] };
    expect(progressText({ ...base, sides: [], device: 'gpu', engine: null, doneHere: 1 })).toBe(
      'GPU 上的批大小 64（第 2 项，共 8 项）',
    );
    const record = sweepRecord('20261203-120000000-sweep-00000a', '2026-12-03T12:00:00.000Z');
    expect(sweepReportNote(record)).toMatch(/ · 每个批大小预热 2 步后计时 5 步 · 失败$/);
    expect(sweepChartLabel([{ ...gpu, points: [] }, cpu])).toBe(
      `每秒图像数随批大小的变化：GPU · WebGPU：未计时任何批大小；CPU · wasm（后备）：批大小 16 时 ${formatInteger(4000)}，批大小 64 时 ${formatInteger(5000)}`,
    );
  });

  it('keeps the English chart label, step note and milliseconds as they were', () => {
    expect(sweepChartLabel([cpu])).toBe(
      'Images per second against batch size: CPU · wasm (fallback) 4,000 at 16, 5,000 at 64',
    );
    const record = sweepRecord('20261203-120000000-sweep-00000a', '2026-12-03T12:00:00.000Z');
    expect(sweepReportNote({ ...record, request: { ...record.request, timedSteps: 1, warmupSteps: 0 } })).toMatch(
      / · 1 timed step after 0 warm-up steps a size · failed$/,
    );
    expect([3.456, 12.34, 1234.5].map(formatMsPerStep)).toEqual(['3.46 ms', '12.3 ms', '1235 ms']);
    expect(t('scaling.sizesNote', { timed: 5, warmup: 2 })).toBe(
      'Batch sizes, by commas. Each is timed for 5 steps after 2 warm-up steps; runs wait while a sweep times, and it waits for them.',
    );
  });
});
