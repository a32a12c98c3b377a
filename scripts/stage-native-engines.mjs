#!/usr/bin/env node
/**
 * Puts each native engine's libtensorflow where its addon loads it from, in node_modules (npm's postinstall) and in
 * a packaged app (electron-builder's afterPack hook).
 *
 * Why: tfjs-node(-gpu) 4.22's install (scripts/install.js) has node-pre-gyp put tfjs_binding.node into
 * `lib/napi-v{B}`, B being the highest of the package's binary.napi_versions (3-8) that the installing Node offers,
 * so 8 on every Node Athanor supports; node-pre-gyp's `find` loads it from there at run time too. On Windows it then
 * runs `scripts/deps-stage.js symlink lib/napi-v{N}`, N being the installing Node's own process.versions.napi (9 on
 * Node 20, 10 on Node 22.14+), which links (or, without the right to make symlinks, copies) deps/lib/tensorflow.dll
 * there. Windows looks for a DLL beside the module that needs it, so the binding cannot load: "The specified module
 * could not be found" (tfjs issues #8433 and #8579; the maintainers' workaround is to put the DLL beside the
 * binding). Linux and macOS need nothing: the binding finds deps/lib through its rpath / @loader_path.
 *
 * In a packaged app (`prune`) the DLL becomes one real file beside the binding: the other copies (deps/lib, the
 * napi-v{N} link or copy, the import library tensorflow.lib) go, as nothing loads them at run time and each copy of
 * tensorflow.dll would add its whole size to the installer.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const NATIVE_PACKAGES = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];
/** Where node-pre-gyp installs and finds the binding on every Node and Electron with N-API 8 or newer. */
export const BINDING_DIR = path.join('lib', 'napi-v8');

/** The engines a build must ship loadable (ATHANOR_REQUIRE_ENGINES, comma-separated package names). */
export function requiredEngines(env = process.env) {
  return (env.ATHANOR_REQUIRE_ENGINES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
const DLL = 'tensorflow.dll';

const isFile = (file) =>
  fs.stat(file).then(
    (s) => s.isFile(),
    () => false,
  ); // follows links: a dangling one is no file
const isLink = (file) =>
  fs.lstat(file).then(
    (s) => s.isSymbolicLink(),
    () => false,
  );

/** The package's tensorflow.dll copies other than the one beside the binding, as the install script may leave them. */
async function otherDllCopies(dir) {
  const lib = path.join(dir, 'lib');
  const folders = await fs.readdir(lib).catch(() => []);
  const staged = folders
    .filter((f) => /^napi-v\d+$/.test(f) && path.join('lib', f) !== BINDING_DIR)
    .map((f) => path.join(lib, f, DLL));
  return [...staged, path.join(dir, 'deps', 'lib', DLL)];
}

/**
 * Makes one installed native engine package loadable on `platform`. Returns what it did, and `ok: false` with the
 * reason when the package lacks its binding or its libtensorflow (a broken install that nothing here can mend).
 * @param {string} dir the package folder (node_modules/@tensorflow/tfjs-node or its unpacked copy in an app)
 * @param {string} platform process.platform's value for the target system
 * @param {{ prune?: boolean }} options prune: leave only the copy the binding loads (for a packaged app)
 */
export async function stageNativeEngine(dir, platform, { prune = false } = {}) {
  const binding = path.join(dir, BINDING_DIR, 'tfjs_binding.node');
  const done = { copied: [], removed: [] };
  if (!(await isFile(binding))) return { ok: false, reason: `${binding} is missing`, ...done };
  if (platform !== 'win32') return { ok: true, ...done };
  const target = path.join(dir, BINDING_DIR, DLL);
  const others = await otherDllCopies(dir);
  if (!(await isFile(target)) || (prune && (await isLink(target)))) {
    // A link beside the binding is its own best source: copyFile copies what it points to.
    let source = null;
    for (const file of [target, ...others]) {
      if (await isFile(file)) {
        source = file;
        break;
      }
    }
    if (!source) return { ok: false, reason: `no ${DLL} in ${dir} (deps/lib or lib/napi-v*)`, ...done };
    const temp = `${target}.${process.pid}.tmp`;
    await fs.copyFile(source, temp);
    await fs.rm(target, { force: true });
    await fs.rename(temp, target);
    done.copied.push({ from: source, to: target });
  }
  if (prune) {
    for (const file of [...others, path.join(dir, 'deps', 'lib', 'tensorflow.lib')]) {
      if ((await isLink(file)) || (await isFile(file))) {
        await fs.rm(file, { force: true });
        done.removed.push(file);
      }
    }
  }
  return { ok: true, ...done };
}

/** `<resources>` of a packed app: beside the executable, or inside the .app bundle on macOS. */
export function resourcesDir(appOutDir, platform, productFilename) {
  return platform === 'darwin'
    ? path.join(appOutDir, `${productFilename}.app`, 'Contents', 'Resources')
    : path.join(appOutDir, 'resources');
}

/**
 * electron-builder's afterPack hook: stages and prunes each native engine the package carries, before the installer
 * is made. An engine named in ATHANOR_REQUIRE_ENGINES that cannot be made loadable fails the build.
 */
export default async function afterPack(context) {
  const platform = context.electronPlatformName;
  const modules = path.join(
    resourcesDir(context.appOutDir, platform, context.packager.appInfo.productFilename),
    'app.asar.unpacked',
    'node_modules',
  );
  const required = requiredEngines();
  for (const pkg of NATIVE_PACKAGES) {
    const dir = path.join(modules, pkg);
    if (!(await isFile(path.join(dir, 'package.json')))) continue;
    const outcome = await stageNativeEngine(dir, platform, { prune: true });
    const name = pkg.split('/')[1];
    if (!outcome.ok) {
      if (required.includes(name)) throw new Error(`${pkg} in the package cannot load: ${outcome.reason}`);
      console.warn(`  • stage-native-engines: WARNING ${pkg} in the package cannot load: ${outcome.reason}`);
    } else if (outcome.copied.length + outcome.removed.length > 0) {
      console.log(
        `  • stage-native-engines: ${name}: ${DLL} beside the binding` +
          `${outcome.removed.length ? `; removed what nothing loads: ${outcome.removed.map((f) => path.relative(dir, f)).join(', ')}` : ''}`,
      );
    }
  }
}

/** npm's postinstall: stage the engines of this checkout, so `npm start` and `npm run train` load them on Windows. */
async function main() {
  for (const pkg of NATIVE_PACKAGES) {
    const dir = path.join(PROJECT_ROOT, 'node_modules', pkg);
    if (!(await isFile(path.join(dir, 'package.json')))) continue;
    const outcome = await stageNativeEngine(dir, process.platform);
    for (const { from, to } of outcome.copied)
      console.log(`stage-native-engines: ${path.relative(PROJECT_ROOT, from)} -> ${path.relative(PROJECT_ROOT, to)}`);
    if (!outcome.ok) console.warn(`stage-native-engines: ${pkg} cannot load: ${outcome.reason}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // An install must not fail over an optional engine: report and carry on.
  main().catch((err) => console.warn(`stage-native-engines: ${err.message}`));
}
