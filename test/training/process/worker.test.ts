import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../electron/training/core/config';
import type { Progress } from '../../../electron/training/process/protocol';
import { describeReason } from '../../../electron/shared/describe-reason';
import { describeSkipped } from '../../../electron/shared/describe-skipped';
import type { Reason } from '../../../electron/shared/reasons';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism, tmpdir } from 'node:os';
import { nativeBuilt } from '../engines/native-helpers';
import { BUILT } from '../cli/helpers';
import { RunFailure, startRun, startSweep } from '../../../electron/training/process/run-worker';
import { exitReason, forkWorker as forkSource, workerEntry } from '../../../electron/training/process/worker-transport';
import { probeEngine } from '../../../electron/training/process/probe-engine';

/** The bundled worker, as the app starts it; the tsx entry (workerEntry without a build) has a test of its own. */
const forkWorker = (entry: { file: string; execArgv: string[] } = BUILT.worker) => forkSource(entry);

/** A reason in the words a user sees. */
const said = (reason: Reason | undefined): string | undefined => (reason ? describeReason(reason) : undefined);

// Real worker processes (child_process.fork), real MNIST subsets. Each test asks for the engine it means: the wasm
// engine (preferFallback) unless it is about choosing; native.test.ts trains on tfjs-node.
const WASM = { preferFallback: true } as const;
const small = (over: object = {}) =>
  validateConfig({ epochs: 1, batchSize: 32, lr: 0.01, limit: 640, testLimit: 500, ...over });

async function failure(promise: Promise<unknown>): Promise<RunFailure> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(RunFailure);
    return err as RunFailure;
  }
  throw new Error('expected the run to fail');
}

