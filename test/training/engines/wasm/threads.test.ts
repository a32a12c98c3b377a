import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { initWasm } from '../../../../electron/training/engines';
import { on, relativeError, seeded } from './helpers';

// Its own file: vitest runs each file in a fresh process, and a process starts the wasm backend only once.
describe('the threaded wasm build under Node', () => {
  it('starts with two XNNPACK threads and computes what the cpu backend computes', async () => {
    const engine = await initWasm({ threads: 2 });
    expect(engine.features).toBe('SIMD, 2 threads');
    expect(getThreadsCount()).toBe(2);
    expect((tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer).toBeInstanceOf(SharedArrayBuffer);

    const grads = (): tf.Tensor[] => {
      const x = tf.tensor4d(seeded(16 * 13 * 13 * 32, 1), [16, 13, 13, 32]);
      const w = tf.tensor4d(seeded(3 * 3 * 32 * 64, 2), [3, 3, 32, 64]);
      const r = tf.tensor4d(seeded(16 * 11 * 11 * 64, 3), [16, 11, 11, 64]);
      const loss = (xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 1, 'valid'), r));
      return tf.grads(loss)([x, w]);
    };
    const wasm = await on('wasm', grads);
    const cpu = await on('cpu', grads);
    cpu.forEach((c, i) => expect(relativeError(wasm[i], c)).toBeLessThan(1e-4));
  });
});

describe('a process with the threaded build', () => {
  it('still exits on its own when its work is done', () => {
    const engine = fileURLToPath(new URL('../../../../electron/training/engines/index.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'athanor-threads-'));
    const script = path.join(dir, 'start.ts');
    writeFileSync(script, `import { initWasm } from ${JSON.stringify(engine)};\n`
      + 'initWasm({ threads: 2 }).then((e) => console.log(e.features));\n');
    const child = spawnSync(tsx, [script], { encoding: 'utf8', timeout: 60_000 });
    rmSync(dir, { recursive: true });
    expect(child.signal).toBeNull(); // killed at the timeout if the pool's workers kept it alive
    expect(child.status).toBe(0);
    expect(child.stdout).toContain('SIMD, 2 threads');
  });
});
