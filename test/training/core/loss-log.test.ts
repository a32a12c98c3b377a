/**
 * The loss log on its own: one read a report, 100-batch windows as the reference prints them, an epoch's mean, and
 * divergence (an exploded reading is not added; a run stuck at chance is told at the window that shows it).
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LossLog } from '../../../electron/training/core/loss-log';
import { describeReason } from '../../../electron/shared/describe-reason';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const add = (log: LossLog, ...losses: number[]) => losses.forEach((l) => log.add(tf.scalar(l)));

describe('LossLog', () => {
  it('reads what was added since the last read, and closes a window at a log mark', async () => {
    const log = new LossLog();
    log.startEpoch();
    add(log, 2, 4);
    expect(await log.read(1, 2, false)).toEqual({ meanLoss: 3, window: null, diverged: null });
    expect(log.hasPending).toBe(false);
    add(log, 6);
    expect(await log.read(1, 3, true)).toEqual({
      meanLoss: 6,
      window: { epoch: 1, batch: 3, meanLoss: 4 },
      diverged: null,
    });
    expect(log.finalLoss).toBe(6);
    expect(log.epochMean(3)).toBe(4);
    // A new window starts after the mark; a new epoch starts its sums again.
    add(log, 1);
    expect((await log.read(1, 4, true)).window).toEqual({ epoch: 1, batch: 4, meanLoss: 1 });
    log.startEpoch();
    add(log, 3);
    await log.read(2, 1, false);
    expect(log.epochMean(1)).toBe(3);
    expect(log.windows).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(0);
  });

  it('an exploded reading is the reason to stop and is not added; a run at chance stops at its 5th window', async () => {
    const log = new LossLog();
    log.startEpoch();
    add(log, 2, 1e30);
    const exploded = await log.read(1, 2, true);
    expect(exploded.diverged).toMatchObject({ code: 'loss-exploded', epoch: 1, batch: 2 }); // the float32 mean of 1e30 and 1
    expect(describeReason(exploded.diverged!)).toMatch(/^training diverged: the loss reached 5\.00e\+29/);
    expect(exploded.window).toBeNull();
    expect(log.finalLoss).toBeNull();
    expect(log.epochMean(1)).toBe(0);

    const stuck = new LossLog();
    stuck.startEpoch();
    const results = [];
    for (const loss of [2.368, 2.332, 2.338, 2.339, 2.336]) {
      add(stuck, loss);
      results.push((await stuck.read(1, results.length * 100 + 100, true)).diverged);
    }
    expect(results.slice(0, 4)).toEqual([null, null, null, null]);
    expect(results[4]).toMatchObject({ code: 'loss-stuck', epoch: 1, fromBatch: 401, toBatch: 500 });
    expect(describeReason(results[4]!)).toMatch(/^training is not learning/);
    expect(stuck.windows).toHaveLength(5); // the window that showed it is kept
  });

  it('dispose frees what was never read', () => {
    const log = new LossLog();
    add(log, 1, 2);
    log.dispose();
    expect(tf.memory().numTensors).toBe(0);
  });

  it('reads losses that wait elsewhere (the fused WebGPU step keeps them on the GPU), and takes no scalars then', async () => {
    let waiting = [2, 4, 6];
    let disposed = false;
    const log = new LossLog({
      get count() {
        return waiting.length;
      },
      take: async () => {
        const taken = Float32Array.from(waiting);
        waiting = [];
        return taken;
      },
      dispose: () => (disposed = true),
    });
    log.startEpoch();
    expect(log.hasPending).toBe(true);
    expect(await log.read(1, 3, false)).toEqual({ meanLoss: 4, window: null, diverged: null });
    expect(log.hasPending).toBe(false);
    expect(log.finalLoss).toBe(6);
    const one = tf.scalar(1);
    expect(() => log.add(one)).toThrow(/reads its losses from where its steps left them/);
    one.dispose();
    log.dispose();
    expect(disposed).toBe(true);
  });
});
