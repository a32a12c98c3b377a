/**
 * The app's page as the browser tests open it over real main-side services: the built renderer at `url`, its
 * `window.athanor` bridged to `main`'s handlers, training events forwarded, and every page error, console error and
 * Content-Security-Policy violation collected for the test to assert there are none.
 */
import type { Browser, Page } from 'playwright-core';
import type { SweepEvent, TrainingEvent } from '../../../electron/shared/ipc-contract';
import { installBridge, type Bridge, type HandlerTable } from './api-bridge';

export interface AppMain {
  handlers: HandlerTable;
  onEvent(listener: (event: TrainingEvent) => void): unknown;
  /** Sweep events, where this main sweeps. */
  onSweepEvent?(listener: (event: SweepEvent) => void): unknown;
}

export interface AppPage {
  page: Page;
  bridge: Bridge;
  /** Uncaught errors, console errors and CSP violations, in order. */
  errors: string[];
}

export async function openAppPage(
  browser: Browser,
  url: string,
  main: AppMain,
  viewport = { width: 1280, height: 900 },
): Promise<AppPage> {
  const page = await browser.newPage({ viewport });
  // Generous: an action waits for its element, and a loaded 2-core machine can take seconds to render it.
  page.setDefaultTimeout(60_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  // Runs in the page, so it is a string: this file is type-checked for Node, without the DOM.
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) =>
      console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`,
  });
  const bridge = await installBridge(page, main.handlers);
  main.onEvent((ev) => bridge.emit('training:event', ev));
  main.onSweepEvent?.((ev) => bridge.emit('sweep:event', ev));
  await page.goto(url);
  return { page, bridge, errors };
}
