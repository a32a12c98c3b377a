import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli, userFolder } from '../../../electron/training/cli/args';
import { formatLossLine } from '../../../electron/training/cli/report';
import { cli, removeTemps, temp } from './helpers';
import { nativeBuilt } from '../engines/native-helpers';

afterAll(removeTemps);

describe('parseCli', () => {
  it('maps flags onto the config with the reference defaults', () => {
    const { config, out, fallback, probe } = parseCli([
      '--epochs',
      '2',
      '--batch-size',
      '32',
      '--lr',
      '0.01',
      '--seed',
      '9',
      '--limit',
      '500',
    ]);
    expect(config).toEqual({ device: 'cpu', epochs: 2, batchSize: 32, lr: 0.01, momentum: 0.9, seed: 9, limit: 500 });
    expect(out.endsWith('mnist_cnn.pth')).toBe(true);
    expect(fallback).toBe(false);
    expect(probe).toBe(false);
    expect(parseCli(['--probe']).probe).toBe(true);
  });
  it('refuses non-numbers, unknown flags and invalid values', () => {
    expect(() => parseCli(['--epochs', 'five'])).toThrow('--epochs needs a whole number, got "five"');
    expect(() => parseCli(['--epochz', '5'])).toThrow(/^unknown option --epochz$/);
    expect(() => parseCli(['--momentum', '1'])).toThrow(/momentum must be at least 0 and below 1/);
    expect(() => parseCli(['--device', 'tpu'])).toThrow(/--device must be "cpu" or "gpu"/);
  });
  it('takes numbers only as people write them, each flag once, and no flags that contradict', () => {
    for (const [flags, message] of [
      [['--epochs', '0x10'], '--epochs needs a whole number, got "0x10"'],
      [['--epochs', ' 5'], '--epochs needs a whole number, got " 5"'],
      [['--epochs', '1e1'], '--epochs needs a whole number, got "1e1"'],
      [['--lr', 'Infinity'], '--lr needs a number such as 0.001, got "Infinity"'],
      [['--momentum', '0.9x'], '--momentum needs a number such as 0.001, got "0.9x"'],
      [['--epochs', '2', '--epochs', '3'], '--epochs is given more than once: give it once'],
      [['--fallback', '--device', 'gpu'], "--fallback picks the CPU's wasm engine and cannot go with --device gpu"],
      [['--probe', '--epochs', '2'], '--probe trains nothing and takes no other options, got --epochs'],
      [['--epochs'], '--epochs needs a value'],
      [['--epochs', '2', 'extra'], 'unexpected "extra": every option is a flag such as --epochs 5'],
      [['-e', '2'], 'unknown option -e'],
      [['--probe=yes'], '--probe takes no value, got "yes"'],
      [['--help=1'], '--help takes no value, got "1"'],
      [['--fallback', '--fallback'], '--fallback is given more than once: give it once'],
      [['--', '--epochs', '2'], 'unexpected "--": every option is a flag such as --epochs 5'],
      [
        ['--epochs', '--lr', '0.1'],
        '--epochs needs a value, got the flag "--lr"; for a value that starts with "-", write --epochs=VALUE',
      ],
    ] as const) {
      expect(() => parseCli([...flags]), flags.join(' ')).toThrow(
        new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
      );
    }
    expect(parseCli(['--lr', '1e-3']).config.lr).toBe(0.001);
    expect(parseCli(['--lr', '.01']).config.lr).toBe(0.01);
  });

  it("a negative number is a value that its range refuses, in one line by the flag's name", () => {
    expect(() => parseCli(['--seed', '-5'])).toThrow(
      /^invalid training settings: --seed must be a whole number from 0 to 4294967295, got -5$/,
    );
    expect(() => parseCli(['--lr', '-1'])).toThrow(
      /^invalid training settings: --lr must be a positive finite number, got -1$/,
    );
  });

  it('--help helps, whatever else is on the line', () => {
    expect(parseCli(['--bogus', '--help']).help).toBe(true);
    expect(parseCli(['--epochs', 'x', '-h']).help).toBe(true);
  });

  it('quotes what was typed when the number it reads as is another (a float64 cannot hold it)', () => {
    expect(() => parseCli(['--momentum', '0.99999999999999999'])).toThrow(
      /^invalid training settings: --momentum must be at least 0 and below 1, got "0\.99999999999999999" \(read as 1\)$/,
    );
    expect(parseCli(['--seed', '4294967295.0']).config.seed).toBe(4294967295);
    expect(() => parseCli(['--seed', '4294967296.0'])).toThrow(/got "4294967296\.0" \(read as 4294967296\)$/);
    // A fraction a float64 rounds away is still a fraction: refused, not trained as the whole number it reads as.
    for (const [flag, text] of [
      ['--epochs', '0.99999999999999999'],
      ['--epochs', '1.9999999999999999'],
      ['--seed', '4294967295.0000001'],
      ['--batch-size', '64.0000000000000001'],
    ]) {
      expect(() => parseCli([flag, text])).toThrow(
        new RegExp(`^${flag} needs a whole number, got "${text.replace('.', '\\.')}"$`),
      );
    }
    expect(parseCli(['--epochs', '2.0']).config.epochs).toBe(2);
    expect(() => parseCli(['--lr', '1e-400'])).toThrow(
      /--lr must be a positive finite number, got "1e-400" \(read as 0\)$/,
    );
    expect(() => parseCli(['--momentum', '1.0'])).toThrow(/got "1\.0" \(read as 1\)$/);
  });

  it('names the flags the user typed in its messages', () => {
    expect(() => parseCli(['--test-limit', '0'])).toThrow(/--test-limit must be a positive whole number, got 0$/);
    expect(() => parseCli(['--limit', '1.5'])).toThrow(/^--limit needs a whole number, got "1\.5"$/);
    expect(() => parseCli(['--batch-size', '0'])).toThrow(
      /--batch-size must be a whole number from 1 to 60000, got 0$/,
    );
    expect(() => parseCli(['--lr', '0', '--epochs', '0'])).toThrow(
      /--epochs must be .*; --lr must be a positive finite number, got 0$/,
    );
    expect(() => parseCli(['--seed=-1'])).toThrow(/--seed must be a whole number/);
    // An empty path would quietly mean the current folder.
    expect(() => parseCli(['--data', ''])).toThrow(/^--data needs a path, got ""$/);
    expect(() => parseCli(['--out', ' '])).toThrow(/^--out needs a path, got ""$/);
  });
  it("resolves --out and --data from the user's folder: INIT_CWD under npm run train", () => {
    expect(parseCli(['--out', 'rel.pth', '--data', '../x'], '/home/me/docs')).toMatchObject({
      out: '/home/me/docs/rel.pth',
      config: { dataDir: '/home/me/x' },
      defaultOut: false,
    });
    expect(parseCli([], '/home/me/docs')).toMatchObject({ out: '/home/me/docs/mnist_cnn.pth', defaultOut: true });
    expect(userFolder({ npm_lifecycle_event: 'train', INIT_CWD: '/home/me/docs' }, '/repo')).toBe('/home/me/docs');
    // Another npm script's INIT_CWD (vitest under npm test) says nothing about a CLI started from it.
    expect(userFolder({ npm_lifecycle_event: 'test', INIT_CWD: '/elsewhere' }, '/repo')).toBe('/repo');
    expect(userFolder({}, '/repo')).toBe('/repo');
  });
});

