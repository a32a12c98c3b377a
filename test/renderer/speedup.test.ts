import { describe, expect, it } from 'vitest';
import { setLanguage } from '../../electron/shared/i18n';
import { computeSpeedup, settingsKey, sweepRatioAt } from '../../renderer/src/lib/speedup';
import { sweepBothSides } from '../services/sweep-fixtures';
import { makeRecord, REFERENCE_SETTINGS } from './fixtures';

const timings = (trainingMs: number) => ({ engineStartMs: 0, dataLoadMs: 0, warmupMs: 0, trainingMs, evaluationMs: 0 });

describe('computeSpeedup', () => {
  it("divides the CPU's training time by the GPU's, like the reference's 14x", () => {
    const s = computeSpeedup([
      makeRecord({ id: 'c', device: 'cpu', timings: timings(44_000) }),
      makeRecord({ id: 'g', device: 'gpu', timings: timings(3_100), startedAt: '2026-01-01T10:05:00Z' }),
    ]);
    expect(s.kind).toBe('ratio');
    if (s.kind === 'ratio') {
      expect(s.factor).toBeCloseTo(44 / 3.1, 10);
      expect(s.label).toBe('14x');
      expect([s.cpu.id, s.gpu.id]).toEqual(['c', 'g']);
      // makeRecord derives images/s from the time: 300,000 images each way.
      expect(s.throughputFactor).toBeCloseTo(44 / 3.1, 10);
    }
  });

  it('never counts a GPU run on a software adapter, and says why when that is all there is', () => {
    const software = { vendor: 'google', name: 'SwiftShader Device (Subzero)', api: 'Vulkan', software: true };
    const hardware = { vendor: 'nvidia', name: 'NVIDIA GeForce RTX 4070', api: 'Vulkan', software: false };
    const engine = (adapter: typeof software) =>
      ({ engine: 'webgpu', device: 'gpu', backend: 'webgpu', version: '4.22.0', adapter }) as const;
    const cpu = makeRecord({ id: 'c', device: 'cpu', timings: timings(40_000) });
    const swiftshader = makeRecord({
      id: 'sw',
      device: 'gpu',
      engine: engine(software),
      timings: timings(90_000),
      startedAt: '2026-01-01T10:09:00Z',
    });
    expect(computeSpeedup([cpu, swiftshader])).toMatchObject({
      kind: 'need-gpu',
      message: expect.stringMatching(
        /^The GPU run on .*software GPU \(testing only\) is not compared: a software adapter is for testing only/,
      ),
    });
    const rtx = makeRecord({
      id: 'rtx',
      device: 'gpu',
      engine: engine(hardware),
      timings: timings(4_000),
      startedAt: '2026-01-01T10:01:00Z',
    });
    const s = computeSpeedup([cpu, swiftshader, rtx]);
    expect(s.kind === 'ratio' && [s.gpu.id, s.label, s.throughputFactor]).toEqual(['rtx', '10x', 10]);
  });

  it('compares images per second only when both runs report it', () => {
    const s = computeSpeedup([
      makeRecord({ id: 'c', device: 'cpu', timings: timings(20_000), imagesPerSecond: null }),
      makeRecord({ id: 'g', device: 'gpu', timings: timings(5_000) }),
    ]);
    expect(s.kind === 'ratio' && [s.label, s.throughputFactor]).toEqual(['4x', null]);
  });

  it('pairs runs with the same settings only, and the newest of each', () => {
    const s = computeSpeedup([
      makeRecord({ id: 'cpu-old', device: 'cpu', timings: timings(50_000), startedAt: '2026-01-01T09:00:00Z' }),
      makeRecord({ id: 'cpu-new', device: 'cpu', timings: timings(40_000), startedAt: '2026-01-01T11:00:00Z' }),
      makeRecord({
        id: 'cpu-other',
        device: 'cpu',
        timings: timings(1_000),
        startedAt: '2026-01-01T12:00:00Z',
        settings: { device: 'cpu', ...REFERENCE_SETTINGS, limit: 2000 },
      }),
      makeRecord({ id: 'gpu', device: 'gpu', timings: timings(4_000), startedAt: '2026-01-01T10:00:00Z' }),
    ]);
    expect(s.kind === 'ratio' && [s.cpu.id, s.factor]).toEqual(['cpu-new', 10]);
  });

  it('ignores cancelled and failed runs', () => {
    const s = computeSpeedup([
      makeRecord({ id: 'c', device: 'cpu' }),
      makeRecord({ id: 'g', device: 'gpu', status: 'cancelled' }),
      makeRecord({ id: 'g2', device: 'gpu', status: 'failed', timings: null }),
    ]);
    expect(s.kind).toBe('need-gpu');
  });

  it('says a GPU run is needed when there is none, and a CPU run when none matches', () => {
    expect(computeSpeedup([])).toMatchObject({
      kind: 'need-gpu',
      cpu: null,
      message: expect.stringMatching(/CPU and on a GPU/),
    });
    expect(computeSpeedup([makeRecord({ id: 'c', device: 'cpu' })])).toMatchObject({
      kind: 'need-gpu',
      message: expect.stringMatching(/GPU run/),
    });
    const gpuOnly = computeSpeedup([
      makeRecord({ id: 'g', device: 'gpu' }),
      makeRecord({ id: 'c', device: 'cpu', settings: { device: 'cpu', ...REFERENCE_SETTINGS, seed: 1 } }),
    ]);
    expect(gpuOnly).toMatchObject({ kind: 'need-cpu', gpu: { id: 'g' } });
  });

  it('falls back to an older GPU run when the newest has no CPU partner', () => {
    const s = computeSpeedup([
      makeRecord({ id: 'c', device: 'cpu', timings: timings(30_000) }),
      makeRecord({ id: 'g-old', device: 'gpu', timings: timings(10_000), startedAt: '2026-01-01T10:01:00Z' }),
      makeRecord({
        id: 'g-new',
        device: 'gpu',
        startedAt: '2026-01-01T10:09:00Z',
        settings: { device: 'gpu', ...REFERENCE_SETTINGS, epochs: 1 },
      }),
    ]);
    expect(s.kind === 'ratio' && [s.gpu.id, s.label]).toEqual(['g-old', '3x']);
  });
});

