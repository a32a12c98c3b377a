import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../electron/shared/ipc-contract';
import { REFERENCE_CONFIG } from '../../electron/shared/schema/settings';
import {
  IpcValidationError,
  RUN_ID_PATTERN,
  localFolderProblem,
  makeRunId,
  validateArg,
} from '../../electron/shared/validate';

const good = {
  ...REFERENCE_CONFIG,
  device: 'cpu',
  epochs: 5,
  batchSize: 64,
  lr: 0.001,
  momentum: 0.9,
  seed: 42,
} as const;
const { device: _device, ...withoutDevice } = good;
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
    for (const channel of [
      'app:info',
      'training:queue',
      'history:list',
      'history:export-csv',
      'dataset:choose',
    ] as const) {
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
    expect(
      validateArg('training:start', { ...good, device: 'gpu', dataDir: 'C:\\data\\mnist' }, 'win32'),
    ).toMatchObject({ device: 'gpu' });
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
    rejects('training:start', { ...good, dataDir: 'relative/dir' }, /dataDir "relative\/dir" is not an absolute path/);
    rejects('training:start', { ...good, dataDir: '/a\0b' }, /dataDir holds a NUL character/);
    rejects(
      'training:start',
      { ...good, dataDir: `/${'x'.repeat(5000)}` },
      /dataDir is 5,001 characters long; a folder path has at most 4,096/,
    );
    rejects('training:start', { ...good, dataDir: 42 }, /dataDir must be a folder path, got 42/);
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
    rejects(
      'training:start',
      JSON.parse(`{"device":"cpu","epochs":1,"batchSize":1,"lr":1,"momentum":0,"seed":1,"__proto__":{"admin":true}}`),
      /unknown key "__proto__"/,
    );
    rejects('training:start', { ...good, constructor: { prototype: {} } }, /unknown key "constructor"/);
    rejects('training:cancel', { id: ID, [Symbol('x')]: 1 }, /unknown key Symbol\(x\)$/);
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
    expect(validateArg('weights:export', { id: ID, format: 'onnx' })).toEqual({ id: ID, format: 'onnx' });
    rejects('weights:export', { id: ID, format: 'h5' }, /format must be one of pth, safetensors, tfjs, onnx, got "h5"/);
    rejects('weights:export', { id: ID, path: '/tmp/x.pth' }, /unknown key "path"/);
  });

  describe('every refusal names the field and a short description of the value, whatever was sent', () => {
    const deep: Record<string, unknown> = {};
    let at = deep;
    for (let i = 0; i < 100_000; i++) at = (at.next = {}) as Record<string, unknown>;
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const throwingGetter = Object.defineProperty({}, 'x', {
      get: () => {
        throw new Error('boom'.repeat(1e6));
      },
      enumerable: true,
    });
    const hostileProxy = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('trap'.repeat(1e6));
        },
      },
    );
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const manyKeys = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
    const hugeKey = { ...good, ['y'.repeat(5e6)]: 1 };
    const cases: [string, unknown, RegExp][] = [
      [
        'a 50-million-character device',
        { ...good, device: 'x'.repeat(5e7) },
        /^invalid argument for "training:start": invalid training settings: device must be "cpu" or "gpu", got "x{40}"\.\.\. \(50,000,000 characters\)$/,
      ],
      [
        'a deep object as a setting',
        { ...good, epochs: deep },
        /epochs must be a whole number from 1 to 1000, got an object with key "next"$/,
      ],
      [
        'a cyclic object as a setting',
        { ...good, lr: cyclic },
        /learning rate must be a positive finite number, got an object with key "self"$/,
      ],
      ['a BigInt', { ...good, seed: 5n }, /seed must be a whole number from 0 to 4294967295, got 5n \(a BigInt\)$/],
      ['a huge BigInt', { ...good, seed: 10n ** 100_000n }, /seed .* got a BigInt of more than 20 digits$/],
      [
        'a symbol',
        { ...good, momentum: Symbol('m') },
        /momentum must be at least 0 and below 1, got a symbol \(Symbol\(m\)\)$/,
      ],
      [
        'a function',
        { ...good, batchSize: () => 64 },
        /batch size must be a whole number from 1 to 60000, got a function$/,
      ],
      ['an array', { ...good, epochs: [1, 2, 3] }, /epochs .* got an array of 3 items$/],
      ['a Map', { ...good, epochs: new Map() }, /epochs .* got a Map object$/],
      ['a getter that throws', throwingGetter, /^invalid argument for "training:start": unknown key "x"$/],
      [
        'a proxy whose trap throws',
        hostileProxy,
        /^invalid argument for "training:start": the argument cannot be read/,
      ],
      ['a revoked proxy', revoked.proxy, /^invalid argument for "training:start": the argument cannot be read/],
      ['100,000 unknown keys', { ...good, ...manyKeys }, /unknown keys "k0", "k1", "k2" and 99,997 more$/],
      ['a 5-million-character key', hugeKey, /unknown key "y{40}"\.\.\.$/],
      [
        'a huge run id',
        { id: 'z'.repeat(1e7) },
        /id must be a run id like .*, got "z{40}"\.\.\. \(10,000,000 characters\)$/,
      ],
      [
        'a huge data folder',
        { ...good, dataDir: `/${'d'.repeat(1e7)}` },
        /dataDir is 10,000,001 characters long; a folder path has at most 4,096$/,
      ],
      [
        'a huge relative data folder',
        { ...good, dataDir: 'd'.repeat(4000) },
        /dataDir "d{40}"\.\.\. \(4,000 characters\) is not an absolute path/,
      ],
    ];
    it.each(cases)('%s', (name, arg, message) => {
      const channel = name === 'a huge run id' ? 'training:cancel' : 'training:start';
      let thrown: unknown;
      try {
        validateArg(channel, arg);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(IpcValidationError);
      const text = (thrown as Error).message;
      expect(text).toMatch(message);
      expect(text.length).toBeLessThanOrEqual(600);
    });
  });
});

