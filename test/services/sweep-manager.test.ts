import { describe, expect, it, vi } from 'vitest';
import { RunManager } from '../../electron/services/run-manager';
import { SweepManager, type SweepManagerOptions, type SweepStartRequest } from '../../electron/services/sweep-manager';
import { describeReason } from '../../electron/shared/describe-reason';
import type { EngineInfo, SweepEvent, SweepRecord, TrainRequest } from '../../electron/shared/ipc-contract';
import { SWEEP_ID_PATTERN } from '../../electron/shared/schema/sweep-record';
import { REFERENCE_CONFIG } from '../../electron/training/core/config';
import { forkWorker } from '../../electron/training/process/worker-transport';
import { BUILT } from '../training/cli/helpers';
import { fakeSpawner, type FakeWorker } from './fake-worker';

const HW = { cpu: 'Intel Xeon', gpu: 'NVIDIA H200' };
const WEBGPU: EngineInfo = {
  engine: 'webgpu',
  device: 'gpu',
  backend: 'webgpu',
  version: '4.22.0',
  adapter: { vendor: 'nvidia', name: 'NVIDIA H200', api: 'Vulkan', software: false },
};
const CPU_RUN: TrainRequest = { ...REFERENCE_CONFIG, device: 'cpu', epochs: 1, limit: 640 };

const point = (batchSize: number, ms: number) => ({
  batchSize,
  msPerStep: ms,
  imagesPerSecond: batchSize / (ms / 1000),
  steps: 3,
  tensorsLeft: 0,
});

/** A sweep manager over a real RunManager; runs and sweeps each get scripted workers unless `extra` says. */
function setup(extra: Partial<SweepManagerOptions> = {}) {
  const runWorkers = fakeSpawner();
  const runs = new RunManager({
    spawn: runWorkers.spawn,
    history: { put: async () => undefined, saveWeights: async () => null },
    hardware: () => HW,
  });
  const sweepWorkers = fakeSpawner();
  const pageWorkers = fakeSpawner();
  const kept: SweepRecord[] = [];
  const events: SweepEvent[] = [];
  const sweeps = new SweepManager({
    spawn: sweepWorkers.spawn,
    spawnPage: pageWorkers.spawn,
    runs,
    store: { put: async (s) => void kept.push(s) },
    hardware: () => HW,
    ...extra,
  });
  sweeps.subscribe((e) => events.push(e));
  const finished = (timeout = 1000) =>
    vi.waitFor(() => {
      const end = events.find((e) => e.kind === 'finished');
      if (!end || end.kind !== 'finished') throw new Error('not finished yet');
      return end;
    }, timeout);
  return { runs, runWorkers, sweeps, sweepWorkers, pageWorkers, kept, events, finished };
}

const BOTH: SweepStartRequest = { batchSizes: [16, 64], timedSteps: 3, warmupSteps: 1, devices: ['gpu', 'cpu'] };

/** What a sweep worker says for a whole sweep: ready, a point a size, done. */
function sweepAll(worker: FakeWorker, engine: EngineInfo, ms: (size: number) => number) {
  worker.emit({ type: 'ready', engine, timings: { engineStartMs: 5 } });
  const points = BOTH.batchSizes.map((b) => point(b, ms(b)));
  for (const p of points) worker.emit({ type: 'sweep-point', point: p });
  worker.emit({ type: 'sweep-done', sweep: { points, skipped: [] } });
}

