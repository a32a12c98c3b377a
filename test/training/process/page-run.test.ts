import { describe, expect, it } from 'vitest';
import { describeReason } from '../../../electron/shared/describe-reason';
import { loadMnist } from '../../../electron/training/core/dataset';
import { REFERENCE_CONFIG } from '../../../electron/training/core/config';
import { withPageData } from '../../../electron/training/process/page-run';
import { bytesToPixels } from '../../../electron/training/core/pixels';
import type { ParentMessage } from '../../../electron/training/process/protocol';
import { RunFailure, startRun } from '../../../electron/training/process/run-worker';
import { type ExitInfo, type WorkerTransport } from '../../../electron/training/process/worker-transport';
import { probeEngine } from '../../../electron/training/process/probe-engine';

function fakePage() {
  const sent: ParentMessage[] = [];
  const listeners: ((m: unknown) => void)[] = [];
  let killed = 0;
  const page: WorkerTransport & { say(m: unknown): void } = {
    send: (m) => sent.push(m),
    onMessage: (l) => listeners.push(l),
    onExit: (_l: (info: ExitInfo) => void) => undefined,
    kill: () => void killed++,
    say: (m) => listeners.forEach((l) => l(m)),
  };
  return { page, sent, killed: () => killed };
}

const config = {
  ...REFERENCE_CONFIG,
  device: 'gpu' as const,
  epochs: 1,
  batchSize: 64,
  lr: 0.01,
  momentum: 0.9,
  seed: 1,
  limit: 100,
  testLimit: 50,
};