describe('training worker process', () => {
  it('trains in its own process and sends back results and weights', async () => {
    const progress: Progress[] = [];
    let engineName = '';
    const run = startRun(
      forkWorker,
      small(),
      {
        onReady: (engine) => (engineName = engine.engine),
        onProgress: (p) => progress.push(p),
      },
      WASM,
    );
    const { result, model } = await run.outcome;
    expect(engineName).toBe('wasm');
    expect(result.status).toBe('done');
    expect(said(result.engine.fallbackReason)).toBe('the fallback engine was asked for');
    expect(result.engine.threads).toBe(availableParallelism());
    expect(result.evaluation!.accuracy).toBeGreaterThan(0.2); // 20 batches; chance is 0.1
    expect(result.timings.engineStartMs).toBeGreaterThan(0);
    expect(result.timings.dataLoadMs).toBeGreaterThan(0);
    expect(progress.at(-1)!.step).toBe(20);
    // 'advanced' serialization keeps the weights as typed arrays across the process boundary.
    expect(model!.weights[0].data).toBeInstanceOf(Float32Array);
    expect(model!.weights[0].data.length).toBe(288);
  });

  it('reports a killed worker with its signal, never as a hang', async () => {
    let killed = false;
    let pid = 0;
    const workerSpawn = () => {
      const t = forkWorker();
      pid = (t as unknown as { pid?: number }).pid ?? 0;
      return t;
    };
    const run = startRun(
      workerSpawn,
      small({ limit: 6400 }),
      {
        onProgress: () => {
          if (!killed) {
            killed = true;
            process.kill(pid, 'SIGKILL');
          }
        },
      },
      WASM,
    );
    const err = await failure(run.outcome);
    expect(err.kind).toBe('worker-crashed');
    expect(err.reason).toEqual({ code: 'worker-killed', signal: 'SIGKILL' });
    expect(err.message).toBe('the training process was killed by SIGKILL (out of memory, or killed by the system)');
    expect(err.engine?.engine).toBe('wasm');
  });

  it('cancels at the next batch', async () => {
    let cancelled = false;
    const run = startRun(forkWorker, small({ limit: 6400 }), {
      onProgress: () => {
        if (!cancelled) {
          cancelled = true;
          run.cancel();
        }
      },
    });
    const { result, model } = await run.outcome;
    expect(result.status).toBe('cancelled');
    expect(model).toBeNull();
    // Made in the worker's loop, carried through the 'done' message and its check.
    expect(result.reason).toMatchObject({ code: 'run-cancelled', totalSteps: 200 });
    expect(said(result.reason)).toMatch(/^cancelled after \d+ of 200 batches$/);
  });

  it('ends a run whose loss explodes as diverged, with where and what the loss became', async () => {
    const { result, model } = await startRun(forkWorker, small({ lr: 1e30 }), {}, WASM).outcome;
    expect(result.status).toBe('diverged');
    expect(model).toBeNull();
    expect(result.reason).toMatchObject({
      code: 'loss-exploded',
      epoch: 1,
      loss: expect.stringMatching(/^(NaN|Infinity)$/),
    });
    expect(said(result.reason)).toMatch(/^training diverged: the loss became (NaN|infinite) at epoch 1, batch \d+/);
  });

  it('refuses a second job while it runs one: the worker says it is busy', async () => {
    // The real worker, sent the start twice: it answers the second with its refusal, which ends the run.
    const twice = () => {
      const t = forkWorker();
      return { ...t, send: (m: Parameters<typeof t.send>[0]) => (t.send(m), m.type === 'start' && t.send(m)) };
    };
    const err = await failure(startRun(twice, small(), {}, WASM).outcome);
    expect(err.kind).toBe('failed');
    expect(err.reason).toEqual({ code: 'worker-busy', peer: 'worker' });
    expect(err.message).toBe('this worker is already busy');
  });

  it('names how a worker that dies without a word ended: its exit code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'athanor-exit-'));
    try {
      const file = join(dir, 'exits.cjs');
      writeFileSync(file, 'process.exitCode = 134; process.disconnect();\n');
      const err = await failure(startRun(() => forkWorker({ file, execArgv: [] }), small()).outcome);
      expect(err.kind).toBe('worker-crashed');
      expect(err.reason).toEqual({ code: 'worker-exited', exitCode: 134 });
      expect(err.message).toBe('the training process exited unexpectedly with code 134');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops a run whose worker answers a probe mid-run, or sends what fails its check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'athanor-stray-'));
    try {
      const probe = join(dir, 'probe.cjs');
      writeFileSync(
        probe,
        "process.on('message', () => process.send({ type: 'probe-result', device: 'cpu', ok: false, reason: { code: 'no-reason' } }));\n",
      );
      const answered = await failure(startRun(() => forkWorker({ file: probe, execArgv: [] }), small()).outcome);
      expect(answered.reason).toEqual({ code: 'run-probe-answer', peer: 'worker' });
      expect(answered.message).toBe('the training process answered a probe during a run');
      const bad = join(dir, 'bad.cjs');
      writeFileSync(bad, "process.on('message', () => process.send({ type: 'done', result: null, model: null }));\n");
      const refused = await failure(startRun(() => forkWorker({ file: bad, execArgv: [] }), small()).outcome);
      expect(refused.reason).toMatchObject({ code: 'run-bad-message', peer: 'worker' });
      expect(refused.message).toMatch(
        /^the training process sent a message Athanor cannot use \(a "done" message: result must be an object, got null\), so the run was stopped$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a GPU run without the GPU engine and says why, never training on the CPU', async () => {
    let readied = false;
    const err = await failure(
      startRun(forkWorker, small({ device: 'gpu' }), { onReady: () => (readied = true) }).outcome,
    );
    expect(err.kind).toBe('engine-unavailable');
    expect(err.message).toMatch(/@tensorflow\/tfjs-node-gpu is not installed/);
    expect(readied).toBe(false);
  });

  it('names the dataset problem', async () => {
    const err = await failure(startRun(forkWorker, small({ dataDir: '/nonexistent/mnist' })).outcome);
    expect(err.kind).toBe('dataset');
    expect(err.message).toMatch(/\/nonexistent\/mnist/);
  });

  it("names it in the language the start message asks for (the app's, read as each start is sent)", async () => {
    // The tsx entry: the worker as the source has it. A getter, as main's options have, read as the message leaves.
    const options = {
      ...WASM,
      get language() {
        return 'zh-CN' as const;
      },
    };
    const fromSource = () => forkSource(workerEntry());
    const err = await failure(startRun(fromSource, small({ dataDir: '/nonexistent/mnist' }), {}, options).outcome);
    expect(err.kind).toBe('dataset');
    expect(err.message).toBe('/nonexistent/mnist：不存在');
  });

  it('rejects invalid settings that reach the worker', async () => {
    const bad = { ...small(), epochs: 0 };
    const err = await failure(startRun(forkWorker, bad).outcome);
    expect(err.kind).toBe('invalid-config');
    expect(err.message).toMatch(/epochs must be a whole number/);
  });

  it('probes engines without training', async () => {
    // The worker from its TypeScript source through tsx, as `npm run train` starts it; the other tests fork the bundle.
    const cpu = await probeEngine(() => forkSource(), 'cpu');
    expect(cpu.ok).toBe(true);
    // The native engine where it is built (and proven to train), else the fallback saying why.
    if (nativeBuilt) expect(cpu.engine).toMatchObject({ engine: 'tfjs-node', threads: availableParallelism() });
    else {
      expect(cpu.engine?.engine).toBe('wasm');
      expect(said(cpu.engine?.fallbackReason)).toMatch(/tfjs-node is not installed/);
    }
    const gpu = await probeEngine(forkWorker, 'gpu');
    expect(gpu.ok).toBe(false);
    expect(said(gpu.reason)).toMatch(/tfjs-node-gpu is not installed/);
  });

  it('starts the TypeScript worker through tsx by absolute path, whatever the working directory', () => {
    const entry = workerEntry();
    expect(entry.file.endsWith('worker.ts')).toBe(true);
    expect(entry.execArgv[0]).toBe('--import');
    expect(entry.execArgv[1]).toMatch(/^file:\/\/.*\/tsx\/dist\/loader\.mjs$/);
    expect(existsSync(fileURLToPath(entry.execArgv[1]))).toBe(true);
  });

  it('gives an exit as a code with its data, and words it', () => {
    expect(exitReason({ code: 134, signal: null })).toEqual({ code: 'worker-exited', exitCode: 134 });
    expect(said(exitReason({ code: 134, signal: null }))).toBe(
      'the training process exited unexpectedly with code 134',
    );
    expect(exitReason({ code: null, signal: 'SIGSEGV' })).toEqual({ code: 'worker-killed', signal: 'SIGSEGV' });
    expect(said(exitReason({ code: null, signal: 'SIGSEGV' }))).toBe('the training process was killed by SIGSEGV');
    const crashed = { code: 'page-crashed', why: 'oom', exitCode: 9 } as const;
    expect(exitReason({ code: 9, signal: null, reason: crashed })).toBe(crashed);
  });
});

