import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { defaultThreads, initWasm } from '../../../../electron/training/engines';
import { on, relativeError, seeded } from './helpers';

// Its own file: vitest runs each file in a fresh process, and a process starts the wasm backend only once.
describe('the threaded wasm build under Node', () => {
  it('starts with two XNNPACK threads and computes what the cpu backend computes', async () => {
    const engine = await initWasm({ threads: 2 });
    expect(engine.features).toBe('SIMD, 2 threads');
    expect(getThreadsCount()).toBe(2);
    expect((tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer).toBeInstanceOf(
      SharedArrayBuffer,
    );

    // conv2 of the network at a batch of 4: work enough for both threads, and the cpu backend's reference loop, whose
    // time goes with the batch, stays short.
    const grads = (): tf.Tensor[] => {
      const x = tf.tensor4d(seeded(4 * 13 * 13 * 32, 1), [4, 13, 13, 32]);
      const w = tf.tensor4d(seeded(3 * 3 * 32 * 64, 2), [3, 3, 32, 64]);
      const r = tf.tensor4d(seeded(4 * 11 * 11 * 64, 3), [4, 11, 11, 64]);
      const loss = (xx: tf.Tensor, ww: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 1, 'valid'), r));
      return tf.grads(loss)([x, w]);
    };
    const wasm = await on('wasm', grads);
    const cpu = await on('cpu', grads);
    cpu.forEach((c, i) => expect(relativeError(wasm[i], c)).toBeLessThan(1e-4));
  });
});

/**
 * Starts the wasm engine in a process of its own (a process starts the backend once) and returns its output: the
 * engine's features, then (with `listTemp`) what the OS temp folder holds while the engine runs, as JSON.
 */
function startInChild(options: string, dir: string, env: NodeJS.ProcessEnv = process.env, listTemp = false) {
  const engine = fileURLToPath(new URL('../../../../electron/training/engines/index.ts', import.meta.url));
  const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));
  const script = path.join(dir, 'start.ts');
  const list = listTemp
    ? `import { readdirSync, statSync } from 'node:fs'; import os from 'node:os'; import path from 'node:path';\n` +
      `const walk = (d: string): object[] => readdirSync(d).flatMap((n) => { const f = path.join(d, n); const s = statSync(f);\n` +
      `  return [{ path: path.relative(os.tmpdir(), f), mode: s.mode & 0o777, uid: s.uid }, ...(s.isDirectory() ? walk(f) : [])]; });\n`
    : '';
  writeFileSync(
    script,
    `import { initWasm } from ${JSON.stringify(engine)};\n${list}` +
      `initWasm(${options}).then((e) => { console.log(e.features);${listTemp ? ' console.log(JSON.stringify(walk(os.tmpdir())));' : ''} });\n`,
  );
  return spawnSync(tsx, [script], { encoding: 'utf8', timeout: 60_000, env });
}

describe('a process with the threaded build', () => {
  it('still exits on its own when its work is done', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'athanor-threads-'));
    const child = startInChild('{ threads: 2 }', dir);
    rmSync(dir, { recursive: true });
    expect(child.signal).toBeNull(); // killed at the timeout if the pool's workers kept it alive
    expect(child.status).toBe(0);
    expect(child.stdout).toContain('SIMD, 2 threads');
  });

  it('writes its worker script only into a fresh folder of its own, never through what another user planted', () => {
    // The temp folder a second local user shares: they planted the old fixed path as a link to a file of yours.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'athanor-threads-'));
    const tmp = path.join(dir, 'tmp');
    mkdirSync(path.join(tmp, 'athanor-wasm'), { recursive: true });
    const victim = path.join(dir, 'victim.txt');
    writeFileSync(victim, 'yours\n');
    symlinkSync(victim, path.join(tmp, 'athanor-wasm', 'threaded-simd-worker-4.22.0.cjs'));
    const child = startInChild('{ threads: 2 }', dir, { ...process.env, TMPDIR: tmp }, true);
    try {
      expect(child.status, child.stderr).toBe(0);
      const [features, listing] = child.stdout.trim().split('\n');
      expect(features).toBe('SIMD, 2 threads');
      expect(readFileSync(victim, 'utf8')).toBe('yours\n');
      const own = (JSON.parse(listing) as Array<{ path: string; mode: number; uid: number }>).filter((e) =>
        e.path.startsWith('athanor-wasm-'),
      );
      // One folder only this user may enter, one file only this user may read, while the engine runs.
      expect(own).toHaveLength(2);
      expect(own[0]).toMatchObject({ mode: 0o700, uid: process.getuid!() });
      expect(own[1]).toMatchObject({ path: path.join(own[0].path, 'threaded-simd-worker-4.22.0.cjs'), mode: 0o600 });
      // Gone when the process has exited.
      expect(readdirSync(tmp).filter((n) => n.startsWith('athanor-wasm'))).toEqual(['athanor-wasm']);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('falls back to the single-thread build and says why when the threaded script is not on disk', () => {
    // A packaged app whose asarUnpack lost wasm-out/: the .wasm files are there, the threaded build's script is not.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'athanor-threads-'));
    const dist = path.join(dir, 'tfjs-backend-wasm', 'dist');
    cpSync(
      path.dirname(
        createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.wasm'),
      ),
      dist,
      { recursive: true, filter: (f) => !f.includes('.') || f.endsWith('.wasm') },
    );
    const child = startInChild(`{ threads: 2, wasmDir: ${JSON.stringify(`${dist}/`)} }`, dir);
    rmSync(dir, { recursive: true });
    expect(child.status, child.stderr).toBe(0);
    const script = path.join(dir, 'tfjs-backend-wasm', 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
    expect(child.stdout.trim()).toBe(`SIMD, single thread (the threaded build did not start: ${script} is missing)`);
  });
});

describe('defaultThreads', () => {
  it('is every core this process may use, unless ATHANOR_THREADS (or its old name ATHANOR_WASM_THREADS) says otherwise', () => {
    expect(defaultThreads({})).toBe(os.availableParallelism());
    expect(defaultThreads({ ATHANOR_WASM_THREADS: '3' })).toBe(3);
    expect(defaultThreads({ ATHANOR_WASM_THREADS: '1' })).toBe(1);
    for (const bad of ['0', '-2', '1.5', 'all', ''])
      expect(defaultThreads({ ATHANOR_WASM_THREADS: bad })).toBe(os.availableParallelism());
    expect(defaultThreads({ ATHANOR_THREADS: '1', ATHANOR_WASM_THREADS: '3' })).toBe(1);
    expect(defaultThreads({ ATHANOR_THREADS: 'x', ATHANOR_WASM_THREADS: '3' })).toBe(3);
  });
});
