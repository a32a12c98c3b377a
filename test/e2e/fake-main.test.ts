/**
 * The browser tests' scripted main: the real RunManager's queue with scripted workers. Checked here without a browser,
 * so a broken harness shows as itself and not as a UI test failing.
 */
import { describe, expect, it } from 'vitest';
import type { RunRecord, TrainRequest, TrainingEvent } from '../../electron/shared/ipc-contract';
import { REFERENCE_CONFIG } from '../../electron/training/core/config';
import { createFakeMain } from './harness/fake-handlers';
import { describeRunEnd } from '../../electron/shared/describe-reason';

const { device: _device, ...REFERENCE_SETTINGS } = REFERENCE_CONFIG;
const SETTINGS = { ...REFERENCE_SETTINGS, epochs: 2, batchSize: 64, lr: 0.01, momentum: 0.5, seed: 1 } satisfies Omit<
  TrainRequest,
  'device'
>;

function recorded() {
  const main = createFakeMain({});
  const events: TrainingEvent[] = [];
  main.onEvent((ev) => events.push(ev));
  const kinds = () => events.map((ev) => ev.kind);
  const finished = () => events.flatMap((ev) => (ev.kind === 'finished' ? [ev.record] : []));
  return { main, events, kinds, finished };
}

/** Lets the scripted worker's replies (sent on a later turn, as a process's are) arrive. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the scripted main', () => {
  it('runs a comparison one run at a time, moving only when the test says', async () => {
    const { main, events, kinds, finished } = recorded();
    const { ids } = (await main.handlers['training:compare'](SETTINGS)) as { ids: string[] };
    await settle();
    expect(kinds()).toEqual(['queued', 'started', 'queued', 'engine']);
    expect(main.running()).toEqual({ id: ids[0], device: 'cpu' });
    expect(await main.handlers['training:queue'](undefined)).toEqual({
      running: { id: ids[0], device: 'cpu' },
      queued: [{ id: ids[1], device: 'gpu' }],
    });

    await settle();
    expect(events).toHaveLength(4); // nothing moves on its own

    main.advance(20);
    const progress = events.flatMap((ev) => (ev.kind === 'progress' ? [ev.progress.step] : []));
    expect(progress).toEqual([8, 16, 20]);

    await main.finish();
    expect(
      finished().map((r) => [r.id, r.status, r.settings.epochs, r.epochs.length, r.accuracy, r.hasWeights]),
    ).toEqual([[ids[0], 'done', 2, 2, 0.9799, true]]);
    expect(finished()[0].curve.map((p) => p.step)).toEqual([8, 16, 20]);
    expect(main.running()).toEqual({ id: ids[1], device: 'gpu' });
    await settle();
    expect(events.at(-1)).toMatchObject({ kind: 'engine', id: ids[1], engine: { engine: 'tfjs-node-gpu' } });

    const history = (await main.handlers['history:list'](undefined)) as { records: RunRecord[] };
    expect(history.records.map((r) => [r.id, r.status])).toEqual([
      [ids[1], 'running'],
      [ids[0], 'done'],
    ]);
  });

  it('stops at the last batch until finished, and cancels a running run and a waiting one as main does', async () => {
    const { main, kinds, finished } = recorded();
    const { ids } = (await main.handlers['training:compare']({ ...SETTINGS, epochs: 1 })) as { ids: string[] };
    await settle();
    main.advance(5000);
    expect(kinds().filter((k) => k === 'progress')).toHaveLength(Math.ceil(937 / 8));

    expect(await main.handlers['training:cancel']({ id: ids[1] })).toEqual({ cancelled: true });
    expect(await main.handlers['training:cancel']({ id: ids[0] })).toEqual({ cancelled: true });
    await expect.poll(() => finished().length).toBe(2);
    expect(finished().map((r) => [r.id, r.status, r.reason, r.evaluation])).toEqual([
      [ids[1], 'cancelled', { code: 'run-cancelled-before-start' }, null],
      [ids[0], 'cancelled', { code: 'run-cancelled', step: 937, totalSteps: 938 }, null],
    ]);
    expect(finished().map((r) => describeRunEnd(r)?.words)).toEqual([
      'cancelled before it started',
      'cancelled after 937 of 938 batches',
    ]);
    expect(main.running()).toBeNull();
    expect(() => main.advance(1)).toThrow('advance: no run is running');
    await expect(async () => main.finish()).rejects.toThrow('finish: no run is running');
  });
});
