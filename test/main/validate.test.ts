import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../electron/shared/ipc-contract';
import { IpcValidationError, RUN_ID_PATTERN, makeRunId, validateArg } from '../../electron/shared/validate';

const good = { device: 'cpu', epochs: 5, batchSize: 64, lr: 0.001, momentum: 0.9, seed: 42 } as const;
const ID = '20250102-030405678-cpu-1a2b3c';

function rejects(channel: Parameters<typeof validateArg>[0], arg: unknown, message: RegExp): void {
  expect(() => validateArg(channel, arg)).toThrow(IpcValidationError);
  expect(() => validateArg(channel, arg)).toThrow(message);
}

describe('validateArg', () => {
  it('has a check for every channel of the contract and refuses unknown channels', () => {
    for (const channel of INVOKE_CHANNELS) expect(() => validateArg(channel, undefined)).not.toThrow(/unknown channel/);
    expect(() => validateArg('shell:exec' as never, {})).toThrow('unknown channel "shell:exec"');
    expect(() => validateArg('__proto__' as never, {})).toThrow(/unknown channel/);
  });

  it('argument-less channels take nothing', () => {
    for (const channel of ['app:info', 'training:queue', 'history:list', 'history:export-csv', 'dataset:choose'] as const) {
      expect(validateArg(channel, undefined)).toBeUndefined();
      rejects(channel, { path: '/etc/passwd' }, new RegExp(`invalid argument for "${channel}": expects no argument`));
      rejects(channel, 'x', /expects no argument, got "x"/);
    }
  });

  it('devices:get takes an optional refresh flag', () => {
    expect(validateArg('devices:get', undefined)).toBeUndefined();
    expect(validateArg('devices:get', { refresh: true })).toEqual({ refresh: true });
    expect(validateArg('devices:get', {})).toEqual({});
    rejects('devices:get', { refresh: 'yes' }, /refresh must be true or false, got "yes"/);
    rejects('devices:get', { refresh: true, extra: 1 }, /unknown key "extra"/);
  });

  it('training:start accepts the reference settings and returns a clean copy', () => {
    const arg = { ...good, limit: 640, dataDir: '/home/me/fashion' };
    const out = validateArg('training:start', arg);
    expect(out).toEqual(arg);
    expect(out).not.toBe(arg);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(validateArg('training:start', { ...good, device: 'gpu', dataDir: 'C:\\data\\mnist' })).toMatchObject({ device: 'gpu' });
  });

  it('training:start refuses wrong types, ranges, NaN, Infinity and huge numbers', () => {
    rejects('training:start', { ...good, device: 'tpu' }, /device must be "cpu" or "gpu", got "tpu"/);
    rejects('training:start', { ...good, epochs: 0 }, /epochs must be a whole number from 1 to 1000, got 0/);
    rejects('training:start', { ...good, epochs: 2.5 }, /epochs must be a whole number/);
    rejects('training:start', { ...good, epochs: '5' }, /epochs must be a whole number from 1 to 1000, got "5"/);
    rejects('training:start', { ...good, epochs: 1e12 }, /epochs .* got 1000000000000/);
    rejects('training:start', { ...good, batchSize: Number.MAX_SAFE_INTEGER }, /batch size must be/);
    rejects('training:start', { ...good, lr: NaN }, /learning rate must be a positive finite number, got NaN/);
    rejects('training:start', { ...good, lr: Infinity }, /learning rate .* got Infinity/);
    rejects('training:start', { ...good, lr: -0.1 }, /learning rate/);
    rejects('training:start', { ...good, momentum: 1 }, /momentum must be at least 0 and below 1, got 1/);
    rejects('training:start', { ...good, seed: 2 ** 40 }, /seed must be a whole number from 0 to 4294967295/);
    rejects('training:start', { ...good, limit: 60_001 }, /limit must be a whole number from 1 to 60000, got 60001/);
    rejects('training:start', { ...good, limit: 0 }, /limit must be/);
    rejects('training:start', { ...good, dataDir: 'relative/dir' }, /dataDir must be an absolute folder path/);
    rejects('training:start', { ...good, dataDir: '/a\0b' }, /dataDir must be an absolute folder path/);
    rejects('training:start', { ...good, dataDir: `/${'x'.repeat(5000)}` }, /dataDir must be an absolute/);
    rejects('training:start', { ...good, dataDir: 42 }, /dataDir/);
  });

  it('training:start reports every problem at once, and missing settings by name', () => {
    rejects('training:start', { ...good, epochs: -1, lr: 0, limit: 1e9 }, /epochs.*; learning rate.*; limit/);
    const { seed: _seed, momentum: _momentum, ...partial } = good;
    rejects('training:start', partial, /missing "momentum", "seed"/);
  });

  it('treats a key holding undefined as absent, as JSON would', () => {
    expect(validateArg('training:start', { ...good, limit: undefined, dataDir: undefined })).toEqual(good);
    expect(validateArg('devices:get', { refresh: undefined, other: undefined })).toEqual({});
    rejects('training:start', { ...good, seed: undefined }, /missing "seed"/);
  });

  it('refuses unknown keys, including prototype-pollution keys sent as data', () => {
    rejects('training:start', { ...good, testLimit: 10 }, /unknown key "testLimit"/);
    rejects('training:start', JSON.parse(`{"device":"cpu","epochs":1,"batchSize":1,"lr":1,"momentum":0,"seed":1,"__proto__":{"admin":true}}`), /unknown key "__proto__"/);
    rejects('training:start', { ...good, constructor: { prototype: {} } }, /unknown key "constructor"/);
    rejects('training:cancel', { id: ID, [Symbol('x')]: 1 }, /unknown key "Symbol\(x\)"/);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('refuses things that are not plain objects', () => {
    rejects('training:start', null, /expects an object, got null/);
    rejects('training:start', [good], /expects an object/);
    rejects('training:start', 'cpu', /expects an object, got "cpu"/);
    rejects('training:start', new Date(0), /expects a plain object/);
    rejects('training:start', Object.assign(Object.create({ epochs: 5 }), good), /expects a plain object/);
    const withGetter = { ...good };
    Object.defineProperty(withGetter, 'epochs', { get: () => 5, enumerable: true });
    rejects('training:start', withGetter, /"epochs" must be a plain value/);
  });

  it('training:compare takes the settings without a device', () => {
    const { device: _device, ...settings } = good;
    expect(validateArg('training:compare', settings)).toEqual(settings);
    rejects('training:compare', good, /unknown key "device"/);
    rejects('training:compare', { ...settings, epochs: 0 }, /epochs must be/);
  });

  it('run ids must look like the run manager makes them', () => {
    expect(validateArg('training:cancel', { id: ID })).toEqual({ id: ID });
    expect(validateArg('history:delete', { id: ID })).toEqual({ id: ID });
    for (const id of ['../../etc/passwd', `${ID}/../x`, `${ID} `, 'abc', 42, '', undefined]) {
      rejects('training:cancel', { id }, /id must be a run id/);
      rejects('history:delete', { id }, /id must be a run id/);
      rejects('weights:export', { id }, /id must be a run id/);
    }
    rejects('history:delete', { id: ID, all: true }, /unknown key "all"/);
  });

  it('makeRunId makes ids the pattern accepts, from the time, device and randomness', () => {
    const id = makeRunId('gpu', new Date('2025-01-02T03:04:05.678Z'), () => 0.5);
    expect(id).toBe('20250102-030405678-gpu-800000');
    expect(RUN_ID_PATTERN.test(id)).toBe(true);
    expect(RUN_ID_PATTERN.test(makeRunId('cpu', new Date(), () => 0.999999999))).toBe(true);
  });

  it('weights:export takes an id and an optional known format', () => {
    expect(validateArg('weights:export', { id: ID })).toEqual({ id: ID });
    expect(validateArg('weights:export', { id: ID, format: 'safetensors' })).toEqual({ id: ID, format: 'safetensors' });
    rejects('weights:export', { id: ID, format: 'onnx' }, /format must be one of pth, safetensors, tfjs, got "onnx"/);
    rejects('weights:export', { id: ID, path: '/tmp/x.pth' }, /unknown key "path"/);
  });
});
