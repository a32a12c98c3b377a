import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../electron/shared/i18n';
import { epochAnnouncement, phaseAnnouncement, predictionAnnouncement } from '../../renderer/src/lib/announce';
import { makeRecord } from './fixtures';
import type { RunRecord } from '../../electron/shared/ipc-contract';
import type { Reason } from '../../electron/shared/reasons';

describe('what a screen reader hears about a run', () => {
  it('names the device and the phase while the run is under way', () => {
    expect(phaseAnnouncement('cpu', 'starting', null)).toBe('CPU run starting');
    expect(phaseAnnouncement('gpu', 'training', null)).toBe('GPU run training');
    expect(phaseAnnouncement('cpu', 'evaluating', null)).toBe('CPU run testing the trained model');
    expect(phaseAnnouncement('cpu', 'finished', null)).toBe('CPU run finished');
  });

  it("says how a run ended: its accuracy, or main's reason without saying the status twice", () => {
    expect(phaseAnnouncement('cpu', 'finished', makeRecord({ id: 'a', device: 'cpu', accuracy: 0.9812 }))).toBe(
      'CPU run done: test accuracy 98.12%',
    );
    const cancelled = makeRecord({ id: 'b', device: 'cpu', status: 'cancelled', message: 'cancelled by the user' });
    expect(phaseAnnouncement('cpu', 'finished', cancelled)).toBe('CPU run cancelled by the user');
    const failed = makeRecord({ id: 'c', device: 'gpu', status: 'failed', message: 'the GPU page crashed.' });
    expect(phaseAnnouncement('gpu', 'finished', failed)).toBe('GPU run failed: the GPU page crashed');
    expect(phaseAnnouncement('gpu', 'finished', { ...failed, status: 'diverged', message: null })).toBe(
      'GPU run diverged',
    );
  });

  it("words a run's end from its code: the status word once, whatever the words", () => {
    const row = (status: RunRecord['status'], reason: Reason) =>
      makeRecord({ id: 'd', device: 'cpu', status, message: null, reason });
    expect(
      phaseAnnouncement('cpu', 'finished', row('cancelled', { code: 'run-cancelled', step: 0, totalSteps: 4690 })),
    ).toBe('CPU run cancelled after 0 of 4690 batches');
    expect(phaseAnnouncement('cpu', 'finished', row('cancelled', { code: 'run-cancelled-before-start' }))).toBe(
      'CPU run cancelled before it started',
    );
    expect(phaseAnnouncement('cpu', 'finished', row('cancelled', { code: 'run-stopped' }))).toBe(
      'CPU run cancelled: the training process was stopped',
    );
    expect(phaseAnnouncement('cpu', 'finished', row('failed', { code: 'worker-exited', exitCode: 134 }))).toBe(
      'CPU run failed: the training process exited unexpectedly with code 134',
    );
    // A row from before codes: its words as they were, the status word not doubled.
    const old = makeRecord({
      id: 'e',
      device: 'cpu',
      status: 'cancelled',
      message: 'cancelled after 9 of 300 batches',
    });
    expect(phaseAnnouncement('cpu', 'finished', old)).toBe('CPU run cancelled after 9 of 300 batches');
  });

  it('says the last finished epoch with its mean loss, and nothing before the first', () => {
    expect(epochAnnouncement([], 5)).toBe('');
    const epochs = [1, 2].map((epoch) => ({ epoch, meanLoss: 0.9 / epoch, ms: 1000, imagesPerSecond: 60 }));
    expect(epochAnnouncement(epochs, 5)).toBe('Epoch 2 of 5 done, mean loss 0.450');
    expect(epochAnnouncement(epochs, null)).toBe('Epoch 2 done, mean loss 0.450');
  });

  it('says the predicted digit in whole percents, after the picked image', () => {
    const p = [0.01, 0.02, 0.01, 0.904, 0.01, 0.01, 0.016, 0.01, 0.01, 0.01];
    expect(predictionAnnouncement(p, null)).toBe('Prediction: 3, 90%');
    expect(predictionAnnouncement(p, 'Test image 42, a 3')).toBe('Test image 42, a 3. Prediction: 3, 90%');
    expect(predictionAnnouncement(null, 'Test image 42, a 3')).toBe('');
  });
});

describe('what a screen reader hears, in Chinese', () => {
  beforeEach(() => setLanguage('zh-CN'));
  afterEach(() => setLanguage('en'));

  it('says the phase, the accuracy, the epoch and the prediction in Chinese sentences', () => {
    expect(phaseAnnouncement('gpu', 'starting', null)).toBe('GPU 训练正在开始');
    expect(phaseAnnouncement('cpu', 'evaluating', null)).toBe('CPU 训练正在用测试集评估模型');
    expect(phaseAnnouncement('cpu', 'finished', makeRecord({ id: 'a', device: 'cpu', accuracy: 0.9812 }))).toBe(
      'CPU 训练完成：测试集准确率 98.12%',
    );
    const epochs = [1, 2].map((epoch) => ({ epoch, meanLoss: 0.9 / epoch, ms: 1000, imagesPerSecond: 60 }));
    expect(epochAnnouncement(epochs, 5)).toBe('第 2 轮（共 5 轮）完成，平均损失 0.450');
    expect(epochAnnouncement(epochs, null)).toBe('第 2 轮完成，平均损失 0.450');
    const p = [0.01, 0.02, 0.01, 0.904, 0.01, 0.01, 0.016, 0.01, 0.01, 0.01];
    expect(predictionAnnouncement(p, null)).toBe('预测：3，90%');
    expect(predictionAnnouncement(p, '测试图像 42')).toBe('测试图像 42。预测：3，90%');
  });
});
