import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  exportPathFor,
  exportWeights,
  formatForPath,
  provenance,
  type ExportFormat,
} from '../../../electron/training/export/index';
import { readPth } from '../../../electron/training/export/pth';
import { readSafetensors } from '../../../electron/training/export/safetensors';
import { fromTorch } from '../../../electron/training/export/torch-layout';
import { initialWeights } from '../../../electron/training/core/model';
import { sameBits, tempDir } from './fixtures';

// Only the topology's passing-through is checked here; tfjs.test.ts loads a real one.
const topology = {
  class_name: 'Sequential',
  config: { name: 'athanor_mnist_cnn', layers: [] },
  keras_version: 'tfjs-layers 4.22.0',
};

describe('exportWeights names what trained the weights', () => {
  const tmp = tempDir();
  afterAll(tmp.remove);
  const model = { weights: initialWeights(3), topology };
  const swiftshader = { vendor: 'google', name: 'SwiftShader', api: 'Vulkan', software: true };
  const webgpu = {
    engine: 'webgpu' as const,
    device: 'gpu' as const,
    backend: 'webgpu',
    version: '4.22.0',
    adapter: swiftshader,
  };

  it('the engine, backend and adapter, or the CPU for a CPU engine', () => {
    expect(provenance(webgpu)).toEqual({
      'athanor.engine': 'webgpu 4.22.0',
      'athanor.backend': 'webgpu',
      'athanor.device': 'gpu',
      'athanor.adapter': 'SwiftShader (Vulkan), software GPU (testing only)',
    });
    expect(provenance({ engine: 'wasm', device: 'cpu', backend: 'wasm', version: '4.22.0' }, 'AMD EPYC')).toEqual({
      'athanor.engine': 'wasm 4.22.0',
      'athanor.backend': 'wasm',
      'athanor.device': 'cpu',
      'athanor.adapter': 'AMD EPYC',
    });
    // A native engine's package version does not say which TensorFlow ran: the export does.
    const native = {
      engine: 'tfjs-node' as const,
      device: 'cpu' as const,
      backend: 'tensorflow',
      version: '4.22.0',
      libtensorflow: '2.21.0',
      threads: 2,
    };
    expect(provenance(native, 'AMD EPYC')).toEqual({
      'athanor.engine': 'tfjs-node 4.22.0',
      'athanor.backend': 'tensorflow',
      'athanor.device': 'cpu',
      'athanor.libtensorflow': '2.21.0',
      'athanor.threads': '2',
      'athanor.adapter': 'AMD EPYC',
    });
  });

  it("in the .safetensors header's __metadata__ and the TF.js model.json's userDefinedMetadata", async () => {
    const meta = provenance(webgpu);
    await exportWeights(join(tmp.dir, 'm.safetensors'), model, meta);
    // With what the model takes and gives, in each format's own layout: NCHW for PyTorch, NHWC for TF.js.
    const scaling = 'pixels x in 0-255 scaled (x / 255 - 0.5) / 0.5 to [-1, 1]';
    const output = 'float32 [batch, 10]: logits for the digits 0-9 (softmax gives probabilities)';
    expect((await readSafetensors(join(tmp.dir, 'm.safetensors'))).metadata).toEqual({
      format: 'pt',
      ...meta,
      'athanor.input': `float32 [batch, 1, 28, 28] (NCHW): 28x28 grayscale images, ${scaling}`,
      'athanor.output': output,
    });
    await exportWeights(join(tmp.dir, 'm.json'), model, meta);
    expect(JSON.parse(readFileSync(join(tmp.dir, 'm.json'), 'utf8')).userDefinedMetadata).toEqual({
      ...meta,
      'athanor.input': `float32 [batch, 28, 28, 1] (NHWC): 28x28 grayscale images, ${scaling}`,
      'athanor.output': output,
    });
  });
});

