import { describe, expect, it } from 'vitest';
import { CHANCE_LOSS, EXPLODED_LOSS, explosion, STUCK_LOSS, stuckAtChance, WINDOWS_TO_LEARN } from '../../electron/training/divergence';

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
    expect(explosion(1.7121037565317164e+24, at)).toBe(
      'training diverged: the loss reached 1.71e+24, more than 10 x ln 10 = 23.0 at epoch 1, batch 37: try a lower learning rate');
    expect(explosion(26.6, at)).toMatch(/reached 26\.6, more than/);
    expect(explosion(NaN, at)).toBe('training diverged: the loss became NaN at epoch 1, batch 37: try a lower learning rate');
    expect(explosion(Infinity, at)).toMatch(/became infinite/);
  });

  it('calls the 5th 100-batch window still within 2% of ln 10 stuck; never an earlier one', () => {
    const at = { epoch: 2, batch: 300 };
    expect(stuckAtChance(5, 2.336, at)).toBe('training is not learning: the mean loss of batches 201-300 of epoch 2 is 2.336, ' +
      'still chance level (ln 10 = 2.303) after 500 batches: try another learning rate');
    expect(stuckAtChance(5, 2.257, at)).not.toBeNull();
    expect(stuckAtChance(5, 2.25, at)).toBeNull();
    // The tutorial's own first window (2.268) is near chance: judging it would stop every good run.
    expect(stuckAtChance(1, 2.268, at)).toBeNull();
    expect(stuckAtChance(4, 2.31, at)).toBeNull();
    expect(stuckAtChance(6, 2.31, at)).toBeNull();
  });
});
