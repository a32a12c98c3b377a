import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser';
import { buildRenderer } from './build-renderer';
import { serveFolder } from './serve';

/** What a browser test file opens the app's page with: one Chromium, and the built renderer served over HTTP. */
export interface AppServer {
  readonly browser: Browser;
  /** The served build's address (openAppPage takes it). */
  readonly url: string;
  /** The file's own scratch folder, holding the build; removed after the file. */
  readonly dir: string;
}

/**
 * Builds the renderer into a scratch folder named `athanor-<name>-`, serves it and starts Chromium before the
 * file's tests, and closes all three after them. The values exist once the file's beforeAll has run.
 */
export function useAppServer(name: string): AppServer {
  let browser: Browser | undefined;
  let server: { url: string; close: () => Promise<void> } | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `athanor-${name}-`));
    await buildRenderer(dir);
    server = await serveFolder(dir);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the app server's ${what} is used before the file's beforeAll ran`);
    return value;
  };
  return {
    get browser() {
      return ready(browser, 'browser');
    },
    get url() {
      return ready(server, 'server').url;
    },
    get dir() {
      return ready(dir, 'folder');
    },
  };
}
