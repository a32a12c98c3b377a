import { describe, expect, it } from 'vitest';
import type { SweepSide } from '../../electron/shared/ipc-contract';
import {
  parseBatchSizes,
  progressText,
  reportSeries,
  sweepReportNote,
  sweepEndAnnouncement,
  sweepRows,
  sweepTitle,
  sweepVerdict,
} from '../../renderer/src/lib/sweep-view';
import { sweepPoint, sweepRecord } from '../services/sweep-fixtures';

const side = (device: 'cpu' | 'gpu', rates: [number, number][], skipped: SweepSide['skipped'] = []): SweepSide => ({
  device,
  engine:
    device === 'cpu'
      ? { engine: 'wasm', device: 'cpu', backend: 'wasm', version: '4.22.0' }
      : {
          engine: 'webgpu',
          device: 'gpu',
          backend: 'webgpu',
          version: '4.22.0',
          adapter: { vendor: 'nvidia', name: 'NVIDIA A100', api: 'Vulkan', software: false },
        },
  hardware: device === 'cpu' ? 'AMD EPYC' : 'NVIDIA A100',
  points: rates.map(([b, r]) => sweepPoint(b, r)),
  skipped,
});

describe('parseBatchSizes', () => {
  it('reads sizes split by commas or spaces, in the order typed', () => {
    expect(parseBatchSizes('16, 64 256,1024')).toEqual({ sizes: [16, 64, 256, 1024] });
    expect(parseBatchSizes(' 8 ')).toEqual({ sizes: [8] });
  });

  it('says what is wrong: nothing, too many, not whole, out of range, repeated', () => {
    expect(parseBatchSizes('  ')).toEqual({ problem: 'Type at least one batch size.' });
    expect(parseBatchSizes(Array.from({ length: 17 }, (_, i) => i + 1).join(','))).toEqual({
      problem: 'At most 16 batch sizes, not 17.',
    });
    const range = 'each is a whole number from 1 to 60,000.';
    expect(parseBatchSizes('16, 6.4')).toEqual({ problem: `"6.4" is not a batch size: ${range}` });
    expect(parseBatchSizes('0')).toEqual({ problem: `"0" is not a batch size: ${range}` });
    expect(parseBatchSizes('70000')).toEqual({ problem: `"70000" is not a batch size: ${range}` });
    expect(parseBatchSizes('-4')).toEqual({ problem: `"-4" is not a batch size: ${range}` });
    expect(parseBatchSizes('64 16 64')).toEqual({ problem: '64 is there twice.' });
  });
});

