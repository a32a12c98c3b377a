import { describe, expect, it } from 'vitest';
import type { Agreement } from '../../electron/shared/agreement';
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
    expect(settingName('testLimit')).toBe('testLimit');
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