describe('SweepManager with scripted workers', () => {
  it('times the CPU then the GPU (on the GPU page), streams points and keeps the sweep', async () => {
    const { sweeps, sweepWorkers, pageWorkers, kept, events, finished } = setup();
    const started = sweeps.start(BOTH);
    expect(started.started && SWEEP_ID_PATTERN.test(started.id)).toBe(true);
    await vi.waitFor(() => expect(sweepWorkers.workers).toHaveLength(1));
    const cpu = sweepWorkers.workers[0];
    const start = cpu.sent[0];
    expect(start.type === 'start' && start.sweep).toEqual({ batchSizes: [16, 64], timedSteps: 3, warmupSteps: 1 });
    expect(cpu.config.device).toBe('cpu');
    sweepAll(cpu, { engine: 'wasm', device: 'cpu', backend: 'wasm', version: '4.22.0' }, (b) => b / 2);
    await vi.waitFor(() => expect(pageWorkers.workers).toHaveLength(1));
    sweepAll(pageWorkers.workers[0], WEBGPU, () => 10);
    const end = await finished();
    expect(events.map((e) => (e.kind === 'point' ? `${e.device}:${e.point.batchSize}` : e.kind))).toEqual([
      'waiting',
      'started',
      'engine',
      'cpu:16',
      'cpu:64',
      'side',
      'engine',
      'gpu:16',
      'gpu:64',
      'side',
      'finished',
    ]);
    expect(end.record.status).toBe('done');
    expect(end.record.machine).toEqual(HW);
    expect(end.record.sides.map((s) => [s.device, s.engine?.engine, s.hardware, s.points.length])).toEqual([
      ['cpu', 'wasm', 'Intel Xeon', 2],
      ['gpu', 'webgpu', 'NVIDIA H200', 2],
    ]);
    expect(kept).toEqual([end.record]);
    // Both processes were stopped once their sweep ended.
    expect([cpu.killed, pageWorkers.workers[0].killed]).toEqual([true, true]);
  });

  it('keeps the CPU points when the GPU engine fails, with its reason as a code', async () => {
    const { sweeps, sweepWorkers, pageWorkers, finished } = setup();
    sweeps.start(BOTH);
    await vi.waitFor(() => expect(sweepWorkers.workers).toHaveLength(1));
    sweepAll(sweepWorkers.workers[0], { engine: 'wasm', device: 'cpu', backend: 'wasm', version: '4.22.0' }, () => 4);
    await vi.waitFor(() => expect(pageWorkers.workers).toHaveLength(1));
    pageWorkers.workers[0].emit({
      type: 'error',
      code: 'engine-unavailable',
      message: 'WebGPU is not available',
      reason: { code: 'webgpu-missing' },
    });
    const end = await finished();
    expect(end.record.status).toBe('failed');
    expect(end.record.sides[0].points.map((p) => p.batchSize)).toEqual([16, 64]);
    expect(end.record.sides[1].failure).toEqual({ reason: { code: 'webgpu-missing' } });
  });

  it('says a crashed worker ended, and keeps the points it timed before', async () => {
    const { sweeps, sweepWorkers, finished } = setup();
    sweeps.start({ ...BOTH, devices: ['cpu'] });
    await vi.waitFor(() => expect(sweepWorkers.workers).toHaveLength(1));
    const worker = sweepWorkers.workers[0];
    worker.emit({
      type: 'ready',
      engine: { engine: 'wasm', device: 'cpu', backend: 'wasm', version: '4.22.0' },
      timings: { engineStartMs: 5 },
    });
    worker.emit({ type: 'sweep-point', point: point(16, 3) });
    worker.exit(null, 'SIGSEGV');
    const end = await finished();
    const side = end.record.sides[0];
    expect(side.points.map((p) => p.batchSize)).toEqual([16]);
    expect(side.failure?.reason).toEqual({
      code: 'sweep-process-ended',
      exit: { code: 'worker-killed', signal: 'SIGSEGV' },
    });
    expect(describeReason(side.failure!.reason)).toBe(
      'the process timing the sweep ended before it finished: the training process was killed by SIGSEGV',
    );
  });

  it('fails the side, not the sweep, when its worker cannot be started, and goes on to the GPU', async () => {
    const { sweeps, pageWorkers, finished } = setup({
      spawn: () => {
        throw new Error('the utility process could not be started');
      },
    });
    sweeps.start(BOTH);
    await vi.waitFor(() => expect(pageWorkers.workers).toHaveLength(1));
    sweepAll(pageWorkers.workers[0], WEBGPU, () => 10);
    const end = await finished();
    expect(end.record.sides.map((s) => [s.device, s.failure?.reason ?? null, s.points.length])).toEqual([
      ['cpu', { code: 'error', message: 'the utility process could not be started' }, 0],
      ['gpu', null, 2],
    ]);
  });

  it('waits for the run queue, and runs asked for during a sweep wait for it', async () => {
    const { runs, runWorkers, sweeps, sweepWorkers, events, finished } = setup();
    const { id: runId } = runs.enqueue(CPU_RUN);
    sweeps.start({ ...BOTH, devices: ['cpu'] });
    await new Promise((r) => setTimeout(r, 20));
    expect(events.map((e) => e.kind)).toEqual(['waiting']);
    expect(sweepWorkers.workers).toHaveLength(0);
    runWorkers.workers[0].train(2);
    await vi.waitFor(() => expect(sweepWorkers.workers).toHaveLength(1));
    expect(runs.queue().running).toBeNull();

    // A run asked for now queues behind the sweep.
    const later = runs.enqueue(CPU_RUN);
    expect(runs.queue()).toEqual({ running: null, queued: [{ id: later.id, device: 'cpu' }] });
    expect(runWorkers.workers).toHaveLength(1);
    sweepAll(sweepWorkers.workers[0], { engine: 'wasm', device: 'cpu', backend: 'wasm', version: '4.22.0' }, () => 4);
    await finished();
    await vi.waitFor(() => expect(runs.queue().running?.id).toBe(later.id));
    expect(runId).not.toBe(later.id);
  });

  it('sends the GPU side where a run would train: CUDA when Auto finds it, the page for WebGL', async () => {
    const cuda = setup({ cudaReady: async () => true });
    cuda.sweeps.start({ ...BOTH, devices: ['gpu'] });
    await vi.waitFor(() => expect(cuda.sweepWorkers.workers).toHaveLength(1));
    const config = cuda.sweepWorkers.workers[0].config;
    expect([config.device, config.gpuEngine ?? 'auto']).toEqual(['gpu', 'auto']);
    expect(cuda.pageWorkers.workers).toHaveLength(0);

    const webgl = setup({ cudaReady: async () => true });
    webgl.sweeps.start({ ...BOTH, devices: ['gpu'], gpuEngine: 'webgl' });
    await vi.waitFor(() => expect(webgl.pageWorkers.workers).toHaveLength(1));
    expect(webgl.pageWorkers.workers[0].config).toMatchObject({ device: 'gpu', gpuEngine: 'webgl' });
    expect(webgl.sweepWorkers.workers).toHaveLength(0);
  });

  it('refuses a second sweep while one is going, with a reason', async () => {
    const { sweeps } = setup();
    expect(sweeps.start(BOTH).started).toBe(true);
    expect(sweeps.start(BOTH)).toEqual({ started: false, reason: { code: 'sweep-busy' } });
  });

  it('cancels a waiting sweep without starting a worker, and lets the runs go on', async () => {
    const { runs, runWorkers, sweeps, sweepWorkers, finished } = setup();
    runs.enqueue(CPU_RUN);
    const started = sweeps.start(BOTH);
    if (!started.started) throw new Error('not started');
    expect(sweeps.cancel(started.id)).toEqual({ cancelled: true });
    const end = await finished();
    expect(end.record).toMatchObject({ status: 'cancelled', sides: [] });
    runWorkers.workers[0].train(2);
    await runs.idle();
    await new Promise((r) => setTimeout(r, 0));
    // The hold it got once the queue emptied was given back: a new run starts at once.
    const next = runs.enqueue(CPU_RUN);
    expect(runs.queue().running?.id).toBe(next.id);
    expect(sweepWorkers.workers).toHaveLength(0);
  });

  it('cancels a running sweep: the worker is asked, then killed after the grace period; the GPU is not timed', async () => {
    const { sweeps, sweepWorkers, pageWorkers, finished } = setup({ cancelGraceMs: 20 });
    const started = sweeps.start(BOTH);
    if (!started.started) throw new Error('not started');
    await vi.waitFor(() => expect(sweepWorkers.workers).toHaveLength(1));
    const worker = sweepWorkers.workers[0];
    worker.emit({
      type: 'ready',
      engine: { engine: 'wasm', device: 'cpu', backend: 'wasm', version: '4.22.0' },
      timings: { engineStartMs: 5 },
    });
    worker.emit({ type: 'sweep-point', point: point(16, 3) });
    sweeps.cancel(started.id);
    expect(worker.sent.at(-1)).toEqual({ type: 'cancel' });
    const end = await finished();
    expect(worker.killed).toBe(true);
    expect(end.record.status).toBe('cancelled');
    expect(end.record.sides).toHaveLength(1);
    expect(end.record.sides[0].skipped).toEqual([{ batchSize: 64, reason: 'cancelled' }]);
    expect(end.record.sides[0].failure).toBeUndefined();
    expect(pageWorkers.workers).toHaveLength(0);
  });

  it('says so when the sweep could not be kept, and still shows it', async () => {
    const { sweeps, sweepWorkers, finished } = setup({
      store: { put: async () => Promise.reject(new Error('disk full')) },
      onError: () => undefined,
    });
    sweeps.start({ ...BOTH, devices: ['cpu'] });
    await vi.waitFor(() => expect(sweepWorkers.workers).toHaveLength(1));
    sweepAll(sweepWorkers.workers[0], { engine: 'wasm', device: 'cpu', backend: 'wasm', version: '4.22.0' }, () => 4);
    const end = await finished();
    expect(end.unsaved).toBe('disk full');
    expect(end.record.sides[0].points).toHaveLength(2);
  });
});

