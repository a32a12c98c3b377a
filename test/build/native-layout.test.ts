/**
 * The native engines as npm installs them on every system Athanor builds for (simulated from the packages' own
 * install scripts, see native-install.ts), then as the afterPack hook leaves them in the packaged app: the app's
 * own check (app-paths' nativeEngineState) must find each engine complete where its addon will look, and tell a
 * broken copy from a missing one.
 */
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATIVE_BINDING_DIR, nativeEngineDir, nativeEngineState, type AppContext } from '../../electron/app-paths';
import afterPack, { BINDING_DIR, stageNativeEngine } from '../../scripts/stage-native-engines.mjs';
import { layOutPackage, type Platform } from './builder';
import { INSTALLING_NODES, bindingNapiVersion, simulatedInstall, type Arch } from './native-install';

const PLATFORMS: Platform[] = ['win32', 'linux', 'darwin'];
const ARCHES: Arch[] = ['x64', 'arm64'];
const DEVICES = [{ device: 'cpu' as const, pkg: 'tfjs-node' }, { device: 'gpu' as const, pkg: 'tfjs-node-gpu' }];
let temp: string;
let count = 0;

beforeAll(() => {
  temp = mkdtempSync(path.join(os.tmpdir(), 'athanor-native-'));
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A fresh installed app's resources folder with one engine package as `npm install` left it (null: dropped). */
function installedApp(device: 'cpu' | 'gpu', platform: Platform, arch: Arch, napi: number, symlinks = true) {
  const resourcesPath = path.join(temp, String(count++), 'resources');
  const ctx: AppContext = { packaged: true, resourcesPath, appRoot: path.join(resourcesPath, 'app.asar') };
  const dir = nativeEngineDir(ctx, device);
  const entries = simulatedInstall(platform, arch, INSTALLING_NODES.find((n) => n.napi === napi)!, symlinks);
  if (entries) layOutPackage(dir, [{ path: 'package.json' }, ...entries]);
  return { ctx, dir, installed: entries !== null };
}

const dllCopies = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' })
  .filter((file) => path.basename(file) === 'tensorflow.dll')
  .map((file) => file.split(path.sep).join('/'))
  .sort();

describe('the binding folder', () => {
  it('is napi-v8 for every Node that installs Athanor and for Electron 45 (N-API 10)', () => {
    expect(INSTALLING_NODES.map((n) => bindingNapiVersion(n.napi))).toEqual([8, 8]);
    expect(bindingNapiVersion(10)).toBe(8);
    expect(BINDING_DIR).toBe(NATIVE_BINDING_DIR);
  });
});

describe.each(INSTALLING_NODES)('installed by $label (N-API $napi), then packaged', ({ napi }) => {
  for (const { device, pkg } of DEVICES) {
    describe(pkg, () => {
      it.each(['x64'] as Arch[])('win32 %s: tensorflow.dll lands beside the binding, the one copy in the package', async (arch) => {
        for (const symlinks of [true, false]) {
          const { ctx, dir } = installedApp(device, 'win32', arch, napi, symlinks);
          // As npm leaves it, the binding cannot find its DLL: the check names exactly that file.
          expect(nativeEngineState(ctx, device, 'win32')).toEqual({
            state: 'broken', missing: [path.join(dir, NATIVE_BINDING_DIR, 'tensorflow.dll')],
          });
          const outcome = await stageNativeEngine(dir, 'win32', { prune: true });
          expect(outcome.ok).toBe(true);
          expect(nativeEngineState(ctx, device, 'win32')).toEqual({ state: 'installed' });
          const staged = path.join(dir, NATIVE_BINDING_DIR, 'tensorflow.dll');
          expect(lstatSync(staged).isFile(), 'a real file: installers carry no links').toBe(true);
          expect(readFileSync(staged, 'utf8')).toBe('deps/lib/tensorflow.dll\n');
          expect(dllCopies(dir)).toEqual(['lib/napi-v8/tensorflow.dll']);
          expect(readdirSync(path.join(dir, 'deps', 'lib'))).toEqual([]);
        }
      });

      it('win32 arm64: the install script has no build for it, npm drops the package, and the app reports it absent', () => {
        const { ctx, installed } = installedApp(device, 'win32', 'arm64', napi);
        expect(installed).toBe(false);
        expect(nativeEngineState(ctx, device, 'win32')).toEqual({ state: 'absent' });
      });

      for (const platform of ['linux', 'darwin'] as const) {
        it.each(ARCHES)(`${platform} %s: complete as installed, and staging leaves it alone`, async (arch) => {
          const { ctx, dir } = installedApp(device, platform, arch, napi);
          expect(nativeEngineState(ctx, device, platform)).toEqual({ state: 'installed' });
          const before = readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
          expect(await stageNativeEngine(dir, platform, { prune: true })).toEqual({ ok: true, copied: [], removed: [] });
          expect(readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()).toEqual(before);
        });
      }
    });
  }
});

describe('a broken copy is told from a missing one', () => {
  it.each(PLATFORMS)('%s: a package without its libtensorflow is broken, and says which files are gone', (platform) => {
    const { ctx, dir } = installedApp('cpu', platform, 'x64', 9);
    rmSync(path.join(dir, 'deps'), { recursive: true });
    if (platform === 'win32') rmSync(path.join(dir, 'lib', 'napi-v9'), { recursive: true });
    const state = nativeEngineState(ctx, 'cpu', platform);
    expect(state.state).toBe('broken');
    expect(state.state === 'broken' && state.missing.every((f) => f.startsWith(dir) && !f.endsWith('tfjs_binding.node'))).toBe(true);
    expect(nativeEngineState(ctx, 'gpu', platform)).toEqual({ state: 'absent' });
  });

  it('staging cannot mend a package without its binding or its DLL, and says so', async () => {
    const noBinding = installedApp('cpu', 'win32', 'x64', 9);
    rmSync(path.join(noBinding.dir, 'lib', 'napi-v8'), { recursive: true });
    expect(await stageNativeEngine(noBinding.dir, 'win32', { prune: true })).toMatchObject({
      ok: false, reason: `${path.join(noBinding.dir, 'lib', 'napi-v8', 'tfjs_binding.node')} is missing`,
    });
    const noDll = installedApp('cpu', 'win32', 'x64', 10);
    rmSync(path.join(noDll.dir, 'deps'), { recursive: true });
    expect(await stageNativeEngine(noDll.dir, 'win32')).toMatchObject({ ok: false, reason: expect.stringMatching(/^no tensorflow\.dll in /) });
  });
});

describe('the afterPack hook', () => {
  const pack = (platform: Platform) => {
    const appOutDir = path.join(temp, `out-${count++}`);
    const resources = platform === 'darwin' ? path.join(appOutDir, 'Athanor.app', 'Contents', 'Resources') : path.join(appOutDir, 'resources');
    const modules = path.join(resources, 'app.asar.unpacked', 'node_modules', '@tensorflow');
    for (const { pkg } of DEVICES) {
      layOutPackage(path.join(modules, pkg), [{ path: 'package.json' }, ...simulatedInstall(platform, 'x64', INSTALLING_NODES[0])!]);
    }
    const context = { appOutDir, electronPlatformName: platform, packager: { appInfo: { productFilename: 'Athanor' } } };
    return { context, resourcesPath: resources };
  };

  it('stages both engines of a Windows package', async () => {
    const { context, resourcesPath } = pack('win32');
    await afterPack(context);
    const ctx: AppContext = { packaged: true, resourcesPath, appRoot: path.join(resourcesPath, 'app.asar') };
    for (const { device } of DEVICES) expect(nativeEngineState(ctx, device, 'win32')).toEqual({ state: 'installed' });
  });

  it('finds the resources inside the .app bundle on macOS and leaves them as they are', async () => {
    const { context, resourcesPath } = pack('darwin');
    await afterPack(context);
    const ctx: AppContext = { packaged: true, resourcesPath, appRoot: path.join(resourcesPath, 'app.asar') };
    expect(nativeEngineState(ctx, 'cpu', 'darwin')).toEqual({ state: 'installed' });
  });

  it('fails a release build whose required engine cannot load, and only warns otherwise', async () => {
    const { context, resourcesPath } = pack('win32');
    const gpuDir = path.join(resourcesPath, 'app.asar.unpacked', 'node_modules', '@tensorflow', 'tfjs-node-gpu');
    rmSync(path.join(gpuDir, 'deps'), { recursive: true });
    rmSync(path.join(gpuDir, 'lib', 'napi-v9'), { recursive: true });
    const saved = process.env.ATHANOR_REQUIRE_ENGINES;
    try {
      process.env.ATHANOR_REQUIRE_ENGINES = 'tfjs-node,tfjs-node-gpu';
      await expect(afterPack(context)).rejects.toThrow(/^@tensorflow\/tfjs-node-gpu in the package cannot load: no tensorflow\.dll/);
      process.env.ATHANOR_REQUIRE_ENGINES = 'tfjs-node';
      await expect(afterPack(context)).resolves.toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.ATHANOR_REQUIRE_ENGINES;
      else process.env.ATHANOR_REQUIRE_ENGINES = saved;
    }
  });
});

// The copy case above rests on this: a copied DLL is a plain file with the original's content.
it('lays out a copy as a plain file with its original\'s content', () => {
  const dir = path.join(temp, 'honest');
  mkdirSync(dir);
  layOutPackage(dir, simulatedInstall('win32', 'x64', INSTALLING_NODES[1], false)!);
  expect(readFileSync(path.join(dir, 'lib', 'napi-v10', 'tensorflow.dll'), 'utf8')).toBe('deps/lib/tensorflow.dll\n');
  expect(lstatSync(path.join(dir, 'lib', 'napi-v10', 'tensorflow.dll')).isSymbolicLink()).toBe(false);
});
