/**
 * An engine that runs out of memory mid-run ends the run with the 'out-of-memory' reason, made in the loop where the
 * step threw: the step here throws wasm's own out-of-memory words, as a too large batch makes it do.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { validateConfig } from '../../../electron/training/core/config';
import { loadMnist, type MnistData } from '../../../electron/training/core/dataset';
import { initEngine, type EngineInfo } from '../../../electron/training/engines';
import { reasonOf } from '../../../electron/shared/reasons';
import { describeReason } from '../../../electron/shared/describe-reason';
import { train } from '../../../electron/training/core/train';

vi.mock('../../../electron/training/core/model', async (original) => ({
  ...(await original<typeof import('../../../electron/training/core/model')>()),
  trainingStep: () => {
    throw new Error('memory access out of bounds\n    at wasm-function[123]');
  },
}));

let data: MnistData;
let engine: EngineInfo;
beforeAll(async () => {
  engine = await initEngine('cpu', { preferFallback: true });
  data = await loadMnist({ limit: 64, testLimit: 10 });
});

describe('train on an engine that runs out of memory', () => {
  it('throws the out-of-memory reason: the engine, the batch, the largest it holds, its first line', async () => {
    const err = await train({ config: validateConfig({ epochs: 1, batchSize: 32 }), data, engine }).catch(
      (e: unknown) => e,
    );
    expect(reasonOf(err)).toEqual({
      code: 'out-of-memory',
      engine: 'wasm',
      batch: 32,
      max: 3584,
      detail: 'memory access out of bounds',
    });
    expect(describeReason(reasonOf(err))).toBe(
      'the wasm engine ran out of memory at a batch of 32 images ("memory access out of bounds"): lower the batch size (now 32)',
    );
  });
});
