import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../electron/shared/i18n';
import { formatRate } from '../../renderer/src/lib/format';
import {
  NOT_MEASURED,
  STATUS_LOOK,
  endMessage,
  joinSentences,
  noCurveText,
  notMeasuredWhy,
  secondsPerEpochText,
  sentence,
  sentenceGap,
  timedEpoch,
  timedProgress,
  timedTraining,
  trainingTimeText,
} from '../../renderer/src/lib/run-figures';
import { REFERENCE_CONFIG } from '../../electron/shared/schema/settings';
import { computeSpeedup } from '../../renderer/src/lib/speedup';
import { makeRecord } from './fixtures';

const timings = (trainingMs: number) => ({
  engineStartMs: 5,
  dataLoadMs: 40,
  warmupMs: 80,
  trainingMs,
  evaluationMs: 30,
});

/** What main stores for a run whose only batch was the warm-up: a loop of a fraction of a millisecond, nothing timed. */
const oneBatch = (id: string, device: 'cpu' | 'gpu') =>
  makeRecord({
    id,
    device,
    trainImages: 64,
    timings: timings(0.37),
    secondsPerEpoch: 0.00037,
    imagesPerSecond: 0,
    epochs: [{ epoch: 1, meanLoss: 2.31, ms: 0.37, imagesPerSecond: 0 }],
    settings: { ...REFERENCE_CONFIG, device, epochs: 1, batchSize: 64, lr: 0.01, momentum: 0.5, seed: 3, limit: 64 },
  });

describe('what a run measured', () => {
  it('says n/a, as the CLI does, for the rate and times of a run that timed no batch', () => {
    const r = oneBatch('one', 'cpu');
    expect(timedTraining(r)).toBe(false);
    expect(formatRate(r.imagesPerSecond)).toBe(NOT_MEASURED);
    expect(trainingTimeText(r)).toBe('n/a');
    expect(secondsPerEpochText(r)).toBe('n/a');
    expect(secondsPerEpochText(r, ' s')).toBe('n/a');
  });

  it('prints the figures of a run that timed its batches, the same digits in Results and History', () => {
    const r = makeRecord({
      id: 'two',
      device: 'cpu',
      timings: timings(12_345),
      secondsPerEpoch: 6.1725,
      imagesPerSecond: 1_234.6,
    });
    expect(timedTraining(r)).toBe(true);
    expect(trainingTimeText(r)).toBe('12 s');
    expect(secondsPerEpochText(r)).toBe('6.17');
    expect(secondsPerEpochText(r, ' s')).toBe('6.17 s');
    expect(formatRate(r.imagesPerSecond)).toBe('1,235 img/s');
  });

  it('tells a run that never trained (–) from one that trained untimed (n/a)', () => {
    const failed = makeRecord({
      id: 'f',
      device: 'gpu',
      status: 'failed',
      timings: null,
      secondsPerEpoch: null,
      imagesPerSecond: null,
      trainImages: 0,
    });
    expect(trainingTimeText(failed)).toBe('–');
    expect(secondsPerEpochText(failed)).toBe('–');
    expect(formatRate(failed.imagesPerSecond)).toBe('–');
    // Cancelled during its first epoch: timed batches, but no epoch to average.
    const cancelled = makeRecord({
      id: 'c',
      device: 'cpu',
      status: 'cancelled',
      timings: timings(900),
      secondsPerEpoch: null,
      imagesPerSecond: 5_000,
    });
    expect([trainingTimeText(cancelled), secondsPerEpochText(cancelled)]).toEqual(['0.9 s', '–']);
  });

  it('counts rows from before rates were stored as timed when their loop took time', () => {
    expect(
      timedTraining(makeRecord({ id: 'old', device: 'cpu', imagesPerSecond: null, timings: timings(3_000) })),
    ).toBe(true);
    expect(timedTraining(makeRecord({ id: 'old0', device: 'cpu', imagesPerSecond: null, timings: timings(0) }))).toBe(
      false,
    );
  });

  it('never prints a zero, negative or endless rate as a measurement', () => {
    expect(formatRate(0)).toBe('n/a');
    expect(formatRate(-3)).toBe('n/a');
    expect(formatRate(Number.POSITIVE_INFINITY)).toBe('n/a');
    expect(formatRate(Number.NaN)).toBe('–');
    expect(formatRate(null)).toBe('–');
    // A slow run is still a measurement, and never rounds to a zero.
    expect(formatRate(0.0437)).toBe('0.044 img/s');
    expect(formatRate(0.4)).toBe('0.4 img/s');
    expect(formatRate(9.96)).toBe('10 img/s');
    expect(formatRate(10.4)).toBe('10 img/s');
  });

  it('times an epoch, and a live report, only once a batch after the warm-up was timed', () => {
    expect(timedEpoch({ ms: 0.2, imagesPerSecond: 0 })).toBe(false);
    expect(timedEpoch({ ms: 840, imagesPerSecond: 7_100 })).toBe(true);
    // The first report comes after the warm-up batch: no time, no rate, so no ETA either (the loop sends 0).
    expect(timedProgress({ elapsedMs: 0, imagesPerSecond: 0 })).toBe(false);
    expect(timedProgress({ elapsedMs: 250, imagesPerSecond: 6_400 })).toBe(true);
  });
});

