/**
 * How a run ends, as codes with data: each one is stored in a history row as its code (never as English), read back
 * as it was, and worded once (describe-reason.ts), in the words users saw when the ends were sentences.
 */
import { describe, expect, it } from 'vitest';
import { describeReason, describeRunEnd } from '../../electron/shared/describe-reason';
import { checkRecord } from '../../electron/shared/schema/rows';
import type { RunRecord } from '../../electron/shared/ipc-contract';
import { makeRecord } from '../services/fixtures';
import { RUN_END_EXAMPLES } from './run-end-examples';

const ID = '20250102-030405678-cpu-a1b2c3';

/** A row as the history file holds it: through JSON and the row check, as the app reads it back. */
const readBack = (row: object): RunRecord => checkRecord(JSON.parse(JSON.stringify(row)));

describe('the ways a run ends', () => {
  it.each(Object.values(RUN_END_EXAMPLES).map((e) => [e.reason.code, e] as const))(
    '%s: stored in the row as its code, read back as it was, worded once',
    (_code, { reason, words }) => {
      expect(describeReason(reason)).toBe(words);
      const row = readBack({ ...makeRecord(ID), status: 'failed', message: null, reason });
      expect(row.reason).toEqual(reason);
      expect(describeRunEnd(row)?.words).toBe(words);
    },
  );

  it('a loss that became NaN or infinite is kept as such in JSON, not as null', () => {
    const nan = { code: 'loss-exploded', epoch: 1, batch: 2, loss: 'NaN', limit: 23.025850929940457 } as const;
    const row = readBack({ ...makeRecord(ID), status: 'diverged', message: null, reason: nan });
    expect(row.reason).toEqual(nan);
    expect(describeRunEnd(row)?.words).toBe(
      'training diverged: the loss became NaN at epoch 1, batch 2: try a lower learning rate',
    );
    expect(describeReason({ ...nan, loss: 'Infinity' })).toMatch(/the loss became infinite at epoch 1/);
    expect(() => readBack({ ...makeRecord(ID), status: 'diverged', reason: { ...nan, loss: null } })).toThrow(
      /^reason must be a reason/,
    );
  });

  it('says whether the words already name how the run ended, from the code', () => {
    const says = (reason: RunRecord['reason']) =>
      describeRunEnd({ status: 'cancelled', message: null, reason })?.saysStatus;
    expect(says(RUN_END_EXAMPLES['run-cancelled'].reason)).toBe(true);
    expect(says(RUN_END_EXAMPLES['run-cancelled-before-start'].reason)).toBe(true);
    expect(says(RUN_END_EXAMPLES['run-stopped'].reason)).toBe(false);
    // "training diverged: the loss reached ...": a diverged run is not announced as "diverged: training diverged".
    expect(says(RUN_END_EXAMPLES['loss-exploded'].reason)).toBe(true);
    expect(says(RUN_END_EXAMPLES['loss-stuck'].reason)).toBe(false); // "training is not learning": the status adds to it
    expect(describeRunEnd({ status: 'done', message: null })).toBeNull();
  });

  it('a row written before run ends were codes reads back and shows its words as before', () => {
    // As versions before codes wrote them: `message` only, no `reason`.
    const cancelled = readBack({
      ...makeRecord(ID),
      status: 'cancelled',
      message: 'cancelled after 9 of 300 batches',
    });
    expect(cancelled.reason).toBeUndefined();
    expect(describeRunEnd(cancelled)).toEqual({ words: 'cancelled after 9 of 300 batches', saysStatus: true });
    const crashed = readBack({
      ...makeRecord(ID),
      status: 'failed',
      message: 'the training process exited unexpectedly with code 134',
    });
    expect(describeRunEnd(crashed)).toEqual({
      words: 'the training process exited unexpectedly with code 134',
      saysStatus: false,
    });
    const diverged = readBack({
      ...makeRecord(ID),
      status: 'diverged',
      message: 'training diverged: the loss became NaN at epoch 1, batch 4: try a lower learning rate',
    });
    expect(describeRunEnd(diverged)?.saysStatus).toBe(true);
  });
});