describe('a batch-size sweep in a worker process', () => {
  it('times each size on real images, streams the points, and leaves no tensor behind', async () => {
    const streamed: number[] = [];
    let ready = '';
    const sweep = startSweep(
      forkWorker,
      { device: 'cpu' },
      { batchSizes: [16, 64, 4096], timedSteps: 2, warmupSteps: 1 },
      {
        onReady: (engine) => (ready = engine.engine),
        onPoint: (point) => streamed.push(point.batchSize),
      },
      WASM,
    );
    const outcome = await sweep.outcome;
    expect(ready).toBe('wasm');
    expect(outcome.engine.engine).toBe('wasm');
    expect(streamed).toEqual([16, 64]);
    expect(outcome.points.map((p) => [p.batchSize, p.steps, p.tensorsLeft])).toEqual([
      [16, 2, 0],
      [64, 2, 0],
    ]);
    for (const p of outcome.points) expect(p.imagesPerSecond).toBeCloseTo(p.batchSize / (p.msPerStep / 1000), 6);
    // The wasm engine's heap holds batches of up to 3,584 images: the sweep says so rather than failing.
    expect(outcome.skipped).toEqual([{ batchSize: 4096, reason: 'engine-limit', engine: 'wasm', limit: 3584 }]);
    expect(describeSkipped(outcome.skipped[0])).toBe('more than the wasm engine can hold (3584)');
  });

  it('stops at the next size when cancelled, and says which sizes it left', async () => {
    const sweep = startSweep(
      forkWorker,
      { device: 'cpu' },
      { batchSizes: [8, 16, 32, 64], timedSteps: 1, warmupSteps: 0 },
      {
        onPoint: () => sweep.cancel(),
      },
      WASM,
    );
    const outcome = await sweep.outcome;
    expect(outcome.points.length).toBeGreaterThanOrEqual(1);
    expect(outcome.points.length + outcome.skipped.length).toBe(4);
    expect(outcome.skipped.every((s) => s.reason === 'cancelled')).toBe(true);
  });
});
