import { resolve } from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { answerInvoke } from '../../../electron/services/ipc-answer';
import type { EventChannel, InvokeChannel } from '../../../electron/shared/ipc-contract';
import { ROOT } from './build-renderer';

export type HandlerTable = Record<InvokeChannel, (arg: unknown) => Promise<unknown>>;

/**
 * The page's `window.athanor`, built by the same `createApi` the preload uses. Its transport crosses into the
 * test process through a Playwright binding instead of ipcRenderer; events come back through `emit`.
 */
async function bundleInitScript(): Promise<string> {
  const entry = `
    import { createApi } from ${JSON.stringify(resolve(ROOT, 'electron/shared/api.ts'))};
    const listeners = new Map();
    globalThis.__athanorEmit = (channel, payload) => {
      for (const listener of [...(listeners.get(channel) ?? [])]) listener(payload);
    };
    globalThis.athanor = createApi({
      invoke: (channel, arg) => globalThis.__athanorInvoke(channel, arg),
      on(channel, listener) {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel).add(listener);
        return () => listeners.get(channel).delete(listener);
      },
    });`;
  const out = await build({
    stdin: { contents: entry, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

/** Bundled once a test file: every page gets the same script. */
let initScript: Promise<string> | null = null;

export interface Bridge {
  /** Sends one event to the page, in order with the ones before it. */
  emit(channel: EventChannel, payload?: unknown): void;
  /** Resolves once every event emitted so far has reached the page. */
  flushed(): Promise<void>;
  /** Every invoke the page made, for assertions. */
  calls: { channel: string; arg: unknown }[];
}

export async function installBridge(page: Page, handlers: HandlerTable): Promise<Bridge> {
  const calls: Bridge['calls'] = [];
  await page.exposeBinding('__athanorInvoke', async (_source, channel: InvokeChannel, arg: unknown) => {
    calls.push({ channel, arg });
    const handler = handlers[channel];
    try {
      if (!handler) throw new Error(`no handler for channel "${channel}"`);
      // As main/ipc.ts answers the app's own page: a refusal of the gate comes back in the user's words.
      return await answerInvoke(true, () => handler(arg));
    } catch (err) {
      // Word it as Electron's ipcRenderer.invoke does, so the renderer meets the same message shape.
      throw new Error(`Error invoking remote method '${channel}': ${String(err)}`, { cause: err });
    }
  });
  initScript ??= bundleInitScript();
  await page.addInitScript({ content: await initScript });

  let chain = Promise.resolve();
  return {
    calls,
    emit(channel, payload) {
      chain = chain.then(() =>
        page
          .evaluate(
            ([c, p]) =>
              (globalThis as unknown as { __athanorEmit: (c: string, p: unknown) => void }).__athanorEmit(c, p),
            [channel, payload] as const,
          )
          .catch(() => {}),
      );
    },
    flushed: () => chain,
  };
}
