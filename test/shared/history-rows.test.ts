import { describe, expect, it } from 'vitest';
import { checkRecord, MAX_DEPTH } from '../../electron/shared/schema/rows';
import { makeRunId } from '../../electron/shared/validate';
import { makeRecord } from '../services/fixtures';

const A = '20250102-030405678-cpu-000001';
const EVALUATION = {
  accuracy: 0.5,
  count: 20,
  perClassAccuracy: Array(10).fill(0.5),
  confusion: Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => (i === j ? 1 : 0))),
};

/** The row as JSON would bring it back: a deep copy with `edit` applied to the parsed object. */
function row(edit: (o: Record<string, any>) => void): unknown {
  const o = JSON.parse(JSON.stringify(makeRecord(A, { evaluation: EVALUATION })));
  edit(o);
  return o;
}

describe('checkRecord', () => {
  it('accepts a full row and returns it unchanged', () => {
    const good = makeRecord(A, { evaluation: EVALUATION });
    expect(checkRecord(JSON.parse(JSON.stringify(good)))).toEqual(good);
  });

  it('accepts the newer fields: GPU adapters, WebGPU/WebGL engines, gpuEngine, mistakes and curve times', () => {
    const adapter = { vendor: 'nvidia', name: 'NVIDIA GeForce RTX 4070', api: 'Vulkan', software: false };
    const raw = row((o) => {
      o.engine = { engine: 'webgpu', device: 'gpu', backend: 'webgpu', version: '4.22.0', adapter };
      o.settings.gpuEngine = 'webgl';
      o.evaluation.mistakes = [{ index: 7, label: 3, predicted: 5, probability: 0.62 }];
      o.curve = [{ step: 1, loss: 2.3, ms: 12.5 }];
      o.futureField = { kept: true };
    });
    const r = checkRecord(raw) as unknown as Record<string, any>;
    expect(r.engine.adapter).toEqual(adapter);
    expect(r.evaluation.mistakes[0].predicted).toBe(5);
    expect(r.curve).toEqual([{ step: 1, loss: 2.3, ms: 12.5 }]);
    expect(r.futureField).toEqual({ kept: true });
  });

  it("keeps the native engine's libtensorflow version and threads", () => {
    const engine = {
      engine: 'tfjs-node',
      device: 'cpu',
      backend: 'tensorflow',
      version: '4.22.0',
      libtensorflow: '2.21.0',
      threads: 2,
      features: 'libtensorflow 2.21.0, 2 threads',
    };
    const r = checkRecord(row((o) => (o.engine = engine))) as unknown as Record<string, any>;
    expect(r.engine).toEqual(engine);
  });

  it('turns losses JSON stored as null (NaN, Infinity of a diverged run) back into NaN', () => {
    const r = checkRecord(
      row((o) => {
        o.status = 'diverged';
        o.finalLoss = null;
        o.curve[1].loss = null;
        o.lossWindows[0].meanLoss = null;
        o.epochs[0].meanLoss = null;
      }),
    );
    expect([r.finalLoss, r.curve[1].loss, r.lossWindows[0].meanLoss, r.epochs[0].meanLoss]).toEqual([
      null,
      NaN,
      NaN,
      NaN,
    ]);
  });

  // One member of each kind of damage, at every level of the row; the message names the field and the value.
  const CASES: [string, (o: Record<string, any>) => void, string][] = [
    [
      "the issue's example",
      (o) => (o.secondsPerEpoch = '12.5'),
      'secondsPerEpoch must be a number of at least 0, got "12.5"',
    ],
    ['not an object', (o) => Object.keys(o).forEach((k) => delete o[k]), 'id must be a run id'],
    [
      'an id that is a path',
      (o) => (o.id = '../../escape'),
      'id must be a run id like "20250102-030405678-cpu-1a2b3c", got "../../escape"',
    ],
    ['a time that is not one', (o) => (o.startedAt = 'yesterday'), 'startedAt must be an ISO time, got "yesterday"'],
    [
      'an unknown status',
      (o) => (o.status = 'ok'),
      'status must be one of running, done, cancelled, diverged, failed, got "ok"',
    ],
    ['a missing field', (o) => delete o.hardware, 'hardware must be text of at most 100000 characters, got undefined'],
    [
      'an unknown engine',
      (o) => (o.engine.engine = 'cuda'),
      'engine.engine must be one of tfjs-node, tfjs-node-gpu, wasm, webgpu, webgl, got "cuda"',
    ],
    [
      'threads as text',
      (o) => (o.engine.threads = '2'),
      'engine.threads must be a whole number of at least 1, got "2"',
    ],
    [
      'a libtensorflow version as a number',
      (o) => (o.engine.libtensorflow = 2.21),
      'engine.libtensorflow must be text of at most 100000 characters, got 2.21',
    ],
    [
      'an adapter flag as text',
      (o) => (o.engine.adapter = { vendor: 'x', name: 'y', api: 'z', software: 'no' }),
      'engine.adapter.software must be true or false, got "no"',
    ],
    ['settings as a string', (o) => (o.settings = '5 epochs'), 'settings must be an object, got "5 epochs"'],
    [
      'a batch size as text',
      (o) => (o.settings.batchSize = '64'),
      'settings.batchSize must be a whole number of at least 1, got "64"',
    ],
    [
      'a momentum of 1',
      (o) => (o.settings.momentum = 1),
      'settings.momentum must be a number from 0 to below 1, got 1',
    ],
    ['a learning rate of 0', (o) => (o.settings.lr = 0), 'settings.lr must be a positive number, got 0'],
    [
      'a seed missing, which every row has held',
      (o) => delete o.settings.seed,
      'settings.seed must be a whole number of at least 0, got undefined',
    ],
    ['a device missing', (o) => delete o.settings.device, 'settings.device must be one of cpu, gpu, got undefined'],
    [
      'a data folder as a number',
      (o) => (o.settings.dataDir = 7),
      'settings.dataDir must be text of at most 100000 characters, got 7',
    ],
    [
      'an unknown GPU engine',
      (o) => (o.settings.gpuEngine = 'metal'),
      'settings.gpuEngine must be one of auto, cuda, webgpu, webgl, got "metal"',
    ],
    [
      'a negative time',
      (o) => (o.timings.trainingMs = -1),
      'timings.trainingMs must be a number of at least 0, got -1',
    ],
    [
      'timings missing a step',
      (o) => delete o.timings.warmupMs,
      'timings.warmupMs must be a number of at least 0, got undefined',
    ],
    [
      'a fractional image count',
      (o) => (o.trainImages = 1.5),
      'trainImages must be a whole number of at least 0, got 1.5',
    ],
    ['an accuracy over 1', (o) => (o.accuracy = 97.99), 'accuracy must be a number from 0 to 1, got 97.99'],
    ['a loss as text', (o) => (o.finalLoss = '0.08'), 'finalLoss must be a number or null, got "0.08"'],
    ['epochs not a list', (o) => (o.epochs = {}), 'epochs must be a list, got an object'],
    [
      'an epoch time as text',
      (o) => (o.epochs[0].ms = '8800'),
      'epochs[0].ms must be a number of at least 0, got "8800"',
    ],
    ['epoch 0', (o) => (o.epochs[0].epoch = 0), 'epochs[0].epoch must be a whole number of at least 1, got 0'],
    [
      'a window loss as text',
      (o) => (o.lossWindows[0].meanLoss = '2.2'),
      'lossWindows[0].meanLoss must be a number or null, got "2.2"',
    ],
    ['a curve point that is a number', (o) => (o.curve[1] = 2.2), 'curve[1] must be an object, got 2.2'],
    ['a curve time as text', (o) => (o.curve[0].ms = 'soon'), 'curve[0].ms must be a number of at least 0, got "soon"'],
    [
      'nine class accuracies',
      (o) => o.evaluation.perClassAccuracy.pop(),
      'evaluation.perClassAccuracy must be 10 numbers, got a list of 9',
    ],
    [
      'a confusion count as text',
      (o) => (o.evaluation.confusion[3][4] = '1'),
      'evaluation.confusion[3][4] must be a whole number of at least 0, got "1"',
    ],
    [
      'a mistake with label 10',
      (o) => (o.evaluation.mistakes = [{ index: 1, label: 10, predicted: 1, probability: 0.5 }]),
      'evaluation.mistakes[0].label must be a digit class 0 to 9, got 10',
    ],
    ['hasWeights as text', (o) => (o.hasWeights = 'true'), 'hasWeights must be true or false, got "true"'],
    ['a message as a number', (o) => (o.message = 42), 'message must be text of at most 100000 characters, got 42'],
  ];
  it.each(CASES)('refuses %s', (_, edit, message) => {
    expect(() => checkRecord(row(edit))).toThrow(message);
  });

  it('refuses what is not a row at all', () => {
    for (const v of [null, 7, 'row', [makeRecord(A)]])
      expect(() => checkRecord(v)).toThrow(/^the row must be an object/);
  });
});

