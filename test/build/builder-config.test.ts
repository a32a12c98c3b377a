/**
 * electron-builder.yml against the files it names and the real layouts of what it packages. An installer cannot be
 * built here (electron-builder downloads Electron), so these use electron-builder's own loader, schema and matchers.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Configuration } from 'app-builder-lib';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config';
import {
  MNIST_FILES, WASM_FILES, WASM_THREADED_SCRIPT, WORKER_ENTRY, mnistDir, nativeEngineDir, nativeEngineFiles, wasmDir,
  windowIcon, workerScript, type AppContext,
} from '../../electron/app-paths';
import { threadedModuleFile } from '../../electron/training/engines/wasm/threads';
import { DEFAULT_OUT_DIR } from '../../scripts/pack-resources.mjs';
import {
  ROOT, appFileMatcher, hasInstallSection, loadBuilderConfig, nodeModuleMatcher, readPackageFixture, unpackMatcher,
  type Platform,
} from './builder';

const PLATFORMS: Platform[] = ['linux', 'win32', 'darwin'];
const ENGINES = [
  { device: 'cpu' as const, fixture: 'tfjs-node-4.22.0-files.txt', dir: 'node_modules/@tensorflow/tfjs-node' },
  { device: 'gpu' as const, fixture: 'tfjs-node-gpu-4.22.0-files.txt', dir: 'node_modules/@tensorflow/tfjs-node-gpu' },
];
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
let config: Configuration;

beforeAll(async () => {
  config = await loadBuilderConfig();
});

describe('electron-builder.yml', () => {
  it('is the only builder configuration and passes electron-builder\'s own schema', async () => {
    expect(pkg.build).toBeUndefined();
    await expect(validateConfiguration(config, { isEnabled: false } as never)).resolves.toBeUndefined();
    expect(config).toMatchObject({ appId: 'dev.athanor.app', productName: 'Athanor', asar: true });
    expect(config.directories).toEqual({ output: 'dist', buildResources: 'build' });
  });

  it('never rebuilds the N-API engines for Electron (no Electron headers, no compiler)', () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.nodeGypRebuild).toBe(false);
    expect(config.buildDependenciesFromSource).toBe(false);
  });

  it('builds AppImage and deb, NSIS and dmg, with their categories', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(String(config.linux?.category).split(';')).toEqual(expect.arrayContaining(['Education', 'Science']));
    expect(config.mac?.category).toBe('public.app-category.education');
    // dpkg needs "Name <email>"; package.json's author has no email.
    expect(config.linux?.maintainer).toMatch(/^[^<>]+ <[^@<>\s]+@[^@<>\s]+>$/);
  });

  it('names only files that exist', () => {
    const named = [config.win?.icon, config.mac?.icon, config.mac?.entitlements, config.mac?.entitlementsInherit,
      config.beforePack as string, config.afterPack as string];
    for (const file of named) expect(existsSync(path.join(ROOT, String(file))), String(file)).toBe(true);
    const linuxIcons = path.join(ROOT, String(config.linux?.icon));
    expect(statSync(linuxIcons).isDirectory()).toBe(true);
    expect(readdirSync(linuxIcons)).toEqual(expect.arrayContaining(['16x16.png', '32x32.png', '256x256.png', '512x512.png']));
    for (const resource of config.extraResources as Array<{ from: string }>) {
      const from = path.resolve(ROOT, resource.from);
      // resources/mnist is build output: the beforePack hook writes it before electron-builder copies it.
      expect(existsSync(from) || from === DEFAULT_OUT_DIR, resource.from).toBe(true);
    }
  });

  it('packs the app entry and the worker entry into app.asar, and no sources, on every platform', () => {
    // A top-level list would be merged with the platform lists into two file sets (see the note in the yml).
    expect(config.files).toEqual([]);
    for (const platform of PLATFORMS) {
      const inApp = appFileMatcher(config, platform);
      expect(inApp(pkg.main.replace(/^\.\//, '')), pkg.main).toBe(true);
      expect(inApp(WORKER_ENTRY.split(path.sep).join('/'))).toBe(true);
      expect(inApp('out/renderer/index.html')).toBe(true);
      expect(inApp('out/renderer/gpu.html')).toBe(true);
      expect(inApp('out/preload/gpu.js')).toBe(true);
      const sources = ['electron/app-paths.ts', 'test/build/builder.ts', 'renderer/App.svelte', 'resources/icon.png',
        'scripts/pack-resources.mjs', 'README.md', 'tsconfig.json'];
      for (const source of sources) {
        expect(inApp(source), `${source} on ${platform}`).toBe(false);
      }
      expect(unpackMatcher(config, platform)(WORKER_ENTRY.split(path.sep).join('/'))).toBe(false);
    }
  });

  it("leaves out Dawn (the CLI's WebGPU engine, npm's webgpu) on every platform: the app's WebGPU is Chromium's", () => {
    const dawn = path.join(ROOT, 'node_modules', 'webgpu');
    const files = readdirSync(dawn, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
    expect(files).toContain('node_modules/webgpu/dist/linux-x64/dawn.node');
    for (const platform of PLATFORMS) {
      expect(files.filter(nodeModuleMatcher(config, platform)), platform).toEqual([]);
    }
  });
});

describe('asarUnpack against the real file layouts', () => {
  it('unpacks exactly the wasm engine\'s .wasm files and its threaded script, as installed in node_modules', () => {
    const dist = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
    const files = readdirSync(path.join(ROOT, dist), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
    for (const platform of PLATFORMS) {
      const unpack = unpackMatcher(config, platform);
      const keep = nodeModuleMatcher(config, platform);
      const unpacked = files.filter(unpack);
      expect(unpacked.map((f) => path.basename(f)).sort()).toEqual([...WASM_FILES].sort());
      // The threaded build's script, which its worker threads read from the real disk.
      const threaded = `node_modules/@tensorflow/tfjs-backend-wasm/${WASM_THREADED_SCRIPT.split(path.sep).join('/')}`;
      expect(existsSync(path.join(ROOT, threaded))).toBe(true);
      expect(unpack(threaded) && keep(threaded)).toBe(true);
      expect(unpack('node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.js')).toBe(false);
      expect(unpacked.every(keep)).toBe(true);
      expect(unpack('node_modules/@tensorflow/tfjs-backend-wasm/dist/index.js')).toBe(false);
      expect(unpack('node_modules/@tensorflow/tfjs-core/package.json')).toBe(false);
    }
  });

  for (const engine of ENGINES) {
    for (const platform of PLATFORMS) {
      const ships = !(engine.device === 'gpu' && platform === 'darwin');
      it(`${ships ? 'unpacks' : 'leaves out'} ${engine.dir.split('/').pop()} on ${platform}`, () => {
        const files = readPackageFixture(engine.fixture, platform).map((entry) => `${engine.dir}/${entry.path}`);
        const unpack = unpackMatcher(config, platform);
        const keep = nodeModuleMatcher(config, platform);
        expect(files.length).toBeGreaterThan(500);
        if (!ships) {
          expect(files.filter(keep)).toEqual([]);
          return;
        }
        expect(hasInstallSection(engine.fixture, platform)).toBe(true);
        // Everything of the package that is copied must sit on the real disk, beside the addon.
        expect(files.filter(keep).filter((file) => !unpack(file))).toEqual([]);
        for (const runtime of nativeEngineFiles(platform)) {
          const file = `${engine.dir}/${runtime.split(path.sep).join('/')}`;
          // On Windows the afterPack hook copies tensorflow.dll beside the binding from where the install put it.
          const source = platform === 'win32' && file.endsWith('.dll') ? `${engine.dir}/deps/lib/tensorflow.dll` : file;
          expect(files, 'the install script creates it').toContain(source);
          expect(keep(source), `${source} is copied`).toBe(true);
          expect(unpack(source), `${source} is unpacked`).toBe(true);
          expect(unpack(file), `${file} lies in the unpacked folder`).toBe(true);
        }
        expect(keep(`${engine.dir}/dist/index.js`)).toBe(true);
      });
    }
  }
});

describe('the paths the app looks up when installed are what the package holds', () => {
  const resourcesPath = path.join(path.sep, 'opt', 'Athanor', 'resources');
  const ctx: AppContext = { packaged: true, resourcesPath, appRoot: path.join(resourcesPath, 'app.asar') };
  const lookups = [
    ...MNIST_FILES.map((name) => path.join(mnistDir(ctx), `${name}.gz`)),
    ...WASM_FILES.map((name) => path.join(wasmDir(ctx), name)),
    threadedModuleFile(wasmDir(ctx)),
    workerScript(ctx),
    windowIcon(ctx),
    ...ENGINES.flatMap(({ device }) => nativeEngineFiles('linux').map((file) => path.join(nativeEngineDir(ctx, device), file))),
  ];

  it.each(lookups.map((file) => [path.relative(resourcesPath, file).split(path.sep).join('/')]))('%s', (relative) => {
    const [top, ...rest] = relative.split('/');
    const inside = rest.join('/');
    if (top === 'app.asar.unpacked') {
      expect(unpackMatcher(config, 'linux')(inside)).toBe(true);
      expect(nodeModuleMatcher(config, 'linux')(inside)).toBe(true);
    } else if (top === 'app.asar') {
      expect(appFileMatcher(config, 'linux')(inside)).toBe(true);
      expect(unpackMatcher(config, 'linux')(inside)).toBe(false);
    } else {
      const resources = config.extraResources as Array<{ from: string; to: string; filter?: string[] }>;
      const mapping = resources.find((r) => r.to === top);
      expect(mapping, `an extraResources entry lands in ${top}`).toBeDefined();
      if (mapping?.filter) expect(mapping.filter.some((f) => path.matchesGlob(inside, f))).toBe(true);
    }
  });
});

describe('package.json', () => {
  it('has pack and dist scripts that build first and run electron-builder', () => {
    expect(pkg.scripts.pack).toMatch(/npm run build && .*electron-builder --dir\b/);
    expect(pkg.scripts.dist).toMatch(/npm run build && .*electron-builder(?! --dir)/);
  });

  it('runs nothing at install time that rebuilds native modules or downloads Electron headers', () => {
    const lifecycle = ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish', 'dependencies'];
    for (const name of lifecycle) {
      expect(pkg.scripts[name] ?? '', name).not.toMatch(/electron-builder|install-app-deps|electron-rebuild|@electron\/rebuild|node-gyp|prebuild/);
    }
  });
});

describe("the installers speak the app's two languages", () => {
  it('NSIS offers English and Simplified Chinese; the Linux menu entry has a Chinese comment', () => {
    expect(config.nsis?.installerLanguages).toEqual(['en_US', 'zh_CN']);
    const entry = (config.linux?.desktop as { entry?: Record<string, string> } | null | undefined)?.entry;
    expect(entry?.['Comment[zh_CN]']).toMatch(/^在 CPU 和 GPU 上训练 MNIST 卷积网络/);
  });
});