describe('formatLossLine', () => {
  it("prints the reference's line", () => {
    expect(formatLossLine({ epoch: 1, batch: 100, meanLoss: 2.26812 })).toBe('[1,   100] loss: 2.268');
    expect(formatLossLine({ epoch: 5, batch: 900, meanLoss: 0.0805 })).toBe('[5,   900] loss: 0.081');
  });
  it("prints any loss as Python's %.3f does (values from CPython 3)", () => {
    // The example: JS's toFixed would print 1.712e+24.
    expect(formatLossLine({ epoch: 1, batch: 100, meanLoss: 1.7121037565317164e24 })).toBe(
      '[1,   100] loss: 1712103756531716390387712.000',
    );
    const python: [number, string][] = [
      [1e21, '1000000000000000000000.000'],
      [999999999999999900000, '999999999999999868928.000'],
      [0.0625, '0.062'],
      [2.0625, '2.062'],
      [0.125, '0.125'],
      [0.0015, '0.002'],
      [123.4565, '123.457'],
      [NaN, 'nan'],
      [Infinity, 'inf'],
      [-Infinity, '-inf'],
      [-0, '-0.000'],
      [12345, '12345.000'],
    ];
    for (const [x, text] of python)
      expect(formatLossLine({ epoch: 2, batch: 12345, meanLoss: x })).toBe(`[2, 12345] loss: ${text}`);
  });
  it.runIf(existsSync('/usr/bin/python3'))('matches CPython itself on awkward values', () => {
    const values = [1.7121037565317164e24, 0.0625, 0.3125, 2.3025850929940455, 1e22 + 1, 5e-4, 1.0005, 7.0e15 + 0.5];
    const py = spawnSync(
      '/usr/bin/python3',
      ['-c', `import sys\nfor v in sys.argv[1:]: print('%.3f' % float(v))`, ...values.map((v) => v.toPrecision(17))],
      { encoding: 'utf8' },
    );
    expect(py.status, py.stderr).toBe(0);
    expect(values.map((v) => formatLossLine({ epoch: 1, batch: 1, meanLoss: v }).split('loss: ')[1])).toEqual(
      py.stdout.trim().split('\n'),
    );
  });
});