describe('exportWeights', () => {
  const tmp = tempDir();
  afterAll(tmp.remove);
  const weights = initialWeights(21);
  const model = { weights, topology };
  const sizeOf = (files: string[]): number => files.reduce((n, f) => n + statSync(f).size, 0);

  it.each([
    ['mnist_cnn.pth', 'pth'],
    ['mnist_cnn.PT', 'pth'],
    ['mnist_cnn.safetensors', 'safetensors'],
    ['mnist_cnn.json', 'tfjs'],
  ])('%s is written as %s and reads back to the same weights', async (name, format) => {
    const path = join(tmp.dir, name);
    const result = await exportWeights(path, model);
    expect(result.format).toBe(format);
    expect(result.bytes).toBe(sizeOf(result.files));
    const back =
      format === 'pth'
        ? fromTorch(await readPth(path))
        : format === 'safetensors'
          ? fromTorch((await readSafetensors(path)).tensors)
          : null;
    if (back) back.forEach((w, i) => expect(sameBits(w.data, weights[i].data), w.name).toBe(true));
    else {
      expect(result.files[0]).toBe(path);
      expect(result.files[1]).toMatch(/\/mnist_cnn\.[0-9a-f]{8}\.weights\.bin$/);
      const bin = readFileSync(result.files[1]);
      expect(bin.readFloatLE(4 * 300)).toBe(weights[1].data[12]); // conv1/bias[12]: tensors in WEIGHT_SPECS order
    }
  });

  it('rejects an unknown extension, naming the supported ones, and writes nothing', async () => {
    const before = tmp.files();
    await expect(exportWeights(join(tmp.dir, 'model.h5'), model)).rejects.toThrow(
      /its extension "\.h5" is not one Athanor writes; end it in one of \.pth, \.pt, \.safetensors, \.json, \.onnx/,
    );
    await expect(exportWeights(join(tmp.dir, 'model'), model)).rejects.toThrow(
      /the name has no extension; end it in one of \.pth, \.pt, \.safetensors, \.json, \.onnx$/,
    );
    expect(tmp.files()).toEqual(before);
  });

  it('checks the weights before writing anything', async () => {
    const before = tmp.files();
    const broken = weights.map((w, i) => (i === 4 ? { ...w, data: w.data.subarray(1) } : w));
    await expect(exportWeights(join(tmp.dir, 'bad.pth'), { weights: broken, topology })).rejects.toThrow(/fc1\/kernel/);
    expect(tmp.files()).toEqual(before);
  });

  it('maps extensions case-insensitively', () => {
    expect(formatForPath('/x/A.SafeTensors')).toBe('safetensors');
    expect(formatForPath('/x/a.b.json')).toBe('tfjs');
  });
});

describe('exportPathFor: the format chosen in the export dialog wins over the typed name', () => {
  const keeps: [ExportFormat, string][] = [
    ['pth', '/w/mnist_cnn.pth'],
    ['pth', '/w/run.PT'],
    ['safetensors', '/w/a.b.SafeTensors'],
    ['tfjs', '/w/model.JSON'],
  ];
  it.each(keeps)("%s keeps %s: it already ends in that format's extension", (format, name) => {
    expect(exportPathFor(name, format)).toBe(name);
    expect(formatForPath(exportPathFor(name, format))).toBe(format);
  });

  const appends: [ExportFormat, string, string][] = [
    ['pth', '/w/mnist_cnn', '/w/mnist_cnn.pth'],
    ['tfjs', '/w/mnist_cnn.v2', '/w/mnist_cnn.v2.json'],
    ['safetensors', '/w/notes.txt', '/w/notes.txt.safetensors'],
    ['tfjs', '/w/model.weights.bin', '/w/model.weights.bin.json'],
    ['pth', '/w/.hidden', '/w/.hidden.pth'],
  ];
  it.each(appends)('%s turns %s into %s', (format, name, path) => {
    expect(exportPathFor(name, format)).toBe(path);
    expect(formatForPath(path)).toBe(format);
  });

  const refuses: [ExportFormat, string, RegExp][] = [
    [
      'tfjs',
      '/w/tfjs.pth',
      /^"tfjs\.pth" ends in "\.pth" \(PyTorch state_dict\), but the format chosen is TensorFlow\.js model: nothing was written\. Save it under a name ending in "\.json", or choose PyTorch state_dict$/,
    ],
    [
      'pth',
      '/w/w.safetensors',
      /ends in "\.safetensors" \(safetensors\), but the format chosen is PyTorch state_dict: .* ending in "\.pth" or "\.pt", or choose safetensors$/,
    ],
    [
      'safetensors',
      '/w/model.JSON',
      /"model\.JSON" ends in "\.JSON" \(TensorFlow\.js model\), but the format chosen is safetensors/,
    ],
    ['tfjs', '/w/x.Pt', /ends in "\.Pt" \(PyTorch state_dict\), but the format chosen is TensorFlow\.js model/],
    [
      'pth',
      '/w/w.pth ',
      /^"w\.pth " ends in a space: nothing was written\. Save it under a name without it at the end$/,
    ],
    ['safetensors', '/w/w.safetensors\t', /ends in a space: nothing was written/],
    ['tfjs', '/w/model.', /^"model\." ends in a dot: nothing was written/],
  ];
  it.each(refuses)('%s refuses %s, naming both formats', (format, name, message) => {
    expect(() => exportPathFor(name, format)).toThrow(message);
  });
});
