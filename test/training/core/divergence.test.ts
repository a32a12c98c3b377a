import { describe, expect, it } from 'vitest';
import {
  CHANCE_LOSS,
  EXPLODED_LOSS,
  explosion,
  STUCK_LOSS,
  stuckAtChance,
  WINDOWS_TO_LEARN,
} from '../../../electron/training/core/divergence';
import { describeReason } from '../../../electron/shared/describe-reason';
import { checkedReason, type Reason } from '../../../electron/shared/reasons';

const said = (reason: Reason | null) => (reason ? describeReason(reason) : null);

describe('the divergence rule', () => {
  it('rests on chance level: ln 10 for 10 classes', () => {
    expect(CHANCE_LOSS).toBeCloseTo(2.302585, 6);
    expect(EXPLODED_LOSS).toBeCloseTo(23.02585, 4);
    expect(STUCK_LOSS).toBeCloseTo(2.256533, 5);
    expect(WINDOWS_TO_LEARN).toBe(5);
  });

  it('calls a loss above 10 x ln 10, NaN or infinite an explosion, naming where', () => {
    const at = { epoch: 1, batch: 37 };
    expect(explosion(2.31, at)).toBeNull();
    expect(explosion(23.0, at)).toBeNull();
    // The example: --lr 10 printed a 100-batch mean of 1.7e24 and then "Finished Training".
    expect(said(explosion(1.7121037565317164e24, at))).toBe(
      'training diverged: the loss reached 1.71e+24, more than 10 x ln 10 = 23.0 at epoch 1, batch 37: try a lower learning rate',
    );
    expect(said(explosion(26.6, at))).toMatch(/reached 26\.6, more than/);
    expect(said(explosion(NaN, at))).toBe(
      'training diverged: the loss became NaN at epoch 1, batch 37: try a lower learning rate',
    );
    expect(said(explosion(Infinity, at))).toMatch(/became infinite/);
  });

  it('gives the explosion as a code with its data, which JSON can hold', () => {
    const at = { epoch: 2, batch: 5 };
    expect(explosion(NaN, at)).toEqual({
      code: 'loss-exploded',
      epoch: 2,
      batch: 5,
      loss: 'NaN',
      limit: EXPLODED_LOSS,
    });
    expect(explosion(-Infinity, at)).toMatchObject({ loss: 'Infinity' });
    expect(explosion(26.6, at)).toMatchObject({ loss: 26.6 });
    const stored = JSON.parse(JSON.stringify(explosion(Infinity, at))) as unknown;
    expect(checkedReason(stored)).toEqual({
      code: 'loss-exploded',
      epoch: 2,
      batch: 5,
      loss: 'Infinity',
      limit: EXPLODED_LOSS,
    });
  });

  const windows = (...losses: number[]) => losses.map((meanLoss, i) => ({ epoch: 1, batch: (i + 1) * 100, meanLoss }));

  it('calls a run stuck from its 5th window on, when still within 2% of ln 10 and no lower than 400 batches before', () => {
    // Measured at learning rate 1: never explodes, never learns.
    expect(said(stuckAtChance(windows(2.368, 2.332, 2.338, 2.339, 2.336)))).toBe(
      'training is not learning: the mean loss of ' +
        'batches 401-500 of epoch 1 is 2.336, still chance level (ln 10 = 2.303) and no lower than 400 batches before: ' +
        'try another learning rate',
    );
    // Judged again at every later window: noise that spared the 5th does not spare the run.
    expect(stuckAtChance(windows(2.368, 2.332, 2.338, 2.339, 2.331))).toBeNull();
    expect(said(stuckAtChance(windows(2.368, 2.332, 2.338, 2.339, 2.331, 2.335)))).toMatch(
      /batches 501-600 of epoch 1 is 2\.335/,
    );
  });

  it('lets a slow learner go on, and never judges the first 4 windows', () => {
    // Measured at learning rate 0.0001: near chance at 500 batches, but falling.
    expect(stuckAtChance(windows(2.303, 2.291, 2.279, 2.269, 2.257))).toBeNull();
    expect(stuckAtChance(windows(2.303, 2.291, 2.279, 2.269, 2.25))).toBeNull();
    // The tutorial's own first window (2.268) is near chance: judging it would stop every good run.
    expect(stuckAtChance(windows(2.268))).toBeNull();
    expect(stuckAtChance(windows(2.31, 2.31, 2.31, 2.31))).toBeNull();
    // Learned, then the loss went back up (not at chance): not this rule's business.
    expect(stuckAtChance(windows(0.5, 0.3, 0.2, 0.1, 0.4))).toBeNull();
  });
});