describe('how each end looks and reads', () => {
  it('gives done, cancelled, diverged and failed each a tone, a word and a meaning of its own', () => {
    const ends = (['done', 'cancelled', 'diverged', 'failed'] as const).map((s) => STATUS_LOOK[s]);
    for (const key of ['tone', 'word', 'meaning'] as const) expect(new Set(ends.map((l) => l[key])).size).toBe(4);
    expect(STATUS_LOOK.failed.tone).toBe('danger');
    expect(STATUS_LOOK.cancelled.tone).not.toBe(STATUS_LOOK.failed.tone);
  });

  it('says how a run without a curve ended instead of waiting for batches', () => {
    expect(noCurveText('failed')).toBe('Failed before its first batch finished: no loss curve.');
    expect(noCurveText('cancelled')).toMatch(/^Cancelled/);
    expect(noCurveText('running')).toMatch(/starts with the first finished batches/);
  });

  it("makes main's message a sentence without doubling its full stop", () => {
    expect(sentence('cancelled after 9 of 300 batches')).toBe('Cancelled after 9 of 300 batches.');
    expect(sentence('No MNIST files in /data/x.')).toBe('No MNIST files in /data/x.');
    expect(sentence('  ')).toBe('');
    // A run whose failure has a code is told in that code's words; main's own words otherwise, or none.
    expect(endMessage({ message: 'WebGL 2 is not available: ...', reason: { code: 'webgpu-missing' } })).toBe(
      'WebGPU is not available in this browser (no navigator.gpu)',
    );
    expect(endMessage({ message: 'cancelled after 9 of 300 batches' })).toBe('cancelled after 9 of 300 batches');
    expect(endMessage({ message: null })).toBeNull();
  });
});

describe('how each end reads in Chinese', () => {
  afterEach(() => setLanguage('en'));

  it("words the status, what it means and why a timing is n/a in the language of the moment, the table's too", () => {
    setLanguage('zh-CN');
    expect([STATUS_LOOK.failed.word, STATUS_LOOK.failed.heading, STATUS_LOOK.failed.meaning]).toEqual([
      '失败',
      '失败。',
      '训练因出错而中断：未评估，未保存权重。',
    ]);
    expect(STATUS_LOOK.cancelled.word).toBe('已取消');
    expect(noCurveText('failed')).toBe('第一批完成前已失败：没有损失曲线。');
    expect(notMeasuredWhy()).toBe('没有计时的批次：唯一的一批用于预热');
    setLanguage('en');
    expect([STATUS_LOOK.failed.word, STATUS_LOOK.failed.heading]).toEqual(['failed', 'Failed.']);
    expect(notMeasuredWhy()).toBe('no timed batch: the only one was the warm-up');
  });

  it('ends a Chinese reason with a full-width stop, and an English one as before, whatever the language', () => {
    setLanguage('zh-CN');
    expect(sentence('在 300 批中的第 9 批后取消')).toBe('在 300 批中的第 9 批后取消。');
    expect(sentence('GPU 页面崩溃了。')).toBe('GPU 页面崩溃了。');
    expect(sentence('cancelled after 9 of 300 batches')).toBe('Cancelled after 9 of 300 batches.');
  });

  it('puts no space between Chinese sentences, one after an English sentence, and leaves out empty ones', () => {
    expect(joinSentences(['Cancelled after 9 of 300 batches.', '', 'Stopped on request.'])).toBe(
      'Cancelled after 9 of 300 batches. Stopped on request.',
    );
    expect(joinSentences(['GPU 页面崩溃了。', '训练因出错而中断。'])).toBe('GPU 页面崩溃了。训练因出错而中断。');
    expect(joinSentences(['The GPU page crashed.', '训练因出错而中断。', 'x'])).toBe(
      'The GPU page crashed. 训练因出错而中断。x',
    );
    expect([sentenceGap('失败。'), sentenceGap('Failed.'), joinSentences([])]).toEqual(['', ' ', '']);
  });
});

describe('the speed-up headline', () => {
  it('never compares runs that timed no batch: their ~0 ms would make any ratio', () => {
    const s = computeSpeedup([oneBatch('c1', 'cpu'), { ...oneBatch('g1', 'gpu'), startedAt: '2026-01-01T10:05:00Z' }]);
    expect(s.kind).toBe('need-gpu');
    // One timed CPU run with the same settings is still not enough without a timed GPU run.
    const cpu = { ...oneBatch('c2', 'cpu'), timings: timings(3_000), imagesPerSecond: 21, secondsPerEpoch: 3 };
    expect(computeSpeedup([cpu, { ...oneBatch('g1', 'gpu'), startedAt: '2026-01-01T10:05:00Z' }]).kind).toBe(
      'need-gpu',
    );
  });
});
