/**
 * The real app, built and launched by Playwright's Electron driver. Runs where the Electron binary has been
 * downloaded; elsewhere it is reported as skipped with the reason, never silently passed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../scripts/start.mjs';
import { ROOT } from './harness/build-renderer';
import { screenshot } from './harness/screenshots';

const binary = findElectronBinary();
const skipReason = binary.ok ? '' : `Electron binary not downloaded: ${binary.reason}`;
const title = binary.ok
  ? 'launches the built app: the preload API only, no Node in the page, no new windows, devices shown'
  : `SKIPPED (${skipReason})`;

let home: string | undefined;
afterAll(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

describe('Electron smoke test', () => {
  it.skipIf(!binary.ok)(title, async () => {
    if (!binary.ok) return;
    // Always a fresh build: an old out/ folder would test yesterday's app.
    execFileSync(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    expect(existsSync(join(ROOT, 'out/main/index.js'))).toBe(true);
    // A throwaway profile: the test's runs must not land in the user's history.
    home = await mkdtemp(join(tmpdir(), 'athanor-electron-'));
    const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
    const app = await electron.launch({
      executablePath: binary.path,
      args: [...(headless ? ['--ozone-platform=headless'] : []), ROOT],
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), APPDATA: home, LOCALAPPDATA: home },
      timeout: 60_000,
    });
    try {
      const page = await app.firstWindow();
      await page.waitForSelector('[data-testid="device-cpu"] .badge', { timeout: 60_000 });
      expect(await page.title()).toBe('Athanor');

      // The page sees the one bridged API object, and nothing of Node or Electron.
      const surface = await page.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        api: Object.keys((globalThis as unknown as { athanor: object }).athanor).sort(),
      }));
      expect(surface.require).toBe('undefined');
      expect(surface.process).toBe('undefined');
      expect(surface.api).toEqual(
        expect.arrayContaining(['appInfo', 'getDevices', 'startTraining', 'exportWeights', 'onTrainingEvent']),
      );

      // No new windows: the app's window-open handler refuses them.
      expect(await page.evaluate('window.open("https://example.com/") === null')).toBe(true);
      expect(app.windows()).toHaveLength(1);

      const info = await page.evaluate(() =>
        (globalThis as unknown as { athanor: { appInfo(): Promise<{ name: string }> } }).athanor.appInfo(),
      );
      expect(info.name).toBe('Athanor');
      await screenshot(page, 'electron-app');
    } finally {
      await app.close();
    }
  });
});