describe('a GPU page run gets its data from main', () => {
  it('as bytes that turn back into exactly the pixels a worker trains on, with plain Uint8Array labels', async () => {
    const { page, sent } = fakePage();
    withPageData(page).send({ type: 'start', config });
    await expect.poll(() => sent.length).toBe(1);
    const start = sent[0] as Extract<ParentMessage, { type: 'start' }>;
    const want = await loadMnist({ limit: 100, testLimit: 50 });
    expect(start.data!.train.count).toBe(100);
    expect(start.data!.test.count).toBe(50);
    expect(start.data!.train.labels.constructor).toBe(Uint8Array);
    expect(start.data!.train.pixels.constructor).toBe(Uint8Array);
    expect(Array.from(start.data!.train.labels)).toEqual(Array.from(want.train.labels));
    expect(bytesToPixels(start.data!.train.pixels)).toEqual(want.train.images);
    expect(bytesToPixels(start.data!.test.pixels)).toEqual(want.test.images);
    expect(start.dataLoadMs).toBeGreaterThan(0);
  });

  it('a dataset problem ends the run as a dataset error; other messages pass through untouched', async () => {
    const { page, sent } = fakePage();
    const run = withPageData(page);
    const heard: unknown[] = [];
    run.onMessage((m) => heard.push(m));
    run.send({ type: 'start', config: { ...config, dataDir: '/nonexistent/athanor-mnist' } });
    await expect.poll(() => heard.length).toBe(1);
    expect(heard[0]).toMatchObject({ type: 'error', code: 'dataset' });
    // The loader's own words (a path, the file system's error) travel inside an 'error' reason.
    expect(heard[0]).toMatchObject({
      reason: { code: 'error', message: expect.stringContaining('/nonexistent/athanor-mnist') },
    });
    expect(sent).toEqual([]);
    run.send({ type: 'cancel' });
    expect(sent).toEqual([{ type: 'cancel' }]);
  });

  // The members (a done without a result, a ready without an engine, a progress without progress) and more
  // of their kind: unknown types, wrong field types, NaN where a number is needed, a non-object.
  const engine = { engine: 'webgpu', device: 'gpu', backend: 'webgpu', version: '4.22.0' };
  const progress = {
    epoch: 1,
    epochs: 1,
    batch: 1,
    batchesPerEpoch: 2,
    step: 1,
    totalSteps: 2,
    loss: 2.3,
    imagesPerSecond: 10,
    elapsedMs: 0,
    etaMs: 5,
  };
  const bad: [string, unknown, string][] = [
    ['a done without a result', { type: 'done', result: null }, 'a "done" message: result must be an object, got null'],
    [
      'a ready without an engine',
      { type: 'ready', timings: { engineStartMs: 1 } },
      'a "ready" message: engine must be an object, got undefined',
    ],
    [
      'a progress without progress',
      { type: 'progress' },
      'a "progress" message: progress must be an object, got undefined',
    ],
    [
      'a NaN loss',
      { type: 'progress', progress: { ...progress, loss: Number.NaN } },
      'a "progress" message: progress.loss must be a finite number, got NaN',
    ],
    [
      'a step past the end',
      { type: 'progress', progress: { ...progress, step: 3 } },
      'progress.step must be a whole number from 1 to 2, got 3',
    ],
    [
      'a string where a number goes',
      { type: 'epoch', summary: { epoch: '1', meanLoss: 1, ms: 1, imagesPerSecond: 1 } },
      'summary.epoch must be a whole number of at least 1, got "1"',
    ],
    [
      'an unknown engine',
      { type: 'ready', engine: { ...engine, engine: 'cuda-9' }, timings: { engineStartMs: 1 } },
      'engine.engine must be one of',
    ],
    ['an unknown type', { type: 'rm -rf' }, 'a message: its type "rm -rf" is not one of "ready", "progress"'],
    [
      'an extra key',
      { type: 'loss-window', window: { epoch: 1, batch: 100, meanLoss: 1 }, eval: 'x' },
      'a "loss-window" message: it has unknown key "eval"',
    ],
    ['null', null, 'a message: it must be an object, got null'],
    ['a string', 'done', 'a message: it must be an object, got "done"'],
    [
      'an error of an unknown code',
      { type: 'error', message: 'x', code: 'reboot' },
      'code must be one of "engine-unavailable"',
    ],
  ];

  it.each(bad)('%s ends the run with the reason, and the page is closed', async (_name, message, reason) => {
    const { page, killed } = fakePage();
    const run = startRun(() => withPageData(page), config);
    page.say({ type: 'ready', engine, timings: { engineStartMs: 1 } });
    page.say(message);
    const err = await run.outcome.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RunFailure);
    expect((err as RunFailure).kind).toBe('failed');
    expect((err as RunFailure).message).toMatch(/^the GPU page sent a message Athanor cannot use \(/);
    expect((err as RunFailure).message).toContain(reason);
    expect((err as RunFailure).message).toMatch(/\), so the run was stopped$/);
    expect((err as RunFailure).engine).toMatchObject({ engine: 'webgpu' }); // the good ready before it still counts
    expect(killed()).toBe(1);
    page.say({ type: 'done', result: null }); // what comes after the end is not heard
    expect(killed()).toBe(1);
  });

  it('a probe answered with a bad message is "not ready" with the reason, never a throw', async () => {
    for (const [answer, reason] of [
      [
        { type: 'probe-result', device: 'gpu', ok: true },
        /^the GPU page sent a message Athanor cannot use \(a "probe-result" message: engine must be an object, got undefined\)$/,
      ],
      [
        {
          type: 'probe-result',
          device: 'gpu',
          ok: false,
          browserEngines: { webgpu: { ok: true }, webgl: { ok: false, reason: { code: 'webgl-unavailable' } } },
        },
        /reason must be a reason \(a code with its data\), got undefined/,
      ],
      [
        {
          type: 'probe-result',
          device: 'gpu',
          ok: false,
          reason: { code: 'no-gpu-engine' },
          browserEngines: { webgpu: { ok: 'yes' }, webgl: null },
        },
        /browserEngines\.webgpu\.ok must be true or false, got "yes"/,
      ],
    ] as const) {
      const { page } = fakePage();
      const probing = probeEngine(() => withPageData(page), 'gpu');
      page.say(answer);
      const outcome = await probing;
      expect(outcome.ok).toBe(false);
      expect(outcome.reason && describeReason(outcome.reason)).toMatch(reason);
    }
  });

  it('a probe that never answers is "not ready" after its time, and its page is stopped', async () => {
    const { page, killed } = fakePage();
    const outcome = await probeEngine(() => withPageData(page), 'gpu', {}, 50);
    expect(outcome).toEqual({ ok: false, reason: { code: 'probe-timeout', peer: 'page', seconds: 0.05 } });
    expect(describeReason(outcome.reason!)).toBe('the GPU page did not answer within 0.05 s while checking the engine');
    expect(killed()).toBe(1);
    page.say({ type: 'probe-result', ok: true, engine }); // a late answer changes nothing
    expect(killed()).toBe(1);
  });

  it('a callback that throws on a good message fails the run with the reason, never the caller', async () => {
    const { page, killed } = fakePage();
    const run = startRun(() => withPageData(page), config, {
      onProgress: () => {
        throw new TypeError('chart is gone');
      },
    });
    page.say({ type: 'ready', engine, timings: { engineStartMs: 1 } });
    expect(() => page.say({ type: 'progress', progress })).not.toThrow();
    const err = await run.outcome.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunFailure);
    expect((err as RunFailure).reason).toEqual({
      code: 'run-message-unusable',
      peer: 'page',
      type: 'progress',
      detail: 'chart is gone',
    });
    expect((err as RunFailure).message).toBe(
      `the GPU page's "progress" message could not be used (chart is gone), so the run was stopped`,
    );
    expect(killed()).toBe(1);
  });

  it("a good message a run has no use for (a sweep's end) fails the run with where it belongs", async () => {
    const { page, killed } = fakePage();
    const run = startRun(() => withPageData(page), config);
    page.say({ type: 'ready', engine, timings: { engineStartMs: 1 } });
    page.say({ type: 'sweep-done', sweep: { points: [], skipped: [] } });
    const err = await run.outcome.catch((e: unknown) => e);
    expect((err as RunFailure).reason).toEqual({
      code: 'run-message-out-of-place',
      peer: 'page',
      type: 'sweep-done',
      where: 'sweep-in-run',
    });
    expect((err as RunFailure).message).toBe(
      `the GPU page's "sweep-done" message could not be used (it belongs to a sweep, not a run), so the run was stopped`,
    );
    expect(killed()).toBe(1);
  });

  it('good messages pass, as fresh copies holding only the checked fields', async () => {
    const { page } = fakePage();
    const heard: unknown[] = [];
    const run = startRun(() => withPageData(page), config, {
      onReady: (e) => heard.push(e),
      onProgress: (p) => heard.push(p),
    });
    const sentEngine = {
      ...engine,
      adapter: { vendor: 'google', name: 'SwiftShader', api: 'Vulkan', software: true },
      fallbackReason: undefined,
    };
    page.say({ type: 'ready', engine: sentEngine, timings: { engineStartMs: 1 } });
    page.say({ type: 'progress', progress });
    expect(heard).toEqual([{ ...engine, adapter: sentEngine.adapter }, progress]);
    expect(heard[0]).not.toBe(sentEngine);
    expect(Object.keys(heard[0] as object)).not.toContain('fallbackReason');
    run.stop();
    await expect(run.outcome).rejects.toThrow('the training process was stopped');
  });
});