describe('the sweep in the Scaling view', () => {
  const cpu = side('cpu', [
    [16, 4000],
    [64, 5000],
    [256, 5200],
  ]);
  const gpu = side(
    'gpu',
    [
      [16, 2000],
      [64, 6000],
      [256, 26000],
    ],
    [{ batchSize: 4096, reason: 'more than the webgpu engine can hold (2048)' }],
  );

  it('lists every size either side timed or skipped, with the GPU-over-CPU ratio', () => {
    const rows = sweepRows([cpu, gpu]);
    expect(rows.map((r) => [r.batchSize, r.cpu?.imagesPerSecond ?? null, r.gpu?.imagesPerSecond ?? null])).toEqual([
      [16, 4000, 2000],
      [64, 5000, 6000],
      [256, 5200, 26000],
      [4096, null, null],
    ]);
    expect(rows.map((r) => r.ratio)).toEqual([0.5, 1.2, 5, null]);
    expect(rows[3].gpuNote).toBe('more than the webgpu engine can hold (2048)');
  });

  it('says where the GPU overtakes the CPU and the ratio at the tutorial batch of 64', () => {
    expect(sweepVerdict([cpu, gpu])).toBe(
      "The GPU overtakes the CPU from a batch of 64 on. At the tutorial's batch of 64, the GPU trains 1.2x the CPU's images a second.",
    );
    const slow = side('gpu', [
      [16, 1000],
      [64, 2000],
      [256, 5000],
    ]);
    expect(sweepVerdict([cpu, slow])).toBe(
      "The GPU never overtakes the CPU in the sizes timed (up to a batch of 256). At the tutorial's batch of 64, the GPU trains 0.4x the CPU's images a second.",
    );
    const fast = side('gpu', [[256, 52000]]);
    expect(sweepVerdict([cpu, fast])).toBe(
      "The GPU is faster than the CPU at every size timed, from a batch of 256 on. The tutorial's batch of 64 was not timed on both.",
    );
    expect(sweepVerdict([cpu])).toBeNull();
    const swiftShader = { ...gpu, engine: { ...gpu.engine!, adapter: { ...gpu.engine!.adapter!, software: true } } };
    expect(sweepVerdict([cpu, swiftShader])).toMatch(
      /^The GPU overtakes the CPU from a batch of 64 on\. .* These are a software adapter's figures \(testing only\), not a GPU's\.$/,
    );
  });

  it('words the progress as the size being timed, counting every size of both sides', () => {
    const base = { sizes: [16, 64, 256, 1024], devices: ['cpu', 'gpu'] as ('cpu' | 'gpu')[] };
    expect(progressText({ ...base, sides: [], device: 'cpu', engine: null, doneHere: 0 })).toBe(
      'batch 16 on the CPU, 1 of 8',
    );
    expect(progressText({ ...base, sides: [cpu], device: 'gpu', engine: gpu.engine, doneHere: 2 })).toBe(
      'batch 256 on WebGPU, 7 of 8',
    );
  });

  it('says how a sweep ended, for a screen reader', () => {
    const record = sweepRecord('20261203-120000000-sweep-00000a', '2026-12-03T12:00:00.000Z');
    expect(sweepEndAnnouncement(record)).toBe(
      'Sweep ended. GPU sweep failed: WebGPU is not available in this browser (no navigator.gpu).',
    );
    expect(sweepEndAnnouncement({ ...record, status: 'done', sides: [cpu, gpu] })).toBe(
      `Sweep done. ${sweepVerdict([cpu, gpu])}`,
    );
    expect(sweepEndAnnouncement({ ...record, status: 'cancelled' })).toBe('Sweep cancelled');
  });

  it('names a saved sweep by its date, engines, versions and machine', () => {
    expect(sweepTitle({ ...sweepRecord('20261203-120000000-sweep-00000a', '2026-12-03T12:00:00.000Z') })).toMatch(
      /^2026-12-03 \d\d:00 · tfjs-node 4\.22\.0 on Intel Xeon · GPU \(did not start\)$/,
    );
    const both = { ...sweepRecord('20261203-120000000-sweep-00000a', '2026-12-03T12:00:00.000Z'), sides: [cpu, gpu] };
    expect(sweepTitle(both)).toMatch(
      /^2026-12-03 \d\d:00 · wasm \(fallback\) 4\.22\.0 on AMD EPYC · WebGPU 4\.22\.0 on NVIDIA A100 \(Vulkan\)$/,
    );
  });
});

describe('reportSeries', () => {
  it("gives the report one series an engine that timed something, with that side's points", () => {
    const cpu = side('cpu', [
      [16, 900],
      [64, 1300],
    ]);
    const gpu = side('gpu', [[64, 5000]]);
    const failed: SweepSide = { ...side('gpu', []), engine: null };
    const record = { ...sweepRecord('s1', '2026-12-03T10:00:00.000Z'), sides: [cpu, gpu, failed] };
    expect(reportSeries(record)).toEqual([
      { engine: cpu.engine, points: cpu.points },
      { engine: gpu.engine, points: gpu.points },
    ]);
    expect(reportSeries(null)).toEqual([]);
  });
});

describe('sweepReportNote', () => {
  it('names the sweep with its steps, and how it ended when it did not finish', () => {
    const record = sweepRecord('s1', '2026-12-03T10:00:00.000Z');
    expect(sweepReportNote(record)).toMatch(/ · 5 timed steps after 2 warm-up steps a size · failed$/);
    expect(sweepReportNote({ ...record, status: 'done' })).toMatch(/ · 5 timed steps after 2 warm-up steps a size$/);
  });
});