describe('a data folder from the renderer is a local absolute path for this system', () => {
  // Each system's rules, whatever this machine runs: [path, the refusal's reason, or null when accepted].
  const posix: [string, RegExp | null][] = [
    ['/home/me/mnist', null],
    ['/home/me/MNIST data/raw/', null],
    ['/Volumes/USB stick/mnist', null],
    ['/home/me/dir with \\ backslash', null], // a legal POSIX name, not a separator
    [
      '\\\\nas\\share\\mnist',
      /is a network path: Athanor reads data from this computer's own drives only \(copy the folder here\)$/,
    ],
    ['//nas/share/mnist', /is a network path/],
    ['C:\\data\\mnist', /is a Windows path; on this system a folder path starts with "\/"$/],
    ['d:/mnist', /is a Windows path/],
    ['mnist', /"mnist" is not an absolute path; on this system a folder path starts with "\/"$/],
    ['./mnist', /is not an absolute path/],
    ['~/mnist', /is not an absolute path/],
    ['', /must be a folder path, got ""$/],
    ['/home/me/../../etc', /has a "\." or "\.\." part; give the folder's own path$/],
    ['/home/./me', /has a "\." or "\.\." part/],
    ['/home/me\0/x', /holds a NUL character, which no path can$/],
  ];
  const win32: [string, RegExp | null][] = [
    ['C:\\Users\\me\\mnist', null],
    ['z:/mapped share/mnist', null],
    ['D:\\', null],
    [
      '\\\\nas\\share\\mnist',
      /is a network path: Athanor reads data from this computer's own drives only \(copy the folder here, or map the share to a drive letter\)$/,
    ],
    ['//nas/share', /is a network path/],
    ['\\\\?\\C:\\data', /is a device path, not a folder: give the folder's own path, like "C:\\data\\mnist"$/],
    ['\\\\.\\PhysicalDrive0', /is a device path/],
    ['C:data', /is not an absolute path; on Windows a folder path starts with a drive, like "C:\\"$/],
    ['\\data\\mnist', /is not an absolute path/],
    ['/home/me/mnist', /is not an absolute path/],
    ['C:\\data\\mnist:hidden', /holds ":", which Windows does not allow in a path$/],
    ['C:\\data\\mn|st', /holds "\|"/],
    ['C:\\data\\a\u0007b', /holds "\\u0007"/],
    ['C:\\data\\..\\Windows', /has a "\." or "\.\." part/],
  ];
  it.each(posix)('POSIX: %j', (path, reason) => {
    const problem = localFolderProblem(path, 'dataDir', 'posix');
    if (reason === null) expect(problem).toBeNull();
    else expect(problem).toMatch(reason);
  });
  it.each(win32)('Windows: %j', (path, reason) => {
    const problem = localFolderProblem(path, 'dataDir', 'win32');
    if (reason === null) expect(problem).toBeNull();
    else expect(problem).toMatch(reason);
  });

  it("training:start and training:compare refuse them by this machine's rules, naming the path and why", () => {
    // This machine is POSIX (the suite runs on Linux and macOS): a UNC path and a drive path are both refused.
    expect(process.platform).not.toBe('win32');
    rejects(
      'training:start',
      { ...good, dataDir: '\\\\attacker\\share' },
      /^invalid argument for "training:start": dataDir "\\\\\\\\attacker\\\\share" is a network path/,
    );
    rejects(
      'training:compare',
      { ...withoutDevice, epochs: 1, batchSize: 64, lr: 0.01, momentum: 0.9, seed: 1, dataDir: 'C:\\x' },
      /dataDir "C:\\\\x" is a Windows path/,
    );
    expect(validateArg('training:start', { ...good, dataDir: '/srv/mnist' })).toMatchObject({ dataDir: '/srv/mnist' });
    // The other system's rules, asked for: the same paths the other way round.
    expect(validateArg('training:start', { ...good, dataDir: 'C:\\x' }, 'win32')).toMatchObject({ dataDir: 'C:\\x' });
    expect(() => validateArg('training:start', { ...good, dataDir: '/srv/mnist' }, 'win32')).toThrow(
      /is not an absolute path; on Windows/,
    );
  });
});
