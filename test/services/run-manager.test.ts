import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Curve } from '../../electron/services/curve';
import { HistoryStore } from '../../electron/services/history-store';
import { RunManager, type RunManagerOptions } from '../../electron/services/run-manager';
import { CANCELLED_BEFORE_START } from '../../electron/services/run-record';
import type { RunRecord, TrainRequest, TrainingEvent } from '../../electron/shared/ipc-contract';
import { RUN_ID_PATTERN } from '../../electron/shared/validate';
import { REFERENCE_CONFIG } from '../../electron/training/core/config';
import { withPageData } from '../../electron/training/process/page-run';
import { BUILT } from '../training/cli/helpers';
import { forkWorker } from '../../electron/training/process/worker-transport';
import { fakeSpawner, makeResult } from './fake-worker';
import { makeModel } from './fixtures';
import { describeRunEnd } from '../../electron/shared/describe-reason';

const CPU: TrainRequest = {
  ...REFERENCE_CONFIG,
  device: 'cpu',
  epochs: 1,
  batchSize: 64,
  lr: 0.01,
  momentum: 0.9,
  seed: 1,
  limit: 640,
};
const HW = { cpu: 'Intel Xeon', gpu: 'NVIDIA H200' };

let dir: string;
let history: HistoryStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'athanor-runs-'));
  history = await HistoryStore.open(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function manager(spawn: RunManagerOptions['spawn'], extra: Partial<RunManagerOptions> = {}) {
  const events: TrainingEvent[] = [];
  const runs = new RunManager({ spawn, history, hardware: () => HW, sink: (e) => events.push(e), ...extra });
  return { runs, events, kinds: () => events.map((e) => `${e.kind}:${'id' in e ? e.id.slice(-10) : ''}`) };
}
const onDisk = async () => JSON.parse(await readFile(join(dir, 'history.json'), 'utf8')).records;

/** A row as the app shows it: why it ended in the words describeRunEnd gives (rows hold the reason as a code). */
function shown<R extends RunRecord | undefined>(row: R): R {
  return (row && { ...row, message: describeRunEnd(row)?.words ?? null }) as R;
}

describe('RunManager with a scripted worker', () => {
  it('runs a job: events in order, row written as running first, then done with weights', async () => {
    const { spawn, workers } = fakeSpawner();
    const { runs, events } = manager(spawn, { testLimit: 500 });
    const { id, queue } = runs.enqueue(CPU);
    expect(RUN_ID_PATTERN.test(id)).toBe(true);
    expect(queue).toEqual({ running: { id, device: 'cpu' }, queued: [] });
    expect(workers[0].config).toEqual({ ...CPU, testLimit: 500 });
    await vi.waitFor(async () =>
      expect((await onDisk()).map((r: { status: string }) => r.status)).toEqual(['running']),
    );

    workers[0].train(3);
    await runs.idle();
    expect(events.map((e) => e.kind)).toEqual([
      'queued',
      'started',
      'engine',
      'progress',
      'progress',
      'progress',
      'loss-window',
      'epoch',
      'finished',
    ]);
    const finished = events.at(-1) as Extract<TrainingEvent, { kind: 'finished' }>;
    expect(finished.queue).toEqual({ running: null, queued: [] });
    const row = history.get(id)!;
    expect(finished.record).toEqual(row);
    expect(row).toMatchObject({
      status: 'done',
      device: 'cpu',
      hardware: 'Intel Xeon',
      trainImages: 640,
      secondsPerEpoch: 2,
      imagesPerSecond: 320,
      finalLoss: 0.9,
      accuracy: 0.8,
      hasWeights: true,
      message: null,
      engine: { engine: 'wasm' },
      settings: CPU,
    });
    // Each point carries the loop's clock of its batch (the scripted worker reports 10 ms a batch).
    expect(row.curve).toEqual([
      { step: 1, loss: 2.3, ms: 10 },
      { step: 2, loss: 1.15, ms: 20 },
      { step: 3, loss: 2.3 / 3, ms: 30 },
    ]);
    const stored = (await history.loadWeights(id)).weights[4].data;
    expect(
      Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength).equals(
        Buffer.from(makeModel(3).weights[4].data.buffer),
      ),
    ).toBe(true);
    expect((await onDisk())[0].status).toBe('done');
    expect(workers[0].killed).toBe(true);
  });

  it('a done run whose weights the history cannot write says so in its row, as a code', async () => {
    const { spawn, workers } = fakeSpawner();
    const { runs } = manager(spawn);
    const saveWeights = vi.spyOn(history, 'saveWeights').mockResolvedValueOnce('the disk is full');
    const kept = runs.enqueue(CPU).id;
    workers[0].train(3);
    await runs.idle();
    expect(history.get(kept)).toMatchObject({
      status: 'done',
      hasWeights: true,
      message: null,
      reason: { code: 'weights-in-memory', detail: 'the disk is full' },
    });
    expect(shown(history.get(kept))!.message).toBe(
      'the trained weights could not be stored (the disk is full): export them before closing Athanor',
    );
    saveWeights.mockRejectedValueOnce(new Error('EIO: i/o error'));
    const lost = runs.enqueue(CPU).id;
    await vi.waitFor(() => expect(workers).toHaveLength(2));
    workers[1].train(3);
    await runs.idle();
    expect(history.get(lost)).toMatchObject({
      status: 'done',
      hasWeights: false,
      reason: { code: 'weights-not-stored', detail: 'EIO: i/o error' },
    });
    expect(shown(history.get(lost))!.message).toBe('the trained weights could not be stored: EIO: i/o error');
  });

  it('one run at a time, first in first out; compare queues CPU then GPU with the same settings', async () => {
    const { spawn, workers } = fakeSpawner();
    const { runs, kinds } = manager(spawn);
    const first = runs.enqueue(CPU).id;
    const { ids, queue } = runs.compare({ ...CPU, epochs: 2 });
    expect(queue).toEqual({
      running: { id: first, device: 'cpu' },
      queued: [
        { id: ids[0], device: 'cpu' },
        { id: ids[1], device: 'gpu' },
      ],
    });
    expect(workers).toHaveLength(1);
    workers[0].train(1);
    await vi.waitFor(() => expect(workers).toHaveLength(2));
    expect(workers[1].config).toEqual({ ...CPU, epochs: 2 });
    workers[1].train(1);
    await vi.waitFor(() => expect(workers).toHaveLength(3));
    expect(workers[2].config).toEqual({ ...CPU, epochs: 2, device: 'gpu' });
    workers[2].train(1, 'done', { engine: 'tfjs-node-gpu', device: 'gpu', backend: 'tensorflow', version: '4.22.0' });
    await runs.idle();
    const order = kinds().filter((k) => k.startsWith('started') || k.startsWith('finished'));
    const short = (id: string) => id.slice(-10);
    expect(order).toEqual(
      [first, first, ids[0], ids[0], ids[1], ids[1]].map((id, i) => `${i % 2 ? 'finished' : 'started'}:${short(id)}`),
    );
    expect(history.state().records.map((r) => [r.device, r.hardware, r.status])).toEqual([
      ['cpu', 'Intel Xeon', 'done'],
      ['cpu', 'Intel Xeon', 'done'],
      ['gpu', 'NVIDIA H200', 'done'],
    ]);
  });

  it('cancel stops the running run: the worker is told, and its cancelled result becomes the row', async () => {
    const { spawn, workers } = fakeSpawner((w, m) => {
      if (m.type === 'cancel') w.emit({ type: 'done', result: makeResult(w.config, 'cancelled'), model: null });
    });
    const { runs } = manager(spawn);
    const { id } = runs.enqueue(CPU);
    workers[0].emit({ type: 'ready', engine: makeResult(CPU, 'done').engine, timings: { engineStartMs: 1 } });
    expect(await runs.cancel(id)).toEqual({ cancelled: true });
    await runs.idle();
    expect(workers[0].sent.map((m) => m.type)).toEqual(['start', 'cancel']);
    expect(history.get(id)).toMatchObject({ status: 'cancelled', hasWeights: false });
    expect(await runs.cancel(id)).toEqual({ cancelled: false });
  });

  it('a worker that ignores cancel is killed after the grace period, and the row says cancelled', async () => {
    const { spawn, workers } = fakeSpawner();
    const { runs } = manager(spawn, { cancelGraceMs: 20 });
    const { id } = runs.enqueue(CPU);
    await runs.cancel(id);
    await runs.idle();
    expect(workers[0].killed).toBe(true);
    expect(history.get(id)).toMatchObject({ status: 'cancelled', message: null, reason: { code: 'run-stopped' } });
    expect(shown(history.get(id))).toMatchObject({ status: 'cancelled', message: 'the training process was stopped' });
  });

  it('cancelling a waiting run takes it off the queue and records it as cancelled; the running one goes on', async () => {
    const { spawn, workers } = fakeSpawner();
    const { runs, events } = manager(spawn);
    const running = runs.enqueue(CPU).id;
    const waiting = runs.enqueue({ ...CPU, device: 'gpu' }).id;
    expect(await runs.cancel(waiting)).toEqual({ cancelled: true });
    const finished = events.at(-1) as Extract<TrainingEvent, { kind: 'finished' }>;
    expect(finished).toMatchObject({ kind: 'finished', id: waiting, queue: { running: { id: running }, queued: [] } });
    expect(finished.record).toMatchObject({ reason: CANCELLED_BEFORE_START, message: null });
    expect(shown(finished.record)).toMatchObject({
      status: 'cancelled',
      message: 'cancelled before it started',
      device: 'gpu',
      hardware: 'NVIDIA H200',
    });
    workers[0].train(2);
    await runs.idle();
    expect(workers).toHaveLength(1);
    expect(history.state().records.map((r) => [r.id, r.status])).toEqual([
      [running, 'done'],
      [waiting, 'cancelled'],
    ]);
  });

  it('a crashed worker fails its run with the reason, and the queue moves on', async () => {
    const { spawn, workers } = fakeSpawner();
    const { runs } = manager(spawn);
    const a = runs.enqueue(CPU).id;
    const b = runs.enqueue(CPU).id;
    workers[0].emit({ type: 'ready', engine: makeResult(CPU, 'done').engine, timings: { engineStartMs: 1 } });
    workers[0].emit({
      type: 'progress',
      progress: {
        epoch: 1,
        epochs: 1,
        batch: 1,
        batchesPerEpoch: 10,
        step: 1,
        totalSteps: 10,
        loss: 2.3,
        imagesPerSecond: 1,
        elapsedMs: 1,
        etaMs: 1,
      },
    });
    workers[0].exit(134);
    await vi.waitFor(() => expect(workers).toHaveLength(2));
    expect(history.get(a)?.reason).toEqual({ code: 'worker-exited', exitCode: 134 });
    expect(shown(history.get(a))).toMatchObject({
      status: 'failed',
      message: 'the training process exited unexpectedly with code 134',
      engine: { engine: 'wasm' },
      curve: [{ step: 1, loss: 2.3 }],
    });
    workers[1].train(1);
    await runs.idle();
    expect(history.get(b)!.status).toBe('done');
  });

  it('an unavailable GPU engine, a diverged run and a spawn that throws all end as rows', async () => {
    const { spawn, workers } = fakeSpawner();
    const { runs } = manager(spawn);
    const gpu = runs.enqueue({ ...CPU, device: 'gpu' }).id;
    const missing = { code: 'native-not-installed', pkg: '@tensorflow/tfjs-node-gpu', packaged: true } as const;
    workers[0].emit({
      type: 'error',
      code: 'engine-unavailable',
      message: '@tensorflow/tfjs-node-gpu is not installed',
      reason: missing,
    });
    await vi.waitFor(() => expect(history.get(gpu)?.status).toBe('failed'));
    // The row keeps the code, not the worker's English; it is shown in the code's words.
    expect(history.get(gpu)).toMatchObject({ message: null, reason: missing });
    expect(shown(history.get(gpu))).toMatchObject({
      message: expect.stringMatching(/^@tensorflow\/tfjs-node-gpu is not installed/),
      engine: null,
      hardware: 'NVIDIA H200',
    });
    // The engine's reason stays a code in the row, on disk too, for the renderer to word.
    expect(history.get(gpu)?.reason).toEqual(missing);
    expect((await onDisk()).find((r: { id: string }) => r.id === gpu).reason).toEqual(missing);

    const diverged = runs.enqueue({ ...CPU, lr: 50 }).id;
    // The next worker starts once the failed row is stored: on a loaded machine, after the check above.
    await vi.waitFor(() => expect(workers).toHaveLength(2));
    workers[1].train(2, 'diverged');
    await runs.idle();
    expect(shown(history.get(diverged))).toMatchObject({
      status: 'diverged',
      hasWeights: false,
      message: /loss became NaN/,
    });

    const broken = manager(() => {
      throw new Error('the worker script is missing: out/main/worker.js');
    });
    const failed = broken.runs.enqueue(CPU).id;
    await broken.runs.idle();
    expect(shown(history.get(failed))).toMatchObject({
      status: 'failed',
      message: 'the worker script is missing: out/main/worker.js',
    });
  });

  it('keeps the curve at 1,000 points or fewer on a long run', async () => {
    const { spawn, workers } = fakeSpawner();
    const { runs, events } = manager(spawn);
    const { id } = runs.enqueue(CPU);
    workers[0].train(4321);
    await runs.idle();
    const curve = history.get(id)!.curve;
    expect(curve.length).toBeLessThanOrEqual(1000);
    expect(curve.length).toBeGreaterThan(500);
    expect(curve.at(-1)!.step).toBe(4321);
    expect(events.filter((e) => e.kind === 'progress')).toHaveLength(4321);
  });
});