describe('npm run train', () => {
  it('trains, prints the reference log and a summary, and writes the weights', () => {
    const out = join(temp(), 'w.safetensors');
    const r = cli([
      '--epochs',
      '1',
      '--batch-size',
      '16',
      '--lr',
      '0.01',
      '--limit',
      '1600',
      '--test-limit',
      '500',
      '--out',
      out,
      '--fallback',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Training on CPU with wasm 4\.22\.0/m);
    expect(r.stdout).toMatch(/^Fallback engine: the fallback engine was asked for$/m);
    expect(r.stdout).toMatch(/^\[1,   100\] loss: [0-2]\.\d{3}$/m);
    expect(r.stdout).toMatch(/^Finished Training$/m);
    expect(r.stdout).toMatch(/^Training took \d+\.\d{2} seconds$/m);
    const accuracy = Number(/test accuracy\s+([\d.]+)% on 500 test images/.exec(r.stdout)?.[1]);
    expect(accuracy).toBeGreaterThan(50);
    expect(r.stdout).toContain(`weights         ${out}`);
    const header = readFileSync(out);
    expect(Number(header.readBigUInt64LE(0))).toBeGreaterThan(100); // a safetensors JSON header follows
  });

  it('probes the engines without training', () => {
    const r = cli(['--probe']);
    expect(r.status, r.stderr).toBe(0);
    // Either engine runs on every core the machine offers (one core: wasm's single-thread build).
    const cores = availableParallelism();
    const threading = cores > 1 ? `${cores} threads` : 'single thread';
    if (nativeBuilt)
      expect(r.stdout).toMatch(
        new RegExp(`^CPU: tfjs-node 4\\.22\\.0 \\(libtensorflow [\\d.]+, ${cores} threads?\\)$`, 'm'),
      );
    else
      expect(r.stdout).toContain(
        `CPU: wasm 4.22.0 (SIMD, ${threading}), the fallback engine: @tensorflow/tfjs-node is not installed`,
      );
    expect(r.stdout).toMatch(/^GPU \(CUDA\): cannot train: @tensorflow\/tfjs-node-gpu is not installed/m);
    // WebGPU through Dawn: ready or why not, in one line (dawn.test.ts runs it on SwiftShader).
    expect(r.stdout).toMatch(
      /^GPU \(WebGPU\): (cannot train: .+|webgpu 4\.22\.0 \(Dawn in Node, webgpu [\d.]+\) on .+)$/m,
    );
    expect(r.stdout).toMatch(/^GPU \(WebGL\): needs a page, so it trains in the app only/m);
    expect(r.stdout).not.toMatch(/loss/);
  });

  it('exits 2 with one line and a pointer to --help on bad flags, before training', () => {
    // However the negative number is written: one line, the flag's own name, no Node usage text.
    for (const flags of [['--lr', '-1'], ['--lr=-1']]) {
      const r = cli(flags);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([
        'athanor: invalid training settings: --lr must be a positive finite number, got -1 (npm run train -- --help lists the options)',
      ]);
      expect(r.stdout).toBe('');
    }
    const help = cli(['--bogus', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run train -- \[options\]/);
  });

  it('refuses a thread count it would ignore, in one line, exit 2', () => {
    const tries = [
      ...['abc', '0', '-1', '1.5', '99999999999'].map((bad) => ['ATHANOR_THREADS', bad]),
      ['TF_NUM_INTRAOP_THREADS', 'abc'],
      ['TF_NUM_INTEROP_THREADS', '-2'],
    ];
    for (const [name, bad] of tries) {
      const r = cli(['--epochs', '1', '--limit', '64'], { env: { ...process.env, [name]: bad } });
      expect(r.status, bad).toBe(2);
      expect(r.stderr.trim()).toBe(`athanor: ${name} must be a whole number of threads from 1 to 1024, got "${bad}"`);
      expect(r.stdout).toBe('');
    }
  });

  it('exits 1 with the reason when the GPU engine is missing, writing nothing', () => {
    const out = join(temp(), 'gpu.pth');
    const r = cli(['--device', 'gpu', '--limit', '64', '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /athanor: neither CUDA nor WebGPU can train here: @tensorflow\/tfjs-node-gpu is not installed/,
    );
    expect(existsSync(out)).toBe(false);
  });
});