describe('computeSpeedup in Chinese', () => {
  it('says in Chinese what is missing for a comparison', () => {
    setLanguage('zh-CN');
    try {
      expect(computeSpeedup([])).toMatchObject({
        kind: 'need-gpu',
        message: '请用相同的设置分别在 CPU 和 GPU 上训练，即可看到 GPU 快多少倍。',
      });
      const cpu = makeRecord({ id: 'c', device: 'cpu', timings: timings(40_000) });
      expect(computeSpeedup([cpu])).toMatchObject({
        message: '需要一次与某次 CPU 训练设置相同、且已完成的 GPU 训练，才能显示加速比。',
      });
      const gpu = makeRecord({ id: 'g', device: 'gpu', timings: timings(4_000) });
      expect(computeSpeedup([gpu])).toMatchObject({
        message: '请用与最近一次 GPU 训练相同的设置在 CPU 上训练，以查看加速比。',
      });
    } finally {
      setLanguage('en');
    }
  });
});

describe('settingsKey', () => {
  it('ignores the device and tells every other setting apart', () => {
    const base = { ...REFERENCE_SETTINGS };
    expect(settingsKey({ device: 'cpu', ...base })).toBe(settingsKey({ device: 'gpu', ...base }));
    expect(settingsKey({ device: 'cpu', ...base })).not.toBe(settingsKey({ device: 'cpu', ...base, limit: 60000 }));
    expect(settingsKey({ device: 'cpu', ...base })).not.toBe(settingsKey({ device: 'cpu', ...base, dataDir: '/x' }));
  });
});

describe('sweepRatioAt', () => {
  const newer = sweepBothSides('20260302-110000000-sweep-00000b', '2026-03-02T11:00:00.000Z');
  const older = sweepBothSides('20260302-100000000-sweep-00000a', '2026-03-02T10:00:00.000Z');

  it("gives the newest sweep's GPU-over-CPU ratio at the batch size, where both sides timed it", () => {
    const engines = { cpu: 'tfjs-node', gpu: 'webgpu' };
    const at = sweepRatioAt([newer, older], 64, engines);
    expect(at?.sweep.id).toBe(newer.id);
    expect(at?.ratio).toBeCloseTo(6900 / 5200, 10);
    expect(sweepRatioAt([newer], 128, engines)).toBeNull();
    // A sweep of other engines says nothing about a CUDA pair's speed-up.
    expect(sweepRatioAt([newer, older], 64, { cpu: 'tfjs-node', gpu: 'cuda' })).toBeNull();
  });

  it('passes over a sweep on a software adapter, and one that timed a side only', () => {
    const gpu = newer.sides[1];
    const software = {
      ...newer,
      sides: [
        newer.sides[0],
        { ...gpu, engine: { ...gpu.engine!, adapter: { ...gpu.engine!.adapter!, software: true } } },
      ],
    };
    const cpuOnly = { ...newer, sides: [newer.sides[0]] };
    const engines = { cpu: 'tfjs-node', gpu: 'webgpu' };
    expect(sweepRatioAt([software, cpuOnly, older], 64, engines)?.sweep.id).toBe(older.id);
    expect(sweepRatioAt([software, cpuOnly], 64, engines)).toBeNull();
  });
});