describe('SweepManager with a real wasm worker', () => {
  it('times tiny sizes in a worker process of its own and leaves no process behind', async () => {
    const pids: number[] = [];
    const { sweeps, finished } = setup({
      spawn: () => {
        const worker = forkWorker(BUILT.worker);
        pids.push(worker.pid!);
        return worker;
      },
      workerOptions: { preferFallback: true },
    });
    sweeps.start({ batchSizes: [8, 16], timedSteps: 2, warmupSteps: 1, devices: ['cpu'] });
    const end = await finished(60_000);
    expect(end.record.status).toBe('done');
    const side = end.record.sides[0];
    expect(side.engine?.engine).toBe('wasm');
    expect(side.points.map((p) => [p.batchSize, p.steps, p.tensorsLeft])).toEqual([
      [8, 2, 0],
      [16, 2, 0],
    ]);
    expect(pids).toHaveLength(1);
    await vi.waitFor(() => expect(() => process.kill(pids[0], 0)).toThrow());
  });

  it('cancels at the next size: what was timed is kept, the rest skipped, and the process is gone', async () => {
    const pids: number[] = [];
    const { sweeps, events, finished } = setup({
      spawn: () => {
        const worker = forkWorker(BUILT.worker);
        pids.push(worker.pid!);
        return worker;
      },
      workerOptions: { preferFallback: true },
    });
    const started = sweeps.start({ batchSizes: [8, 16, 32, 64], timedSteps: 1, warmupSteps: 0, devices: ['cpu'] });
    if (!started.started) throw new Error('not started');
    await vi.waitFor(() => expect(events.some((e) => e.kind === 'point')).toBe(true), 60_000);
    sweeps.cancel(started.id);
    const end = await finished(60_000);
    expect(end.record.status).toBe('cancelled');
    const side = end.record.sides[0];
    expect(side.points.length).toBeGreaterThanOrEqual(1);
    expect(side.points.length + side.skipped.length).toBe(4);
    expect(side.skipped.every((k) => k.reason === 'cancelled')).toBe(true);
    await vi.waitFor(() => expect(() => process.kill(pids[0], 0)).toThrow());
  });
});
