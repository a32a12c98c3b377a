import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatSweep, parseSweepArgs, SweepUsageError } from '../../../electron/training/cli/sweep';
import type { SweepOutcome } from '../../../electron/training/process/run-worker';
import { BUILT } from './helpers';

const sweep = (args: string[]) =>
  spawnSync(process.execPath, [BUILT.sweep, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('parseSweepArgs', () => {
  it('reads the sizes, the steps and the engines, with the defaults for what is not given', () => {
    expect(parseSweepArgs([])).toEqual({
      request: { batchSizes: [16, 64, 256, 1024], timedSteps: 5, warmupSteps: 2 },
      engines: null,
      help: false,
    });
    expect(
      parseSweepArgs(['--batch-sizes', '8, 32,128', '--batches', '3', '--warmup', '0', '--engines', 'wasm,cuda']),
    ).toEqual({
      request: { batchSizes: [8, 32, 128], timedSteps: 3, warmupSteps: 0 },
      engines: ['wasm', 'cuda'],
      help: false,
    });
    expect(parseSweepArgs(['--engines', 'x', '-h']).help).toBe(true);
    expect(parseSweepArgs(['--engines', 'wasm,webgpu']).engines).toEqual(['wasm', 'webgpu']);
  });

  it('refuses bad input in one line naming the flag', () => {
    const refusal = (argv: string[]) => {
      try {
        parseSweepArgs(argv);
      } catch (err) {
        expect(err).toBeInstanceOf(SweepUsageError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refusal(['--batch-sizes', '16,x'])).toBe(
      '--batch-sizes needs whole numbers separated by commas, got "16,x"',
    );
    expect(refusal(['--batch-sizes', '16,16'])).toBe('--batch-sizes names a size twice: "16,16"');
    expect(refusal(['--batch-sizes', '0'])).toBe('--batch-sizes: each must be a whole number from 1 to 60000, got 0');
    expect(refusal(['--engines', 'wasm,wasm'])).toBe('--engines names an engine twice: "wasm,wasm"');
    expect(refusal(['--batch-sizes', '1,70000'])).toBe(
      '--batch-sizes: each must be a whole number from 1 to 60000, got 70000',
    );
    expect(refusal(['--batches', '0'])).toBe('--batches must be a whole number from 1 to 100, got 0');
    expect(refusal(['--batches', '2.5'])).toBe('--batches needs a whole number, got "2.5"');
    expect(refusal(['--warmup', '-1'])).toBe('--warmup needs a whole number, got "-1"');
    expect(refusal(['--engines', 'webgl'])).toBe('--engines takes native, wasm, cuda, webgpu, got "webgl"');
    expect(refusal(['--epochs', '2'])).toBe('unknown option --epochs');
    expect(refusal(['--batches'])).toBe('--batches needs a value');
    expect(refusal(['extra'])).toBe('unexpected "extra": every option is a flag such as --batches 5');
    expect(refusal(['--help=1'])).toBe('--help takes no value, got "1"');
    expect(refusal(['--batches', '3', '--batches', '4'])).toBe('--batches is given more than once: give it once');
  });
});

describe('formatSweep', () => {
  const engine = (device: 'cpu' | 'gpu', name: 'wasm' | 'tfjs-node-gpu') => ({
    engine: name,
    device,
    backend: name,
    version: '4.22.0',
  });
  const point = (batchSize: number, ms: number) => ({
    batchSize,
    msPerStep: ms,
    imagesPerSecond: batchSize / (ms / 1000),
    steps: 5,
    tensorsLeft: 0,
  });
  it('lays out one row a size and a column pair an engine, then the GPU-over-CPU ratios', () => {
    const cpu: SweepOutcome = {
      engine: engine('cpu', 'wasm'),
      points: [point(16, 16), point(64, 64)],
      skipped: [{ batchSize: 4096, reason: 'engine-limit', engine: 'wasm', limit: 3584 }],
    };
    const gpu: SweepOutcome = {
      engine: engine('gpu', 'tfjs-node-gpu'),
      points: [point(16, 32), point(64, 16), point(4096, 100)],
      skipped: [],
    };
    expect(formatSweep([cpu, gpu], [16, 64, 4096])).toEqual([
      '[1] CPU: wasm 4.22.0',
      '[2] GPU: tfjs-node-gpu 4.22.0',
      '',
      'batch  [1] ms/step  [1] img/s  [2] ms/step  [2] img/s',
      '   16         16.0      1,000         32.0        500',
      '   64         64.0      1,000         16.0      4,000',
      ' 4096            -          -        100.0     40,960',
      '[1] batch 4096 not timed: more than the wasm engine can hold (3584)',
      '',
      'GPU over CPU (images a second): 16: 0.50x, 64: 4.00x',
      "The GPU is faster from a batch of 64; at the tutorial's 64, 4.00x",
    ]);
  });
});

describe('npm run sweep', () => {
  it('times the wasm engine at each size in a worker and prints the table', () => {
    const r = sweep(['--engines', 'wasm', '--batch-sizes', '16,64', '--batches', '2', '--warmup', '1']);
    expect(r.stderr).toContain('Timing CPU: wasm 4.22.0');
    expect(r.status).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^\s+(16|64)\s/.test(l));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/^\s+(16|64)\s+\d+\.\d\s+[\d,]+$/);
    expect(r.stdout).toMatch(/^\[1\] CPU: wasm 4\.22\.0 \(/m);
    expect(r.stderr).not.toContain('fallback'); // asked for by name: not a fallback
  });

  it('an engine asked for that cannot run fails the command, after the others are timed and printed', () => {
    const r = sweep(['--engines', 'cuda,wasm', '--batch-sizes', '16', '--batches', '1', '--warmup', '0']);
    expect(r.stderr).toMatch(/^CUDA not timed: @tensorflow\/tfjs-node-gpu is not installed/m);
    expect(r.stdout).toMatch(/^\[1\] CPU: wasm 4\.22\.0/m);
    expect(r.stdout.split('\n').filter((l) => /^\s+16\s+\d/.test(l))).toHaveLength(1);
    expect(r.status).toBe(1);
  });

  it('a sweep that timed no size at all fails, with why each was skipped', () => {
    const r = sweep(['--engines', 'wasm', '--batch-sizes', '4000', '--batches', '1', '--warmup', '0']);
    expect(r.stdout).toMatch(/^\[1\] batch 4000 not timed: more than the wasm engine can hold \(\d+\)$/m);
    expect(r.stderr).toMatch(/^athanor: no batch size was timed on any engine/m);
    expect(r.status).toBe(1);
  });

  it('says what is wrong with a flag and exits 2', () => {
    const r = sweep(['--batch-sizes', 'lots']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      'athanor: --batch-sizes needs whole numbers separated by commas, got "lots" (npm run sweep -- --help lists the options)',
    );
  });
});