describe('RunManager chooses where a GPU run trains', () => {
  const swiftshader = { vendor: 'google', name: 'SwiftShader', api: 'Vulkan', software: true };
  const WEBGPU = {
    engine: 'webgpu' as const,
    device: 'gpu' as const,
    backend: 'webgpu',
    version: '4.22.0',
    adapter: swiftshader,
  };

  it.each([
    ['cpu', undefined, true, 'worker'],
    ['gpu', 'auto', true, 'worker'],
    ['gpu', 'auto', false, 'page'],
    ['gpu', undefined, false, 'page'],
    ['gpu', 'cuda', false, 'worker'],
    ['gpu', 'webgpu', true, 'page'],
    ['gpu', 'webgl', true, 'page'],
  ] as const)('%s with GPU engine %s, CUDA ready: %s -> %s', async (device, gpuEngine, cuda, where) => {
    const workers = fakeSpawner();
    const pages = fakeSpawner();
    const { runs } = manager(workers.spawn, { spawnPage: pages.spawn, cudaReady: async () => cuda });
    runs.enqueue({ ...CPU, device, gpuEngine });
    await vi.waitFor(() => expect(workers.workers.length + pages.workers.length).toBe(1));
    expect(where === 'page' ? pages.workers.length : workers.workers.length).toBe(1);
    const started = (where === 'page' ? pages : workers).workers[0];
    expect(started.config.gpuEngine).toBe(gpuEngine);
    started.train(1);
    await runs.idle();
  });

  it('a cancel pressed while Auto waits for device detection ends the run at once, without a worker; the queue moves on', async () => {
    // Detection that never answers (a probe stuck in a native call): the cancel must not wait for it.
    const pages = fakeSpawner();
    const workers = fakeSpawner();
    const { runs } = manager(workers.spawn, {
      spawnPage: pages.spawn,
      cudaReady: () => new Promise<boolean>(() => undefined),
    });
    const { id } = runs.enqueue({ ...CPU, device: 'gpu', gpuEngine: 'auto' });
    const next = runs.enqueue(CPU).id;
    expect(await runs.cancel(id)).toEqual({ cancelled: true });
    await vi.waitFor(() => expect(workers.workers).toHaveLength(1), { timeout: 30_000 });
    expect(pages.workers).toHaveLength(0);
    expect(shown(history.get(id))).toMatchObject({ status: 'cancelled', reason: CANCELLED_BEFORE_START });
    workers.workers[0].train(1);
    await runs.idle();
    expect(history.get(next)!.status).toBe('done');
  });

  it("a page run's row names the adapter it ran on as its hardware", async () => {
    const pages = fakeSpawner();
    const { runs } = manager(fakeSpawner().spawn, { spawnPage: pages.spawn, cudaReady: async () => false });
    const { id } = runs.enqueue({ ...CPU, device: 'gpu', gpuEngine: 'webgpu' });
    await vi.waitFor(() => expect(pages.workers.length).toBe(1));
    pages.workers[0].train(3, 'done', WEBGPU);
    await runs.idle();
    const row = history.state().records.find((r) => r.id === id)!;
    expect(row.hardware).toBe('SwiftShader');
    expect(row.engine).toMatchObject({ engine: 'webgpu', adapter: swiftshader });
  });
});

