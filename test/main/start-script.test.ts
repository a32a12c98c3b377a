import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  electronMissingMessage,
  electronPackageDir,
  ensureElectronBinary,
  findElectronBinary,
} from '../../scripts/start.mjs';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'athanor-electron-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Lays out what electron's install.js leaves behind: path.txt naming the executable inside dist/. */
async function installFakeBinary(electronDir: string): Promise<string> {
  await writeFile(join(electronDir, 'path.txt'), 'electron');
  await mkdir(join(electronDir, 'dist'), { recursive: true });
  await writeFile(join(electronDir, 'dist', 'electron'), '#!/bin/sh\n');
  return join(electronDir, 'dist', 'electron');
}

describe("the start script's Electron check", () => {
  it('on this machine (no Electron binary) it explains, without requiring the electron package', () => {
    const pkg = electronPackageDir();
    expect(pkg).not.toBeNull();
    const found = findElectronBinary(pkg);
    if (found.ok) {
      // A machine that has the binary: the check must point at a real file.
      expect(existsSync(found.path)).toBe(true);
      return;
    }
    expect(found.reason).toBe(`the Electron binary was never downloaded (${join(pkg!, 'path.txt')} is missing)`);
    const message = electronMissingMessage(found.reason);
    expect(message).toMatch(/^Athanor cannot open its window: the Electron binary is not installed\./);
    expect(message).toContain(found.reason);
    expect(message).toContain('offline');
    expect(message).toContain('node node_modules/electron/install.js');
    expect(message).toContain('npm run train');
    expect(message).not.toContain('Electron failed to install correctly');
  });

  it('finds a downloaded binary, and tells a half-finished download apart from none', async () => {
    expect(findElectronBinary(dir)).toEqual({
      ok: false,
      reason: `the Electron binary was never downloaded (${join(dir, 'path.txt')} is missing)`,
    });
    await writeFile(join(dir, 'path.txt'), 'electron');
    expect(findElectronBinary(dir)).toEqual({
      ok: false,
      reason: `the Electron binary is missing (${join(dir, 'dist', 'electron')} does not exist)`,
    });
    const binary = await installFakeBinary(dir);
    expect(findElectronBinary(dir)).toEqual({ ok: true, path: binary });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH and reports a missing package', async () => {
    await mkdir(join(dir, 'custom'));
    await writeFile(join(dir, 'custom', 'electron'), '');
    expect(findElectronBinary(join(dir, 'pkg'), { ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'custom') })).toEqual({
      ok: true,
      path: join(dir, 'custom', 'electron'),
    });
    expect(findElectronBinary(null)).toEqual({
      ok: false,
      reason: 'the electron package is not installed (run "npm install")',
    });
  });

  it("tries the package's installer exactly once, and uses the binary it fetched", () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    // Offline, the installer prints a stack trace: the user gets its error line as part of the reason, not the trace.
    const failing = vi.fn((_file: string, _args: string[], _options: object) => ({
      status: 1,
      stdout: '',
      stderr: 'TypeError: fetch failed\n    at node:internal/deps/undici/undici:14976:13\n',
    }));
    const failed = ensureElectronBinary(dir, failing);
    expect(failed.ok).toBe(false);
    expect(failed.ok ? '' : failed.reason).toMatch(/; the download said: TypeError: fetch failed$/);
    expect(failing).toHaveBeenCalledTimes(1);
    expect(failing.mock.calls[0][1]).toEqual([join(dir, 'install.js')]);
    expect(failing.mock.calls[0][2]).toMatchObject({ stdio: 'pipe' });

    const working = vi.fn(() => {
      writeFileSync(join(dir, 'path.txt'), 'electron');
      mkdirSync(join(dir, 'dist'));
      writeFileSync(join(dir, 'dist', 'electron'), '');
    });
    expect(ensureElectronBinary(dir, working)).toEqual({ ok: true, path: join(dir, 'dist', 'electron') });
    expect(working).toHaveBeenCalledTimes(1);
    const present = vi.fn();
    expect(ensureElectronBinary(dir, present).ok).toBe(true);
    expect(present).not.toHaveBeenCalled();
    log.mockRestore();
  });
});
