#!/usr/bin/env node
/**
 * `npm start`: builds the app (electron-vite build), then opens it in Electron. Electron's npm package downloads its
 * binary from GitHub on first use; where that cannot happen (offline, blocked), this says so in plain words and
 * points to the command-line trainer, instead of the package's "Electron failed to install correctly" stack trace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The electron package's folder, or null when the package itself is not installed. */
export function electronPackageDir(projectRoot = PROJECT_ROOT) {
  try {
    return path.dirname(createRequire(path.join(projectRoot, 'package.json')).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/**
 * Finds the Electron executable the way the electron package does (path.txt names it inside dist/), without
 * requiring the package: its index.js starts a download when the binary is missing and throws when that fails.
 */
export function findElectronBinary(electronDir = electronPackageDir(), env = process.env) {
  if (!electronDir) return { ok: false, reason: 'the electron package is not installed (run "npm install")' };
  const pathFile = path.join(electronDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH || path.join(electronDir, 'dist');
  if (!relative && !env.ELECTRON_OVERRIDE_DIST_PATH) {
    return { ok: false, reason: `the Electron binary was never downloaded (${pathFile} is missing)` };
  }
  const binary = path.join(distDir, relative || 'electron');
  if (!existsSync(binary)) return { ok: false, reason: `the Electron binary is missing (${binary} does not exist)` };
  return { ok: true, path: binary };
}

export function electronMissingMessage(reason) {
  return [
    'Athanor cannot open its window: the Electron binary is not installed.',
    `  Why: ${reason}.`,
    '  The electron npm package downloads its binary (about 100 MB) from github.com when it is installed; that',
    '  download failed or was skipped, most likely because this machine is offline or cannot reach github.com.',
    '  To get it, on a connection that can reach github.com, run:',
    '      node node_modules/electron/install.js',
    '  or point ELECTRON_MIRROR at a mirror you can reach and run it again, or set ELECTRON_OVERRIDE_DIST_PATH to',
    '  a folder holding an unpacked Electron 45 build. Then run "npm start" again.',
    '  Training works without the window: "npm run train -- --help" trains the same network from the command line.',
  ].join('\n');
}

/**
 * The binary, trying the package's own installer once when it is missing. The installer's own output (a stack
 * trace when offline) is kept back; its first line becomes part of the reason when it fails.
 */
export function ensureElectronBinary(electronDir = electronPackageDir(), run = spawnSync) {
  const found = findElectronBinary(electronDir);
  if (found.ok || !electronDir) return found;
  console.log(`Electron's binary is missing (${found.reason}); trying to download it once...`);
  const attempt = run(process.execPath, [path.join(electronDir, 'install.js')], { encoding: 'utf8', stdio: 'pipe' });
  const after = findElectronBinary(electronDir);
  if (after.ok) return after;
  const said = `${attempt?.stderr ?? ''}`
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /error|failed/i.test(l));
  return said ? { ...after, reason: `${after.reason}; the download said: ${said.slice(0, 200)}` } : after;
}

function main() {
  // Electron first: without it there is no point in building.
  const found = ensureElectronBinary();
  if (!found.ok) {
    console.error(`\n${electronMissingMessage(found.reason)}`);
    process.exit(1);
  }
  const cli = path.join(PROJECT_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const build = spawnSync(process.execPath, [cli, 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('\nThe build failed (see above); Athanor was not started.');
    process.exit(build.status ?? 1);
  }
  // ELECTRON_RUN_AS_NODE in the environment would start Electron as plain Node, without a window.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(found.path, [PROJECT_ROOT, ...process.argv.slice(2)], { stdio: 'inherit', env });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