describe('RunManager and a worker or GPU page that sends a message outside the protocol', () => {
  /** Deadlines for conditions, not sleeps: generous, for a loaded machine. */
  const SOON = { timeout: 30_000 };
  const engine = { engine: 'wasm', device: 'cpu', backend: 'wasm', version: '4.22.0' } as const;
  const shortKernel = () => {
    const model = makeModel(2);
    model.weights[4] = { ...model.weights[4], data: model.weights[4].data.subarray(1) };
    return model;
  };
  const progress = {
    epoch: 1,
    epochs: 1,
    batch: 1,
    batchesPerEpoch: 10,
    step: 1,
    totalSteps: 10,
    loss: 2.3,
    imagesPerSecond: 1,
    elapsedMs: 1,
    etaMs: 1,
  };
  const bad: [string, unknown, string][] = [
    [
      'a done whose result is null',
      { type: 'done', result: null },
      'a "done" message: result must be an object, got null',
    ],
    [
      'a ready with no engine',
      { type: 'ready', timings: { engineStartMs: 3 } },
      'a "ready" message: engine must be an object, got undefined',
    ],
    [
      'a progress with no progress',
      { type: 'progress' },
      'a "progress" message: progress must be an object, got undefined',
    ],
    [
      'a progress with an Infinity rate',
      { type: 'progress', progress: { ...progress, imagesPerSecond: Infinity } },
      'progress.imagesPerSecond must be a finite number of at least 0, got Infinity',
    ],
    [
      'an epoch whose loss is NaN',
      { type: 'epoch', summary: { epoch: 1, meanLoss: Number.NaN, ms: 5, imagesPerSecond: 1 } },
      'an "epoch" message: summary.meanLoss must be a finite number, got NaN',
    ],
    ['an unknown type', { type: 'shell', command: 'rm -rf ~' }, 'its type "shell" is not one of'],
    ['a message with no type', { result: {} }, 'a message: it has no "type"'],
    [
      'an error whose message is a number',
      { type: 'error', message: 42 },
      'message must be text of at most 100,000 characters, got 42',
    ],
    ['a done whose result is text', { type: 'done', result: 'x', model: null }, 'result must be an object, got "x"'],
    [
      'a done whose weights are numbers',
      { type: 'done', result: makeResult(CPU, 'done'), model: { weights: [1, 2], topology: {} } },
      'model.weights[0] must be an object, got 1',
    ],
    [
      'a done whose fc1 kernel is short',
      { type: 'done', result: makeResult(CPU, 'done'), model: shortKernel() },
      'model.weights: weight 4 should be fc1/kernel [1600,128], got fc1/kernel [1600,128] (204799 values)',
    ],
    [
      'a done whose accuracy is above 1',
      {
        type: 'done',
        result: { ...makeResult(CPU, 'done'), evaluation: { ...makeResult(CPU, 'done').evaluation, accuracy: 1.5 } },
        model: null,
      },
      'result.evaluation.accuracy must be a number from 0 to 1, got 1.5',
    ],
  ];

  it.each(bad)(
    '%s: the run fails with the reason, the queue moves on, and Cancel then stops the next run',
    async (_name, message, reason) => {
      const { spawn, workers } = fakeSpawner();
      const { runs, events } = manager(spawn, { cancelGraceMs: 20 });
      const [a, b, c] = [runs.enqueue(CPU).id, runs.enqueue(CPU).id, runs.enqueue(CPU).id];
      workers[0].emit({ type: 'ready', engine, timings: { engineStartMs: 1 } });
      expect(() => workers[0].say(message)).not.toThrow();
      await vi.waitFor(() => expect(workers).toHaveLength(2), SOON);
      expect(history.get(a)).toMatchObject({ status: 'failed', engine: { engine: 'wasm' } });
      expect(shown(history.get(a))!.message).toMatch(
        /^the training process sent a message Athanor cannot use \(.+\), so the run was stopped$/,
      );
      expect(shown(history.get(a))!.message).toContain(reason);
      expect(history.get(a)!.hasWeights).toBe(false);
      expect(workers[0].killed).toBe(true);
      const finished = events.find((e) => e.kind === 'finished' && e.id === a) as Extract<
        TrainingEvent,
        { kind: 'finished' }
      >;
      expect(finished.record.status).toBe('failed');

      // The next run's worker never answers the cancel: it is stopped after the grace period, and the third run starts.
      expect(await runs.cancel(b)).toEqual({ cancelled: true });
      await vi.waitFor(() => expect(workers).toHaveLength(3), SOON);
      expect(workers[1].sent.map((m) => m.type)).toEqual(['start', 'cancel']);
      expect(workers[1].killed).toBe(true);
      expect(shown(history.get(b))).toMatchObject({ status: 'cancelled', message: 'the training process was stopped' });
      workers[2].train(2);
      await runs.idle();
      expect(history.get(c)!.status).toBe('done');
      expect(runs.queue()).toEqual({ running: null, queued: [] });
    },
  );

  it("a GPU page's {type:'done', result:null} fails its run naming the page; the queued run starts", async () => {
    const pages = fakeSpawner();
    const workers = fakeSpawner();
    const { runs } = manager(workers.spawn, {
      spawnPage: () => withPageData(pages.spawn()),
      cudaReady: async () => false,
    });
    const gpu = runs.enqueue({ ...CPU, device: 'gpu', gpuEngine: 'webgpu' }).id;
    const cpu = runs.enqueue(CPU).id;
    // The page gets its start once main has loaded the run's real MNIST images.
    await vi.waitFor(() => expect(pages.workers[0]?.sent.map((m) => m.type)).toEqual(['start']), SOON);
    pages.workers[0].say({ type: 'done', result: null });
    await vi.waitFor(() => expect(workers.workers).toHaveLength(1), SOON);
    expect(shown(history.get(gpu))).toMatchObject({
      status: 'failed',
      message:
        'the GPU page sent a message Athanor cannot use (a "done" message: result must be an object, got null), so the run was stopped',
    });
    expect(pages.workers[0].killed).toBe(true);
    workers.workers[0].train(1);
    await runs.idle();
    expect(history.get(cpu)!.status).toBe('done');
  });

  it('a worker that ends neither on cancel nor on kill is still stopped: the run ends cancelled', async () => {
    // A transport whose kill reports no exit (a window already gone): the run must not wait on it.
    const { spawn, workers } = fakeSpawner();
    const deaf: RunManagerOptions['spawn'] = () => {
      const w = spawn() as ReturnType<typeof spawn> & { kill(): void };
      w.kill = () => undefined;
      return w;
    };
    const { runs } = manager(deaf, { cancelGraceMs: 20 });
    const a = runs.enqueue(CPU).id;
    const b = runs.enqueue(CPU).id;
    await runs.cancel(a);
    await vi.waitFor(() => expect(workers).toHaveLength(2), SOON);
    expect(shown(history.get(a))).toMatchObject({ status: 'cancelled', message: 'the training process was stopped' });
    workers[1].train(1);
    await runs.idle();
    expect(history.get(b)!.status).toBe('done');
  });
});

