import { afterEach, describe, expect, it } from 'vitest';
import type { Agreement } from '../../electron/shared/agreement';
import { setLanguage } from '../../electron/shared/i18n';
import { formatGap, formatPercent, formatWhen } from '../../renderer/src/lib/format';
import {
  matchingPairs,
  orderPair,
  problemText,
  settingName,
  settingsDifference,
  unlikeText,
  verdictText,
} from '../../renderer/src/lib/agreement-words';
import { makeRecord, REFERENCE_SETTINGS } from './fixtures';

const cpu = makeRecord({ id: 'c', device: 'cpu', startedAt: '2026-01-01T10:00:00.000Z' });
const gpu = makeRecord({ id: 'g', device: 'gpu', startedAt: '2026-01-01T10:05:00.000Z' });
const otherSeed = makeRecord({
  id: 's',
  device: 'gpu',
  settings: { ...REFERENCE_SETTINGS, device: 'gpu', seed: 7, batchSize: 128 },
});

function agreement(over: Partial<Agreement>): Agreement {
  return {
    differentSettings: [],
    weights: [
      { name: 'conv1/kernel', maxAbsDiff: 2e-7, maxAbs: 0.5 },
      { name: 'dense2/bias', maxAbsDiff: 1e-7, maxAbs: 0.25 },
    ],
    maxWeightDiff: 2e-7,
    loss: { epoch: 1, batch: 200, gap: 1e-6, windows: 46 },
    accuracy: [0.9799, 0.9798],
    ...over,
  };
}

describe('agreement words', () => {
  it('name the determining settings two runs differ in as the form labels them, device and engine aside', () => {
    expect(settingsDifference(cpu, gpu)).toEqual([]);
    expect(settingsDifference(cpu, otherSeed)).toEqual(['Batch size', 'Seed']);
    expect(settingName('testLimit')).toBe('Test images');
    expect(unlikeText(['Batch size', 'Seed'])).toMatch(/^These runs differ in batch size and seed, so /);
    expect(unlikeText(['Epochs', 'Batch size', 'Seed'])).toMatch(/^These runs differ in epochs, batch size and seed,/);
  });

  it('word each reason the figures cannot be had, naming the run at fault', () => {
    const records = [cpu, gpu];
    expect(problemText({ code: 'no-weights', id: 'g', status: 'failed' }, records)).toBe(
      'The GPU run of 2026-01-01 10:05 has no stored weights to compare: only finished runs keep them (it ended failed).',
    );
    expect(problemText({ code: 'run-unknown', id: 'x' }, records)).toBe('Run x is no longer in the history.');
    expect(problemText({ code: 'weights-unreadable', id: 'c', detail: 'missing' }, records)).toMatch(
      /^The CPU run of .*'s stored weights cannot be read \(missing\)/,
    );
    expect(problemText({ code: 'same-run' }, records)).toBe('These are the same run.');
  });

  it('pair each GPU run with each CPU run of the same settings, both with weights; the CPU run first', () => {
    const noWeights = makeRecord({ id: 'n', device: 'cpu', hasWeights: false });
    expect(matchingPairs([gpu, otherSeed, cpu, noWeights]).map(([a, b]) => [a.id, b.id])).toEqual([['c', 'g']]);
    expect(matchingPairs([cpu, makeRecord({ id: 'c2', device: 'cpu' })])).toEqual([]);
    expect(orderPair(gpu, cpu).map((r) => r.id)).toEqual(['c', 'g']);
    const later = makeRecord({ id: 'l', device: 'cpu', startedAt: '2026-01-02T10:00:00.000Z' });
    expect(orderPair(later, cpu).map((r) => r.id)).toEqual(['c', 'l']);
  });

  it('say the runs agree when the gaps are rounding, or the accuracy is the same, and not otherwise', () => {
    expect(verdictText(agreement({}))).toEqual({
      agree: true,
      text: 'They agree: the weights differ by at most 2.0e-7, rounding beside weights up to 0.5.',
    });
    expect(verdictText(agreement({ maxWeightDiff: 0.01 }))).toEqual({
      agree: true,
      text: 'They agree in accuracy (97.99% and 97.98%); their weights drifted 0.01 apart, as rounding grows over a run.',
    });
    expect(verdictText(agreement({ maxWeightDiff: 0.3, accuracy: [0.98, 0.62] }))).toEqual({
      agree: false,
      text: 'They do not agree: weights up to 0.3 apart and accuracies 36.00% apart.',
    });
    expect(verdictText(agreement({ maxWeightDiff: Number.POSITIVE_INFINITY })).agree).toBe(false);
  });
});

describe('agreement words in Chinese', () => {
  afterEach(() => setLanguage('en'));

  it('name the settings as the Chinese form does, listed with 、 and 和', () => {
    setLanguage('zh-CN');
    expect(settingsDifference(cpu, otherSeed)).toEqual(['批大小', '随机种子']);
    expect(settingName('testLimit')).toBe('测试图像数');
    expect(settingName('notASetting')).toBe('notASetting');
    expect(unlikeText(['轮数', '批大小', '随机种子'])).toBe(
      '这两次训练的轮数、批大小和随机种子不同，结果相差多少说明不了引擎之间的差异。' +
        '请勾选设置和随机种子都相同的两次训练（“对比”训练的就是这样一对）。',
    );
  });

  it('word each problem, naming the run at fault and its end as its badge does', () => {
    setLanguage('zh-CN');
    const records = [cpu, gpu];
    expect(problemText({ code: 'no-weights', id: 'g', status: 'failed' }, records)).toBe(
      `${formatWhen(gpu.startedAt)} 的 GPU 训练没有可供比较的已保存权重：只有完成的训练才会保存权重（其结束状态：失败）。`,
    );
    expect(problemText({ code: 'no-weights', id: 'c', status: 'running' }, records)).toMatch(/（它仍在训练）。$/);
    expect(problemText({ code: 'run-unknown', id: 'x' }, records)).toBe('编号为 x 的训练已不在历史记录中。');
    expect(problemText({ code: 'weights-unreadable', id: 'c', detail: 'missing' }, records)).toBe(
      `${formatWhen(cpu.startedAt)} 的 CPU 训练保存的权重无法读取（missing），因此无法计算这些数值。`,
    );
    expect(problemText({ code: 'same-run' }, records)).toBe('这是同一次训练。');
  });

  it('give the verdict in Chinese with the same figures', () => {
    setLanguage('zh-CN');
    expect(verdictText(agreement({})).text).toBe(
      `两者一致：权重最多相差 ${formatGap(2e-7)}，而权重最大约为 ${formatGap(0.5)}，这只是舍入误差。`,
    );
    expect(verdictText(agreement({ maxWeightDiff: 0.3, accuracy: [0.98, 0.62] }))).toEqual({
      agree: false,
      text: `两者不一致：权重最多相差 ${formatGap(0.3)}，准确率相差 ${formatPercent(0.36)}。`,
    });
    expect(verdictText(agreement({ maxWeightDiff: 0.3, accuracy: [0.98, null] })).text).toBe(
      `两者不一致：权重最多相差 ${formatGap(0.3)}。`,
    );
  });
});
