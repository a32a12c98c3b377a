/**
 * The check of every message a training worker or GPU page sends main: what the real ones send passes as a fresh
 * copy, and each way a message can be wrong is refused in one bounded line naming the field.
 */
import { describe, expect, it } from 'vitest';
import { checkWorkerMessage, MessageError } from '../../electron/shared/schema/messages';
import { REFERENCE_CONFIG } from '../../electron/training/core/config';
import type { WorkerMessage } from '../../electron/training/process/protocol';
import { makeResult } from '../services/fake-worker';
import { makeModel } from '../services/fixtures';

const CONFIG = {
  ...REFERENCE_CONFIG,
  device: 'cpu' as const,
  epochs: 1,
  batchSize: 64,
  lr: 0.01,
  momentum: 0.9,
  seed: 1,
  limit: 640,
  testLimit: 500,
};
const ADAPTER = { vendor: 'google', name: 'SwiftShader Device (Subzero)', api: 'Vulkan', software: true };
const NATIVE = {
  engine: 'tfjs-node',
  device: 'cpu',
  backend: 'tensorflow',
  version: '4.22.0',
  libtensorflow: '2.21.0',
  threads: 2,
  features: 'libtensorflow 2.21.0, 2 threads',
} as const;
const WEBGPU = { engine: 'webgpu', device: 'gpu', backend: 'webgpu', version: '4.22.0', adapter: ADAPTER } as const;
const PROGRESS = {
  epoch: 2,
  epochs: 5,
  batch: 100,
  batchesPerEpoch: 938,
  step: 1038,
  totalSteps: 4690,
  loss: 0.31,
  imagesPerSecond: 5120.5,
  elapsedMs: 12_000,
  etaMs: 42_000,
};

function refused(message: unknown): string {
  try {
    checkWorkerMessage(message);
  } catch (err) {
    expect(err).toBeInstanceOf(MessageError);
    return (err as Error).message;
  }
  throw new Error(`accepted: ${JSON.stringify(message)}`);
}

describe('checkWorkerMessage accepts what the workers and pages send', () => {
  const mistakes = [{ index: 17, label: 4, predicted: 9, probability: 0.93 }];
  const result = {
    ...makeResult(CONFIG, 'done', WEBGPU),
    evaluation: { ...makeResult(CONFIG, 'done').evaluation!, mistakes },
  };
  const good: WorkerMessage[] = [
    { type: 'ready', engine: NATIVE, timings: { engineStartMs: 412.5 } },
    {
      type: 'ready',
      engine: {
        engine: 'wasm',
        device: 'cpu',
        backend: 'wasm',
        version: '4.22.0',
        fallbackReason: { code: 'native-not-installed', pkg: '@tensorflow/tfjs-node', packaged: false },
        threads: 16,
      },
      timings: { engineStartMs: 0 },
    },
    { type: 'progress', progress: PROGRESS },
    {
      type: 'progress',
      progress: { ...PROGRESS, step: 1, epoch: 1, batch: 1, elapsedMs: 0, etaMs: 0, imagesPerSecond: 0 },
    },
    { type: 'loss-window', window: { epoch: 1, batch: 100, meanLoss: 2.268 } },
    { type: 'epoch', summary: { epoch: 1, meanLoss: 0.5, ms: 8800, imagesPerSecond: 6818 } },
    { type: 'done', result, model: makeModel(3) },
    { type: 'done', result: makeResult(CONFIG, 'diverged'), model: null },
    { type: 'done', result: makeResult(CONFIG, 'cancelled'), model: null },
    { type: 'probe-result', device: 'cpu', ok: true, engine: NATIVE },
    { type: 'probe-result', device: 'gpu', ok: false, reason: { code: 'nvidia-smi-missing' } },
    {
      type: 'probe-result',
      device: 'gpu',
      ok: true,
      engine: WEBGPU,
      browserEngines: {
        webgpu: { ok: true, engine: WEBGPU },
        webgl: {
          ok: false,
          reason: { code: 'software-adapter', api: 'WebGL', adapter: 'SwiftShader' },
          adapter: ADAPTER,
        },
      },
    },
    { type: 'error', message: 'train-images-idx3-ubyte: not found', code: 'dataset' },
    { type: 'error', message: 'something broke' },
    {
      type: 'error',
      message: 'WebGL 2 is not available',
      code: 'engine-unavailable',
      reason: { code: 'webgl-unavailable' },
    },
  ];

  it.each(good.map((m) => [m.type, m] as const))('%s', (_type, message) => {
    const checked = checkWorkerMessage(message);
    expect(checked).toEqual(message);
    expect(checked).not.toBe(message);
  });

  it("keeps the weights' Float32Arrays as they are, and copies the rest", () => {
    const model = makeModel(4);
    const checked = checkWorkerMessage({ type: 'done', result: makeResult(CONFIG, 'done'), model }) as Extract<
      WorkerMessage,
      { type: 'done' }
    >;
    expect(checked.model!.weights[2].data).toBe(model.weights[2].data);
    expect(checked.model!.topology).toEqual(model.topology);
    expect(checked.model!.topology).not.toBe(model.topology);
    expect(checked.result.evaluation!.confusion).not.toBe(makeResult(CONFIG, 'done').evaluation!.confusion);
  });

  it('treats a key holding undefined as absent, as a structured clone may send it', () => {
    expect(checkWorkerMessage({ type: 'error', message: 'x', code: undefined })).toEqual({
      type: 'error',
      message: 'x',
    });
    expect(
      checkWorkerMessage({ type: 'ready', engine: { ...NATIVE, adapter: undefined }, timings: { engineStartMs: 1 } }),
    ).toEqual({ type: 'ready', engine: NATIVE, timings: { engineStartMs: 1 } });
  });
});