describe('Curve', () => {
  it('merges evenly and keeps the mean', () => {
    const curve = new Curve(4);
    for (let step = 1; step <= 10; step++) curve.add(step, step);
    // Groups of 2 after the first merge, of 4 after the second: (1..4), (5..8), then the open group (9, 10).
    expect(curve.snapshot()).toEqual([
      { step: 4, loss: 2.5 },
      { step: 8, loss: 6.5 },
      { step: 10, loss: 9.5 },
    ]);
    expect(() => new Curve(3)).toThrow(/even number/);
  });

  it("keeps the loop's clock of each point's last batch, and leaves it out when none was given", () => {
    const curve = new Curve(4);
    for (let step = 1; step <= 10; step++) curve.add(step, step, step * 9.5);
    expect(curve.snapshot()).toEqual([
      { step: 4, loss: 2.5, ms: 38 },
      { step: 8, loss: 6.5, ms: 76 },
      { step: 10, loss: 9.5, ms: 95 },
    ]);
    const old = new Curve(4);
    old.add(1, 2);
    expect(old.snapshot()).toEqual([{ step: 1, loss: 2 }]);
  });
});

describe('RunManager with the real worker process', () => {
  it('trains 640 real MNIST images for one epoch on the fallback engine and stores the result', async () => {
    const { runs, events } = manager(() => forkWorker(BUILT.worker), {
      testLimit: 500,
      workerOptions: { preferFallback: true },
    });
    const { id } = runs.enqueue({ ...CPU, lr: 0.01, batchSize: 32 });
    await runs.idle();
    const row = history.get(id)!;
    expect(row.message).toBeNull();
    expect(row.status).toBe('done');
    expect(row.engine?.engine).toBe('wasm');
    expect(row.trainImages).toBe(640);
    expect(row.finalLoss).toBeGreaterThan(0);
    expect(row.finalLoss).toBeLessThan(2.3);
    expect(row.accuracy).toBeGreaterThan(0.1);
    expect(row.evaluation?.count).toBe(500);
    expect(row.curve.length).toBeGreaterThan(0);
    expect(row.hasWeights).toBe(true);
    const model = await history.loadWeights(id);
    expect(model.weights.map((w) => w.name)[0]).toBe('conv1/kernel');
    expect(events.some((e) => e.kind === 'progress')).toBe(true);
    expect((await onDisk())[0]).toMatchObject({ id, status: 'done' });
  }, 180_000);
});
