import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../electron/shared/i18n';
import {
  baseName,
  dataFolderName,
  engineFeatures,
  engineLabel,
  errorMessage,
  formatDuration,
  formatEta,
  formatAccuracyOrStatus,
  formatGap,
  formatInteger,
  formatLoss,
  formatPercent,
  formatRate,
  formatSettings,
  formatSpeedup,
  formatWhen,
  notMeasured,
  platformName,
} from '../../renderer/src/lib/format';
import { REFERENCE_CONFIG } from '../../electron/shared/schema/settings';

describe('formatDuration', () => {
  it('shows tenths under 10 s, whole seconds under a minute, then minutes and hours', () => {
    expect(formatDuration(412)).toBe('0.4 s');
    expect(formatDuration(9_440)).toBe('9.4 s');
    expect(formatDuration(44_210)).toBe('44 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(3_725_000)).toBe('1 h 02 min');
  });

  it('shows a dash for missing or nonsense values', () => {
    expect(formatDuration(null)).toBe('–');
    expect(formatDuration(undefined)).toBe('–');
    expect(formatDuration(Number.NaN)).toBe('–');
    expect(formatDuration(-5)).toBe('–');
  });
});

describe('formatEta', () => {
  it('rounds up, so work that remains never reads as 0 s', () => {
    expect(formatEta(1)).toBe('< 1 s');
    expect(formatEta(1_001)).toBe('2 s');
    expect(formatEta(59_500)).toBe('1 min 00 s');
    expect(formatEta(125_200)).toBe('2 min 06 s');
    expect(formatEta(0)).toBe('0 s');
    expect(formatEta(Number.POSITIVE_INFINITY)).toBe('–');
  });
});

describe('number formats', () => {
  it('formats rates, percentages, losses and speed-ups', () => {
    expect(formatRate(6804.6)).toBe('6,805 img/s');
    expect(formatPercent(0.9799)).toBe('97.99%');
    expect(formatPercent(null)).toBe('–');
    expect(formatLoss(2.26789)).toBe('2.268');
    expect(formatLoss(Number.NaN)).toBe('NaN');
    expect(formatSpeedup(14.2)).toBe('14x');
    expect(formatSpeedup(3.24)).toBe('3.2x');
    expect(formatSpeedup(0.847)).toBe('0.85x');
    expect(formatSpeedup(0)).toBe('–');
  });

  it('formats gaps between runs: rounding-sized ones in scientific notation', () => {
    expect(formatGap(0)).toBe('0');
    expect(formatGap(3.14159e-7)).toBe('3.1e-7');
    expect(formatGap(0.0123456)).toBe('0.0123');
    expect(formatGap(1.5)).toBe('1.5');
    expect(formatGap(12345)).toBe('1.2e+4');
    expect(formatGap(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });
});

describe('formatWhen', () => {
  it('shows local date and minutes', () => {
    const d = new Date(2026, 0, 5, 9, 7, 33);
    expect(formatWhen(d.toISOString())).toBe('2026-01-05 09:07');
    expect(formatWhen('not a date')).toBe('not a date');
  });
});

describe('labels', () => {
  it('summarises settings, with the quick-run limit and a custom data folder', () => {
    expect(
      formatSettings({
        ...REFERENCE_CONFIG,
        device: 'cpu',
        epochs: 5,
        batchSize: 64,
        lr: 0.001,
        momentum: 0.9,
        seed: 42,
      }),
    ).toBe('5 ep · batch 64 · lr 0.001 · mom. 0.9 · seed 42');
    expect(
      formatSettings({
        ...REFERENCE_CONFIG,
        device: 'gpu',
        epochs: 1,
        batchSize: 32,
        lr: 0.01,
        momentum: 0,
        seed: 7,
        limit: 2000,
        dataDir: '/data/fashion/',
      }),
    ).toBe('1 ep · batch 32 · lr 0.01 · mom. 0 · seed 7 · first 2,000 images · data: fashion');
  });

  it('names the fallback engine as such', () => {
    expect(engineLabel({ engine: 'wasm', device: 'cpu', backend: 'wasm', version: '4.22.0' })).toBe(
      'wasm (fallback) 4.22.0',
    );
    expect(engineLabel({ engine: 'tfjs-node-gpu', device: 'gpu', backend: 'tensorflow', version: '4.22.0' })).toBe(
      'CUDA (tfjs-node-gpu) 4.22.0',
    );
    expect(engineLabel(null)).toBe('–');
    expect(
      engineLabel({
        engine: 'tfjs-node',
        device: 'cpu',
        backend: 'tensorflow',
        version: '4.22.0',
        libtensorflow: '2.21.0',
        threads: 2,
        features: 'libtensorflow 2.21.0, 2 threads',
      }),
    ).toBe('tfjs-node 4.22.0 (libtensorflow 2.21.0, 2 threads)');
    const webgpu = { engine: 'webgpu', device: 'gpu', backend: 'webgpu', version: '4.22.0' } as const;
    expect(
      engineLabel({
        ...webgpu,
        adapter: { vendor: 'nvidia', name: 'NVIDIA GeForce RTX 4070', api: 'Vulkan', software: false },
      }),
    ).toBe('WebGPU 4.22.0 on NVIDIA GeForce RTX 4070 (Vulkan)');
    expect(
      engineLabel({
        ...webgpu,
        engine: 'webgl',
        backend: 'webgl',
        adapter: { vendor: 'google', name: 'SwiftShader Device (Subzero)', api: 'OpenGL', software: true },
      }),
    ).toBe('WebGL 4.22.0 on SwiftShader Device (Subzero) (OpenGL), software GPU (testing only)');
    expect(engineLabel({ ...webgpu, adapter: { vendor: 'apple', name: '', api: 'Metal', software: false } })).toBe(
      'WebGPU 4.22.0 on apple (Metal)',
    );
  });

  it('takes the last path segment on POSIX and Windows paths', () => {
    expect(baseName('/home/u/mnist')).toBe('mnist');
    expect(baseName('C:\\data\\fashion\\')).toBe('fashion');
  });

  it('names a data folder by its last segment, with its parent when that is only "raw" or "data"', () => {
    expect(dataFolderName('/home/u/data/FashionMNIST/raw')).toBe('FashionMNIST/raw');
    expect(dataFolderName('/home/u/mnist/data/')).toBe('mnist/data');
    expect(dataFolderName('C:\\Users\\u\\MNIST\\raw')).toBe('MNIST\\raw');
    expect(dataFolderName('/home/u/fashion-mnist')).toBe('fashion-mnist');
    expect(dataFolderName('/data')).toBe('data');
    expect(dataFolderName('raw')).toBe('raw');
    expect(dataFolderName('D:\\data')).toBe('data');
  });

  it('names the operating system as its maker does, the same in Chinese', () => {
    const names = () => ['linux', 'win32', 'darwin', 'aix'].map(platformName);
    expect(names()).toEqual(['Linux', 'Windows', 'macOS', 'aix']);
    setLanguage('zh-CN');
    try {
      expect(names()).toEqual(['Linux', 'Windows', 'macOS', 'aix']);
    } finally {
      setLanguage('en');
    }
  });

  it("strips Electron's invoke prefix from error messages", () => {
    const err = new Error("Error invoking remote method 'weights:export': Error: run abc has no stored weights");
    expect(errorMessage(err)).toBe('run abc has no stored weights');
    expect(errorMessage(new TypeError('bad'))).toBe('bad');
    expect(errorMessage('plain')).toBe('plain');
  });
});

describe('rounding', () => {
  it("rounds a double's exact value, as toFixed does, not its shortest decimal form as Intl alone would", () => {
    // 3.05 is 3.04999... as a double: the figures the app has always shown say 3.0.
    expect([formatDuration(3050), formatLoss(1.0005), formatPercent(0.0785, 1)]).toEqual(['3.0 s', '1.000', '7.8%']);
    expect(formatRate(7.25)).toBe('7.3 img/s');
  });
});

describe('in Chinese', () => {
  beforeEach(() => setLanguage('zh-CN'));
  afterEach(() => setLanguage('en'));

  it('words durations, rates and speed-ups with Chinese units, the numbers in the zh-CN locale', () => {
    expect([formatDuration(4321), formatDuration(44_000), formatDuration(185_000), formatDuration(3_720_000)]).toEqual([
      '4.3 秒',
      '44 秒',
      '3 分 05 秒',
      '1 小时 02 分',
    ]);
    expect([formatEta(0), formatEta(400), formatEta(1500)]).toEqual(['0 秒', '不到 1 秒', '2 秒']);
    expect([formatRate(6805.2), formatRate(7.25), formatRate(0), notMeasured()]).toEqual([
      '6,805 张/秒',
      '7.3 张/秒',
      '未测得',
      '未测得',
    ]);
    expect([formatSpeedup(14.4), formatSpeedup(3.24)]).toEqual(['14 倍', '3.2 倍']);
    expect([formatInteger(60_000), formatPercent(0.9812), formatLoss(0.3124)]).toEqual(['60,000', '98.12%', '0.312']);
  });

  it("gives a date Intl's zh-CN form, and a run's settings, engine and end in Chinese", () => {
    expect(formatWhen(new Date(2026, 0, 5, 9, 7).toISOString())).toBe('2026/01/05 09:07');
    const settings = { ...REFERENCE_CONFIG, device: 'cpu' as const, limit: 2000, dataDir: '/data/mnist/raw' };
    expect(formatSettings(settings)).toBe(
      '5 轮 · 批大小 64 · 学习率 0.001 · 动量 0.9 · 种子 42 · 前 2,000 张图像 · 数据：mnist/raw',
    );
    expect(engineLabel({ engine: 'wasm', version: '4.22.0' } as never)).toBe('wasm（后备） 4.22.0');
    expect(formatAccuracyOrStatus({ status: 'done', accuracy: 0.9812 })).toBe('测试集准确率 98.12%');
    expect(formatAccuracyOrStatus({ status: 'diverged', accuracy: null })).toBe('已发散');
    expect([formatLoss(Infinity), formatGap(-Infinity), formatLoss(NaN)]).toEqual(['∞', '-∞', 'NaN']);
  });
});

describe('engineFeatures: a CPU engine build and threads in the UI language, from its data', () => {
  const wasm = { engine: 'wasm', device: 'cpu', backend: 'wasm', version: '4.22.0' } as const;
  const native = { engine: 'tfjs-node', device: 'cpu', backend: 'tensorflow', version: '4.22.0' } as const;

  it('words the data, in English as the engines wrote it, and in Chinese', () => {
    const cases = [
      { ...wasm, simd: true, threads: 2, features: 'SIMD, 2 threads' },
      { ...wasm, simd: false, threads: 1, threadsFailure: 'no SharedArrayBuffer', features: 'x' },
      { ...native, libtensorflow: '2.21.0', threads: 1 },
    ];
    expect(cases.map(engineFeatures)).toEqual([
      'SIMD, 2 threads',
      'no SIMD, single thread (the threaded build did not start: no SharedArrayBuffer)',
      'libtensorflow 2.21.0, 1 thread',
    ]);
    setLanguage('zh-CN');
    try {
      expect(cases.map(engineFeatures)).toEqual([
        'SIMD，2 个线程',
        '无 SIMD，单线程（多线程版本未能启动：no SharedArrayBuffer）',
        'libtensorflow 2.21.0，1 个线程',
      ]);
      expect(engineLabel({ ...native, libtensorflow: '2.21.0', threads: 2, features: 'x' })).toBe(
        'tfjs-node 4.22.0 (libtensorflow 2.21.0，2 个线程)',
      );
    } finally {
      setLanguage('en');
    }
  });

  it('keeps the English words of a row that stored no data, and says nothing when there is none', () => {
    expect(engineFeatures({ ...wasm, features: 'SIMD, 2 threads' })).toBe('SIMD, 2 threads');
    expect(engineFeatures({ ...native })).toBe('');
  });
});

describe('engineLabel names the step a WebGPU run trained with', () => {
  const webgpu = {
    engine: 'webgpu',
    device: 'gpu',
    backend: 'webgpu',
    version: '4.22.0',
    adapter: { vendor: 'nvidia', name: 'NVIDIA GeForce RTX 4070', api: 'Vulkan', software: false },
  } as const;

  it('fused or tfjs, in both languages; a row from before names no step', () => {
    expect(engineLabel({ ...webgpu, step: 'fused' })).toBe(
      'WebGPU 4.22.0, fused step on NVIDIA GeForce RTX 4070 (Vulkan)',
    );
    expect(engineLabel({ ...webgpu, step: 'tfjs' })).toBe(
      "WebGPU 4.22.0, tfjs's kernels on NVIDIA GeForce RTX 4070 (Vulkan)",
    );
    expect(engineLabel(webgpu)).toBe('WebGPU 4.22.0 on NVIDIA GeForce RTX 4070 (Vulkan)');
    setLanguage('zh-CN');
    try {
      expect(engineLabel({ ...webgpu, step: 'fused' })).toBe(
        'WebGPU 4.22.0（融合训练步），运行于 NVIDIA GeForce RTX 4070 (Vulkan)',
      );
    } finally {
      setLanguage('en');
    }
  });
});