describe('checkWorkerMessage refuses, naming the message and the field', () => {
  const result = makeResult(CONFIG, 'done');
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const cases: [string, unknown, string][] = [
    ['nothing', undefined, 'a message: it must be an object, got undefined'],
    ['an array', [{ type: 'done' }], 'a message: it must be an object, got an array of 1 item'],
    [
      'a class instance',
      new (class Message {
        type = 'progress';
      })(),
      'a "progress" message: it must be a plain object',
    ],
    [
      'a type that is a number',
      { type: 3 },
      'a message: its type 3 is not one of "ready", "progress", "loss-window", "epoch", "done", "probe-result", "sweep-point", "sweep-done", "error"',
    ],
    [
      'a sweep point timed over no step',
      { type: 'sweep-point', point: { batchSize: 64, msPerStep: 20, imagesPerSecond: 3200, steps: 0, tensorsLeft: 0 } },
      'a "sweep-point" message: point.steps must be a whole number of at least 1, got 0',
    ],
    [
      'a sweep that skipped a size without a reason',
      { type: 'sweep-done', sweep: { points: [], skipped: [{ batchSize: 4096 }] } },
      'a "sweep-done" message: sweep.skipped[0].reason must be text of at most 100,000 characters, got undefined',
    ],
    [
      'a ready whose timings are missing',
      { type: 'ready', engine: NATIVE },
      'a "ready" message: timings must be an object, got undefined',
    ],
    [
      'a ready whose threads are 0',
      { type: 'ready', engine: { ...NATIVE, threads: 0 }, timings: { engineStartMs: 1 } },
      'engine.threads must be a whole number from 1 to 1024, got 0',
    ],
    [
      'a ready on a device that is not one',
      { type: 'ready', engine: { ...NATIVE, device: 'tpu' }, timings: { engineStartMs: 1 } },
      'engine.device must be one of "cpu", "gpu", got "tpu"',
    ],
    [
      'an adapter whose software flag is text',
      { type: 'ready', engine: { ...WEBGPU, adapter: { ...ADAPTER, software: 'no' } }, timings: { engineStartMs: 1 } },
      'engine.adapter.software must be true or false, got "no"',
    ],
    [
      'a negative start time',
      { type: 'ready', engine: NATIVE, timings: { engineStartMs: -1 } },
      'timings.engineStartMs must be a finite number of at least 0, got -1',
    ],
    [
      'a progress with a fractional batch',
      { type: 'progress', progress: { ...PROGRESS, batch: 1.5 } },
      'progress.batch must be a whole number from 1 to 938, got 1.5',
    ],
    [
      'a progress past its last epoch',
      { type: 'progress', progress: { ...PROGRESS, epoch: 6 } },
      'progress.epoch must be a whole number from 1 to 5, got 6',
    ],
    [
      'a progress whose eta is NaN',
      { type: 'progress', progress: { ...PROGRESS, etaMs: Number.NaN } },
      'progress.etaMs must be a finite number of at least 0, got NaN',
    ],
    [
      'a progress with a loss of -Infinity',
      { type: 'progress', progress: { ...PROGRESS, loss: -Infinity } },
      'progress.loss must be a finite number, got -Infinity',
    ],
    [
      'a progress with a key too many',
      { type: 'progress', progress: { ...PROGRESS, gpuTemp: 90 } },
      'progress has unknown key "gpuTemp"',
    ],
    [
      'a loss window whose loss is text',
      { type: 'loss-window', window: { epoch: 1, batch: 100, meanLoss: '2.3' } },
      'window.meanLoss must be a finite number, got "2.3"',
    ],
    [
      'a result of an unknown status',
      { type: 'done', result: { ...result, status: 'running' }, model: null },
      'result.status must be one of "done", "cancelled", "diverged", "failed", got "running"',
    ],
    [
      'a result whose settings are out of range',
      { type: 'done', result: { ...result, config: { ...CONFIG, epochs: 0 } }, model: null },
      'result.config: invalid training settings: epochs must be a whole number from 1 to 1000, got 0',
    ],
    [
      'a result missing a timing',
      { type: 'done', result: { ...result, timings: { ...result.timings, warmupMs: undefined } }, model: null },
      'result.timings.warmupMs must be a finite number of at least 0, got undefined',
    ],
    [
      'a result whose final loss is NaN',
      { type: 'done', result: { ...result, finalLoss: Number.NaN }, model: null },
      'result.finalLoss must be a finite number, got NaN',
    ],
    [
      'a confusion matrix of 9 rows',
      {
        type: 'done',
        result: { ...result, evaluation: { ...result.evaluation, confusion: result.evaluation!.confusion.slice(1) } },
        model: null,
      },
      'result.evaluation.confusion must have 10 entries, got 9',
    ],
    [
      'a mistake of class 10',
      {
        type: 'done',
        result: {
          ...result,
          evaluation: { ...result.evaluation, mistakes: [{ index: 1, label: 10, predicted: 1, probability: 0.5 }] },
        },
        model: null,
      },
      'result.evaluation.mistakes[0].label must be a whole number from 0 to 9, got 10',
    ],
    ['a done without its model', { type: 'done', result }, 'a "done" message: model must be an object, got undefined'],
    [
      'weights as a number list',
      {
        type: 'done',
        result,
        model: {
          ...makeModel(1),
          weights: makeModel(1).weights.map((w) => ({ ...w, data: Array.from(w.data.subarray(0, 2)) })),
        },
      },
      'model.weights[0].data must be a Float32Array, got an array of 2 items',
    ],
    [
      'weights in the wrong order',
      { type: 'done', result, model: { ...makeModel(1), weights: makeModel(1).weights.reverse() } },
      'model.weights: weight 0 should be conv1/kernel [3,3,1,32], got fc2/bias [10]',
    ],
    [
      'a topology that is an array',
      { type: 'done', result, model: { ...makeModel(1), topology: [] } },
      'model.topology must be a plain object, got an array of 0 items',
    ],
    [
      'a cyclic topology',
      { type: 'done', result, model: { ...makeModel(1), topology: cyclic } },
      'model.topology cannot be written as JSON (a cycle or a BigInt in it)',
    ],
    [
      'a huge topology',
      { type: 'done', result, model: { ...makeModel(1), topology: { pad: 'x'.repeat(2_000_000) } } },
      'model.topology is 2,000,010 characters of JSON',
    ],
    [
      'a ready probe without its engine',
      { type: 'probe-result', device: 'gpu', ok: true },
      'a "probe-result" message: engine must be an object, got undefined',
    ],
    [
      'a refused probe without a reason',
      { type: 'probe-result', device: 'gpu', ok: false },
      'reason must be a reason (a code with its data), got undefined',
    ],
    [
      'a refused probe with words for a reason',
      { type: 'probe-result', device: 'gpu', ok: false, reason: 'no GPU' },
      'reason must be a reason (a code with its data), got "no GPU"',
    ],
    [
      'a reason of a code Athanor does not know',
      { type: 'probe-result', device: 'gpu', ok: false, reason: { code: 'gremlins' } },
      'reason must be a reason (a code with its data), got',
    ],
    [
      'a reason without its data',
      {
        type: 'ready',
        engine: { ...WEBGPU, fallbackReason: { code: 'software-adapter', api: 'WebGPU' } },
        timings: { engineStartMs: 0 },
      },
      'engine.fallbackReason must be a reason (a code with its data)',
    ],
    [
      'a browser engine both ready and refused',
      {
        type: 'probe-result',
        device: 'gpu',
        ok: false,
        reason: { code: 'no-gpu-engine' },
        browserEngines: {
          webgpu: { ok: true, engine: WEBGPU, reason: { code: 'webgpu-missing' } },
          webgl: { ok: false, reason: { code: 'webgl-unavailable' } },
        },
      },
      'browserEngines.webgpu is ready, so it has an engine and nothing else',
    ],
    [
      'an error whose reason is words',
      { type: 'error', message: 'x', reason: 'no GPU' },
      'reason must be a reason (a code with its data), got "no GPU"',
    ],
    [
      'an error of 200,000 characters',
      { type: 'error', message: 'e'.repeat(200_000) },
      'message must be text of at most 100,000 characters, got "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"... (200,000 characters)',
    ],
  ];

  it.each(cases)('%s', (_name, message, reason) => {
    const text = refused(message);
    expect(text).toContain(reason);
    expect(text.length).toBeLessThanOrEqual(600);
  });

  it("a getter, a proxy that throws or a prototype key is refused in words, never with the thrower's own", () => {
    const getter = Object.defineProperty({ type: 'progress' }, 'progress', {
      get: () => {
        throw new Error('boom');
      },
      enumerable: true,
    });
    expect(refused(getter)).toBe('a "progress" message: "it.progress" must be a plain value');
    const proxy = new Proxy(
      { type: 'done' },
      {
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    expect(refused(proxy)).toBe('a "done" message: it cannot be read (a getter or proxy in it throws)');
    const typeGetter = Object.defineProperty({}, 'type', { get: () => 'done' });
    expect(refused(typeGetter)).toBe('a message: its "type" must be a plain value');
    expect(refused(JSON.parse('{"type":"error","message":"x","__proto__":{"polluted":1}}'))).toBe(
      'an "error" message: it has unknown key "__proto__"',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
