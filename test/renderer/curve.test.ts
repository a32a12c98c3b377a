import { describe, expect, it } from 'vitest';
import {
  capPoints,
  curveXY,
  defaultAxis,
  emaSmooth,
  halve,
  hasTimes,
  LiveCurve,
  windowCenter,
  windowStep,
} from '../../renderer/src/lib/curve';
import { makeRecord } from './fixtures';
import { createFrameScheduler } from '../../renderer/src/lib/frame';

const pts = (losses: number[]) => losses.map((loss, i) => ({ step: i + 1, loss }));

describe('emaSmooth', () => {
  it('is debiased: a constant curve stays constant from the first point', () => {
    const out = emaSmooth(pts([2, 2, 2, 2]), 0.9);
    for (const p of out) expect(p.loss).toBeCloseTo(2, 12);
  });

  it('lags behind a step and keeps the x positions', () => {
    const out = emaSmooth(pts([1, 1, 0, 0]), 0.5);
    expect(out.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(out[2].loss).toBeGreaterThan(0);
    expect(out[2].loss).toBeLessThan(1);
    expect(out[3].loss).toBeLessThan(out[2].loss);
  });
});

describe('capping', () => {
  it('halve averages neighbouring pairs and keeps an odd last point exact', () => {
    expect(halve(pts([1, 3, 5, 7]))).toEqual([
      { step: 1.5, loss: 2 },
      { step: 3.5, loss: 6 },
    ]);
    expect(halve(pts([1, 3, 9]))).toEqual([
      { step: 1.5, loss: 2 },
      { step: 3, loss: 9 },
    ]);
  });

  it('capPoints keeps long curves under the cap and leaves short ones alone', () => {
    const long = pts(Array.from({ length: 10_000 }, (_, i) => 1 / (i + 1)));
    const capped = capPoints(long, 1000);
    expect(capped.length).toBeLessThanOrEqual(1000);
    expect(capped.length).toBeGreaterThan(500);
    expect(capped.at(-1)!.step).toBeGreaterThan(9990);
    expect(capPoints(pts([1, 2, 3]), 1000)).toEqual(pts([1, 2, 3]));
  });

  it('LiveCurve stays bounded over a long run and matches emaSmooth before capping', () => {
    const curve = new LiveCurve(100, 0.8);
    const losses = Array.from({ length: 50 }, (_, i) => 2.3 * Math.exp(-i / 10));
    losses.forEach((l, i) => curve.add(i + 1, l));
    const expected = emaSmooth(pts(losses), 0.8);
    curve.smooth.forEach((p, i) => expect(p.loss).toBeCloseTo(expected[i].loss, 12));

    for (let i = 51; i <= 20_000; i++) curve.add(i, 0.1);
    expect(curve.raw.length).toBeLessThanOrEqual(100);
    expect(curve.smooth.length).toBeLessThanOrEqual(100);
    expect(curve.raw.at(-1)!.step).toBeGreaterThan(19_900);
  });

  it('LiveCurve skips non-finite losses rather than breaking the chart', () => {
    const curve = new LiveCurve();
    curve.add(1, Number.NaN);
    curve.add(2, 1);
    expect(curve.raw).toEqual([{ step: 2, loss: 1 }]);
  });
});

describe('windowStep', () => {
  it("places the reference's [epoch, batch] log lines on the run's batch axis", () => {
    expect(windowStep({ epoch: 1, batch: 100, meanLoss: 2.268 }, 938)).toBe(100);
    expect(windowStep({ epoch: 3, batch: 900, meanLoss: 0.1 }, 938)).toBe(2 * 938 + 900);
  });

  it('draws each mean at the middle of the batches it averages', () => {
    expect(windowCenter({ epoch: 1, batch: 100, meanLoss: 2.268 }, 938)).toBe(50.5);
    expect(windowCenter({ epoch: 2, batch: 200, meanLoss: 1 }, 938)).toBe(938 + 150.5);
  });
});

describe('createFrameScheduler', () => {
  it('coalesces any number of updates into one flush per frame', () => {
    const frames: (() => void)[] = [];
    let flushes = 0;
    const s = createFrameScheduler(
      () => flushes++,
      (cb) => frames.push(cb),
    );
    for (let i = 0; i < 500; i++) s.schedule();
    expect(frames).toHaveLength(1);
    expect(s.pending).toBe(true);
    frames.shift()!();
    expect(flushes).toBe(1);
    s.schedule();
    expect(frames).toHaveLength(1);
  });
});

describe('the time axis', () => {
  const timed = (msPerStep: number) => [1, 2, 3, 4].map((step) => ({ step, loss: 2 / step, ms: step * msPerStep }));

  it("puts points at the loop's seconds, smoothed like the batch axis, and leaves out points without a time", () => {
    const points = timed(250);
    expect(curveXY(points, 'time').map((p) => p.x)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(curveXY(points, 'time').map((p) => p.y)).toEqual(curveXY(points, 'batches').map((p) => p.y));
    expect(curveXY(points, 'batches').map((p) => p.x)).toEqual([1, 2, 3, 4]);
    expect(
      curveXY(
        [
          { step: 1, loss: 1 },
          { step: 2, loss: 1, ms: 40 },
        ],
        'time',
      ).map((p) => p.x),
    ).toEqual([0.04]);
    expect(hasTimes(points)).toBe(true);
    expect(hasTimes([{ step: 1, loss: 1 }])).toBe(false);
    expect(hasTimes([])).toBe(false);
  });

  it('is the default for a CPU run and a GPU run with the same settings, all timed; batches otherwise', () => {
    const cpu = makeRecord({ id: 'c', device: 'cpu', curve: timed(90) });
    const gpu = makeRecord({ id: 'g', device: 'gpu', curve: timed(9) });
    expect(defaultAxis([cpu, gpu])).toBe('time');
    expect(defaultAxis([cpu])).toBe('batches');
    expect(defaultAxis([cpu, makeRecord({ id: 'c2', device: 'cpu', curve: timed(80) })])).toBe('batches');
    expect(defaultAxis([cpu, { ...gpu, settings: { ...gpu.settings, batchSize: 128 } }])).toBe('batches');
    expect(defaultAxis([cpu, { ...gpu, curve: [{ step: 1, loss: 2 }] }])).toBe('batches');
    // The faster run's last point lies left of the slower one's on the time axis.
    expect(curveXY(gpu.curve, 'time').at(-1)!.x).toBeLessThan(curveXY(cpu.curve, 'time').at(-1)!.x);
  });
});