describe('ids and times a row may carry', () => {
  it('a clock far in the future makes ids and start times the check accepts, to the last date a Date can hold', () => {
    for (const at of [new Date('+010000-01-01T00:00:00.000Z'), new Date('+275760-09-13T00:00:00.000Z'), new Date(0)]) {
      const id = makeRunId('cpu', at, () => 0.25);
      const r = checkRecord(JSON.parse(JSON.stringify(makeRecord(id, { startedAt: at.toISOString() }))));
      expect([r.id, r.startedAt]).toEqual([id, at.toISOString()]);
    }
    expect(makeRunId('gpu', new Date('+010000-01-02T03:04:05.678Z'), () => 0.5)).toBe('100000102-030405678-gpu-800000');
  });

  it('two runs in one millisecond on one device never share an id, even with the same random draw', () => {
    const at = new Date('2031-05-06T07:08:09.010Z');
    const ids = Array.from({ length: 1000 }, () => makeRunId('cpu', at, () => 0.999999999));
    expect(new Set(ids).size).toBe(1000);
    expect(ids.slice(0, 2)).toEqual(['20310506-070809010-cpu-ffffff', '20310506-070809010-cpu-000000']);
  });

  it('a row nested deeper than the limit is refused by name; one at the limit is kept', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => checkRecord({ ...makeRecord(A), extra: deep })).toThrow(
      `the row must be nested at most ${MAX_DEPTH} levels deep`,
    );
    let ok: unknown = 1;
    for (let i = 0; i < MAX_DEPTH - 1; i++) ok = [ok];
    expect(checkRecord({ ...makeRecord(A), extra: ok })).toMatchObject({ extra: ok });
  });
});
